//! RFC 9457 problem details. Any domain error implementing [`ErrorCode`] becomes an [`ApiError`]
//! through `?`; internal errors are logged with their cause and answered with a generic text.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use crm_core::{Code, ErrorCode, FieldError};
use serde::Serialize;
use utoipa::{ToResponse, ToSchema};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error answered as `application/problem+json`.
#[derive(Debug)]
pub struct ApiError {
    code: Code,
    detail: String,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
    allow: Option<String>,
}

impl ApiError {
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            allow: None,
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// A 405 lists what the route does accept.
    pub fn method_not_allowed(allow: String) -> Self {
        let mut error = Self::new(
            Code::MethodNotAllowed,
            format!("this route accepts {allow}"),
        );
        error.allow = Some(allow);
        error
    }

    pub fn code(&self) -> Code {
        self.code
    }
}

impl<E: ErrorCode + std::error::Error> From<E> for ApiError {
    fn from(error: E) -> Self {
        let code = error.error_code();
        let detail = if code == Code::DatabaseUnavailable {
            // An outage, not a bug: one line at warn, and a client told to come back.
            tracing::warn!(error = %chain(&error), "database unavailable");
            "the database cannot be reached; retry in a few seconds".to_owned()
        } else if error.is_internal() {
            tracing::error!(error = %chain(&error), "internal error");
            "an unexpected error occurred; it has been logged".to_owned()
        } else {
            error.to_string()
        };
        ApiError {
            code,
            detail,
            errors: error
                .field_errors()
                .map(|e| e.0.clone())
                .unwrap_or_default(),
            retry_after: error
                .retry_after()
                .or((code == Code::DatabaseUnavailable).then_some(DATABASE_RETRY_SECONDS)),
            allow: None,
        }
    }
}

/// The `Retry-After` of a 503 `database_unavailable`: a restart or failover of PostgreSQL
/// takes seconds, and clients that all come back at once only prolong it.
pub const DATABASE_RETRY_SECONDS: u64 = 5;

/// The error and its causes on one line, for the log.
fn chain(error: &dyn std::error::Error) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let body = Problem {
            r#type: format!("urn:atendimentos:problem:{}", self.code.name()),
            title: self.code.title().to_owned(),
            status: status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.name().to_owned(),
            errors: (!self.errors.is_empty()).then(|| self.errors.clone()),
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Some(allow) = &self.allow
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.insert_header((header::ALLOW, value));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.body(serde_json::to_string(&body).unwrap_or_default())
    }
}

/// A problem document (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:atendimentos:problem:validation_failed",
    "title": "The request has invalid fields",
    "status": 422,
    "detail": "invalid fields: document",
    "code": "validation_failed",
    "errors": [{"field": "document", "code": "invalid_check_digits", "message": "CPF check digits do not match"}]
}))]
pub struct Problem {
    /// A URI naming the kind of problem; one per `code`.
    pub r#type: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened in this request.
    pub detail: String,
    /// Stable, snake_case: match on this, not on the texts.
    #[schema(example = "not_found")]
    pub code: String,
    /// For validation errors: every invalid field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

macro_rules! problem_responses {
    ($($name:ident => $description:literal),+ $(,)?) => {$(
        #[derive(ToResponse)]
        #[response(description = $description, content_type = "application/problem+json")]
        #[allow(dead_code)]
        pub struct $name(Problem);
    )+};
}

problem_responses! {
    BadRequest => "Malformed JSON, query parameter or cursor (`malformed_json`, `invalid_query`, `invalid_cursor`)",
    Unauthorized => "Missing, invalid, expired or revoked token (`unauthenticated`, `invalid_token`)",
    Forbidden => "Reserved to administrators (`forbidden`), or a contact used in flows the caller cannot see (`contact_used_elsewhere`)",
    NotFound => "No such resource, or one the caller may not see (`not_found`)",
    Conflict => "Conflicts with the current state (`duplicate_*`, `last_admin`, `resource_in_use`, `conflict`)",
    PreconditionFailed => "`If-Match` does not match the current version (`precondition_failed`)",
    PayloadTooLarge => "Body over 1 MiB (`payload_too_large`)",
    UnsupportedMediaType => "Body is not `application/json` (`unsupported_media_type`)",
    Unprocessable => "Invalid fields, each named in `errors` (`validation_failed`)",
    TooManyRequests => "Too many failed attempts; see `Retry-After` (`too_many_requests`)",
    RequestTimeout => "The body did not arrive within `server.body_timeout_seconds` (`request_timeout`)",
    ServiceUnavailable => "The database cannot be reached; retry after `Retry-After` seconds (`database_unavailable`)",
    SmtpFailed => "The SMTP server could not be reached or refused, with a short reason (`smtp_failed`), or the host is internal (`address_not_allowed`)",
    SmtpTimeout => "The SMTP exchange took longer than the SMTP timeout (`smtp_timeout`)",
    ServiceBusy => "Too many password checks at once; retry after `Retry-After` seconds (`busy`)",
}

/// The errors of any authenticated route about one resource: 401 and 404.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ReadErrors {
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 404)]
    NotFound(#[ref_response] NotFound),
}

/// The errors of any route that takes a JSON body: 400, 413, 415, 422.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum BodyErrors {
    #[response(status = 400)]
    BadRequest(#[ref_response] BadRequest),
    #[response(status = 413)]
    PayloadTooLarge(#[ref_response] PayloadTooLarge),
    #[response(status = 415)]
    UnsupportedMediaType(#[ref_response] UnsupportedMediaType),
    #[response(status = 422)]
    Unprocessable(#[ref_response] Unprocessable),
}
