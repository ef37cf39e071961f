//! Queries on mailboxes, templates and the outbox.

use chrono::{DateTime, Utc};
use crm_entity::{mail_templates, mailboxes, outbox, users};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

pub async fn user(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find_by_id(id).one(db).await
}

pub async fn mailbox(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<mailboxes::Model>, DbErr> {
    mailboxes::Entity::find_by_id(user_id).one(db).await
}

pub async fn insert_mailbox(
    db: &impl ConnectionTrait,
    row: mailboxes::Model,
) -> Result<mailboxes::Model, DbErr> {
    mailboxes::ActiveModel::from(row)
        .reset_all()
        .insert(db)
        .await
}

/// Writes `row` only if the stored one still has `expected_version`.
pub async fn update_mailbox(
    db: &impl ConnectionTrait,
    row: mailboxes::Model,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let user_id = row.user_id;
    let result = mailboxes::Entity::update_many()
        .set(mailboxes::ActiveModel::from(row).reset_all())
        .filter(mailboxes::Column::UserId.eq(user_id))
        .filter(mailboxes::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn delete_mailbox(db: &impl ConnectionTrait, user_id: Uuid) -> Result<bool, DbErr> {
    let result = mailboxes::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(result.rows_affected == 1)
}

pub async fn template(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<mail_templates::Model>, DbErr> {
    mail_templates::Entity::find_by_id(id).one(db).await
}

/// The templates `user_id` may see (their own and the shared ones), by name, after the
/// `(name_key, id)` of the previous page.
pub async fn visible_templates(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<(String, Uuid)>,
    fetch: u64,
) -> Result<Vec<mail_templates::Model>, DbErr> {
    let mut query = mail_templates::Entity::find().filter(
        Condition::any()
            .add(mail_templates::Column::OwnerId.eq(user_id))
            .add(mail_templates::Column::Shared.eq(true)),
    );
    if let Some((key, id)) = after {
        query = query.filter(crm_entity::keyset::beyond(
            mail_templates::Column::NameKey,
            key,
            mail_templates::Column::Id,
            id,
            false,
        ));
    }
    query
        .order_by_asc(mail_templates::Column::NameKey)
        .order_by_asc(mail_templates::Column::Id)
        .limit(fetch)
        .all(db)
        .await
}

pub async fn template_by_name(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    key: &str,
) -> Result<Option<mail_templates::Model>, DbErr> {
    mail_templates::Entity::find()
        .filter(mail_templates::Column::OwnerId.eq(owner_id))
        .filter(mail_templates::Column::NameKey.eq(key))
        .one(db)
        .await
}

pub async fn insert_template(
    db: &impl ConnectionTrait,
    row: mail_templates::Model,
) -> Result<mail_templates::Model, DbErr> {
    mail_templates::ActiveModel::from(row)
        .reset_all()
        .insert(db)
        .await
}

pub async fn update_template(
    db: &impl ConnectionTrait,
    row: mail_templates::Model,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let id = row.id;
    let result = mail_templates::Entity::update_many()
        .set(mail_templates::ActiveModel::from(row).reset_all())
        .filter(mail_templates::Column::Id.eq(id))
        .filter(mail_templates::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn delete_template(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    mail_templates::Entity::delete_by_id(id)
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn insert_outbox(
    db: &impl ConnectionTrait,
    row: outbox::Model,
) -> Result<outbox::Model, DbErr> {
    outbox::ActiveModel::from(row).reset_all().insert(db).await
}

/// Pending messages that are due and not leased to a sender, oldest first. On PostgreSQL the
/// rows are locked `FOR UPDATE SKIP LOCKED`, so instances claiming at the same time take
/// different rows; SQLite drops the clause (its single writer serializes claims anyway).
/// Due messages, oldest first, leaving out the senders in `skip` (mailboxes this instance is
/// still sending for).
pub async fn due_messages(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
    skip: &[Uuid],
) -> Result<Vec<outbox::Model>, DbErr> {
    let mut query = due_query(now, limit);
    if !skip.is_empty() {
        query = query.filter(outbox::Column::SenderId.is_not_in(skip.iter().copied()));
    }
    query.all(db).await
}

fn due_query(now: DateTime<Utc>, limit: u64) -> Select<outbox::Entity> {
    outbox::Entity::find()
        .filter(outbox::Column::Status.eq("pending"))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(outbox::Column::LockedUntil.is_null())
                .add(outbox::Column::LockedUntil.lte(now)),
        )
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
}

/// Leases the messages to the caller until `until`.
pub async fn lease(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    until: DateTime<Utc>,
) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::LockedUntil, Expr::value(until))
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await
        .map(|_| ())
}

/// Extends the lease on a message to `until`, if it is still the lease `held` taken when it was
/// claimed; `false` when the lease ran out and another sender claimed the message meanwhile.
pub async fn renew_lease(
    db: &impl ConnectionTrait,
    id: Uuid,
    held: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::LockedUntil, Expr::value(until))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq("pending"))
        .filter(outbox::Column::LockedUntil.eq(held))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The `Message-ID` of the attendance's first sent message: the root its later messages thread
/// under.
pub async fn thread_root(
    db: &impl ConnectionTrait,
    attendance_id: Uuid,
) -> Result<Option<String>, DbErr> {
    outbox::Entity::find()
        .select_only()
        .column(outbox::Column::MessageId)
        .filter(outbox::Column::AttendanceId.eq(attendance_id))
        .filter(outbox::Column::Status.eq("sent"))
        .order_by_asc(outbox::Column::SentAt)
        .order_by_asc(outbox::Column::Id)
        .into_tuple()
        .one(db)
        .await
}

/// Records an attempt's outcome on the message.
pub async fn save_message(db: &impl ConnectionTrait, row: outbox::Model) -> Result<(), DbErr> {
    let id = row.id;
    outbox::Entity::update_many()
        .set(outbox::ActiveModel::from(row).reset_all())
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    #[test]
    fn claims_skip_rows_locked_by_another_instance_on_postgresql() {
        let now = Utc::now();
        let postgres = due_query(now, 10).build(DbBackend::Postgres).to_string();
        assert!(postgres.ends_with("FOR UPDATE SKIP LOCKED"), "{postgres}");
        let sqlite = due_query(now, 10).build(DbBackend::Sqlite).to_string();
        assert!(!sqlite.contains("FOR UPDATE"), "{sqlite}");
    }
}
