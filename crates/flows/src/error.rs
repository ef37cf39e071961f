use crm_core::page::CursorError;
use crm_core::{Code, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// Also the answer for flows the caller may not see: their existence is not revealed.
    #[error("flow not found")]
    NotFound,
    #[error("this operation is reserved to administrators")]
    Forbidden,
    #[error("a flow with this name already exists")]
    DuplicateName,
    #[error("the flow changed since you read it")]
    VersionMismatch,
    #[error("the flow still holds records; deactivate it instead")]
    InUse,
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Cursor(#[from] CursorError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for FlowError {
    fn error_code(&self) -> Code {
        match self {
            FlowError::NotFound => Code::NotFound,
            FlowError::Forbidden => Code::Forbidden,
            FlowError::DuplicateName => Code::DuplicateName,
            FlowError::VersionMismatch => Code::PreconditionFailed,
            FlowError::InUse => Code::ResourceInUse,
            FlowError::Validation(_) => Code::ValidationFailed,
            FlowError::Cursor(e) => e.error_code(),
            FlowError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            FlowError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

pub(crate) fn map_unique(err: sea_orm::DbErr) -> FlowError {
    if crm_entity::db_error::is_unique(&err) {
        FlowError::DuplicateName
    } else {
        FlowError::Database(err)
    }
}
