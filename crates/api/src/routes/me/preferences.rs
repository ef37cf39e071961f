//! `/me/preferences`: the caller's choices per flow (the list columns they see).

use actix_web::{HttpResponse, get, put, web};
use crm_attendances::dto::ColumnPreferences;
use uuid::Uuid;

use crate::app::AppState;
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_preferences).service(put_preferences);
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
