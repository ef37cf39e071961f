use crm_core::page::CursorError;
use crm_core::{Code, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    #[error("contact not found")]
    NotFound,
    #[error("a contact with this CPF/CNPJ already exists")]
    DuplicateDocument,
    #[error("the contact changed since you read it")]
    VersionMismatch,
    #[error("the contact is referenced by other records")]
    InUse,
    #[error(
        "the contact is used by attendances of flows you cannot see; an administrator can edit it"
    )]
    UsedElsewhere,
    #[error("unknown sort field")]
    InvalidSort,
    #[error("the search text must have at most 200 characters")]
    SearchTooLong,
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Cursor(#[from] CursorError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for ContactError {
    fn error_code(&self) -> Code {
        match self {
            ContactError::NotFound => Code::NotFound,
            ContactError::DuplicateDocument => Code::DuplicateDocument,
            ContactError::VersionMismatch => Code::PreconditionFailed,
            ContactError::InUse => Code::ResourceInUse,
            ContactError::UsedElsewhere => Code::ContactUsedElsewhere,
            ContactError::InvalidSort | ContactError::SearchTooLong => Code::InvalidQuery,
            ContactError::Validation(_) => Code::ValidationFailed,
            ContactError::Cursor(e) => e.error_code(),
            ContactError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            ContactError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

pub(crate) fn map_db(err: sea_orm::DbErr) -> ContactError {
    if crm_entity::db_error::is_unique(&err) {
        ContactError::DuplicateDocument
    } else if crm_entity::db_error::is_foreign_key(&err) {
        ContactError::InUse
    } else {
        ContactError::Database(err)
    }
}
