//! Failed password checks (logins, and `PATCH /me` with a wrong `current_password`), kept in the
//! database so every instance counts the same failures.
//!
//! Counted per (account, client address) pair: counting per e-mail let anyone lock the admin out
//! from everywhere, and counting per address locked every account behind that address (issue 12,
//! point 6). Past `login_max_failures` a pair is blocked for `login_delay_seconds`, doubling with
//! each further failure up to the window, so a guesser is slowed to a crawl while the owner, from
//! another address, logs in as usual. An address alone gets ten times the pair's allowance: enough
//! for an office behind one NAT mistyping passwords, few enough that spraying one password over
//! many accounts (which the per-pair count never sees twice) is stopped after a few dozen tries.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use crm_entity::login_throttle;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};

use crate::{AuthError, AuthSettings};

/// How many times the pair's allowance an address gets across all accounts.
const ADDRESS_FACTOR: u32 = 10;

/// The counters a failed check of one account's password from one client adds to.
pub struct Keys {
    pair: String,
    address: String,
}

impl Keys {
    /// `account` is the e-mail key (lower case), so a login and `PATCH /me` count together.
    pub fn new(account: &str, client: Option<IpAddr>) -> Keys {
        let address = client.map_or_else(|| "unknown".to_owned(), client_key);
        Keys {
            pair: format!("pair:{address}|{account}"),
            address: format!("ip:{address}"),
        }
    }
}

/// The address as counted: an IPv6 client by its /64, the block one host or one subscriber
/// usually holds whole (counting each address would give a guesser 2^64 fresh counters).
fn client_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !(u128::MAX >> 64);
            format!("{}/64", std::net::Ipv6Addr::from(network))
        }
        v4 => v4.to_string(),
    }
}

/// `Err(TooManyAttempts)` while the pair or the address is blocked.
pub async fn ensure_allowed(
    db: &impl ConnectionTrait,
    keys: &Keys,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    for key in [&keys.pair, &keys.address] {
        if let Some(row) = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?
            && let Some(until) = row.blocked_until
            && until > now
        {
            // Rounded up: a client waiting the seconds it is told finds the block over.
            let millis = (until - now).num_milliseconds();
            let seconds = (millis + 999) / 1000;
            return Err(AuthError::TooManyAttempts {
                retry_after: u64::try_from(seconds).unwrap_or(1),
            });
        }
    }
    Ok(())
}

/// Counts one failure for the pair and for the address.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    keys: &Keys,
    settings: &AuthSettings,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let max = settings.login_max_failures.max(1);
    count(db, &keys.pair, max, settings, now).await?;
    count(
        db,
        &keys.address,
        max.saturating_mul(ADDRESS_FACTOR),
        settings,
        now,
    )
    .await
}

/// A successful check forgets the pair's failures (the address keeps its count, so a sprayer
/// cannot reset it by logging into an account of its own).
pub async fn clear(db: &impl ConnectionTrait, keys: &Keys) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(keys.pair.clone())
        .exec(db)
        .await
        .map(|_| ())
}

async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    max: u32,
    settings: &AuthSettings,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use login_throttle::Column;
    // Scoped here: in the module it would shadow `Ord::max` on integers.
    use sea_orm::sea_query::ExprTrait as _;
    // `window_started_at` holds the last failure: the count is forgotten after a quiet window,
    // so a patient guesser never gets back to the free tries while still guessing. The count
    // moves in one statement: concurrent failures read-then-wrote the same old count and lost
    // all but one (a burst of guesses counted as one).
    let cutoff = now - settings.login_window();
    let counted = login_throttle::Entity::update_many()
        .col_expr(
            Column::Failures,
            Expr::case(
                Expr::col(Column::WindowStartedAt).gt(cutoff),
                Expr::col(Column::Failures).add(1),
            )
            .finally(1)
            .into(),
        )
        .col_expr(Column::WindowStartedAt, Expr::value(now))
        .filter(Column::Key.eq(key))
        .exec(db)
        .await?;
    if counted.rows_affected == 0 {
        let inserted = login_throttle::ActiveModel {
            key: Set(key.to_owned()),
            failures: Set(1),
            window_started_at: Set(now),
            blocked_until: Set(block(1, max, settings).map(|delay| now + delay)),
        }
        .insert(db)
        .await;
        return match inserted {
            Ok(_) => Ok(()),
            // A concurrent failure of the same key inserted it first: count on its row, which
            // exists now (this was a 500).
            Err(error) if crm_entity::db_error::is_unique(&error) => {
                Box::pin(count(db, key, max, settings, now)).await
            }
            Err(error) => Err(error),
        };
    }
    // The count as it stands (ours, or one a concurrent failure raised further) sets the block.
    let Some(row) = login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let blocked_until = block(row.failures, max, settings).map(|delay| now + delay);
    if blocked_until.is_some() {
        let mut active = row.into_active_model();
        active.blocked_until = Set(blocked_until);
        active.update(db).await?;
    }
    Ok(())
}

/// How long the `failures`-th failure blocks: nothing before `max`, then the base delay doubling
/// with each failure, never more than the window.
fn block(failures: i32, max: u32, settings: &AuthSettings) -> Option<chrono::Duration> {
    let past = u32::try_from(failures).ok()?.checked_sub(max)?;
    let window = settings.login_window();
    let delay = settings
        .login_delay()
        .checked_mul(1_i32.checked_shl(past.min(30)).unwrap_or(i32::MAX))
        .unwrap_or(window);
    Some(delay.min(window))
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_ipv6_client_counts_by_its_64_and_an_ipv4_one_by_its_address() {
        let a = Keys::new("maria@example.com", "2001:db8:1:2::10".parse().ok());
        let b = Keys::new("maria@example.com", "2001:db8:1:2:ffff::1".parse().ok());
        let other = Keys::new("maria@example.com", "2001:db8:1:3::10".parse().ok());
        let v4 = Keys::new("maria@example.com", "::ffff:203.0.113.7".parse().ok());
        assert_eq!((&a.pair, &a.address), (&b.pair, &b.address));
        assert_ne!(a.address, other.address);
        assert_eq!(a.address, "ip:2001:db8:1:2::/64");
        assert_eq!(v4.address, "ip:203.0.113.7");
    }

    use super::*;

    #[test]
    fn the_block_starts_at_the_limit_and_doubles_up_to_the_window() {
        let settings = AuthSettings::for_tests();
        let seconds = |failures| block(failures, 5, &settings).map(|d| d.num_seconds());

        assert_eq!(seconds(4), None);
        assert_eq!(seconds(5), Some(30));
        assert_eq!(seconds(6), Some(60));
        assert_eq!(seconds(8), Some(240));
        assert_eq!(seconds(10), Some(900));
        assert_eq!(seconds(i32::MAX), Some(900));
    }

    #[test]
    fn one_account_from_two_addresses_counts_in_two_pairs() {
        let a = Keys::new("admin@example.com", "192.0.2.1".parse().ok());
        let b = Keys::new("admin@example.com", "192.0.2.2".parse().ok());
        let mapped = Keys::new("admin@example.com", "::ffff:192.0.2.1".parse().ok());

        assert_ne!(a.pair, b.pair);
        assert_eq!(a.pair, mapped.pair);
        assert_eq!(a.address, "ip:192.0.2.1");
    }
}
