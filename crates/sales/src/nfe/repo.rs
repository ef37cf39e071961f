//! Queries of the NF-e data: the saved document, the contact it is prefilled from, and the
//! order's `issue_nfe` mark.

use chrono::{DateTime, Utc};
use crm_entity::{attendances, contacts, sale_nfe, sales};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

pub async fn stored(
    db: &impl ConnectionTrait,
    sale_id: Uuid,
) -> Result<Option<sale_nfe::Model>, DbErr> {
    sale_nfe::Entity::find_by_id(sale_id).one(db).await
}

/// The contact of an attendance, in one query.
pub async fn contact_of(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
) -> Result<Option<contacts::Model>, DbErr> {
    let contact_id = Query::select()
        .column(attendances::Column::ContactId)
        .from(attendances::Entity)
        .and_where(attendances::Column::Id.eq(attendance_id))
        .to_owned();
    contacts::Entity::find()
        .filter(contacts::Column::Id.in_subquery(contact_id))
        .one(db)
        .await
}

pub async fn insert(db: &impl ConnectionTrait, row: sale_nfe::Model) -> Result<(), DbErr> {
    sale_nfe::ActiveModel::from(row)
        .insert(db)
        .await
        .map(|_| ())
}

/// Writes the document only if it is still at `expected_version`.
pub async fn update(
    db: &impl ConnectionTrait,
    row: sale_nfe::Model,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let sale_id = row.sale_id;
    let result = sale_nfe::Entity::update_many()
        .set(sale_nfe::ActiveModel::from(row).reset_all())
        .filter(sale_nfe::Column::SaleId.eq(sale_id))
        .filter(sale_nfe::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks the order to issue an NF-e. Only that column and `updated_at`: the order's content and
/// version do not change.
pub async fn mark_issue_nfe(
    db: &impl ConnectionTrait,
    sale_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    sales::Entity::update_many()
        .col_expr(sales::Column::IssueNfe, Expr::value(true))
        .col_expr(sales::Column::UpdatedAt, Expr::value(now))
        .filter(sales::Column::Id.eq(sale_id))
        .exec(db)
        .await
        .map(|_| ())
}
