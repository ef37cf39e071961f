use crm_attendances::AttendanceError;
use crm_core::{Code, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// An attendance or flow the caller may not see (or that does not exist).
    #[error("{0}")]
    NotFound(&'static str),
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl ErrorCode for ReportError {
    fn error_code(&self) -> Code {
        match self {
            ReportError::NotFound(_) => Code::NotFound,
            ReportError::Validation(_) => Code::ValidationFailed,
            ReportError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            ReportError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

impl From<AttendanceError> for ReportError {
    fn from(error: AttendanceError) -> Self {
        match error {
            AttendanceError::Database(e) => ReportError::Database(e),
            AttendanceError::Validation(e) => ReportError::Validation(e),
            AttendanceError::FlowNotFound => ReportError::NotFound("flow not found"),
            _ => ReportError::NotFound("an attendance of the selection was not found"),
        }
    }
}
