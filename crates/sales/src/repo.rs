//! Queries on orders, their versions and lines.

use chrono::{DateTime, Utc};
use crm_entity::{keyset, sale_items, sale_versions, sales};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<sales::Model>, DbErr> {
    sales::Entity::find_by_id(id).one(db).await
}

pub async fn insert(db: &impl ConnectionTrait, row: sales::Model) -> Result<sales::Model, DbErr> {
    sales::ActiveModel::from(row).insert(db).await
}

/// Writes the order only if it is still at `expected_version` and `expected_status`, so two
/// concurrent approvals (or an edit racing an approval) cannot both succeed.
pub async fn update(
    db: &impl ConnectionTrait,
    row: sales::Model,
    expected_version: i32,
    expected_status: &str,
) -> Result<bool, DbErr> {
    let id = row.id;
    let result = sales::Entity::update_many()
        .set(sales::ActiveModel::from(row).reset_all())
        .filter(sales::Column::Id.eq(id))
        .filter(sales::Column::CurrentVersion.eq(expected_version))
        .filter(sales::Column::Status.eq(expected_status))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn insert_version(
    db: &impl ConnectionTrait,
    version: sale_versions::Model,
    items: Vec<sale_items::Model>,
) -> Result<(), DbErr> {
    sale_versions::ActiveModel::from(version).insert(db).await?;
    if !items.is_empty() {
        sale_items::Entity::insert_many(items.into_iter().map(sale_items::ActiveModel::from))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Versions of an order (all, or only `number`), oldest first, with their lines: two queries.
pub async fn versions(
    db: &impl ConnectionTrait,
    sale_id: Uuid,
    number: Option<i32>,
) -> Result<Vec<(sale_versions::Model, Vec<sale_items::Model>)>, DbErr> {
    let mut query = sale_versions::Entity::find().filter(sale_versions::Column::SaleId.eq(sale_id));
    if let Some(number) = number {
        query = query.filter(sale_versions::Column::Number.eq(number));
    }
    let versions = query
        .order_by_asc(sale_versions::Column::Number)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = versions.iter().map(|v| v.id).collect();
    let items = sale_items::Entity::find()
        .filter(sale_items::Column::VersionId.is_in(ids))
        .order_by_asc(sale_items::Column::Position)
        .all(db)
        .await?;
    Ok(versions
        .into_iter()
        .map(|version| {
            let lines = items
                .iter()
                .filter(|item| item.version_id == version.id)
                .cloned()
                .collect();
            (version, lines)
        })
        .collect())
}

/// What a list of orders selects.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only the orders of flows in this subquery (`None`: every flow).
    pub visible_flows: Option<SelectStatement>,
    pub attendance_id: Option<Uuid>,
    pub flow_id: Option<Uuid>,
    pub status: Option<String>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
}

fn condition(filter: &Filter) -> Condition {
    let mut all = Condition::all();
    if let Some(visible) = &filter.visible_flows {
        all = all.add(sales::Column::FlowId.in_subquery(visible.clone()));
    }
    if let Some(id) = filter.attendance_id {
        all = all.add(sales::Column::AttendanceId.eq(id));
    }
    if let Some(id) = filter.flow_id {
        all = all.add(sales::Column::FlowId.eq(id));
    }
    if let Some(status) = &filter.status {
        all = all.add(sales::Column::Status.eq(status.as_str()));
    }
    if let Some(from) = filter.created_from {
        all = all.add(sales::Column::CreatedAt.gte(from));
    }
    if let Some(before) = filter.created_before {
        all = all.add(sales::Column::CreatedAt.lt(before));
    }
    all
}

/// Newest first, after the `(created_at, id)` of the previous page.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    fetch: u64,
) -> Result<Vec<sales::Model>, DbErr> {
    let mut query = sales::Entity::find().filter(condition(filter));
    if let Some((at, id)) = after {
        query = query.filter(keyset::beyond(
            sales::Column::CreatedAt,
            at,
            sales::Column::Id,
            id,
            true,
        ));
    }
    query
        .order_by_desc(sales::Column::CreatedAt)
        .order_by_desc(sales::Column::Id)
        .limit(fetch)
        .all(db)
        .await
}

/// How many orders match and the sum of their current totals, in centavos.
pub async fn totals(db: &impl ConnectionTrait, filter: &Filter) -> Result<(i64, i64), DbErr> {
    let row: Option<(i64, Option<i64>)> = sales::Entity::find()
        .select_only()
        .column_as(sales::Column::Id.count(), "count")
        // PostgreSQL sums BIGINT into NUMERIC; the cast keeps one integer type on both.
        .column_as(Expr::cust("CAST(SUM(total_cents) AS BIGINT)"), "sum")
        .filter(condition(filter))
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map_or((0, 0), |(count, sum)| (count, sum.unwrap_or(0))))
}
