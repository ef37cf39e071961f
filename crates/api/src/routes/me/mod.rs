//! `/me`: the caller's own account, and below it their preferences and their mailbox.

pub mod mailbox;
pub mod preferences;

use actix_web::{HttpResponse, get, patch, web};
use crm_auth::dto::{UpdateMeRequest, UserResponse};

use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag};
use crate::extract::{Caller, ClientIp, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(me).service(update_me);
}

/// The caller's own account.
///
/// Returns the authenticated user, with the `ETag` to use in `If-Match` when changing it.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = UserResponse,
            headers(("ETag" = String, description = "The user's version"))),
        (status = 401, response = crate::problem::Unauthorized)
    )
)]
#[get("/me")]
async fn me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let user = state.auth.me(&caller.0).await?;
    Ok(ok_with_etag(user.version, &user))
}

/// Changes the caller's name or password.
///
/// Role and active state can only be changed by an administrator through `/users/{id}`.
/// Absent fields stay as they are. Changing the password needs `current_password`; wrong ones
/// count like failed logins of the account from this address (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    params(("If-Match" = Option<String>, Header, description = "The `ETag` last read; 412 when stale")),
    responses(
        (status = 200, description = "Updated", body = UserResponse,
            headers(("ETag" = String, description = "The user's new version"))),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 412, response = crate::problem::PreconditionFailed),
        (status = 429, response = crate::problem::TooManyRequests),
        (status = 503, response = crate::problem::ServiceBusy),
        crate::problem::BodyErrors
    )
)]
#[patch("/me")]
async fn update_me(
    state: web::Data<AppState>,
    caller: Caller,
    ip: ClientIp,
    if_match: IfMatch,
    Json(body): Json<UpdateMeRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = state
        .auth
        .update_me(&caller.0, body, if_match.0, ip.0)
        .await?;
    Ok(ok_with_etag(user.version, &user))
}
