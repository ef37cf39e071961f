//! The summary's aggregates: active attendances per flow and status, and per tag.

use crm_entity::{flow_status_counts, tag_counts, tags};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Set,
};
use uuid::Uuid;

/// Adds `delta` to a flow's count of active attendances in `status`.
pub async fn add_to_status_count(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    status: &str,
    delta: i64,
) -> Result<(), DbErr> {
    flow_status_counts::Entity::insert(flow_status_counts::ActiveModel {
        flow_id: Set(flow_id),
        status: Set(status.to_owned()),
        count: Set(delta),
    })
    .on_conflict(
        OnConflict::columns([
            flow_status_counts::Column::FlowId,
            flow_status_counts::Column::Status,
        ])
        .value(
            flow_status_counts::Column::Count,
            Expr::cust("flow_status_counts.count + excluded.count"),
        )
        .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

/// Adds `delta` to a tag's count of active attendances.
pub async fn add_to_tag_count(
    db: &impl ConnectionTrait,
    tag_id: Uuid,
    delta: i64,
) -> Result<(), DbErr> {
    tag_counts::Entity::insert(tag_counts::ActiveModel {
        tag_id: Set(tag_id),
        count: Set(delta),
    })
    .on_conflict(
        OnConflict::column(tag_counts::Column::TagId)
            .value(
                tag_counts::Column::Count,
                Expr::cust("tag_counts.count + excluded.count"),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

/// A flow's count of active attendances per status (statuses with none may be missing).
pub async fn status_counts(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
) -> Result<Vec<(String, i64)>, DbErr> {
    flow_status_counts::Entity::find()
        .select_only()
        .column(flow_status_counts::Column::Status)
        .column(flow_status_counts::Column::Count)
        .filter(flow_status_counts::Column::FlowId.eq(flow_id))
        .into_tuple()
        .all(db)
        .await
}

/// Recounts every flow and tag from the attendances themselves, replacing what was kept: after a
/// bulk load that bypassed the services, or to repair counts.
pub async fn rebuild_counts(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for sql in [
        "DELETE FROM flow_status_counts",
        "DELETE FROM tag_counts",
        "INSERT INTO flow_status_counts (flow_id, status, count) \
         SELECT flow_id, status, COUNT(*) FROM attendances WHERE view = 'active' \
         GROUP BY flow_id, status",
        "INSERT INTO tag_counts (tag_id, count) \
         SELECT t.tag_id, COUNT(*) FROM attendance_tags t \
         JOIN attendances a ON a.id = t.attendance_id AND a.view = 'active' \
         GROUP BY t.tag_id",
    ] {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// A tag of a flow's summary with its count of active attendances.
#[derive(Debug, FromQueryResult)]
pub struct TagCountRow {
    pub id: Uuid,
    pub name: String,
    pub color: String,
    pub count: Option<i64>,
}

/// Every tag of a flow, in order, with its count, in one query.
pub async fn tag_counts_of_flow(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
) -> Result<Vec<TagCountRow>, DbErr> {
    let link: RelationDef = tag_counts::Entity::belongs_to(tags::Entity)
        .from(tag_counts::Column::TagId)
        .to(tags::Column::Id)
        .into();
    tags::Entity::find()
        .select_only()
        .columns([tags::Column::Id, tags::Column::Name, tags::Column::Color])
        .column(tag_counts::Column::Count)
        .join(JoinType::LeftJoin, link.rev())
        .filter(tags::Column::FlowId.eq(flow_id))
        .order_by_asc(tags::Column::Position)
        .order_by_asc(tags::Column::Id)
        .into_model()
        .all(db)
        .await
}
