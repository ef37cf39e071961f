use crm_attendances::AttendanceError;
use crm_core::page::CursorError;
use crm_core::{Code, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum PurchaseError {
    /// Also the answer for purchases in flows the caller may not see.
    #[error("purchase not found")]
    NotFound,
    #[error("attendance not found")]
    AttendanceNotFound,
    #[error("the attendance is in the trash; restore it first")]
    AttendanceInTrash,
    #[error("the purchase changed since you read it: version {current} is current")]
    StaleVersion { current: i32 },
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Cursor(#[from] CursorError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for PurchaseError {
    fn error_code(&self) -> Code {
        match self {
            PurchaseError::NotFound | PurchaseError::AttendanceNotFound => Code::NotFound,
            PurchaseError::AttendanceInTrash => Code::Conflict,
            PurchaseError::StaleVersion { .. } => Code::PreconditionFailed,
            PurchaseError::Validation(_) => Code::ValidationFailed,
            PurchaseError::Cursor(e) => e.error_code(),
            PurchaseError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            PurchaseError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

impl From<AttendanceError> for PurchaseError {
    fn from(error: AttendanceError) -> Self {
        match error {
            AttendanceError::Database(e) => PurchaseError::Database(e),
            AttendanceError::InTrash => PurchaseError::AttendanceInTrash,
            _ => PurchaseError::AttendanceNotFound,
        }
    }
}

impl From<crm_flows::FlowError> for PurchaseError {
    fn from(error: crm_flows::FlowError) -> Self {
        match error {
            crm_flows::FlowError::Database(e) => PurchaseError::Database(e),
            _ => PurchaseError::NotFound,
        }
    }
}
