//! E-mail: each user's mailbox (SMTP settings, password encrypted), message templates, and the
//! outbox that "save and notify" fills and the background sender empties. Interactions learn the
//! state of their notification.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One mailbox per user. The password is stored as base64(nonce ‖ ciphertext) of an AEAD
        // cipher whose key lives in the settings, never in the database.
        m.create_table(
            Table::create()
                .table("mailboxes")
                .col(uuid("user_id").primary_key())
                .col(text("sender_name"))
                .col(text("sender_address"))
                .col(text("smtp_host"))
                .col(integer("smtp_port"))
                .col(string_len("security", 12))
                .col(text_null("username"))
                .col(text_null("password_encrypted"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "mailboxes",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            timestamps(
                Table::create()
                    .table("mail_templates")
                    .col(pk_uuid("id"))
                    .col(uuid("owner_id"))
                    .col(text("name"))
                    .col(text("name_key"))
                    .col(text("subject"))
                    .col(text("body"))
                    .col(boolean("shared"))
                    .col(integer("version"))
                    .foreign_key(&mut fk(
                        "mail_templates",
                        "owner_id",
                        "users",
                        ForeignKeyAction::Restrict,
                    )),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(
            index("mail_templates", "owner_name", &["owner_id", "name_key"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "mail_templates",
            "shared_name",
            &["shared", "name_key", "id"],
        ))
        .await?;

        // A message to send. Rows are never deleted: `sent` and `failed` rows are the history.
        // A pending row whose `locked_until` lies in the future is being sent by some instance.
        m.create_table(
            Table::create()
                .table("outbox")
                .col(pk_uuid("id"))
                .col(uuid("interaction_id"))
                .col(uuid("attendance_id"))
                .col(uuid("sender_id"))
                .col(text("to_address"))
                .col(text("to_name"))
                .col(text("reply_to"))
                .col(text("subject"))
                .col(text("text_body"))
                .col(text("html_body"))
                .col(text("message_id"))
                .col(text_null("in_reply_to"))
                .col(text_null("references"))
                .col(string_len("status", 12))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .foreign_key(&mut fk(
                    "outbox",
                    "interaction_id",
                    "interactions",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "outbox",
                    "attendance_id",
                    "attendances",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "outbox",
                    "sender_id",
                    "users",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("outbox", "due", &["status", "next_attempt_at"]))
            .await?;
        m.create_index(index(
            "outbox",
            "attendance",
            &["attendance_id", "created_at", "id"],
        ))
        .await?;
        m.create_index(index("outbox", "interaction", &["interaction_id"]))
            .await?;

        // SQLite adds one column per ALTER TABLE.
        for column in ["notification_error", "message_id"] {
            m.alter_table(
                Table::alter()
                    .table("interactions")
                    .add_column(text_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["message_id", "notification_error"] {
            m.alter_table(
                Table::alter()
                    .table("interactions")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for table in ["outbox", "mail_templates", "mailboxes"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
