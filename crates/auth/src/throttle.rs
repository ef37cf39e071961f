//! Failed-login throttling, per e-mail and per client address, kept in the database so every
//! instance counts the same failures.

use chrono::{DateTime, Utc};
use crm_entity::login_throttle;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Set};

use crate::{AuthError, AuthSettings};

/// `Err(TooManyAttempts)` if any key is blocked now.
pub async fn ensure_allowed(
    db: &impl ConnectionTrait,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    for key in keys {
        if let Some(row) = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?
            && let Some(until) = row.blocked_until
            && until > now
        {
            let seconds = (until - now).num_seconds().max(1);
            return Err(AuthError::TooManyAttempts {
                retry_after: u64::try_from(seconds).unwrap_or(1),
            });
        }
    }
    Ok(())
}

/// Counts one failure for each key; the `login_max_failures`-th failure in a window blocks the
/// key until the window has passed.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    keys: &[String],
    settings: &AuthSettings,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let window = settings.login_window();
    let max = i32::try_from(settings.login_max_failures).unwrap_or(i32::MAX);
    for key in keys {
        match login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?
        {
            Some(row) => {
                let expired = row.window_started_at + window <= now;
                let failures = if expired { 1 } else { row.failures + 1 };
                let mut active = row.into_active_model();
                if expired {
                    active.window_started_at = Set(now);
                    active.blocked_until = Set(None);
                }
                active.failures = Set(failures);
                if failures >= max {
                    active.blocked_until = Set(Some(now + window));
                }
                active.update(db).await?;
            }
            None => {
                login_throttle::ActiveModel {
                    key: Set(key.clone()),
                    failures: Set(1),
                    window_started_at: Set(now),
                    blocked_until: Set((max <= 1).then_some(now + window)),
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// A successful login forgets the e-mail's failures (the address keeps its count, so one client
/// cannot reset it by logging into an account of its own).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await
        .map(|_| ())
}
