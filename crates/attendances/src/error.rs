use crm_core::page::CursorError;
use crm_core::{Code, ErrorCode, FieldErrors};
use crm_flows::FlowError;

#[derive(Debug, thiserror::Error)]
pub enum AttendanceError {
    /// Also the answer for attendances in flows the caller may not see.
    #[error("attendance not found")]
    NotFound,
    #[error("flow not found")]
    FlowNotFound,
    #[error("tag not found in the attendance's flow")]
    TagNotFound,
    #[error("the flow is inactive and takes no new attendances; activate it first")]
    FlowInactive,
    #[error("the attendance is in the trash; restore it first")]
    InTrash,
    #[error("{0}")]
    InvalidState(&'static str),
    #[error("the attendance is already in this flow")]
    SameFlow,
    #[error("this operation is reserved to administrators")]
    Forbidden,
    #[error("the attendance changed since you read it")]
    VersionMismatch,
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Cursor(#[from] CursorError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for AttendanceError {
    fn error_code(&self) -> Code {
        match self {
            AttendanceError::NotFound
            | AttendanceError::FlowNotFound
            | AttendanceError::TagNotFound => Code::NotFound,
            AttendanceError::FlowInactive => Code::FlowInactive,
            AttendanceError::InTrash
            | AttendanceError::InvalidState(_)
            | AttendanceError::SameFlow => Code::Conflict,
            AttendanceError::Forbidden => Code::Forbidden,
            AttendanceError::VersionMismatch => Code::PreconditionFailed,
            AttendanceError::Validation(_) => Code::ValidationFailed,
            AttendanceError::Cursor(e) => e.error_code(),
            AttendanceError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AttendanceError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

impl From<FlowError> for AttendanceError {
    fn from(error: FlowError) -> Self {
        match error {
            FlowError::Database(e) => AttendanceError::Database(e),
            _ => AttendanceError::FlowNotFound,
        }
    }
}
