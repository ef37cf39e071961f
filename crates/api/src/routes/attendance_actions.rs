//! What a user does to an attendance besides editing it: archive, trash and restore, purge,
//! move to another flow, tag, step to its neighbours, print.

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, delete, get, post, put, web};
use crm_attendances::dto::{AttendanceResponse, ListParams, MoveRequest, Neighbors};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::AppState;
use crate::etag::ok_with_etag;
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(archive)
        .service(unarchive)
        .service(restore)
        .service(purge)
        .service(move_attendance)
        .service(attach_tag)
        .service(detach_tag)
        .service(neighbors)
        .service(print);
}

/// Archives an attendance.
///
/// It leaves the active list and appears with `view=archived`; 409 when already archived or in
/// the trash.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 200, description = "Archived", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's new version"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[post("/attendances/{id}/archive")]
async fn archive(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let attendance = state.attendances.archive(&caller.0, *id).await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// Brings an archived attendance back to the active list.
///
/// 409 when it is not archived, or is in the trash.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 200, description = "Back in the active list", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's new version"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[post("/attendances/{id}/unarchive")]
async fn unarchive(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let attendance = state.attendances.unarchive(&caller.0, *id).await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// Takes an attendance out of the trash.
///
/// It returns where it was: the archive if it had been archived, the active list otherwise.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 200, description = "Restored", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's new version"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[post("/attendances/{id}/restore")]
async fn restore(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let attendance = state.attendances.restore(&caller.0, *id).await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// Deletes a trashed attendance for good (administrators).
///
/// Its interactions and timeline go with it. Only attendances in the trash can be purged (409).
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 204, description = "Purged"),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[post("/attendances/{id}/purge")]
async fn purge(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    state.attendances.purge(&caller.0, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Moves an attendance to another flow, with its tags.
///
/// A tag whose name (ignoring case and accents) exists in the target flow is reused; the others
/// are created there with the same colour. A target flow the caller may not see is 404; an
/// inactive one 409.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    request_body = MoveRequest,
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 200, description = "Moved", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's new version"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[post("/attendances/{id}/move")]
async fn move_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<MoveRequest>,
) -> Result<HttpResponse, ApiError> {
    let attendance = state
        .attendances
        .move_to(&caller.0, *id, body.flow_id)
        .await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// Attaches a tag of the attendance's flow.
///
/// Idempotent: attaching an attached tag changes nothing.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Attendance id"),
        ("tag_id" = Uuid, Path, description = "Tag id (of the same flow)")
    ),
    responses(
        (status = 200, description = "The attendance with the tag", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's version"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[put("/attendances/{id}/tags/{tag_id}")]
async fn attach_tag(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, tag_id) = path.into_inner();
    let attendance = state.attendances.attach_tag(&caller.0, id, tag_id).await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// Detaches a tag.
///
/// Idempotent: detaching a tag that is not attached changes nothing.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Attendance id"),
        ("tag_id" = Uuid, Path, description = "Tag id (of the same flow)")
    ),
    responses(
        (status = 200, description = "The attendance without the tag", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's version"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[delete("/attendances/{id}/tags/{tag_id}")]
async fn detach_tag(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, tag_id) = path.into_inner();
    let attendance = state.attendances.detach_tag(&caller.0, id, tag_id).await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// The attendances just before and after this one in a list.
///
/// Send the same `q`, `tag_id`, `status`, `view`, `due` and `sort` as the list being browsed;
/// `previous`/`next` are null at either end.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id"), ListParams),
    responses(
        (status = 200, description = "Previous and next ids", body = Neighbors),
        (status = 400, response = crate::problem::BadRequest),
        (status = 422, response = crate::problem::Unprocessable),
        crate::problem::ReadErrors
    )
)]
#[get("/attendances/{id}/neighbors")]
async fn neighbors(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.attendances.neighbors(&caller.0, *id, &params).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrintQuery {
    /// Include every interaction, oldest first.
    pub interactions: Option<bool>,
}

/// A printable HTML page of the attendance.
///
/// Contact, fields and tags; with `interactions=true` every interaction too. Self-contained
/// (no scripts or external assets); every text typed by users is HTML-escaped.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id"), PrintQuery),
    responses(
        (status = 200, description = "The printable page", content_type = "text/html", body = String),
        (status = 400, response = crate::problem::BadRequest),
        crate::problem::ReadErrors
    )
)]
#[get("/attendances/{id}/print")]
async fn print(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<PrintQuery>,
) -> Result<HttpResponse, ApiError> {
    let with_interactions = query.interactions.unwrap_or(false);
    let page = state
        .attendances
        .print(&caller.0, *id, with_interactions)
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::html())
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            crate::security_headers::PRINT_POLICY,
        ))
        .body(page))
}
