//! Contacts: the clients attendances point to.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use crm_contacts::dto::{
    ContactChange, ContactResponse, CreateContactRequest, UpdateContactRequest,
};
use crm_core::Page;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::PageQuery;
use crate::app::AppState;
use crate::etag::{IfMatch, ok_with_etag, with_etag};
use crate::extract::{Caller, Json};
use crate::problem::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_contacts)
        .service(create_contact)
        .service(get_contact)
        .service(update_contact)
        .service(delete_contact)
        .service(contact_changes);
}

/// Order of the contact list; `-` means descending.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum ContactSort {
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "created_at")]
    CreatedAt,
    #[serde(rename = "-created_at")]
    CreatedAtDesc,
}

impl ContactSort {
    fn as_str(self) -> &'static str {
        match self {
            ContactSort::Name => "name",
            ContactSort::NameDesc => "-name",
            ContactSort::CreatedAt => "created_at",
            ContactSort::CreatedAtDesc => "-created_at",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactFilter {
    /// Finds by name, e-mail, phone, CPF/CNPJ or company, ignoring case and accents
    /// ("joao" finds "João").
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Default `name`.
    #[param(inline)]
    pub sort: Option<ContactSort>,
}

/// Lists contacts, optionally searched with `q`.
///
/// Keyset-paginated; `sort` chooses the order. Phone and document may be searched as typed (`(11) 98765-4321`, `529.982.247-25`).
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(ContactFilter, PageQuery),
    responses(
        (status = 200, description = "A page of contacts", body = Page<ContactResponse>),
        (status = 400, response = crate::problem::BadRequest),
        (status = 401, response = crate::problem::Unauthorized)
    )
)]
#[get("/contacts")]
async fn list_contacts(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<ContactFilter>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let contacts = state
        .contacts
        .list(
            &caller.0,
            filter.q.as_deref(),
            filter.sort.map(ContactSort::as_str),
            page.cursor(),
            page.limit()?,
        )
        .await?;
    Ok(HttpResponse::Ok().json(contacts))
}

/// Creates a contact.
///
/// CPF/CNPJ check digits, e-mail, phone, UF and CEP are validated and each invalid field is named.
/// Text is trimmed and stored in NFC, accents kept. The phone is stored in E.164, the document without punctuation.
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    request_body = CreateContactRequest,
    responses(
        (status = 201, description = "Created", body = ContactResponse,
            headers(("ETag" = String, description = "The contact's version"),
                    ("Location" = String, description = "The new contact's URL"))),
        (status = 401, response = crate::problem::Unauthorized),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::BodyErrors
    )
)]
#[post("/contacts")]
async fn create_contact(
    state: web::Data<AppState>,
    caller: Caller,
    Json(body): Json<CreateContactRequest>,
) -> Result<HttpResponse, ApiError> {
    let contact = state.contacts.create(&caller.0, body).await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/contacts/{}", contact.id)));
    Ok(with_etag(created, contact.version, &contact))
}

/// Reads a contact.
///
/// Returns the contact with its `ETag`.
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Contact id")),
    responses(
        (status = 200, description = "The contact", body = ContactResponse,
            headers(("ETag" = String, description = "The contact's version"))),
        crate::problem::ReadErrors
    )
)]
#[get("/contacts/{id}")]
async fn get_contact(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let contact = state.contacts.get(&caller.0, *id).await?;
    Ok(ok_with_etag(contact.version, &contact))
}

/// Edits a contact: absent fields stay, `null` clears.
///
/// `address`, when present, replaces the whole address. The result is validated as a whole, like a new contact.
/// Contacts are shared by every flow, so a member may edit only a contact whose attendances (archived
/// and trashed ones too) are all in flows they can see, or that no attendance uses; otherwise 403
/// `contact_used_elsewhere`. Administrators edit any contact. Every edit is recorded
/// (`GET /contacts/{id}/changes`).
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    request_body = UpdateContactRequest,
    params(
        ("id" = Uuid, Path, description = "Contact id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` last read; 412 when stale")
    ),
    responses(
        (status = 200, description = "Updated", body = ContactResponse,
            headers(("ETag" = String, description = "The contact's new version"))),
        (status = 403, response = crate::problem::Forbidden),
        (status = 409, response = crate::problem::Conflict),
        (status = 412, response = crate::problem::PreconditionFailed),
        crate::problem::ReadErrors,
        crate::problem::BodyErrors
    )
)]
#[patch("/contacts/{id}")]
async fn update_contact(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<UpdateContactRequest>,
) -> Result<HttpResponse, ApiError> {
    let contact = state
        .contacts
        .update(&caller.0, *id, body, if_match.0)
        .await?;
    Ok(ok_with_etag(contact.version, &contact))
}

/// Deletes a contact that no attendance points to (409 otherwise).
///
/// Contacts are shared by every flow; one still referenced elsewhere is kept and the answer is 409.
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Contact id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, response = crate::problem::Conflict),
        crate::problem::ReadErrors
    )
)]
#[delete("/contacts/{id}")]
async fn delete_contact(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    state.contacts.delete(&caller.0, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The changes of a contact, newest first.
///
/// Every creation and edit, field by field with the value before and after, and who made it.
/// Contacts are shared by every flow: this is how an administrator sees who changed a client's
/// e-mail. Keyset-paginated.
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Contact id"), PageQuery),
    responses(
        (status = 200, description = "A page of the contact's changes", body = Page<ContactChange>),
        (status = 400, response = crate::problem::BadRequest),
        crate::problem::ReadErrors
    )
)]
#[get("/contacts/{id}/changes")]
async fn contact_changes(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let changes = state
        .contacts
        .changes(&caller.0, *id, page.cursor(), page.limit()?)
        .await?;
    Ok(HttpResponse::Ok().json(changes))
}
