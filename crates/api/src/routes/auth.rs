//! Login, token refresh, logout and the caller's own account.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use crm_auth::dto::{LoginRequest, RefreshRequest, TokenResponse, UpdateMeRequest, UserResponse};

use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag};
use crate::extract::{Caller, ClientIp, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(me)
        .service(update_me);
}

/// Logs in with e-mail and password.
///
/// Repeated failures for one account from one client address are answered with 429 and
/// `Retry-After`, for longer with each further failure; the same account logs in as usual from
/// elsewhere. Many failures from one address, across accounts, block that address too.
/// A 503 with `Retry-After` means the server is checking too many passwords at once.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 429, response = crate::problem::TooManyRequests),
        (status = 503, response = crate::problem::ServiceBusy),
        crate::problem::BodyErrors
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    ip: ClientIp,
    Json(body): Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let tokens = state.auth.login(&body.email, &body.password, ip.0).await?;
    Ok(tokens_response(&tokens))
}

/// Tokens are never to be kept by a cache on the way or in the browser (RFC 6749 §5.1).
fn tokens_response(tokens: &TokenResponse) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(tokens)
}

/// Exchanges a refresh token for a new pair.
///
/// Each refresh token works once; presenting a spent one revokes the whole login session.
/// Send the refresh token from the last login or refresh. The answer holds a new access token and a new refresh token; the one sent is spent.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    security(()),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, response = crate::problem::Unauthorized),
        crate::problem::BodyErrors
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    Json(body): Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    Ok(tokens_response(
        &state.auth.refresh(&body.refresh_token).await?,
    ))
}

/// Ends the caller's login session: its refresh token and access tokens stop working.
///
/// The access token used for this call and the session's refresh token are revoked immediately; other sessions of the same user stay open.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, response = crate::problem::Unauthorized)
    )
)]
#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    state.auth.logout(&caller.0).await?;
    Ok(HttpResponse::NoContent().finish())
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
