use sea_orm::entity::prelude::*;

/// A user's SMTP account. `Debug` leaves the password out, even encrypted.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailboxes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub sender_name: String,
    pub sender_address: String,
    pub smtp_host: String,
    pub smtp_port: i32,
    /// `starttls`, `tls` or `none`.
    pub security: String,
    pub username: Option<String>,
    /// base64(nonce ‖ ciphertext): see `crm_mail::crypto`.
    pub password_encrypted: Option<String>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailbox")
            .field("user_id", &self.user_id)
            .field("sender_address", &self.sender_address)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field(
                "password_encrypted",
                &self.password_encrypted.as_ref().map(|_| "<redacted>"),
            )
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
