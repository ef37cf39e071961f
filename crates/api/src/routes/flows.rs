//! Flows and their authorized users. Members see only the flows they are authorized for; every
//! other flow answers 404 on every route.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use crm_core::Page;
use crm_flows::dto::{
    AuthorizedUsersRequest, AuthorizedUsersResponse, CreateFlowRequest, FlowResponse,
    UpdateFlowRequest,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_flows)
        .service(create_flow)
        .service(get_flow)
        .service(update_flow)
        .service(delete_flow)
        .service(get_authorized_users)
        .service(put_authorized_users);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FlowFilter {
    /// Only active (`true`) or inactive (`false`) flows.
    pub active: Option<bool>,
}

/// Lists the flows the caller may see, by name.
///
/// Members see only the flows they are authorized for; administrators see all. Keyset-paginated by name (accents and case ignored).
#[utoipa::path(
    tag = "flows",
    security(("bearer" = [])),
    params(FlowFilter, PageQuery),
    responses(
        (status = 200, description = "A page of flows", body = Page<FlowResponse>),
        (status = 400, response = crate::problem::BadRequest),
        (status = 401, response = crate::problem::Unauthorized)
    )
)]
#[get("/flows")]
async fn list_flows(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<FlowFilter>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let flows = state
        .flows
        .list(&caller.0, filter.active, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(flows))
}

/// Creates a flow with its authorized users (administrators).
///
/// Names are unique ignoring case and accents. `alias` defaults to the name, `active` to `true`.
#[utoipa::path(
    tag = "flows",
    security(("bearer" = [])),
    request_body = CreateFlowRequest,
    responses(
        (status = 201, description = "Created", body = FlowResponse,
            headers(("ETag" = String, description = "The flow's version"),
                    ("Location" = String, description = "The new flow's URL"))),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::BodyErrors
    )
)]
#[post("/flows")]
async fn create_flow(
    state: web::Data<AppState>,
    caller: Caller,
    Json(body): Json<CreateFlowRequest>,
) -> Result<HttpResponse, ApiError> {
    let flow = state.flows.create(&caller.0, body).await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/flows/{}", flow.id)));
    Ok(with_etag(created, flow.version, &flow))
}

/// Reads a flow.
///
/// Answers 404 when the flow does not exist or the caller is not authorized for it.
#[utoipa::path(
    tag = "flows",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 200, description = "The flow", body = FlowResponse,
            headers(("ETag" = String, description = "The flow's version"))),
        crate::problem::ReadErrors
    )
)]
#[get("/flows/{id}")]
async fn get_flow(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let flow = state.flows.get(&caller.0, *id).await?;
    Ok(ok_with_etag(flow.version, &flow))
}

/// Edits, activates or deactivates a flow (administrators).
///
/// Absent fields stay as they are; `description: null` clears it; `active: false` deactivates the flow (it stays readable).
#[utoipa::path(
    tag = "flows",
    security(("bearer" = [])),
    request_body = UpdateFlowRequest,
    params(
        ("id" = Uuid, Path, description = "Flow id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` last read; 412 when stale")
    ),
    responses(
        (status = 200, description = "Updated", body = FlowResponse,
            headers(("ETag" = String, description = "The flow's new version"))),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[patch("/flows/{id}")]
async fn update_flow(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<UpdateFlowRequest>,
) -> Result<HttpResponse, ApiError> {
    let flow = state.flows.update(&caller.0, *id, body, if_match.0).await?;
    Ok(ok_with_etag(flow.version, &flow))
}

/// Deletes a flow (administrators).
///
/// Only a flow that holds no records can be deleted; otherwise 409: deactivate it instead.
/// Members get 403 on flows they may see and 404 on the others.
#[utoipa::path(
    tag = "flows",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[delete("/flows/{id}")]
async fn delete_flow(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    state.flows.delete(&caller.0, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The members authorized for a flow (administrators).
///
/// Members of the flow, by name. Administrators see every flow whether listed or not.
#[utoipa::path(
    tag = "flows",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 200, description = "The authorized users", body = AuthorizedUsersResponse),
        (status = 403, response = crate::problem::Forbidden),
        crate::problem::ReadErrors
    )
)]
#[get("/flows/{id}/authorized-users")]
async fn get_authorized_users(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let users = state.flows.authorized_users(&caller.0, *id).await?;
    Ok(HttpResponse::Ok().json(users))
}

/// Replaces the members authorized for a flow (administrators).
///
/// The list sent replaces the current one in one transaction; every id must be an existing user (422 names the unknown ones).
#[utoipa::path(
    tag = "flows",
    security(("bearer" = [])),
    request_body = AuthorizedUsersRequest,
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 200, description = "The new set of authorized users", body = AuthorizedUsersResponse),
        (status = 403, response = crate::problem::Forbidden),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[put("/flows/{id}/authorized-users")]
async fn put_authorized_users(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<AuthorizedUsersRequest>,
) -> Result<HttpResponse, ApiError> {
    let users = state
        .flows
        .replace_authorized_users(&caller.0, *id, body.user_ids)
        .await?;
    Ok(HttpResponse::Ok().json(users))
}
