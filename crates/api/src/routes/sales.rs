//! Quotes and sales: registered on an attendance, versioned, approved, rejected or cancelled.

use actix_web::{HttpResponse, get, post, put, web};
use crm_sales::dto::{SaleFilter, SalePage, SaleRequest, SaleResponse, VersionList};
use crm_sales::model::Action;
use crm_sales::nfe::dto::{NfeDocument, NfeResponse};
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(attendance_sales)
        .service(create_sale)
        .service(list_sales)
        .service(get_sale)
        .service(revise_sale)
        .service(sale_versions)
        .service(approve_sale)
        .service(reject_sale)
        .service(cancel_sale)
        .service(get_nfe)
        .service(save_nfe);
}

/// The orders of an attendance (its "sales" tab), newest first.
///
/// Quotes and sales with their current totals.
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attendance id"), PageQuery),
    responses(
        (status = 200, description = "A page of orders", body = SalePage),
        (status = 400, response = crate::problem::BadRequest),
        crate::problem::ReadErrors
    )
)]
#[get("/attendances/{id}/sales")]
async fn attendance_sales(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let sales = state
        .sales
        .for_attendance(&caller.0, *id, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(sales))
}

/// Registers a quote or a sale on an attendance.
///
/// `status: awaiting_approval` registers a quote ("EM APROVAÇÃO", code `ORC-…`), `approved` a
/// sale ("APROVADO", code `VEN-…`). Every line and total is computed by the server with exact
/// decimals, rounded to centavos half to even; each invalid field is named.
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    request_body = SaleRequest,
    params(("id" = Uuid, Path, description = "Attendance id")),
    responses(
        (status = 201, description = "Registered", body = SaleResponse,
            headers(("ETag" = String, description = "The current version's number"),
                    ("Location" = String, description = "The order's URL"))),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[post("/attendances/{id}/sales")]
async fn create_sale(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    Json(body): Json<SaleRequest>,
) -> Result<HttpResponse, ApiError> {
    let sale = state.sales.create(&caller.0, *id, body).await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/sales/{}", sale.id)));
    Ok(with_etag(created, sale.current.number, &sale))
}

/// Every order the caller may see, newest first.
///
/// Filter by `status`, `flow_id` and a creation period (`from`, `to`, days in Brasília time);
/// `with_totals=true` adds the count and sum of everything that matches.
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    params(SaleFilter, PageQuery),
    responses(
        (status = 200, description = "A page of orders", body = SalePage),
        (status = 400, response = crate::problem::BadRequest),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 422, response = crate::problem::Unprocessable)
    )
)]
#[get("/sales")]
async fn list_sales(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<SaleFilter>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let sales = state
        .sales
        .list(&caller.0, &filter, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(sales))
}

/// An order with its current version.
///
/// The `ETag` is the current version's number.
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = SaleResponse,
            headers(("ETag" = String, description = "The current version's number"))),
        crate::problem::ReadErrors
    )
)]
#[get("/sales/{id}")]
async fn get_sale(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let sale = state.sales.get(&caller.0, *id).await?;
    Ok(ok_with_etag(sale.current.number, &sale))
}

/// Replaces an order's content with a new version.
///
/// Version n + 1 gets its own lines and totals; the earlier ones stay readable and outdated.
/// Only orders awaiting approval can be edited, and not while their attendance is in the trash
/// (409). `If-Match` names the version edited; an older one is 412.
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    request_body = SaleRequest,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The version edited (`ETag`); 412 when stale")
    ),
    responses(
        (status = 200, description = "The new version", body = SaleResponse,
            headers(("ETag" = String, description = "The new version's number"))),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[put("/sales/{id}")]
async fn revise_sale(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<SaleRequest>,
) -> Result<HttpResponse, ApiError> {
    let sale = state.sales.revise(&caller.0, *id, body, if_match.0).await?;
    Ok(ok_with_etag(sale.current.number, &sale))
}

/// Every version of an order, oldest first.
///
/// All but the current one are `outdated`.
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The versions", body = VersionList),
        crate::problem::ReadErrors
    )
)]
#[get("/sales/{id}/versions")]
async fn sale_versions(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.sales.versions(&caller.0, *id).await?))
}

async fn transition(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    action: Action,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let sale = state
        .sales
        .transition(&caller.0, id, action, if_match.0)
        .await?;
    Ok(ok_with_etag(sale.current.number, &sale))
}

/// Approves a quote: it becomes a sale.
///
/// Only from `awaiting_approval`, and not while the attendance is in the trash (409 otherwise);
/// records who approved and when. `If-Match` may name the version approved (412 when a newer one
/// exists).
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The version approved; 412 when stale")
    ),
    responses(
        (status = 200, description = "Approved", body = SaleResponse),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors
    )
)]
#[post("/sales/{id}/approve")]
async fn approve_sale(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    transition(&state, &caller, *id, Action::Approve, if_match).await
}

/// Rejects a quote.
///
/// Only from `awaiting_approval`, and not while the attendance is in the trash (409 otherwise).
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The version rejected; 412 when stale")
    ),
    responses(
        (status = 200, description = "Rejected", body = SaleResponse),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors
    )
)]
#[post("/sales/{id}/reject")]
async fn reject_sale(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    transition(&state, &caller, *id, Action::Reject, if_match).await
}

/// Cancels a sale.
///
/// Only from `approved`, and not while the attendance is in the trash (409 otherwise).
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The version cancelled; 412 when stale")
    ),
    responses(
        (status = 200, description = "Cancelled", body = SaleResponse),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors
    )
)]
#[post("/sales/{id}/cancel")]
async fn cancel_sale(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    transition(&state, &caller, *id, Action::Cancel, if_match).await
}

/// The NF-e data of an order, prefilled.
///
/// Recipient from the contact of the order's attendance (name, CPF/CNPJ, state registration
/// indicator, address, e-mail), items from the order's current version (with the order discount
/// and freight apportioned per line), operation nature, purpose, final consumer, presence, freight
/// mode and payment, with the user's saved completion over the prefill. `status` is `ready` when
/// nothing is `missing`, `invalid` or to `review`; otherwise `incomplete`. Works for every order;
/// `issue_nfe` says whether it is marked to issue one. The `ETag` is the NF-e data's version (0
/// before the first save).
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The NF-e data and what it still needs", body = NfeResponse,
            headers(("ETag" = String, description = "The NF-e data's version"))),
        crate::problem::ReadErrors
    )
)]
#[get("/sales/{id}/nfe")]
async fn get_nfe(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let nfe = state.sales.nfe(&caller.0, *id).await?;
    Ok(ok_with_etag(nfe.version, &nfe))
}

/// Completes the NF-e data of an order.
///
/// Send the `document` read from `GET` with your changes: what is sent overrides the prefill,
/// absent fields keep it, a blank string removes a value. An incomplete document is accepted and
/// answered `incomplete` with the `missing` paths; a value that is present and wrong is a 422
/// naming its path (`recipient.document`, `items[0].ncm`, `recipient.address.postal_code`…).
/// `items` has one entry per line of the current version, in order (or none). Saving marks the
/// order `issue_nfe: true`; orders that are rejected or cancelled, or whose attendance is in the
/// trash, answer 409. `If-Match` names the
/// NF-e data's version read (`"0"` before the first save); another one is 412.
#[utoipa::path(
    tag = "sales",
    security(("bearer" = [])),
    request_body = NfeDocument,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The NF-e data's version read (`ETag`); 412 when stale")
    ),
    responses(
        (status = 200, description = "Saved; the NF-e data and what it still needs", body = NfeResponse,
            headers(("ETag" = String, description = "The NF-e data's new version"))),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[put("/sales/{id}/nfe")]
async fn save_nfe(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<NfeDocument>,
) -> Result<HttpResponse, ApiError> {
    let nfe = state
        .sales
        .save_nfe(&caller.0, *id, body, if_match.0)
        .await?;
    Ok(ok_with_etag(nfe.version, &nfe))
}
