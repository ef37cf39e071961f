//! Which constraint a database error reports, on PostgreSQL and SQLite alike.

use sea_orm::{DbErr, SqlErr};

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
