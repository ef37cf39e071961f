//! Which constraint a database error reports, on PostgreSQL and SQLite alike.

use crm_core::Code;
use sea_orm::{DbErr, RuntimeErr, SqlErr, sqlx};

/// A foreign key refused the write: the row is still referenced (or references nothing).
pub fn is_foreign_key(err: &DbErr) -> bool {
    // sea-orm recognizes PostgreSQL's code; SQLite's extended code 787 ("FOREIGN KEY constraint
    // failed") arrives as a plain execution error, so its message is checked as well.
    matches!(
        err.sql_err(),
        Some(SqlErr::ForeignKeyConstraintViolation(_))
    ) || err.to_string().contains("FOREIGN KEY constraint failed")
}

/// A unique index refused the write: a concurrent request took the value.
pub fn is_unique(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
        || err.to_string().contains("UNIQUE constraint failed")
}

/// The database could not be reached: no connection could be had (refused, timed out, pool
/// closed) or the one in use broke. A retry may succeed once it is back; nothing was wrong with
/// the request.
pub fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed => true,
                // A server shutting down or starting (`pg_ctl stop`, a failover) tells the
                // connections it still has: class 08 (connection exception), 57P01-57P03.
                sqlx::Error::Database(db) => db
                    .code()
                    .is_some_and(|code| code.starts_with("08") || code.starts_with("57P0")),
                _ => false,
            }
        }
        _ => false,
    }
}

/// The code a domain answers a database error with: 503 `database_unavailable` when the
/// database cannot be reached, else 500 `internal` (a bug or a broken invariant).
pub fn code(err: &DbErr) -> Code {
    if is_unavailable(err) {
        Code::DatabaseUnavailable
    } else {
        Code::Internal
    }
}
