//! The flow summary's aggregates (DESIGN §8: counts a screen needs come from indexed
//! aggregates): active attendances per flow and status, and per tag, kept by the transactions
//! that change them; and a partial index that answers the receivable from the quotes alone.
//!
//! Recounting on every summary read the flow's active attendances and scanned every tag link of
//! the database: 100–150 ms per statement at a million attendances (bench/RESULTS.md).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Fills both tables from the rows, for a database migrated with attendances already in it.
/// `crm_attendances::counts::rebuild` runs the same statements (after a bulk load).
const BACKFILL: [&str; 2] = [
    "INSERT INTO flow_status_counts (flow_id, status, count) \
     SELECT flow_id, status, COUNT(*) FROM attendances WHERE view = 'active' \
     GROUP BY flow_id, status",
    "INSERT INTO tag_counts (tag_id, count) \
     SELECT t.tag_id, COUNT(*) FROM attendance_tags t \
     JOIN attendances a ON a.id = t.attendance_id AND a.view = 'active' \
     GROUP BY t.tag_id",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("flow_status_counts")
                .col(uuid("flow_id"))
                .col(string_len("status", 20))
                .col(big_integer("count"))
                .primary_key(Index::create().col("flow_id").col("status"))
                .foreign_key(&mut fk(
                    "flow_status_counts",
                    "flow_id",
                    "flows",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // Deleting a tag deletes its count with it (the tag's links go by the same cascade).
        m.create_table(
            Table::create()
                .table("tag_counts")
                .col(pk_uuid("tag_id"))
                .col(big_integer("count"))
                .foreign_key(&mut fk(
                    "tag_counts",
                    "tag_id",
                    "tags",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        for statement in BACKFILL {
            db.execute_unprepared(statement).await?;
        }
        // The receivable reads only this index: the flow's quotes awaiting approval with their
        // totals (SQLite has no INCLUDE; the total as a last key column does the same there).
        let receivable = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "CREATE INDEX ix_sales_receivable ON sales (flow_id, attendance_id) \
                 INCLUDE (total_cents) WHERE status = 'awaiting_approval'"
            }
            _ => {
                "CREATE INDEX ix_sales_receivable ON sales (flow_id, attendance_id, total_cents) \
                 WHERE status = 'awaiting_approval'"
            }
        };
        db.execute_unprepared(receivable).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_sales_receivable")
                .table("sales")
                .to_owned(),
        )
        .await?;
        for table in ["tag_counts", "flow_status_counts"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
