//! Finer statistics for the accent-free search keys (PostgreSQL), so a substring search is
//! planned from a close guess of how many rows match.
//!
//! With the default 100 histogram entries PostgreSQL guessed that a common name ("conceicao",
//! 8.5% of the attendances) matched 2%; it then preferred the trigram index, fetched 85,000
//! candidates and sorted them (200 ms), where walking the list's index finds the first 51
//! matches in 2 ms. With 1,000 entries the guess is within 15% and the plan is the fast one
//! (bench/RESULTS.md).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 2] = ["attendances", "contacts"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        for table in TABLES {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ALTER COLUMN search_key SET STATISTICS 1000"
            ))
            .await?;
            // Only this column, sampled once: seconds even for millions of rows.
            db.execute_unprepared(&format!("ANALYZE {table} (search_key)"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        for table in TABLES {
            m.get_connection()
                .execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN search_key SET STATISTICS -1"
                ))
                .await?;
        }
        Ok(())
    }
}
