//! A flow's attendances: list, create, read, edit, trash; the flow's summary.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use crm_attendances::dto::{
    AttendanceResponse, CreateAttendanceRequest, FlowSummary, ListParams, UpdateAttendanceRequest,
};
use crm_core::Page;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_attendances)
        .service(create_attendance)
        .service(get_attendance)
        .service(update_attendance)
        .service(trash_attendance)
        .service(flow_summary);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TotalQuery {
    /// Also count every matching attendance (`total`).
    pub with_total: Option<bool>,
}

/// Lists a flow's attendances.
///
/// Filter by `q`, `tag_id`, `status`, `due=overdue` and `view` (`active` by default, `archived`,
/// `trash`); sort by any list column (`sort=-updated_at` by default). Keyset-paginated: pages
/// neither repeat nor skip rows, even when many share the sort value.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Flow id"), ListParams, PageQuery, TotalQuery),
    responses(
        (status = 200, description = "A page of attendances", body = Page<AttendanceResponse>),
        (status = 400, response = crate::problem::BadRequest),
        (status = 422, response = crate::problem::Unprocessable),
        crate::problem::ReadErrors
    )
)]
#[get("/flows/{id}/attendances")]
async fn list_attendances(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    params: web::Query<ListParams>,
    page: web::Query<PageQuery>,
    total: web::Query<TotalQuery>,
) -> Result<HttpResponse, ApiError> {
    let with_total = total.with_total.unwrap_or(false);
    let attendances = state
        .attendances
        .list(
            &caller.0,
            *id,
            &params,
            page.cursor(),
            page.limit()?,
            with_total,
        )
        .await?;
    Ok(HttpResponse::Ok().json(attendances))
}

/// Creates an attendance in an active flow.
///
/// The server assigns the `reference`. The contact must exist (422 naming `contact_id`), tags
/// must belong to the flow, and an optional first interaction is saved in the same transaction.
/// An inactive flow takes no new attendances (409 `flow_inactive`).
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    request_body = CreateAttendanceRequest,
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 201, description = "Created", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's version"),
                    ("Location" = String, description = "The new attendance's URL"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[post("/flows/{id}/attendances")]
async fn create_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<CreateAttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let attendance = state.attendances.create(&caller.0, *id, body).await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/attendances/{}", attendance.id)));
    Ok(with_etag(created, attendance.version, &attendance))
}

/// Reads an attendance.
///
/// Answers 404 when it does not exist or its flow is not one the caller may see.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 200, description = "The attendance", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's version"))),
        crate::problem::ReadErrors
    )
)]
#[get("/attendances/{id}")]
async fn get_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let attendance = state.attendances.get(&caller.0, *id).await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// Edits an attendance.
///
/// Absent fields stay; `due_at: null` clears the due date. Each change is recorded in the
/// timeline. A trashed attendance must be restored first (409).
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    request_body = UpdateAttendanceRequest,
    params(
        ("id" = Uuid, Path, description = "Attendance id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` last read; 412 when stale")
    ),
    responses(
        (status = 200, description = "Updated", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's new version"))),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[patch("/attendances/{id}")]
async fn update_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<UpdateAttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let attendance = state
        .attendances
        .update(&caller.0, *id, body, if_match.0)
        .await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// Moves an attendance to the trash.
///
/// It leaves the active and archived lists and appears with `view=trash`; `POST .../restore`
/// brings it back. Only an administrator's explicit purge deletes it for good.
#[utoipa::path(
    tag = "attendances",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 200, description = "In the trash", body = AttendanceResponse,
            headers(("ETag" = String, description = "The attendance's new version"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[delete("/attendances/{id}")]
async fn trash_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let attendance = state.attendances.trash(&caller.0, *id).await?;
    Ok(ok_with_etag(attendance.version, &attendance))
}

/// Counts a flow's active attendances per status and per tag.
///
/// `by_tag` starts with the virtual ALL tag (nil UUID), whose count is the total.
#[utoipa::path(
    tag = "flows",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 200, description = "The flow's counts", body = FlowSummary),
        crate::problem::ReadErrors
    )
)]
#[get("/flows/{id}/summary")]
async fn flow_summary(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.attendances.summary(&caller.0, *id).await?))
}
