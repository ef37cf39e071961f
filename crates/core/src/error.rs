//! The error-code table (after Meilisearch's): every error a client can see has a stable
//! snake_case `code` and one HTTP status. Domain error enums implement [`ErrorCode`]; the `api`
//! crate turns any of them into an RFC 9457 problem document.

use serde::Serialize;

macro_rules! codes {
    ($($variant:ident => ($status:expr, $name:literal, $title:literal)),+ $(,)?) => {
        /// Every error code the API can answer with.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant),+ }

        impl Code {
            /// The stable snake_case name clients match on.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name),+ }
            }
            /// The HTTP status it is sent with.
            pub fn status(self) -> u16 {
                match self { $(Code::$variant => $status),+ }
            }
            /// A short human summary (the problem's `title`).
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title),+ }
            }
            /// The whole table, for documentation.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];
        }
    };
}

codes! {
    MalformedJson => (400, "malformed_json", "The request body is not valid JSON"),
    RequestTimeout => (408, "request_timeout", "The request body did not arrive in time"),
    InvalidQuery => (400, "invalid_query", "A query parameter is invalid"),
    InvalidHeader => (400, "invalid_header", "A request header is invalid"),
    InvalidCursor => (400, "invalid_cursor", "The pagination cursor is invalid"),
    Unauthenticated => (401, "unauthenticated", "Authentication is required"),
    InvalidToken => (401, "invalid_token", "The token is invalid or expired"),
    InvalidCredentials => (401, "invalid_credentials", "E-mail or password is wrong"),
    Forbidden => (403, "forbidden", "This operation is reserved to administrators"),
    ContactUsedElsewhere => (403, "contact_used_elsewhere", "The contact is used in flows you cannot see; ask an administrator"),
    NotFound => (404, "not_found", "The resource does not exist"),
    RouteNotFound => (404, "route_not_found", "No such route"),
    MethodNotAllowed => (405, "method_not_allowed", "Method not allowed on this route"),
    NotAcceptable => (406, "not_acceptable", "No acceptable representation"),
    Conflict => (409, "conflict", "The request conflicts with the current state"),
    DuplicateEmail => (409, "duplicate_email", "The e-mail is already in use"),
    DuplicateName => (409, "duplicate_name", "The name is already in use"),
    DuplicateDocument => (409, "duplicate_document", "The document is already registered"),
    LastAdmin => (409, "last_admin", "The last active administrator must stay an active administrator"),
    ResourceInUse => (409, "resource_in_use", "The resource is still referenced"),
    TagIsVirtual => (409, "tag_is_virtual", "The ALL tag is fixed: it cannot be renamed, moved or deleted"),
    FlowInactive => (409, "flow_inactive", "The flow is inactive"),
    MailboxNotConfigured => (409, "mailbox_not_configured", "Configure your mailbox (/me/mailbox) before sending e-mail"),
    PreconditionFailed => (412, "precondition_failed", "The resource changed since you read it"),
    PayloadTooLarge => (413, "payload_too_large", "The request body is too large"),
    UnsupportedMediaType => (415, "unsupported_media_type", "The request body must be application/json"),
    ValidationFailed => (422, "validation_failed", "The request has invalid fields"),
    SmtpFailed => (422, "smtp_failed", "The SMTP server could not be reached or refused the message"),
    AddressNotAllowed => (422, "address_not_allowed", "The host is an internal address the server may not connect to"),
    TooManyRequests => (429, "too_many_requests", "Too many attempts"),
    Internal => (500, "internal", "Internal server error"),
    Unavailable => (503, "unavailable", "A dependency is unavailable"),
    DatabaseUnavailable => (503, "database_unavailable", "The database cannot be reached; retry shortly"),
    SmtpTimeout => (504, "smtp_timeout", "The SMTP server did not answer in time"),
    Busy => (503, "busy", "Too many password checks at once; retry after Retry-After"),
}

/// One invalid input field: which one, why (a stable code) and a readable message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `email` or `address.postal_code`.
    #[schema(example = "document")]
    pub field: String,
    /// Stable reason, e.g. `required`, `invalid_format`, `invalid_check_digits`, `too_long`.
    #[schema(example = "invalid_check_digits")]
    pub code: String,
    /// Human-readable explanation.
    #[schema(example = "CPF check digits do not match")]
    pub message: String,
}

/// The field errors of one request, collected so a client learns every problem at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, code: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, code, message);
        errors
    }

    pub fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        });
    }

    /// Records the error of a parse, keeping the value when it succeeded.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was recorded.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields: Vec<&str> = self.0.iter().map(|e| e.field.as_str()).collect();
        write!(f, "invalid fields: {}", fields.join(", "))
    }
}

impl std::error::Error for FieldErrors {}

/// Implemented by every domain error so the HTTP layer can describe it without knowing it.
pub trait ErrorCode {
    fn error_code(&self) -> Code;

    /// Per-field details, for validation errors.
    fn field_errors(&self) -> Option<&FieldErrors> {
        None
    }

    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    fn retry_after(&self) -> Option<u64> {
        None
    }

    /// Whether the message is safe to show (internal errors are logged, not shown).
    fn is_internal(&self) -> bool {
        self.error_code().status() >= 500
    }
}

impl ErrorCode for FieldErrors {
    fn error_code(&self) -> Code {
        Code::ValidationFailed
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn code_names_are_unique_snake_case() {
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.len(), Code::ALL.len());
        for name in names {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
    }
}
