//! `/me/mailbox`: the caller's own SMTP mailbox, through which their notes are e-mailed.

use actix_web::{HttpResponse, delete, get, post, put, web};
use crm_mail::dto::{MailboxResponse, MailboxTestResponse, PutMailboxRequest};

use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_mailbox)
        .service(put_mailbox)
        .service(delete_mailbox)
        .service(test_mailbox);
}

/// The caller's mailbox.
///
/// The SMTP settings "save and notify" sends with. The password is never returned: `password_set` tells whether one is stored. 404 until the caller configures one.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The mailbox", body = MailboxResponse,
            headers(("ETag" = String, description = "The mailbox's version"))),
        crate::problem::ReadErrors
    )
)]
#[get("/me/mailbox")]
async fn get_mailbox(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let mailbox = state.mail.mailbox(&caller.0).await?;
    Ok(ok_with_etag(mailbox.version, &mailbox))
}

/// Creates or replaces the caller's mailbox.
///
/// Every field but the password is replaced. The password is write-only and stored encrypted; leave it out to keep the stored one, except when the host, port, security or user name changes (422 `password_required` on `password`: it is not handed to a server it was not typed for). A host that resolves to a loopback, private, link-local or metadata address is refused (422 `address_not_allowed` on `smtp_host`) unless the `mail.allowed_hosts` setting names it; a host that does not resolve yet is accepted and checked at every send. With `security: none` and a user name the response's `warnings` say the password travels unencrypted. Without `username` the server is used without authentication and any stored password is dropped. Answers 201 when the mailbox was created, 200 when replaced. `If-Match` guards against overwriting a change made meanwhile (412).
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    request_body = PutMailboxRequest,
    params(("If-Match" = Option<String>, Header, description = "The `ETag` last read; 412 when stale")),
    responses(
        (status = 200, description = "Replaced", body = MailboxResponse,
            headers(("ETag" = String, description = "The mailbox's new version"))),
        (status = 201, description = "Created", body = MailboxResponse,
            headers(("ETag" = String, description = "The mailbox's version"))),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::BodyErrors
    )
)]
#[put("/me/mailbox")]
async fn put_mailbox(
    state: web::Data<AppState>,
    caller: Caller,
    if_match: IfMatch,
    Json(body): Json<PutMailboxRequest>,
) -> Result<HttpResponse, ApiError> {
    let (mailbox, created) = state.mail.put_mailbox(&caller.0, body, if_match.0).await?;
    if created {
        Ok(with_etag(
            HttpResponse::Created(),
            mailbox.version,
            &mailbox,
        ))
    } else {
        Ok(ok_with_etag(mailbox.version, &mailbox))
    }
}

/// Removes the caller's mailbox.
///
/// The encrypted password goes with it. Messages already queued stay in the outbox and are retried until a mailbox is configured again or their attempts run out.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        crate::problem::ReadErrors
    )
)]
#[delete("/me/mailbox")]
async fn delete_mailbox(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    state.mail.delete_mailbox(&caller.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends a test message through the caller's mailbox.
///
/// Connects to the SMTP server, authenticates and sends a message to the mailbox's own address. When the server cannot be reached or refuses (wrong password, relay denied, …) the answer is 422 `smtp_failed` with a short reason in `detail` (e.g. `connection refused`, `TLS handshake failed`, `authentication rejected (535)`; what the server said is not repeated). 422 `address_not_allowed` when the host now resolves to an internal address; 504 `smtp_timeout` when the whole exchange takes longer than the SMTP timeout; 409 `mailbox_not_configured` without a mailbox; 429 after five tests in a minute.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The server took the message", body = MailboxTestResponse),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 409, response = crate::problem::Conflict),
        (status = 422, response = crate::problem::SmtpFailed),
        (status = 429, response = crate::problem::TooManyRequests),
        (status = 504, response = crate::problem::SmtpTimeout)
    )
)]
#[post("/me/mailbox/test")]
async fn test_mailbox(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.mail.test_mailbox(&caller.0).await?))
}
