//! Attendances and what hangs on them: tags per flow, interactions, the timeline, the reference
//! counter and each user's list columns per flow.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Named counters, bumped with `UPDATE … SET value = value + 1` inside the writer's
        // transaction: unique and increasing on both databases, no gaps on rollback.
        m.create_table(
            Table::create()
                .table("counters")
                .col(text("name").primary_key())
                .col(big_integer("value"))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO counters (name, value) VALUES ('attendance_reference', 0)",
            )
            .await?;

        m.create_table(
            timestamps(
                Table::create()
                    .table("tags")
                    .col(pk_uuid("id"))
                    .col(uuid("flow_id"))
                    .col(text("name"))
                    .col(text("name_key"))
                    .col(string_len("color", 7))
                    .col(integer("position"))
                    .col(integer("version"))
                    .foreign_key(&mut fk(
                        "tags",
                        "flow_id",
                        "flows",
                        ForeignKeyAction::Cascade,
                    )),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(
            index("tags", "flow_name", &["flow_id", "name_key"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("tags", "flow_position", &["flow_id", "position"]))
            .await?;

        m.create_table(
            timestamps(
                Table::create()
                    .table("attendances")
                    .col(pk_uuid("id"))
                    .col(uuid("flow_id"))
                    .col(big_integer_uniq("reference"))
                    .col(text("title"))
                    .col(text("title_key"))
                    .col(uuid("contact_id"))
                    // The contact's name is copied here (and kept current by the contacts
                    // service) so the list sorts and searches by it from one index, no join.
                    .col(text("contact_name"))
                    .col(text("contact_name_key"))
                    .col(string_len("status", 16))
                    .col(small_integer("status_rank"))
                    .col(big_integer("value_cents"))
                    .col(timestamp_with_time_zone_null("due_at"))
                    // `active`, `archived` or `trash`: the list's views, indexed with each sort.
                    .col(string_len("view", 8))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone_null("deleted_at"))
                    .col(text("search_key"))
                    .col(integer("version"))
                    .col(uuid("created_by"))
                    .foreign_key(&mut fk(
                        "attendances",
                        "flow_id",
                        "flows",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "attendances",
                        "contact_id",
                        "contacts",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "attendances",
                        "created_by",
                        "users",
                        ForeignKeyAction::Restrict,
                    )),
            )
            .to_owned(),
        )
        .await?;
        // One index per sortable column, each led by the list's filter (flow, view) and closed by
        // the id that breaks ties, so every page of every ordering is an index range scan.
        for column in [
            "updated_at",
            "created_at",
            "reference",
            "title_key",
            "contact_name_key",
            "value_cents",
            "status_rank",
        ] {
            m.create_index(index(
                "attendances",
                &format!("list_{column}"),
                &["flow_id", "view", column, "id"],
            ))
            .await?;
        }
        m.create_index(index("attendances", "contact", &["contact_id"]))
            .await?;
        m.create_index(index("attendances", "due", &["flow_id", "view", "due_at"]))
            .await?;

        m.create_table(
            Table::create()
                .table("attendance_tags")
                .col(uuid("attendance_id"))
                .col(uuid("tag_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("attendance_id").col("tag_id"))
                .foreign_key(&mut fk(
                    "attendance_tags",
                    "attendance_id",
                    "attendances",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "attendance_tags",
                    "tag_id",
                    "tags",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "attendance_tags",
            "tag",
            &["tag_id", "attendance_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("interactions")
                .col(pk_uuid("id"))
                .col(uuid("attendance_id"))
                .col(uuid("author_id"))
                .col(text("body"))
                .col(boolean("notify"))
                .col(string_len_null("notification_status", 16))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "interactions",
                    "attendance_id",
                    "attendances",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "interactions",
                    "author_id",
                    "users",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "interactions",
            "attendance",
            &["attendance_id", "created_at", "id"],
        ))
        .await?;

        // The timeline: one row per thing that happened, interactions included (by id), so the
        // whole history is one keyset query.
        m.create_table(
            Table::create()
                .table("attendance_events")
                .col(pk_uuid("id"))
                .col(uuid("attendance_id"))
                .col(uuid("actor_id"))
                .col(string_len("kind", 32))
                .col(text("data"))
                .col(uuid_null("interaction_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "attendance_events",
                    "attendance_id",
                    "attendances",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "attendance_events",
                    "actor_id",
                    "users",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "attendance_events",
            "attendance",
            &["attendance_id", "created_at", "id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("flow_preferences")
                .col(uuid("user_id"))
                .col(uuid("flow_id"))
                .col(text("columns"))
                .col(timestamp_with_time_zone("updated_at"))
                .primary_key(Index::create().col("user_id").col("flow_id"))
                .foreign_key(&mut fk(
                    "flow_preferences",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "flow_preferences",
                    "flow_id",
                    "flows",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared(
                    "CREATE INDEX ix_attendances_search ON attendances \
                     USING gin (search_key gin_trgm_ops)",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "flow_preferences",
            "attendance_events",
            "interactions",
            "attendance_tags",
            "attendances",
            "tags",
            "counters",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
