//! Queries on attendances, their tags, interactions and timeline.

mod contact_uses;
mod counts;
mod history;
mod list;
mod shown;

pub use contact_uses::*;
pub use counts::*;
pub use history::*;
pub use list::*;
pub use shown::ShownRow;

use chrono::{DateTime, Utc};
use crm_entity::{attendance_events, attendance_tags, attendances, counters, flow_preferences};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set,
};
use uuid::Uuid;

pub async fn by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<attendances::Model>, DbErr> {
    attendances::Entity::find_by_id(id).one(db).await
}

/// The row, if it is in one of `visible_flows` (every flow when `None`).
pub async fn visible_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
    visible_flows: Option<sea_orm::sea_query::SelectStatement>,
) -> Result<Option<attendances::Model>, DbErr> {
    let mut query = attendances::Entity::find_by_id(id);
    if let Some(flows) = visible_flows {
        query = query.filter(attendances::Column::FlowId.in_subquery(flows));
    }
    query.one(db).await
}

/// The row, locked until the transaction ends (`FOR UPDATE`; SQLite has one writer at a time).
pub async fn by_id_for_update(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<attendances::Model>, DbErr> {
    attendances::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await
}

/// The next value of a named counter (`attendance_reference`, `quote_code`, …). The counter row
/// stays locked by this transaction until it ends, so concurrent writers get distinct, increasing
/// numbers on both databases, and a rollback leaves no gap.
pub async fn next_counter(db: &impl ConnectionTrait, name: &str) -> Result<i64, DbErr> {
    counters::Entity::update_many()
        .col_expr(
            counters::Column::Value,
            Expr::col(counters::Column::Value).add(1),
        )
        .filter(counters::Column::Name.eq(name))
        .exec(db)
        .await?;
    let counter = counters::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("counter {name}")))?;
    Ok(counter.value)
}

pub async fn insert(
    db: &impl ConnectionTrait,
    row: attendances::Model,
) -> Result<attendances::Model, DbErr> {
    attendances::ActiveModel::from(row).insert(db).await
}

/// Writes `row` only if the stored one still has `expected_version`.
pub async fn update(
    db: &impl ConnectionTrait,
    row: attendances::Model,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let id = row.id;
    let result = attendances::Entity::update_many()
        .set(attendances::ActiveModel::from(row).reset_all())
        .filter(attendances::Column::Id.eq(id))
        .filter(attendances::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    attendances::Entity::delete_by_id(id)
        .exec(db)
        .await
        .map(|_| ())
}

/// Attaches a tag; attaching it again changes nothing. Returns whether it was new.
pub async fn attach_tag(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
    tag_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = attendance_tags::Entity::insert(attendance_tags::ActiveModel {
        attendance_id: Set(attendance_id),
        tag_id: Set(tag_id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            attendance_tags::Column::AttendanceId,
            attendance_tags::Column::TagId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(result == 1)
}

/// Detaches a tag; returns whether it was attached.
pub async fn detach_tag(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
    tag_id: Uuid,
) -> Result<bool, DbErr> {
    let result = attendance_tags::Entity::delete_many()
        .filter(attendance_tags::Column::AttendanceId.eq(attendance_id))
        .filter(attendance_tags::Column::TagId.eq(tag_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn detach_all_tags(db: &impl ConnectionTrait, attendance_id: Uuid) -> Result<(), DbErr> {
    attendance_tags::Entity::delete_many()
        .filter(attendance_tags::Column::AttendanceId.eq(attendance_id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Appends a timeline event.
pub async fn record_event(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
    actor_id: Uuid,
    kind: &str,
    data: serde_json::Value,
    interaction_id: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    attendance_events::ActiveModel {
        id: Set(crm_core::id::new_id()),
        attendance_id: Set(attendance_id),
        actor_id: Set(actor_id),
        kind: Set(kind.to_owned()),
        data: Set(data.to_string()),
        interaction_id: Set(interaction_id),
        created_at: Set(at),
    }
    .insert(db)
    .await
    .map(|_| ())
}

pub async fn preferences(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    flow_id: Uuid,
) -> Result<Option<flow_preferences::Model>, DbErr> {
    flow_preferences::Entity::find_by_id((user_id, flow_id))
        .one(db)
        .await
}

pub async fn save_preferences(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    flow_id: Uuid,
    columns: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    flow_preferences::Entity::insert(flow_preferences::ActiveModel {
        user_id: Set(user_id),
        flow_id: Set(flow_id),
        columns: Set(columns),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            flow_preferences::Column::UserId,
            flow_preferences::Column::FlowId,
        ])
        .update_columns([
            flow_preferences::Column::Columns,
            flow_preferences::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

pub async fn contact(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<crm_entity::contacts::Model>, DbErr> {
    crm_entity::contacts::Entity::find_by_id(id).one(db).await
}

/// A flow's tags in display order: id, name and colour.
pub async fn flow_tag_refs(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
) -> Result<Vec<(Uuid, String, String)>, DbErr> {
    use crm_entity::tags;
    use sea_orm::QueryOrder;
    tags::Entity::find()
        .select_only()
        .columns([tags::Column::Id, tags::Column::Name, tags::Column::Color])
        .filter(tags::Column::FlowId.eq(flow_id))
        .order_by_asc(tags::Column::Position)
        .order_by_asc(tags::Column::Id)
        .into_tuple()
        .all(db)
        .await
}

/// Sales and purchases keep a copy of their attendance's flow (for lists and the receivable);
/// a move carries them along in the same transaction.
pub async fn move_orders(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
    flow_id: Uuid,
) -> Result<(), DbErr> {
    use crm_entity::{purchases, sales};
    sales::Entity::update_many()
        .col_expr(sales::Column::FlowId, Expr::value(flow_id))
        .filter(sales::Column::AttendanceId.eq(attendance_id))
        .exec(db)
        .await?;
    purchases::Entity::update_many()
        .col_expr(purchases::Column::FlowId, Expr::value(flow_id))
        .filter(purchases::Column::AttendanceId.eq(attendance_id))
        .exec(db)
        .await?;
    Ok(())
}
