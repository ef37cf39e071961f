//! Interactions and the timeline, each read with its author's name in the same query.

use chrono::{DateTime, Utc};
use crm_entity::{attendance_events, interactions, users};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, Set, StatementBuilder,
};
use uuid::Uuid;

/// An interaction with its author's name.
#[derive(Debug, Clone, FromQueryResult)]
pub struct InteractionRow {
    pub id: Uuid,
    pub attendance_id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub body: String,
    pub notify: bool,
    pub notification_status: Option<String>,
    pub notification_error: Option<String>,
    pub message_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A timeline event with its actor's name and, for interactions, the interaction.
#[derive(Debug, Clone, FromQueryResult)]
pub struct EventRow {
    pub id: Uuid,
    pub attendance_id: Uuid,
    pub actor_id: Uuid,
    pub actor_name: String,
    pub kind: String,
    pub data: String,
    pub created_at: DateTime<Utc>,
    pub interaction_id: Option<Uuid>,
    pub interaction_body: Option<String>,
    pub interaction_notify: Option<bool>,
    pub interaction_notification_status: Option<String>,
    pub interaction_notification_error: Option<String>,
    pub interaction_message_id: Option<String>,
}

pub async fn insert_interaction(
    db: &impl ConnectionTrait,
    row: interactions::Model,
) -> Result<interactions::Model, DbErr> {
    interactions::ActiveModel {
        id: Set(row.id),
        attendance_id: Set(row.attendance_id),
        author_id: Set(row.author_id),
        body: Set(row.body),
        notify: Set(row.notify),
        notification_status: Set(row.notification_status),
        notification_error: Set(row.notification_error),
        message_id: Set(row.message_id),
        created_at: Set(row.created_at),
    }
    .insert(db)
    .await
}

fn interaction_select() -> SelectStatement {
    let i = interactions::Entity;
    Query::select()
        .columns([
            (i, interactions::Column::Id),
            (i, interactions::Column::AttendanceId),
            (i, interactions::Column::AuthorId),
            (i, interactions::Column::Body),
            (i, interactions::Column::Notify),
            (i, interactions::Column::NotificationStatus),
            (i, interactions::Column::NotificationError),
            (i, interactions::Column::MessageId),
            (i, interactions::Column::CreatedAt),
        ])
        .expr_as(
            Expr::col((users::Entity, users::Column::Name)),
            Alias::new("author_name"),
        )
        .from(i)
        .inner_join(
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((i, interactions::Column::AuthorId)),
        )
        .to_owned()
}

/// Every interaction of an attendance, oldest first (for printing).
pub async fn all_interactions(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
) -> Result<Vec<InteractionRow>, DbErr> {
    let i = interactions::Entity;
    let mut select = interaction_select();
    select
        .and_where(Expr::col((i, interactions::Column::AttendanceId)).eq(attendance_id))
        .order_by((i, interactions::Column::CreatedAt), Order::Asc)
        .order_by((i, interactions::Column::Id), Order::Asc);
    InteractionRow::find_by_statement(StatementBuilder::build(&select, &db.get_database_backend()))
        .all(db)
        .await
}

/// A page of an attendance's interactions, newest first, after `(created_at, id)`.
pub async fn interactions_page(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    fetch: u64,
) -> Result<Vec<InteractionRow>, DbErr> {
    let i = interactions::Entity;
    let mut select = interaction_select();
    select.and_where(Expr::col((i, interactions::Column::AttendanceId)).eq(attendance_id));
    if let Some((at, id)) = after {
        select.cond_where(crm_entity::keyset::beyond(
            interactions::Column::CreatedAt,
            at,
            interactions::Column::Id,
            id,
            true,
        ));
    }
    select
        .order_by((i, interactions::Column::CreatedAt), Order::Desc)
        .order_by((i, interactions::Column::Id), Order::Desc)
        .limit(fetch);
    InteractionRow::find_by_statement(StatementBuilder::build(&select, &db.get_database_backend()))
        .all(db)
        .await
}

pub async fn interaction(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<InteractionRow>, DbErr> {
    let mut select = interaction_select();
    select.and_where(Expr::col((interactions::Entity, interactions::Column::Id)).eq(id));
    InteractionRow::find_by_statement(StatementBuilder::build(&select, &db.get_database_backend()))
        .one(db)
        .await
}

/// A page of the timeline, newest first, after `(created_at, id)` of the previous page.
pub async fn timeline(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    fetch: u64,
) -> Result<Vec<EventRow>, DbErr> {
    let e = attendance_events::Entity;
    let i = interactions::Entity;
    let mut select = Query::select();
    select
        .columns([
            (e, attendance_events::Column::Id),
            (e, attendance_events::Column::AttendanceId),
            (e, attendance_events::Column::ActorId),
            (e, attendance_events::Column::Kind),
            (e, attendance_events::Column::Data),
            (e, attendance_events::Column::CreatedAt),
            (e, attendance_events::Column::InteractionId),
        ])
        .expr_as(
            Expr::col((users::Entity, users::Column::Name)),
            Alias::new("actor_name"),
        )
        .expr_as(
            Expr::col((i, interactions::Column::Body)),
            Alias::new("interaction_body"),
        )
        .expr_as(
            Expr::col((i, interactions::Column::Notify)),
            Alias::new("interaction_notify"),
        )
        .expr_as(
            Expr::col((i, interactions::Column::NotificationStatus)),
            Alias::new("interaction_notification_status"),
        )
        .expr_as(
            Expr::col((i, interactions::Column::NotificationError)),
            Alias::new("interaction_notification_error"),
        )
        .expr_as(
            Expr::col((i, interactions::Column::MessageId)),
            Alias::new("interaction_message_id"),
        )
        .from(e)
        .inner_join(
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((e, attendance_events::Column::ActorId)),
        )
        .left_join(
            i,
            Expr::col((i, interactions::Column::Id))
                .equals((e, attendance_events::Column::InteractionId)),
        )
        .and_where(Expr::col((e, attendance_events::Column::AttendanceId)).eq(attendance_id));
    if let Some((at, id)) = after {
        select.cond_where(crm_entity::keyset::beyond(
            attendance_events::Column::CreatedAt,
            at,
            attendance_events::Column::Id,
            id,
            true,
        ));
    }
    select
        .order_by((e, attendance_events::Column::CreatedAt), Order::Desc)
        .order_by((e, attendance_events::Column::Id), Order::Desc)
        .limit(fetch);
    EventRow::find_by_statement(StatementBuilder::build(&select, &db.get_database_backend()))
        .all(db)
        .await
}

/// Shows a notification's state on its interaction.
pub async fn set_notification(
    db: &impl ConnectionTrait,
    interaction_id: Uuid,
    status: &str,
    error: Option<String>,
    message_id: Option<String>,
) -> Result<(), DbErr> {
    interactions::Entity::update_many()
        .col_expr(
            interactions::Column::NotificationStatus,
            Expr::value(status),
        )
        .col_expr(interactions::Column::NotificationError, Expr::value(error))
        .col_expr(interactions::Column::MessageId, Expr::value(message_id))
        .filter(interactions::Column::Id.eq(interaction_id))
        .exec(db)
        .await
        .map(|_| ())
}
