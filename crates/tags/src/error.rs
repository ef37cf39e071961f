use crm_core::{Code, ErrorCode, FieldErrors};
use crm_flows::FlowError;

#[derive(Debug, thiserror::Error)]
pub enum TagError {
    /// The flow is missing or not visible to the caller: answered exactly as for flows.
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// Also the answer for a tag of another flow.
    #[error("tag not found")]
    NotFound,
    #[error("a tag with this name already exists in the flow")]
    DuplicateName,
    #[error("\"ALL\" and \"TODOS\" are reserved for the virtual tag that shows every attendance")]
    ReservedName,
    #[error("the ALL tag is fixed: it cannot be renamed, moved or deleted")]
    Virtual,
    #[error("the tag changed since you read it")]
    VersionMismatch,
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for TagError {
    fn error_code(&self) -> Code {
        match self {
            TagError::Flow(e) => e.error_code(),
            TagError::NotFound => Code::NotFound,
            TagError::DuplicateName | TagError::ReservedName => Code::DuplicateName,
            TagError::Virtual => Code::TagIsVirtual,
            TagError::VersionMismatch => Code::PreconditionFailed,
            TagError::Validation(_) => Code::ValidationFailed,
            TagError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            TagError::Flow(e) => e.field_errors(),
            TagError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

/// Two requests creating the same name at once: the unique index decides, the loser gets 409.
pub(crate) fn map_unique(err: sea_orm::DbErr) -> TagError {
    if crm_entity::db_error::is_unique(&err) {
        TagError::DuplicateName
    } else {
        TagError::Database(err)
    }
}
