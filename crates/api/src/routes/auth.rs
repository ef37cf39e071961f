//! Login, token refresh, logout and the caller's own account.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use crm_auth::dto::{LoginRequest, RefreshRequest, TokenResponse};

use crate::app::AppState;
use crate::extract::{Caller, ClientIp, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout);
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
