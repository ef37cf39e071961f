//! E-mail: the caller's own mailbox (SMTP settings with a write-only password, and a test send)
//! and message templates, personal or shared, rendered for an attendance.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use crm_core::Page;
use crm_mail::dto::{
    CreateTemplateRequest, RenderTemplateRequest, RenderedTemplate, TemplateResponse,
    UpdateTemplateRequest,
};
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_templates)
        .service(create_template)
        .service(get_template)
        .service(update_template)
        .service(delete_template)
        .service(render_template);
}

/// Lists the templates the caller may use.
///
/// The caller's own (personal and shared) and the ones other users share, by name. Keyset-paginated.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of templates", body = Page<TemplateResponse>),
        (status = 400, response = crate::problem::BadRequest),
        (status = 401, response = crate::problem::Unauthorized)
    )
)]
#[get("/mail/templates")]
async fn list_templates(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let templates = state
        .mail
        .templates(&caller.0, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(templates))
}

/// Creates a template.
///
/// `subject` (one line) and `body` may use `{{contact.name}}`, `{{attendance.reference}}`, `{{attendance.title}}`, `{{flow.name}}` and `{{user.name}}`; any other placeholder is 422 naming the field and the placeholder. Names are unique among the caller's templates ignoring case and accents (409 `duplicate_name`).
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    request_body = CreateTemplateRequest,
    responses(
        (status = 201, description = "Created", body = TemplateResponse,
            headers(("ETag" = String, description = "The template's version"))),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::BodyErrors
    )
)]
#[post("/mail/templates")]
async fn create_template(
    state: web::Data<AppState>,
    caller: Caller,
    Json(body): Json<CreateTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let template = state.mail.create_template(&caller.0, body).await?;
    Ok(with_etag(
        HttpResponse::Created(),
        template.version,
        &template,
    ))
}

/// A template.
///
/// Another user's personal template answers 404, as a missing one.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Template id")),
    responses(
        (status = 200, description = "The template", body = TemplateResponse,
            headers(("ETag" = String, description = "The template's version"))),
        crate::problem::ReadErrors
    )
)]
#[get("/mail/templates/{id}")]
async fn get_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let template = state.mail.template(&caller.0, *id).await?;
    Ok(ok_with_etag(template.version, &template))
}

/// Changes a template.
///
/// Absent fields stay as they are; the same rules as on creation apply. A shared template of another user may be changed only by an administrator (403 otherwise); another user's personal template answers 404.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    request_body = UpdateTemplateRequest,
    params(
        ("id" = Uuid, Path, description = "Template id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` last read; 412 when stale")
    ),
    responses(
        (status = 200, description = "Updated", body = TemplateResponse,
            headers(("ETag" = String, description = "The template's new version"))),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[patch("/mail/templates/{id}")]
async fn update_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<UpdateTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let template = state
        .mail
        .update_template(&caller.0, *id, body, if_match.0)
        .await?;
    Ok(ok_with_etag(template.version, &template))
}

/// Deletes a template.
///
/// Notes and messages already written from it keep their text. Same permissions as changing it.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Template id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, response = crate::problem::Forbidden),
        crate::problem::ReadErrors
    )
)]
#[delete("/mail/templates/{id}")]
async fn delete_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    state.mail.delete_template(&caller.0, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Renders a template for an attendance.
///
/// The preview of what posting an interaction with `template_id` would write: the placeholders filled from the attendance (which the caller must be able to see), its flow and contact, and the caller's name. 404 for a template the caller may not use; 422 naming
/// `attendance_id` (`unknown_attendance`) for an attendance the caller may not see.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    request_body = RenderTemplateRequest,
    params(("id" = Uuid, Path, description = "Template id")),
    responses(
        (status = 200, description = "The rendered subject and body", body = RenderedTemplate),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[post("/mail/templates/{id}/render")]
async fn render_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<RenderTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let rendered = state
        .attendances
        .render_template(&caller.0, *id, body)
        .await?;
    Ok(HttpResponse::Ok().json(rendered))
}
