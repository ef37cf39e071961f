//! Interactions (notes) of an attendance and its timeline; each user's list columns per flow.

use actix_web::{HttpResponse, get, post, put, web};
use crm_attendances::dto::{
    ColumnPreferences, CreateInteractionRequest, InteractionResponse, TimelineEntry,
};
use crm_core::Page;
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_interactions)
        .service(create_interaction)
        .service(timeline)
        .service(get_preferences)
        .service(put_preferences);
}

/// Lists an attendance's interactions, newest first.
///
/// Each with its author and time. Keyset-paginated.
#[utoipa::path(
    tag = "interactions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id"), PageQuery),
    responses(
        (status = 200, description = "A page of interactions", body = Page<InteractionResponse>),
        (status = 400, response = crate::problem::BadRequest),
        crate::problem::ReadErrors
    )
)]
#[get("/attendances/{id}/interactions")]
async fn list_interactions(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let interactions = state
        .attendances
        .interactions(&caller.0, *id, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(interactions))
}

/// Posts an interaction on an attendance.
///
/// Also what the list's "+" shortcut calls. The attendance counts as updated. With `notify`
/// ("save and notify") the note is also e-mailed to the contact from the caller's mailbox: the
/// message is queued in the same transaction as the note (409 `mailbox_not_configured` without a
/// mailbox, and nothing is saved) and a background sender delivers it, retrying with backoff;
/// the note's `notification_status` goes from `pending` to `sent` or `failed`.
#[utoipa::path(
    tag = "interactions",
    security(("bearer" = [])),
    request_body = CreateInteractionRequest,
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 201, description = "Posted", body = InteractionResponse),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[post("/attendances/{id}/interactions")]
async fn create_interaction(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<CreateInteractionRequest>,
) -> Result<HttpResponse, ApiError> {
    let interaction = state
        .attendances
        .add_interaction(&caller.0, *id, body)
        .await?;
    Ok(HttpResponse::Created().json(interaction))
}

/// An attendance's timeline, newest first.
///
/// Interactions and events (created, field changes, tags, archive, trash, restore, move), each
/// with its actor and time. Keyset-paginated.
#[utoipa::path(
    tag = "interactions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id"), PageQuery),
    responses(
        (status = 200, description = "A page of the timeline", body = Page<TimelineEntry>),
        (status = 400, response = crate::problem::BadRequest),
        crate::problem::ReadErrors
    )
)]
#[get("/attendances/{id}/timeline")]
async fn timeline(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let entries = state
        .attendances
        .timeline(&caller.0, *id, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(entries))
}

/// The caller's visible list columns in a flow, in order.
///
/// Until chosen: status, reference, title, contact name, value, last update, creation.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 200, description = "The columns", body = ColumnPreferences),
        crate::problem::ReadErrors
    )
)]
#[get("/me/preferences/flows/{id}")]
async fn get_preferences(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.attendances.preferences(&caller.0, *id).await?))
}

/// Chooses and orders the caller's visible list columns in a flow.
///
/// At least one column, each at most once. Other users' choices are not affected.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    request_body = ColumnPreferences,
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 200, description = "Saved", body = ColumnPreferences),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[put("/me/preferences/flows/{id}")]
async fn put_preferences(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<ColumnPreferences>,
) -> Result<HttpResponse, ApiError> {
    let saved = state
        .attendances
        .save_preferences(&caller.0, *id, body)
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}
