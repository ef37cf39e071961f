//! Queries on purchases, their lines, and the suppliers they name.

use chrono::{DateTime, NaiveDate, Utc};
use crm_entity::{contacts, keyset, purchase_items, purchases};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef,
};
use uuid::Uuid;

pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<purchases::Model>, DbErr> {
    purchases::Entity::find_by_id(id).one(db).await
}

/// The supplier's name, if the contact exists.
pub async fn supplier_name(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<String>, DbErr> {
    contacts::Entity::find_by_id(id)
        .select_only()
        .column(contacts::Column::Name)
        .into_tuple()
        .one(db)
        .await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    row: purchases::Model,
    items: Vec<purchase_items::Model>,
) -> Result<purchases::Model, DbErr> {
    let row = purchases::ActiveModel::from(row).insert(db).await?;
    insert_items(db, items).await?;
    Ok(row)
}

/// Writes the purchase and replaces its lines, only if it is still at `expected_version`, so two
/// concurrent edits cannot both succeed.
pub async fn update(
    db: &impl ConnectionTrait,
    row: purchases::Model,
    expected_version: i32,
    items: Vec<purchase_items::Model>,
) -> Result<bool, DbErr> {
    let id = row.id;
    let result = purchases::Entity::update_many()
        .set(purchases::ActiveModel::from(row).reset_all())
        .filter(purchases::Column::Id.eq(id))
        .filter(purchases::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    purchase_items::Entity::delete_many()
        .filter(purchase_items::Column::PurchaseId.eq(id))
        .exec(db)
        .await?;
    insert_items(db, items).await?;
    Ok(true)
}

async fn insert_items(
    db: &impl ConnectionTrait,
    items: Vec<purchase_items::Model>,
) -> Result<(), DbErr> {
    if !items.is_empty() {
        purchase_items::Entity::insert_many(
            items.into_iter().map(purchase_items::ActiveModel::from),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// The lines of a purchase, in order.
pub async fn items(
    db: &impl ConnectionTrait,
    purchase_id: Uuid,
) -> Result<Vec<purchase_items::Model>, DbErr> {
    purchase_items::Entity::find()
        .filter(purchase_items::Column::PurchaseId.eq(purchase_id))
        .order_by_asc(purchase_items::Column::Position)
        .all(db)
        .await
}

/// What a list of purchases selects.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only the purchases of flows in this subquery (`None`: every flow).
    pub visible_flows: Option<SelectStatement>,
    pub attendance_id: Option<Uuid>,
    pub flow_id: Option<Uuid>,
    pub supplier_id: Option<Uuid>,
    pub purchased_from: Option<NaiveDate>,
    pub purchased_to: Option<NaiveDate>,
}

fn condition(filter: &Filter) -> Condition {
    let mut all = Condition::all();
    if let Some(visible) = &filter.visible_flows {
        all = all.add(purchases::Column::FlowId.in_subquery(visible.clone()));
    }
    if let Some(id) = filter.attendance_id {
        all = all.add(purchases::Column::AttendanceId.eq(id));
    }
    if let Some(id) = filter.flow_id {
        all = all.add(purchases::Column::FlowId.eq(id));
    }
    if let Some(id) = filter.supplier_id {
        all = all.add(purchases::Column::SupplierId.eq(id));
    }
    if let Some(from) = filter.purchased_from {
        all = all.add(purchases::Column::PurchasedOn.gte(from));
    }
    if let Some(to) = filter.purchased_to {
        all = all.add(purchases::Column::PurchasedOn.lte(to));
    }
    all
}

fn supplier() -> RelationDef {
    purchases::Entity::belongs_to(contacts::Entity)
        .from(purchases::Column::SupplierId)
        .to(contacts::Column::Id)
        .into()
}

/// Newest first, after the `(created_at, id)` of the previous page, each with its supplier: one
/// query.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    fetch: u64,
) -> Result<Vec<(purchases::Model, Option<contacts::Model>)>, DbErr> {
    let mut query = purchases::Entity::find().filter(condition(filter));
    if let Some((at, id)) = after {
        query = query.filter(keyset::beyond(
            purchases::Column::CreatedAt,
            at,
            purchases::Column::Id,
            id,
            true,
        ));
    }
    query
        .join(JoinType::LeftJoin, supplier())
        .select_also(contacts::Entity)
        .order_by_desc(purchases::Column::CreatedAt)
        .order_by_desc(purchases::Column::Id)
        .limit(fetch)
        .all(db)
        .await
}

/// How many purchases match and the sum of their totals, in centavos.
pub async fn totals(db: &impl ConnectionTrait, filter: &Filter) -> Result<(i64, i64), DbErr> {
    let row: Option<(i64, Option<i64>)> = purchases::Entity::find()
        .select_only()
        .column_as(purchases::Column::Id.count(), "count")
        // PostgreSQL sums BIGINT into NUMERIC; the cast keeps one integer type on both.
        .column_as(Expr::cust("CAST(SUM(total_cents) AS BIGINT)"), "sum")
        .filter(condition(filter))
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map_or((0, 0), |(count, sum)| (count, sum.unwrap_or(0))))
}
