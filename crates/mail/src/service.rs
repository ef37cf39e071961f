//! The mail use cases offered to the HTTP layer: the caller's mailbox (in `mailbox.rs`) and
//! templates (in `templates.rs`).

use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::MailError;
use crate::crypto::Cipher;
use crate::session::SmtpPolicy;
use crate::settings::MailSettings;
use crate::throttle::Throttle;

/// Tests of a mailbox a user may run per minute.
const TESTS_PER_MINUTE: usize = 5;

#[derive(Clone)]
pub struct MailService {
    pub(crate) db: DatabaseConnection,
    pub(crate) cipher: Cipher,
    pub(crate) policy: SmtpPolicy,
    /// Shared by the clones every worker gets, so the limit is per instance, not per worker.
    pub(crate) tests: Throttle,
}

impl MailService {
    /// Fails when `mail.secret_key` is not the base64 of 32 bytes or `mail.allowed_hosts` is
    /// malformed.
    pub fn new(db: DatabaseConnection, settings: &MailSettings) -> Result<Self, MailError> {
        Ok(Self {
            db,
            cipher: Cipher::from_base64(&settings.secret_key)?,
            policy: settings.smtp_policy()?,
            tests: Throttle::new(TESTS_PER_MINUTE, Duration::from_secs(60)),
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

    /// How SMTP sessions are opened, shared with the background sender.
    pub fn smtp_policy(&self) -> &SmtpPolicy {
        &self.policy
    }
}
