//! The flow summary's aggregates (DESIGN §8: counts a screen needs come from indexed
//! aggregates), kept by the transactions that change them: active attendances per flow and
//! status and per tag, and each flow's receivable (its quotes awaiting approval on attendances
//! not in the trash: how many, and their total).
//!
//! Recounting them on every summary read walked the flow's active attendances, every tag link of
//! the database and the flow's quotes against its trashed attendances: 3–150 ms per statement at
//! a million attendances (bench/RESULTS.md).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Fills the tables from the rows, for a database migrated with attendances already in it.
/// `crm_attendances::rebuild_counts` runs the same statements (after a bulk load).
const BACKFILL: [&str; 3] = [
    "INSERT INTO flow_status_counts (flow_id, status, count) \
     SELECT flow_id, status, COUNT(*) FROM attendances WHERE view = 'active' \
     GROUP BY flow_id, status",
    "INSERT INTO tag_counts (tag_id, count) \
     SELECT t.tag_id, COUNT(*) FROM attendance_tags t \
     JOIN attendances a ON a.id = t.attendance_id AND a.view = 'active' \
     GROUP BY t.tag_id",
    "INSERT INTO flow_receivables (flow_id, quotes, total_cents) \
     SELECT s.flow_id, COUNT(*), SUM(s.total_cents) FROM sales s \
     JOIN attendances a ON a.id = s.attendance_id AND a.view <> 'trash' \
     WHERE s.status = 'awaiting_approval' GROUP BY s.flow_id",
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
        m.create_table(
            Table::create()
                .table("flow_receivables")
                .col(pk_uuid("flow_id"))
                .col(big_integer("quotes"))
                .col(big_integer("total_cents"))
                .foreign_key(&mut fk(
                    "flow_receivables",
                    "flow_id",
                    "flows",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        for statement in BACKFILL {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["flow_receivables", "tag_counts", "flow_status_counts"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
