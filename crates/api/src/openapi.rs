//! The OpenAPI 3.1 document, generated from the handlers' annotations. It is the contract:
//! committed as `openapi/openapi.json` and checked by a test.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Atendimentos CRM API",
        version = "1.0.0",
        description = "REST API of the Atendimentos module of the CRM: flows (sales funnels), contacts, \
attendances and everything around them.\n\n\
Conventions: JSON in and out with snake_case fields; errors are RFC 9457 problem documents \
(`application/problem+json`) with a stable `code` and, for validation, per-field `errors`; lists use \
keyset pagination (`limit`, opaque `cursor`, `next_cursor`); every mutable resource has a `version`, \
sent as `ETag`, and `PATCH`/`PUT` honour `If-Match` (412 when stale). A flow the caller is not \
authorized for answers 404 on every route inside it.",
        license(name = "MIT", identifier = "MIT"),
        contact(name = "Atendimentos CRM team", email = "crm-team@example.com")
    ),
    servers((url = "/", description = "This server")),
    modifiers(&BearerAuth),
    components(
        schemas(problem::Problem, crm_core::FieldError),
        responses(
            problem::BadRequest,
            problem::Unauthorized,
            problem::Forbidden,
            problem::NotFound,
            problem::Conflict,
            problem::PreconditionFailed,
            problem::PayloadTooLarge,
            problem::UnsupportedMediaType,
            problem::Unprocessable,
            problem::TooManyRequests,
            problem::RequestTimeout,
            problem::ServiceUnavailable,
            problem::SmtpFailed,
            problem::SmtpTimeout,
            problem::ServiceBusy,
        )
    ),
    tags(
        (name = "auth", description = "Login, token refresh, logout and the caller's own account"),
        (name = "users", description = "User management (administrators)"),
        (name = "flows", description = "Flows (sales funnels) and their authorized users"),
        (name = "contacts", description = "Clients: name, e-mail, phone, CPF/CNPJ, company, address"),
        (name = "tags", description = "Tags of a flow: colour and order, after the fixed virtual ALL tag"),
        (name = "attendances", description = "Attendances (deals, tickets) of a flow: list, search, archive, trash, move, print"),
        (name = "interactions", description = "Notes on an attendance and its timeline"),
        (name = "sales", description = "Quotes and sales with versions, approval and NF-e data"),
        (name = "purchases", description = "Purchases from suppliers on an attendance: lines, totals, the day bought"),
        (name = "mail", description = "E-mail: the caller's mailbox (SMTP settings, test send) and message templates with placeholders"),
        (name = "reports", description = "Exports: the contact data of attendances as text, CSV or JSON"),
        (name = "health", description = "Liveness and readiness probes"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token from `POST /api/v1/auth/login`"))
                    .build(),
            ),
        );
    }
}

/// The whole document, as served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::app::configure)
        .split_for_parts();
    let mut document = document;
    add_common_responses(&mut document);
    document
}

/// The answers any `/api/v1` operation can give whatever it does, added to each so that none is
/// left out: 503 when the database cannot be reached, and 408 when a body arrives too slowly.
fn add_common_responses(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{Ref, RefOr};
    for (path, item) in &mut document.paths.paths {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            if operation.request_body.is_some() {
                responses
                    .entry("408".to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name("RequestTimeout")));
            }
            responses
                .entry("503".to_owned())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("ServiceUnavailable")));
        }
    }
}
