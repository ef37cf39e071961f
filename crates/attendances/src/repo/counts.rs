//! The summary's aggregates: active attendances per flow and status and per tag, and each
//! flow's receivable.

use crm_entity::{flow_receivables, flow_status_counts, flows, sales, tag_counts, tags};
use sea_orm::sea_query::{Expr, OnConflict, SelectStatement};
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
        "DELETE FROM flow_receivables",
        "INSERT INTO flow_receivables (flow_id, quotes, total_cents) \
         SELECT s.flow_id, COUNT(*), SUM(s.total_cents) FROM sales s \
         JOIN attendances a ON a.id = s.attendance_id AND a.view <> 'trash' \
         WHERE s.status = 'awaiting_approval' GROUP BY s.flow_id",
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

/// Adds to a flow's receivable: `quotes` more (or fewer) quotes, worth `cents` more (or less).
/// The sales service calls it inside its transaction while it holds the attendance's row lock
/// ([`crate::load_visible_for_write`]), so a quote and its attendance's trash never count twice.
pub async fn add_to_receivable(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    quotes: i64,
    cents: i64,
) -> Result<(), DbErr> {
    if quotes == 0 && cents == 0 {
        return Ok(());
    }
    flow_receivables::Entity::insert(flow_receivables::ActiveModel {
        flow_id: Set(flow_id),
        quotes: Set(quotes),
        total_cents: Set(cents),
    })
    .on_conflict(
        OnConflict::column(flow_receivables::Column::FlowId)
            .values([
                (
                    flow_receivables::Column::Quotes,
                    Expr::cust("flow_receivables.quotes + excluded.quotes"),
                ),
                (
                    flow_receivables::Column::TotalCents,
                    Expr::cust("flow_receivables.total_cents + excluded.total_cents"),
                ),
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

/// What the summary keeps per flow: the receivable (how many quotes, their total in centavos)
/// and the active attendances per status (statuses with none may be missing).
pub struct FlowCounts {
    pub quotes: i64,
    pub receivable_cents: i64,
    pub by_status: Vec<(String, i64)>,
}

/// The flow's kept counts, if the flow is among `visible_flows` (any flow when `None`); `None`
/// for a hidden or unknown flow. One statement: the flow row joined with its receivable and its
/// status counts (a row per status, or one row without a status).
pub async fn flow_counts(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    visible_flows: Option<SelectStatement>,
) -> Result<Option<FlowCounts>, DbErr> {
    let receivable: RelationDef = flow_receivables::Entity::belongs_to(flows::Entity)
        .from(flow_receivables::Column::FlowId)
        .to(flows::Column::Id)
        .into();
    let statuses: RelationDef = flow_status_counts::Entity::belongs_to(flows::Entity)
        .from(flow_status_counts::Column::FlowId)
        .to(flows::Column::Id)
        .into();
    let mut query = flows::Entity::find_by_id(flow_id)
        .select_only()
        .column(flow_receivables::Column::Quotes)
        .column(flow_receivables::Column::TotalCents)
        .column(flow_status_counts::Column::Status)
        .column(flow_status_counts::Column::Count)
        .join(JoinType::LeftJoin, receivable.rev())
        .join(JoinType::LeftJoin, statuses.rev());
    if let Some(visible) = visible_flows {
        query = query.filter(flows::Column::Id.in_subquery(visible));
    }
    type Row = (Option<i64>, Option<i64>, Option<String>, Option<i64>);
    let rows: Vec<Row> = query.into_tuple().all(db).await?;
    let Some((quotes, cents, _, _)) = rows.first().cloned() else {
        return Ok(None);
    };
    Ok(Some(FlowCounts {
        quotes: quotes.unwrap_or(0),
        receivable_cents: cents.unwrap_or(0),
        by_status: rows
            .into_iter()
            .filter_map(|(_, _, status, count)| status.zip(count))
            .collect(),
    }))
}

/// One attendance's quotes awaiting approval: how many, and their total in centavos.
pub async fn quotes_of_attendance(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
) -> Result<(i64, i64), DbErr> {
    let row: Option<(i64, Option<i64>)> = sales::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "count")
        // PostgreSQL sums BIGINT into NUMERIC; the cast keeps one integer type on both databases.
        .column_as(Expr::cust("CAST(SUM(total_cents) AS BIGINT)"), "sum")
        .filter(sales::Column::AttendanceId.eq(attendance_id))
        .filter(sales::Column::Status.eq("awaiting_approval"))
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map_or((0, 0), |(count, sum)| (count, sum.unwrap_or(0))))
}
