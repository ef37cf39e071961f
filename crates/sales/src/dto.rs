//! Request and response bodies of the sales routes. A line is the order line sales and
//! purchases share (`crm_core::order`).

use chrono::{DateTime, NaiveDate, Utc};
pub use crm_core::order::{ItemRequest, ItemResponse};
use crm_core::pricing::DiscountInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::model::SaleStatus;

/// A new order, or the content of a new version.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "status": "awaiting_approval",
    "items": [
        {"description": "Cadeira de escritório", "product_code": "CAD-01", "quantity": "30",
         "unit": "UN", "unit_price": "150.00", "discount": {"kind": "percent", "value": "5"}}
    ],
    "freight": "120.00",
    "discount": {"kind": "amount", "value": "50.00"},
    "payment_terms": "30/60/90 dias",
    "valid_until": "2026-12-31",
    "notes": "Entrega em até 15 dias úteis.",
    "issue_nfe": true
}))]
pub struct SaleRequest {
    /// `awaiting_approval` registers a quote, `approved` a sale. Only on creation.
    pub status: Option<SaleStatus>,
    #[schema(min_items = 1, max_items = 500)]
    pub items: Vec<ItemRequest>,
    #[schema(example = "120.00", pattern = r"^\d{1,9}(\.\d{1,2})?$")]
    pub freight: Option<String>,
    /// Discount on the sum of the lines.
    pub discount: Option<DiscountInput>,
    #[schema(max_length = 500)]
    pub payment_terms: Option<String>,
    pub valid_until: Option<NaiveDate>,
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
    /// Whether an NF-e is to be issued for it.
    pub issue_nfe: Option<bool>,
}

/// One version of an order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionResponse {
    pub number: i32,
    /// A newer version exists: this one can no longer be approved, edited or sent.
    pub outdated: bool,
    pub items: Vec<ItemResponse>,
    #[schema(example = "4275.00")]
    pub subtotal: String,
    pub discount: Option<DiscountInput>,
    #[schema(example = "50.00")]
    pub discount_amount: String,
    #[schema(example = "120.00")]
    pub freight: String,
    #[schema(example = "4345.00")]
    pub total: String,
    pub payment_terms: Option<String>,
    pub valid_until: Option<NaiveDate>,
    pub notes: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// A quote or sale, with its current version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SaleResponse {
    pub id: Uuid,
    /// `ORC-…` for orders registered as quotes (kept when approved), `VEN-…` for direct sales.
    #[schema(example = "ORC-000042")]
    pub code: String,
    pub attendance_id: Uuid,
    pub flow_id: Uuid,
    pub status: SaleStatus,
    pub issue_nfe: bool,
    #[schema(example = "BRL")]
    pub currency: String,
    /// Who approved, rejected or cancelled it, and when.
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The current version (its number is the `ETag`).
    pub current: VersionResponse,
}

/// An order in a list: its current totals, without lines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SaleSummary {
    pub id: Uuid,
    pub code: String,
    pub attendance_id: Uuid,
    pub flow_id: Uuid,
    pub status: SaleStatus,
    /// The current version's number.
    pub version: i32,
    #[schema(example = "4345.00")]
    pub total: String,
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A page of orders, with the count and sum of everything the filter matches when asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct SalePage {
    pub items: Vec<SaleSummary>,
    pub next_cursor: Option<String>,
    /// With `with_totals=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<SaleTotals>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleTotals {
    pub count: u64,
    /// Sum of the current versions' totals.
    #[schema(example = "123456.78")]
    pub amount: String,
    pub currency: String,
}

/// Filters of `GET /sales`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SaleFilter {
    #[param(inline)]
    pub status: Option<SaleStatus>,
    pub flow_id: Option<Uuid>,
    /// Created on or after this day (Brasília time).
    pub from: Option<NaiveDate>,
    /// Created on or before this day (Brasília time).
    pub to: Option<NaiveDate>,
    /// Also count and sum everything that matches.
    pub with_totals: Option<bool>,
}

/// The versions of an order, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    pub sale_id: Uuid,
    pub current_version: i32,
    pub items: Vec<VersionResponse>,
}
