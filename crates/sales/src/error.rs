use crm_attendances::AttendanceError;
use crm_core::page::CursorError;
use crm_core::{Code, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum SaleError {
    /// Also the answer for orders in flows the caller may not see.
    #[error("order not found")]
    NotFound,
    #[error("attendance not found")]
    AttendanceNotFound,
    #[error("the attendance is in the trash; restore it first")]
    AttendanceInTrash,
    #[error("cannot {action} an order that is {status}")]
    InvalidTransition {
        action: &'static str,
        status: String,
    },
    #[error("only orders awaiting approval can be edited; this one is {0}")]
    NotEditable(String),
    #[error("the order changed since you read it: version {current} is current")]
    StaleVersion { current: i32 },
    #[error("no version {0}")]
    VersionNotFound(i32),
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Cursor(#[from] CursorError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for SaleError {
    fn error_code(&self) -> Code {
        match self {
            SaleError::NotFound | SaleError::AttendanceNotFound | SaleError::VersionNotFound(_) => {
                Code::NotFound
            }
            SaleError::AttendanceInTrash
            | SaleError::InvalidTransition { .. }
            | SaleError::NotEditable(_) => Code::Conflict,
            SaleError::StaleVersion { .. } => Code::PreconditionFailed,
            SaleError::Validation(_) => Code::ValidationFailed,
            SaleError::Cursor(e) => e.error_code(),
            SaleError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            SaleError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

impl From<AttendanceError> for SaleError {
    fn from(error: AttendanceError) -> Self {
        match error {
            AttendanceError::Database(e) => SaleError::Database(e),
            AttendanceError::InTrash => SaleError::AttendanceInTrash,
            _ => SaleError::AttendanceNotFound,
        }
    }
}

impl From<crm_flows::FlowError> for SaleError {
    fn from(error: crm_flows::FlowError) -> Self {
        match error {
            crm_flows::FlowError::Database(e) => SaleError::Database(e),
            _ => SaleError::NotFound,
        }
    }
}
