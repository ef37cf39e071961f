//! Tags of a flow: the virtual ALL tag first, then the flow's own tags in the team's order. Every
//! user authorized for the flow manages them; a flow the caller may not see answers 404.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use crm_tags::dto::{
    CreateTagRequest, ReorderTagsRequest, TagListResponse, TagResponse, UpdateTagRequest,
};
use uuid::Uuid;

use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tags)
        .service(create_tag)
        .service(reorder_tags)
        .service(update_tag)
        .service(delete_tag);
}

/// Lists a flow's tags in display order.
///
/// The virtual ALL tag (nil UUID, `virtual: true`, position 0) comes first, then the flow's tags by position. The list is complete, not paginated.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 200, description = "The flow's tags, ALL first", body = TagListResponse),
        crate::problem::ReadErrors
    )
)]
#[get("/flows/{id}/tags")]
async fn list_tags(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let tags = state.tags.list(&caller.0, *id).await?;
    Ok(HttpResponse::Ok().json(tags))
}

/// Creates a tag at the end of the flow's order.
///
/// Names are unique in the flow ignoring case and accents (409 `duplicate_name`); "ALL" and "TODOS" are reserved for the virtual tag (409 `duplicate_name` as well). `color` is `#RRGGBB` in either case, stored upper case; without it the tag gets the next colour of a fixed palette.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = [])),
    request_body = CreateTagRequest,
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 201, description = "Created", body = TagResponse,
            headers(("ETag" = String, description = "The tag's version"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[post("/flows/{id}/tags")]
async fn create_tag(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<CreateTagRequest>,
) -> Result<HttpResponse, ApiError> {
    let tag = state.tags.create(&caller.0, *id, body).await?;
    Ok(with_etag(
        HttpResponse::Created(),
        tag.version.unwrap_or_default(),
        &tag,
    ))
}

/// Renames or recolours a tag.
///
/// Absent fields stay as they are; the same name rules as on creation apply. The ALL tag cannot be changed (409 `tag_is_virtual`); a tag of another flow answers 404.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = [])),
    request_body = UpdateTagRequest,
    params(
        ("id" = Uuid, Path, description = "Flow id"),
        ("tag_id" = Uuid, Path, description = "Tag id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` last read; 412 when stale")
    ),
    responses(
        (status = 200, description = "Updated", body = TagResponse,
            headers(("ETag" = String, description = "The tag's new version"))),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[patch("/flows/{id}/tags/{tag_id}")]
async fn update_tag(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    if_match: IfMatch,
    Json(body): Json<UpdateTagRequest>,
) -> Result<HttpResponse, ApiError> {
    let (flow_id, tag_id) = path.into_inner();
    let tag = state
        .tags
        .update(&caller.0, flow_id, tag_id, body, if_match.0)
        .await?;
    Ok(ok_with_etag(tag.version.unwrap_or_default(), &tag))
}

/// Deletes a tag.
///
/// The tag is detached from every attendance of the flow and the tags after it move up one position. The ALL tag cannot be deleted (409 `tag_is_virtual`); a tag of another flow answers 404.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Flow id"),
        ("tag_id" = Uuid, Path, description = "Tag id")
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[delete("/flows/{id}/tags/{tag_id}")]
async fn delete_tag(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (flow_id, tag_id) = path.into_inner();
    state.tags.delete(&caller.0, flow_id, tag_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Reorders a flow's tags.
///
/// `tag_ids` must list every tag of the flow exactly once, in the new order; a partial list, a repeated id or an id that is not a tag of the flow is 422 naming `tag_ids`. ALL stays first: its id may be sent at index 0 (ignored there) and nowhere else. Answers the whole list, as `GET` does.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = [])),
    request_body = ReorderTagsRequest,
    params(("id" = Uuid, Path, description = "Flow id")),
    responses(
        (status = 200, description = "The flow's tags in their new order, ALL first", body = TagListResponse),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[put("/flows/{id}/tags/order")]
async fn reorder_tags(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<ReorderTagsRequest>,
) -> Result<HttpResponse, ApiError> {
    let tags = state.tags.reorder(&caller.0, *id, body).await?;
    Ok(HttpResponse::Ok().json(tags))
}
