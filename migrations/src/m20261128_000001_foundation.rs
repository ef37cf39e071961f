//! Users and their login sessions, flows with authorized users, contacts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            timestamps(
                Table::create()
                    .table("users")
                    .col(pk_uuid("id"))
                    .col(text("name"))
                    .col(text("email"))
                    .col(text_uniq("email_key"))
                    .col(text("password_hash"))
                    .col(string_len("role", 16))
                    .col(boolean("active"))
                    .col(integer("version")),
            )
            .to_owned(),
        )
        .await?;

        // A session is one login: the family of its rotating refresh tokens. Access tokens name
        // it, so revoking it (logout, reuse of a spent refresh token) ends them at once.
        m.create_table(
            Table::create()
                .table("sessions")
                .col(pk_uuid("id"))
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk(
                    "sessions",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", "user", &["user_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("refresh_tokens")
                .col(pk_uuid("id"))
                .col(uuid("session_id"))
                .col(text_uniq("token_hash"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .foreign_key(&mut fk(
                    "refresh_tokens",
                    "session_id",
                    "sessions",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("refresh_tokens", "session", &["session_id"]))
            .await?;

        // Failed logins, counted per e-mail and per client address, in the database so that
        // every instance behind a load balancer sees the same counts.
        m.create_table(
            Table::create()
                .table("login_throttle")
                .col(text("key").primary_key())
                .col(integer("failures"))
                .col(timestamp_with_time_zone("window_started_at"))
                .col(timestamp_with_time_zone_null("blocked_until"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            timestamps(
                Table::create()
                    .table("flows")
                    .col(pk_uuid("id"))
                    .col(text("name"))
                    .col(text_uniq("name_key"))
                    .col(text("alias"))
                    .col(text_null("description"))
                    .col(boolean("active"))
                    .col(integer("version"))
                    .col(uuid("created_by"))
                    .foreign_key(&mut fk(
                        "flows",
                        "created_by",
                        "users",
                        ForeignKeyAction::Restrict,
                    )),
            )
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("flow_users")
                .col(uuid("flow_id"))
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("flow_id").col("user_id"))
                .foreign_key(&mut fk(
                    "flow_users",
                    "flow_id",
                    "flows",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "flow_users",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // The access check asks "may this user see this flow?" and lists a member's flows.
        m.create_index(index("flow_users", "user", &["user_id", "flow_id"]))
            .await?;

        m.create_table(
            timestamps(
                Table::create()
                    .table("contacts")
                    .col(pk_uuid("id"))
                    .col(text("name"))
                    .col(text("name_key"))
                    .col(text_null("email"))
                    .col(text_null("phone"))
                    .col(text_null("document"))
                    .col(string_len_null("document_kind", 8))
                    .col(text_null("company"))
                    .col(text_null("street"))
                    .col(text_null("number"))
                    .col(text_null("complement"))
                    .col(text_null("district"))
                    .col(text_null("city"))
                    .col(string_len_null("state", 2))
                    .col(string_len_null("postal_code", 8))
                    .col(text_null("notes"))
                    .col(text("search_key"))
                    .col(integer("version"))
                    .col(uuid("created_by"))
                    .foreign_key(&mut fk(
                        "contacts",
                        "created_by",
                        "users",
                        ForeignKeyAction::Restrict,
                    )),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(index("contacts", "name", &["name_key", "id"]))
            .await?;
        m.create_index(index("contacts", "created", &["created_at", "id"]))
            .await?;
        m.create_index(
            index("contacts", "document", &["document"])
                .unique()
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // Substring search (`LIKE '%joao%'`) on the accent-free key uses a trigram index.
            let db = m.get_connection();
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                .await?;
            db.execute_unprepared(
                "CREATE INDEX ix_contacts_search ON contacts USING gin (search_key gin_trgm_ops)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "contacts",
            "flow_users",
            "flows",
            "login_throttle",
            "refresh_tokens",
            "sessions",
            "users",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
