//! Interactions (notes) of an attendance and its timeline; each user's list columns per flow.

use actix_web::{HttpResponse, get, post, web};
use crm_attendances::dto::{CreateInteractionRequest, InteractionResponse, TimelineEntry};
use crm_core::Page;
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_interactions)
        .service(create_interaction)
        .service(timeline);
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
