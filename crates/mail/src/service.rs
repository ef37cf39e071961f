//! The mail use cases offered to the HTTP layer: the caller's mailbox (in `mailbox.rs`) and
//! templates (in `templates.rs`).

use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::MailError;
use crate::crypto::Cipher;
use crate::settings::MailSettings;

#[derive(Clone)]
pub struct MailService {
    pub(crate) db: DatabaseConnection,
    pub(crate) cipher: Cipher,
    pub(crate) timeout: Duration,
}

impl MailService {
    /// Fails when `mail.secret_key` is not the base64 of 32 bytes.
    pub fn new(db: DatabaseConnection, settings: &MailSettings) -> Result<Self, MailError> {
        Ok(Self {
            db,
            cipher: Cipher::from_base64(&settings.secret_key)?,
            timeout: settings.smtp_timeout(),
        })
    }

    /// The same service on another connection pool (each server worker has its own).
    #[must_use]
    pub fn on(&self, db: DatabaseConnection) -> Self {
        Self { db, ..self.clone() }
    }

    /// The cipher of mailbox passwords, shared with the background sender.
    pub fn cipher(&self) -> &Cipher {
        &self.cipher
    }
}
