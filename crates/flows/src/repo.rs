//! Queries on flows and their authorized users.

use chrono::{DateTime, Utc};
use crm_core::Actor;
use crm_entity::{flow_users, flows, keyset, users};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::access::visible_flow_ids;

pub async fn by_name_key(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<flows::Model>, DbErr> {
    flows::Entity::find()
        .filter(flows::Column::NameKey.eq(key))
        .one(db)
        .await
}

/// Flows the caller may see, by name, after the `(name_key, id)` of the previous page.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    active: Option<bool>,
    after: Option<(String, Uuid)>,
    fetch: u64,
) -> Result<Vec<flows::Model>, DbErr> {
    let mut query = flows::Entity::find();
    if let Some(ids) = visible_flow_ids(actor) {
        query = query.filter(flows::Column::Id.in_subquery(ids));
    }
    if let Some(active) = active {
        query = query.filter(flows::Column::Active.eq(active));
    }
    if let Some((key, id)) = after {
        query = query.filter(keyset::beyond(
            flows::Column::NameKey,
            key,
            flows::Column::Id,
            id,
            false,
        ));
    }
    query
        .order_by_asc(flows::Column::NameKey)
        .order_by_asc(flows::Column::Id)
        .limit(fetch)
        .all(db)
        .await
}

pub async fn insert(db: &impl ConnectionTrait, flow: flows::Model) -> Result<flows::Model, DbErr> {
    flows::ActiveModel::from(flow).insert(db).await
}

/// Writes `flow` only if the stored row still has `expected_version`.
pub async fn update(
    db: &impl ConnectionTrait,
    flow: flows::Model,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let id = flow.id;
    let result = flows::Entity::update_many()
        .set(flows::ActiveModel::from(flow).reset_all())
        .filter(flows::Column::Id.eq(id))
        .filter(flows::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    flows::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}

/// Which of `ids` are existing users.
pub async fn existing_user_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

/// Replaces the flow's authorized users with `user_ids`.
pub async fn replace_authorized(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    user_ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    flow_users::Entity::delete_many()
        .filter(flow_users::Column::FlowId.eq(flow_id))
        .exec(db)
        .await?;
    if user_ids.is_empty() {
        return Ok(());
    }
    let rows = user_ids.iter().map(|user_id| flow_users::ActiveModel {
        flow_id: sea_orm::Set(flow_id),
        user_id: sea_orm::Set(*user_id),
        created_at: sea_orm::Set(now),
    });
    flow_users::Entity::insert_many(rows)
        .exec(db)
        .await
        .map(|_| ())
}

/// The flow's authorized users, by name.
pub async fn authorized_users(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
) -> Result<Vec<users::Model>, DbErr> {
    let members = sea_orm::sea_query::Query::select()
        .column(flow_users::Column::UserId)
        .from(flow_users::Entity)
        .and_where(flow_users::Column::FlowId.eq(flow_id))
        .to_owned();
    users::Entity::find()
        .filter(users::Column::Id.in_subquery(members))
        .order_by_asc(users::Column::Name)
        .order_by_asc(users::Column::Id)
        .all(db)
        .await
}

/// Serializes writers of what belongs to one flow (its tags number positions from what they
/// read: `max + 1`, renumbering). PostgreSQL locks the flow's row without blocking the foreign-key
/// checks of inserts into the flow (`NO KEY UPDATE`); SQLite has a single writer already and
/// drops the clause.
pub async fn lock_flow(db: &impl ConnectionTrait, flow_id: Uuid) -> Result<(), DbErr> {
    flows::Entity::find_by_id(flow_id)
        .select_only()
        .column(flows::Column::Id)
        .lock(LockType::NoKeyUpdate)
        .into_tuple::<Uuid>()
        .one(db)
        .await
        .map(|_| ())
}
