use crm_core::page::CursorError;
use crm_core::{Code, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("e-mail or password is wrong")]
    InvalidCredentials,
    #[error("too many failed logins; try again in {retry_after} seconds")]
    TooManyAttempts { retry_after: u64 },
    #[error("the token is invalid, expired or revoked")]
    InvalidToken,
    #[error("this operation is reserved to administrators")]
    Forbidden,
    #[error("user not found")]
    UserNotFound,
    #[error("the e-mail is already in use")]
    DuplicateEmail,
    #[error("the last active administrator cannot be removed, deactivated or demoted")]
    LastAdmin,
    #[error(
        "administrators cannot deactivate, demote or delete themselves; ask another administrator"
    )]
    SelfLockout,
    #[error("the user changed since you read it")]
    VersionMismatch,
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Cursor(#[from] CursorError),
    /// Every hashing turn stayed taken for the whole queue wait (a login flood).
    #[error("too many password checks at once; try again in {retry_after} seconds")]
    Busy { retry_after: u64 },
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for AuthError {
    fn error_code(&self) -> Code {
        match self {
            AuthError::InvalidCredentials => Code::InvalidCredentials,
            AuthError::TooManyAttempts { .. } => Code::TooManyRequests,
            AuthError::InvalidToken => Code::InvalidToken,
            AuthError::Forbidden => Code::Forbidden,
            AuthError::UserNotFound => Code::NotFound,
            AuthError::DuplicateEmail => Code::DuplicateEmail,
            AuthError::LastAdmin => Code::LastAdmin,
            AuthError::SelfLockout => Code::Conflict,
            AuthError::VersionMismatch => Code::PreconditionFailed,
            AuthError::Validation(_) => Code::ValidationFailed,
            AuthError::Cursor(e) => e.error_code(),
            AuthError::Busy { .. } => Code::Busy,
            AuthError::Hashing(_) => Code::Internal,
            AuthError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AuthError::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            AuthError::TooManyAttempts { retry_after } | AuthError::Busy { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    /// A busy server is a 503 whose text is safe to show (and not worth an error log line).
    fn is_internal(&self) -> bool {
        matches!(self, AuthError::Hashing(_) | AuthError::Database(_))
    }
}

/// A unique-index violation is the database's word that a concurrent request took the e-mail.
pub(crate) fn map_unique(err: sea_orm::DbErr) -> AuthError {
    if crm_entity::db_error::is_unique(&err) {
        AuthError::DuplicateEmail
    } else {
        AuthError::Database(err)
    }
}
