use crm_core::page::CursorError;
use crm_core::{Code, ErrorCode, FieldErrors};

use crate::crypto::CryptoError;
use crate::session::SendError;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Also the answer for another user's personal template.
    #[error("template not found")]
    NotFound,
    #[error("you have no mailbox; configure it with PUT /me/mailbox")]
    MailboxNotFound,
    #[error("configure your mailbox (PUT /me/mailbox) before sending e-mail")]
    MailboxNotConfigured,
    #[error("only its owner or an administrator may change a shared template")]
    Forbidden,
    #[error("you already have a template with this name")]
    DuplicateName,
    #[error("it changed since you read it")]
    VersionMismatch,
    /// A message that could not be built (our data, not the server's words).
    #[error("the message could not be written: {0}")]
    Smtp(String),
    /// The session failed: a short classified reason, never what the far side said.
    #[error("the test message was not sent: {0}")]
    Send(#[from] SendError),
    #[error("too many mailbox tests; try again in {retry_after} seconds")]
    TooManyTests { retry_after: u64 },
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Cursor(#[from] CursorError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("mail.allowed_hosts: {0}")]
    Allowlist(#[from] crm_outbound::AllowlistError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for MailError {
    fn error_code(&self) -> Code {
        match self {
            MailError::NotFound | MailError::MailboxNotFound => Code::NotFound,
            MailError::MailboxNotConfigured => Code::MailboxNotConfigured,
            MailError::Forbidden => Code::Forbidden,
            MailError::DuplicateName => Code::DuplicateName,
            MailError::VersionMismatch => Code::PreconditionFailed,
            MailError::Smtp(_) => Code::SmtpFailed,
            MailError::Send(SendError::TimedOut) => Code::SmtpTimeout,
            MailError::Send(SendError::NotAllowed(_)) => Code::AddressNotAllowed,
            MailError::Send(_) => Code::SmtpFailed,
            MailError::TooManyTests { .. } => Code::TooManyRequests,
            MailError::Validation(_) => Code::ValidationFailed,
            MailError::Cursor(e) => e.error_code(),
            MailError::Crypto(_) | MailError::Allowlist(_) => Code::Internal,
            MailError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            MailError::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            MailError::TooManyTests { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// A far side that timed out is a 504 the user should read, not a fault of ours to hide.
    fn is_internal(&self) -> bool {
        matches!(
            self,
            MailError::Crypto(_) | MailError::Allowlist(_) | MailError::Database(_)
        )
    }
}

/// Two requests creating the same name at once: the unique index decides, the loser gets 409.
pub(crate) fn map_unique(err: sea_orm::DbErr) -> MailError {
    if crm_entity::db_error::is_unique(&err) {
        MailError::DuplicateName
    } else {
        MailError::Database(err)
    }
}
