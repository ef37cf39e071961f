//! A version of each flow's tags, raised by the database on every change to them.
//!
//! A list page names its rows' tags from the flow's few tags. Reading them was a statement of
//! its own on every page, a third of the request's cost (bench/RESULTS.md); the server now keeps
//! them between requests and the list statement reads this number to tell whether what it kept is
//! still the flow's. Triggers raise it, so no writer (the API, a migration, a bulk load) can
//! change a tag and leave the number behind. The column stays out of the `flows` entity: a flow's
//! own update writes every column it knows, and must never write this one back.

use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const EVENTS: [(&str, &str); 3] = [("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "ALTER TABLE flows ADD COLUMN tags_version BIGINT NOT NULL DEFAULT 0",
        )
        .await?;
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                // A tag never changes flow, so NEW and OLD name the same one on update.
                db.execute_unprepared(
                    "CREATE FUNCTION raise_flow_tags_version() RETURNS trigger AS $$ \
                     BEGIN \
                       UPDATE flows SET tags_version = tags_version + 1 \
                        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.flow_id ELSE NEW.flow_id END; \
                       RETURN NULL; \
                     END $$ LANGUAGE plpgsql",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER tags_raise_flow_tags_version \
                     AFTER INSERT OR UPDATE OR DELETE ON tags \
                     FOR EACH ROW EXECUTE FUNCTION raise_flow_tags_version()",
                )
                .await?;
            }
            _ => {
                for (event, row) in EVENTS {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER tags_raise_flow_tags_version_on_{event} \
                         AFTER {event} ON tags FOR EACH ROW BEGIN \
                           UPDATE flows SET tags_version = tags_version + 1 \
                            WHERE id = {row}.flow_id; \
                         END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER tags_raise_flow_tags_version ON tags")
                    .await?;
                db.execute_unprepared("DROP FUNCTION raise_flow_tags_version()")
                    .await?;
            }
            _ => {
                for (event, _) in EVENTS {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER tags_raise_flow_tags_version_on_{event}"
                    ))
                    .await?;
                }
            }
        }
        db.execute_unprepared("ALTER TABLE flows DROP COLUMN tags_version")
            .await?;
        Ok(())
    }
}
