//! Queries on users, sessions, refresh tokens and the login throttle.

use chrono::{DateTime, Utc};
use crm_entity::{refresh_tokens, sessions, users};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

pub async fn user_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find_by_id(id).one(db).await
}

pub async fn user_by_email_key(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find()
        .filter(users::Column::EmailKey.eq(key))
        .one(db)
        .await
}

pub async fn user_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    users::Entity::find().count(db).await
}

pub async fn active_admin_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    users::Entity::find()
        .filter(users::Column::Role.eq("admin"))
        .filter(users::Column::Active.eq(true))
        .count(db)
        .await
}

/// Users ordered by e-mail, after the `(email_key, id)` of the previous page.
pub async fn list_users(
    db: &impl ConnectionTrait,
    after: Option<(String, Uuid)>,
    fetch: u64,
) -> Result<Vec<users::Model>, DbErr> {
    let mut query = users::Entity::find();
    if let Some((key, id)) = after {
        query = query.filter(crm_entity::keyset::beyond(
            users::Column::EmailKey,
            key,
            users::Column::Id,
            id,
            false,
        ));
    }
    query
        .order_by_asc(users::Column::EmailKey)
        .order_by_asc(users::Column::Id)
        .limit(fetch)
        .all(db)
        .await
}

pub async fn insert_user(
    db: &impl ConnectionTrait,
    user: users::Model,
) -> Result<users::Model, DbErr> {
    users::ActiveModel::from(user).insert(db).await
}

/// Writes `user` only if the stored row still has `expected_version`; returns whether it did.
pub async fn update_user(
    db: &impl ConnectionTrait,
    user: users::Model,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let id = user.id;
    let result = users::Entity::update_many()
        .set(users::ActiveModel::from(user).reset_all())
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn delete_user(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    users::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}

pub async fn insert_session(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let id = crm_core::id::new_id();
    sessions::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

pub async fn session(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<sessions::Model>, DbErr> {
    sessions::Entity::find_by_id(id).one(db).await
}

pub async fn revoke_session(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, now.into())
        .filter(sessions::Column::Id.eq(id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

/// Ends a user's sessions, except `keep` (the caller's own, when they change their password).
pub async fn revoke_user_sessions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut update = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, now.into())
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(sessions::Column::Id.ne(keep));
    }
    update.exec(db).await.map(|_| ())
}

/// The active user behind a live session: one query per authenticated request, so that logout,
/// deactivation and role changes take effect immediately.
pub async fn user_of_live_session(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<users::Model>, DbErr> {
    let live_sessions = Query::select()
        .column(sessions::Column::UserId)
        .from(sessions::Entity)
        .and_where(sessions::Column::Id.eq(session_id))
        .and_where(sessions::Column::RevokedAt.is_null())
        .and_where(sessions::Column::ExpiresAt.gt(now))
        .to_owned();
    users::Entity::find()
        .filter(users::Column::Id.eq(user_id))
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Id.in_subquery(live_sessions))
        .one(db)
        .await
}

pub async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_tokens::ActiveModel {
        id: Set(crm_core::id::new_id()),
        session_id: Set(session_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await
    .map(|_| ())
}

pub async fn refresh_token_by_hash(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<refresh_tokens::Model>, DbErr> {
    refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash))
        .one(db)
        .await
}

/// Marks a refresh token spent; `false` when another request spent it first.
pub async fn spend_refresh_token(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::UsedAt, now.into())
        .filter(refresh_tokens::Column::Id.eq(id))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
