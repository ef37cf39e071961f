//! Searches that PostgreSQL must plan with their values.

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, TransactionSession, TransactionTrait,
};

/// Runs a substring search planned with its pattern on PostgreSQL (elsewhere, as it is).
///
/// After five runs of a prepared statement PostgreSQL may switch to a generic plan, which guesses
/// that any `LIKE` pattern matches 0.5% of the rows and then fetches and sorts every match: 70 ms
/// for a common name among a million attendances, against 2 ms for the plan that walks the list
/// index (bench/RESULTS.md). `SET LOCAL` keeps the choice to this one transaction.
pub async fn search<C>(db: &C, statement: Statement) -> Result<Vec<QueryResult>, DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    if db.get_database_backend() != DbBackend::Postgres {
        return db.query_all_raw(statement).await;
    }
    let txn = db.begin().await?;
    txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
        .await?;
    let rows = txn.query_all_raw(statement).await?;
    txn.commit().await?;
    Ok(rows)
}
