//! Queries on tags and their links to attendances.

use chrono::{DateTime, Utc};
use crm_entity::{attendance_tags, tags};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationDef,
};
use uuid::Uuid;

/// The flow's tags in display order.
pub async fn list(db: &impl ConnectionTrait, flow_id: Uuid) -> Result<Vec<tags::Model>, DbErr> {
    tags::Entity::find()
        .filter(tags::Column::FlowId.eq(flow_id))
        .order_by_asc(tags::Column::Position)
        .order_by_asc(tags::Column::Id)
        .all(db)
        .await
}

/// The tag, if it belongs to the flow.
pub async fn find(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    id: Uuid,
) -> Result<Option<tags::Model>, DbErr> {
    tags::Entity::find_by_id(id)
        .filter(tags::Column::FlowId.eq(flow_id))
        .one(db)
        .await
}

pub async fn by_name_key(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    key: &str,
) -> Result<Option<tags::Model>, DbErr> {
    tags::Entity::find()
        .filter(tags::Column::FlowId.eq(flow_id))
        .filter(tags::Column::NameKey.eq(key))
        .one(db)
        .await
}

/// Which of `ids` are tags of the flow, in display order.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<tags::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    tags::Entity::find()
        .filter(tags::Column::FlowId.eq(flow_id))
        .filter(tags::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(tags::Column::Position)
        .order_by_asc(tags::Column::Id)
        .all(db)
        .await
}

/// The position after the flow's last tag.
pub async fn next_position(db: &impl ConnectionTrait, flow_id: Uuid) -> Result<i32, DbErr> {
    let last: Option<Option<i32>> = tags::Entity::find()
        .select_only()
        .expr(Func::max(Expr::col(tags::Column::Position)))
        .filter(tags::Column::FlowId.eq(flow_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0) + 1)
}

pub async fn insert(db: &impl ConnectionTrait, tag: tags::Model) -> Result<tags::Model, DbErr> {
    tags::ActiveModel::from(tag).reset_all().insert(db).await
}

/// Inserts `tag` unless the flow already has a tag with its name key; never fails on that
/// conflict, so it is safe inside a caller's PostgreSQL transaction.
pub async fn insert_unless_named(db: &impl ConnectionTrait, tag: tags::Model) -> Result<(), DbErr> {
    tags::Entity::insert(tags::ActiveModel::from(tag).reset_all())
        .on_conflict_do_nothing_on([tags::Column::FlowId, tags::Column::NameKey])
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

/// Writes `tag` only if the stored row still has `expected_version`.
pub async fn update(
    db: &impl ConnectionTrait,
    tag: tags::Model,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let id = tag.id;
    let result = tags::Entity::update_many()
        .set(tags::ActiveModel::from(tag).reset_all())
        .filter(tags::Column::Id.eq(id))
        .filter(tags::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    tags::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}

/// Gives `ordered` the positions 1..n. Only the position (and with it the version) of the tags
/// that move is written, so a rename committed meanwhile is kept.
pub async fn renumber(
    db: &impl ConnectionTrait,
    ordered: &[tags::Model],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for (index, tag) in ordered.iter().enumerate() {
        let position = i32::try_from(index + 1).unwrap_or(i32::MAX);
        if tag.position == position {
            continue;
        }
        tags::Entity::update_many()
            .col_expr(tags::Column::Position, Expr::value(position))
            .col_expr(
                tags::Column::Version,
                Expr::col(tags::Column::Version).add(1),
            )
            .col_expr(tags::Column::UpdatedAt, Expr::value(now))
            .filter(tags::Column::Id.eq(tag.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The tags of each attendance, by tag position, in one query.
pub async fn of_attendances(
    db: &impl ConnectionTrait,
    attendance_ids: &[Uuid],
) -> Result<Vec<(Uuid, tags::Model)>, DbErr> {
    if attendance_ids.is_empty() {
        return Ok(Vec::new());
    }
    let link: RelationDef = attendance_tags::Entity::belongs_to(tags::Entity)
        .from(attendance_tags::Column::TagId)
        .to(tags::Column::Id)
        .into();
    let rows = attendance_tags::Entity::find()
        .select_also(tags::Entity)
        .join(JoinType::InnerJoin, link)
        .filter(attendance_tags::Column::AttendanceId.is_in(attendance_ids.iter().copied()))
        .order_by_asc(tags::Column::Position)
        .order_by_asc(tags::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(link, tag)| tag.map(|tag| (link.attendance_id, tag)))
        .collect())
}
