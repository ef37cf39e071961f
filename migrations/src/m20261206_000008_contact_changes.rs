//! Who changed which fields of a contact, and when. Contacts are shared by every flow, so a
//! change made from one flow reaches the e-mails of every other (issue 12): the record lets an
//! administrator see who redirected a client's address.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("contact_changes")
                .col(pk_uuid("id"))
                .col(uuid("contact_id"))
                .col(uuid("actor_id"))
                .col(string_len("kind", 16))
                .col(text("changes"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "contact_changes",
                    "contact_id",
                    "contacts",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "contact_changes",
                    "actor_id",
                    "users",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "contact_changes",
            "contact",
            &["contact_id", "created_at", "id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("contact_changes").to_owned())
            .await
    }
}
