//! User management, for administrators (members get 403).

use actix_web::{HttpResponse, delete, get, patch, post, web};
use crm_auth::dto::{
    CreateUserRequest, RemovalOutcome, UpdateUserRequest, UserRemoval, UserResponse,
};
use crm_core::Page;
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(delete_user);
}

/// Lists users by e-mail.
///
/// Keyset-paginated by e-mail: pass `next_cursor` as `cursor` to get the next page.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of users", body = Page<UserResponse>),
        (status = 400, response = crate::problem::BadRequest),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 403, response = crate::problem::Forbidden)
    )
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = state
        .auth
        .list_users(&caller.0, query.cursor(), query.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a user. E-mails are unique ignoring case.
///
/// The password (12 to 128 characters) is stored as an argon2id hash and never returned. `role` defaults to `member`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created", body = UserResponse,
            headers(("ETag" = String, description = "The user's version"),
                    ("Location" = String, description = "The new user's URL"))),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        (status = 503, response = crate::problem::ServiceBusy),
        crate::problem::BodyErrors
    )
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    caller: Caller,
    Json(body): Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = state.auth.create_user(&caller.0, body).await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/users/{}", user.id)));
    Ok(with_etag(created, user.version, &user))
}

/// Reads a user.
///
/// Returns the user with its `ETag`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserResponse,
            headers(("ETag" = String, description = "The user's version"))),
        (status = 403, response = crate::problem::Forbidden),
        crate::problem::ReadErrors
    )
)]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user = state.auth.get_user(&caller.0, *id).await?;
    Ok(ok_with_etag(user.version, &user))
}

/// Changes a user's name, e-mail, role, active state or password.
///
/// Deactivating a user or setting a password ends their sessions. The last active administrator
/// stays one, and administrators cannot demote or deactivate themselves.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = UpdateUserRequest,
    params(
        ("id" = Uuid, Path, description = "User id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` last read; 412 when stale")
    ),
    responses(
        (status = 200, description = "Updated", body = UserResponse,
            headers(("ETag" = String, description = "The user's new version"))),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        (status = 503, response = crate::problem::ServiceBusy),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = state
        .auth
        .update_user(&caller.0, *id, body, if_match.0)
        .await?;
    Ok(ok_with_etag(user.version, &user))
}

/// Deletes a user, or deactivates one with history.
///
/// A user without history is deleted (204). A user whose records keep them is deactivated instead
/// and returned (200), so their name stays on what they did.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user has history and was deactivated", body = UserRemoval),
        (status = 204, description = "Deleted"),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[delete("/users/{id}")]
async fn delete_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let removal = state.auth.delete_user(&caller.0, *id).await?;
    Ok(match removal.outcome {
        RemovalOutcome::Deleted => HttpResponse::NoContent().finish(),
        RemovalOutcome::Deactivated => HttpResponse::Ok().json(removal),
    })
}
