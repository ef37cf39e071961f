//! Reports: exports of a flow's attendances and their contacts.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, post, web};
use crm_reports::dto::{ContactDataRequest, ContactDataRow};
use futures_util::StreamExt;

use crate::app::AppState;
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(contact_data);
}

/// The contact data of selected attendances, with their first interaction.
///
/// Select the ticked `attendance_ids` (an id the caller may not see is 404), or a `flow_id` with
/// the list's filters. `format`: `text` (one readable block per attendance), `csv` (RFC 4180,
/// header row, UTF-8; `delimiter=semicolon` and `bom=true` for Brazilian spreadsheets) or `json`.
/// The file streams as it is read, with a `Content-Disposition` file name.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    request_body = ContactDataRequest,
    responses(
        (status = 200, description = "The report file",
            headers(("Content-Disposition" = String, description = "attachment; filename=…")),
            content(
                (Vec<ContactDataRow> = "application/json"),
                (String = "text/csv"),
                (String = "text/plain")
            )),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[post("/reports/contact-data")]
async fn contact_data(
    state: web::Data<AppState>,
    caller: Caller,
    Json(body): Json<ContactDataRequest>,
) -> Result<HttpResponse, ApiError> {
    let report = state.reports.contact_data(&caller.0, body).await?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(report.filename)],
    };
    // Once streaming has begun the status is sent; a failure can only cut the body short (the
    // cause is logged by the report writer).
    let body = report
        .body
        .map(|chunk| chunk.map(web::Bytes::from).map_err(std::io::Error::other));
    Ok(HttpResponse::Ok()
        .content_type(report.content_type)
        .insert_header(disposition)
        .streaming(body))
}
