use crm_core::page::CursorError;
use crm_core::{Code, ErrorCode, FieldErrors};

use crate::crypto::CryptoError;

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
    /// The SMTP server's answer, or why it could not be reached.
    #[error("the SMTP server did not take the message: {0}")]
    Smtp(String),
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Cursor(#[from] CursorError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
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
            MailError::Validation(_) => Code::ValidationFailed,
            MailError::Cursor(e) => e.error_code(),
            MailError::Crypto(_) => Code::Internal,
            MailError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            MailError::Validation(errors) => Some(errors),
            _ => None,
        }
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
