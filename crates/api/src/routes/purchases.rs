//! Purchases ("compras"): registered on an attendance from a supplier, read, replaced.

use actix_web::{HttpResponse, get, post, put, web};
use crm_purchases::dto::{PurchaseFilter, PurchasePage, PurchaseRequest, PurchaseResponse};
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(attendance_purchases)
        .service(create_purchase)
        .service(list_purchases)
        .service(get_purchase)
        .service(replace_purchase);
}

/// The purchases of an attendance (its "purchases" tab), newest first.
///
/// Each with its supplier, day and total.
#[utoipa::path(
    tag = "purchases",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id"), PageQuery),
    responses(
        (status = 200, description = "A page of purchases", body = PurchasePage),
        (status = 400, response = crate::problem::BadRequest),
        crate::problem::ReadErrors
    )
)]
#[get("/attendances/{id}/purchases")]
async fn attendance_purchases(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let purchases = state
        .purchases
        .for_attendance(&caller.0, *id, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(purchases))
}

/// Registers a purchase on an attendance.
///
/// The supplier is an existing contact. Every line and total is computed by the server with
/// exact decimals, rounded to centavos half to even; each invalid field is named. The purchase
/// gets a code (`CMP-000001`) and an entry in the attendance's timeline. An attendance in the
/// trash takes no purchases (409).
#[utoipa::path(
    tag = "purchases",
    security(("bearer" = [])),
    request_body = PurchaseRequest,
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 201, description = "Registered", body = PurchaseResponse,
            headers(("ETag" = String, description = "The purchase's version"),
                    ("Location" = String, description = "The purchase's URL"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[post("/attendances/{id}/purchases")]
async fn create_purchase(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<PurchaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let purchase = state.purchases.create(&caller.0, *id, body).await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/purchases/{}", purchase.id)));
    Ok(with_etag(created, purchase.version, &purchase))
}

/// Every purchase the caller may see, newest first.
///
/// Only purchases of flows the caller is authorized for. Filter by `flow_id`, `supplier_id` and
/// the day of purchase (`from`, `to`, inclusive); `with_totals=true` adds the count and sum of
/// everything that matches.
#[utoipa::path(
    tag = "purchases",
    security(("bearer" = [])),
    params(PurchaseFilter, PageQuery),
    responses(
        (status = 200, description = "A page of purchases", body = PurchasePage),
        (status = 400, response = crate::problem::BadRequest),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 422, response = crate::problem::Unprocessable)
    )
)]
#[get("/purchases")]
async fn list_purchases(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<PurchaseFilter>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let purchases = state
        .purchases
        .list(&caller.0, &filter, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(purchases))
}

/// A purchase with its lines.
///
/// The `ETag` is its version.
#[utoipa::path(
    tag = "purchases",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Purchase id")),
    responses(
        (status = 200, description = "The purchase", body = PurchaseResponse,
            headers(("ETag" = String, description = "The purchase's version"))),
        crate::problem::ReadErrors
    )
)]
#[get("/purchases/{id}")]
async fn get_purchase(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let purchase = state.purchases.get(&caller.0, *id).await?;
    Ok(ok_with_etag(purchase.version, &purchase))
}

/// Replaces a purchase's content.
///
/// Supplier, day, lines, freight, discount and notes are all replaced and every amount is
/// recomputed; the version goes up by one and the attendance's timeline notes the change.
/// `If-Match` names the version edited; another one is 412. An attendance in the trash keeps its
/// purchases as they are (409).
#[utoipa::path(
    tag = "purchases",
    security(("bearer" = [])),
    request_body = PurchaseRequest,
    params(
        ("id" = Uuid, Path, description = "Purchase id"),
        ("If-Match" = Option<String>, Header, description = "The version edited (`ETag`); 412 when stale")
    ),
    responses(
        (status = 200, description = "The purchase as replaced", body = PurchaseResponse,
            headers(("ETag" = String, description = "The purchase's new version"))),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[put("/purchases/{id}")]
async fn replace_purchase(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<PurchaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let purchase = state
        .purchases
        .replace(&caller.0, *id, body, if_match.0)
        .await?;
    Ok(ok_with_etag(purchase.version, &purchase))
}
