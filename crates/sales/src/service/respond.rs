//! An order as answered: the row, its current version and that version's lines.

use crm_core::Money;
use crm_core::order::{self, ItemResponse, StoredLine};
use crm_entity::{sale_items, sale_versions, sales};
use sea_orm::ConnectionTrait;

use super::status_of;
use crate::dto::{SaleResponse, VersionResponse};
use crate::{SaleError, repo};

pub(crate) async fn respond(
    db: &impl ConnectionTrait,
    sale: sales::Model,
) -> Result<SaleResponse, SaleError> {
    let (version, items) = repo::versions(db, sale.id, Some(sale.current_version))
        .await?
        .pop()
        .ok_or(SaleError::VersionNotFound(sale.current_version))?;
    let current = version_response(version, items, sale.current_version);
    Ok(SaleResponse {
        id: sale.id,
        status: status_of(&sale),
        code: sale.code,
        attendance_id: sale.attendance_id,
        flow_id: sale.flow_id,
        issue_nfe: sale.issue_nfe,
        currency: "BRL".to_owned(),
        decided_by: sale.decided_by,
        decided_at: sale.decided_at,
        created_by: sale.created_by,
        created_at: sale.created_at,
        updated_at: sale.updated_at,
        current,
    })
}

fn money(cents: i64) -> String {
    Money::from_cents(cents).to_decimal_string()
}

pub(super) fn version_response(
    version: sale_versions::Model,
    items: Vec<sale_items::Model>,
    current: i32,
) -> VersionResponse {
    VersionResponse {
        number: version.number,
        outdated: version.number != current,
        items: items.into_iter().map(item_response).collect(),
        subtotal: money(version.subtotal_cents),
        discount: order::discount_of(version.discount.as_deref()),
        discount_amount: money(version.discount_cents),
        freight: money(version.freight_cents),
        total: money(version.total_cents),
        payment_terms: version.payment_terms,
        valid_until: version.valid_until,
        notes: version.notes,
        created_by: version.created_by,
        created_at: version.created_at,
    }
}

fn item_response(item: sale_items::Model) -> ItemResponse {
    ItemResponse::from(StoredLine::from(item))
}
