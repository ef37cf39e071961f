//! Request and response bodies of the purchase routes. A line is the order line sales and
//! purchases share (`crm_core::order`).

use chrono::{DateTime, NaiveDate, Utc};
pub use crm_core::order::{ItemRequest, ItemResponse};
use crm_core::pricing::DiscountInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A new purchase, or the whole new content of one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "supplier_id": "01936f5e-8a4b-7c3d-9e2f-1a2b3c4d5e6f",
    "purchased_on": "2026-11-20",
    "items": [
        {"description": "Papel A4 75 g/m² (resma)", "product_code": "PAP-A4-75", "quantity": "10",
         "unit": "CX", "unit_price": "27.90", "discount": {"kind": "percent", "value": "5"}},
        {"description": "Toner para impressora", "quantity": "2", "unit": "UN",
         "unit_price": "189.00"}
    ],
    "freight": "35.00",
    "discount": {"kind": "amount", "value": "10.00"},
    "notes": "NF do fornecedor nº 12345; entrega na filial."
}))]
pub struct PurchaseRequest {
    /// The supplier: an existing contact.
    pub supplier_id: Uuid,
    /// The day of the purchase; at most one day ahead of today (Brasília time).
    pub purchased_on: NaiveDate,
    #[schema(min_items = 1, max_items = 500)]
    pub items: Vec<ItemRequest>,
    #[schema(example = "35.00", pattern = r"^\d{1,9}(\.\d{1,2})?$")]
    pub freight: Option<String>,
    /// Discount on the sum of the lines.
    pub discount: Option<DiscountInput>,
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
}

/// The supplier of a purchase.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupplierRef {
    pub id: Uuid,
    #[schema(example = "Papelaria Conceição Ltda.")]
    pub name: String,
}

/// A purchase with its lines and totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PurchaseResponse {
    pub id: Uuid,
    #[schema(example = "CMP-000042")]
    pub code: String,
    pub attendance_id: Uuid,
    pub flow_id: Uuid,
    pub supplier: SupplierRef,
    pub purchased_on: NaiveDate,
    pub items: Vec<ItemResponse>,
    /// Sum of the lines' totals.
    #[schema(example = "643.05")]
    pub subtotal: String,
    pub discount: Option<DiscountInput>,
    #[schema(example = "10.00")]
    pub discount_amount: String,
    #[schema(example = "35.00")]
    pub freight: String,
    /// subtotal − discount + freight.
    #[schema(example = "668.05")]
    pub total: String,
    #[schema(example = "BRL")]
    pub currency: String,
    pub notes: Option<String>,
    /// Sent as the `ETag`; each edit adds one.
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A purchase in a list: its total, without lines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PurchaseSummary {
    pub id: Uuid,
    #[schema(example = "CMP-000042")]
    pub code: String,
    pub attendance_id: Uuid,
    pub flow_id: Uuid,
    pub supplier: SupplierRef,
    pub purchased_on: NaiveDate,
    #[schema(example = "668.05")]
    pub total: String,
    #[schema(example = "BRL")]
    pub currency: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A page of purchases, with the count and sum of everything the filter matches when asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchasePage {
    pub items: Vec<PurchaseSummary>,
    pub next_cursor: Option<String>,
    /// With `with_totals=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<PurchaseTotals>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseTotals {
    pub count: u64,
    /// Sum of the purchases' totals.
    #[schema(example = "12345.67")]
    pub amount: String,
    #[schema(example = "BRL")]
    pub currency: String,
}

/// Filters of `GET /purchases`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurchaseFilter {
    pub flow_id: Option<Uuid>,
    pub supplier_id: Option<Uuid>,
    /// Purchased on or after this day.
    pub from: Option<NaiveDate>,
    /// Purchased on or before this day.
    pub to: Option<NaiveDate>,
    /// Also count and sum everything that matches.
    pub with_totals: Option<bool>,
}
