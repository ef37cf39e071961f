//! Contact use cases. Contacts are shared by the whole team: any active user may read them; who
//! may edit one is decided in `changes` (a member, only a contact whose attendances are all in
//! flows they see); a contact still referenced by attendances cannot be deleted.

use std::sync::Arc;

use crm_core::page::{Cursor, Direction, Limit, paginate, parse_sort};
use crm_core::{Actor, Page, text};
use crm_entity::contacts;
use sea_orm::{DatabaseConnection, TransactionTrait};
use uuid::Uuid;

use crate::dto::{
    Address, ContactResponse, CreateContactRequest, DocumentKindDto, UpdateContactRequest,
};
use crate::error::map_db;
use crate::model::{Document, DocumentKind};
use crate::repo::{self, After, ListQuery, SortKey};
use crate::validate::{Draft, Valid, validate};
use crate::{ContactError, ContactUses, changes};

#[derive(Clone)]
pub struct ContactService {
    pub(crate) db: DatabaseConnection,
    /// The attendances that use contacts (a crate above this one), as the server wired them.
    uses: Arc<dyn ContactUses>,
}

impl ContactService {
    pub fn new(db: DatabaseConnection, uses: Arc<dyn ContactUses>) -> Self {
        Self { db, uses }
    }

    /// Lists contacts, optionally matching `q` (accent- and case-insensitive) against name,
    /// e-mail, phone, document and company.
    #[tracing::instrument(name = "contacts.list", skip_all, fields(user = %_actor.user_id))]
    pub async fn list(
        &self,
        _actor: &Actor,
        q: Option<&str>,
        sort: Option<&str>,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<ContactResponse>, ContactError> {
        let (field, direction) = parse_sort(sort.unwrap_or("name"));
        let sort = match field {
            "name" => SortKey::Name,
            "created_at" => SortKey::CreatedAt,
            _ => return Err(ContactError::InvalidSort),
        };
        let after = cursor.map(Cursor::decode::<After>).transpose()?;
        let q = q.unwrap_or_default();
        if q.chars().count() > 200 {
            return Err(ContactError::SearchTooLong);
        }
        let search = search_patterns(q);
        let rows = repo::list(
            &self.db,
            ListQuery {
                search: &search,
                sort,
                descending: direction == Direction::Desc,
                after,
                fetch: limit.get() + 1,
            },
        )
        .await?;
        let (rows, next_cursor) = paginate(rows, limit, |c| match sort {
            SortKey::Name => After::Name(c.name_key.clone(), c.id),
            SortKey::CreatedAt => After::CreatedAt(c.created_at, c.id),
        });
        Ok(Page {
            items: rows.into_iter().map(to_response).collect(),
            next_cursor,
            total: None,
        })
    }

    #[tracing::instrument(name = "contacts.get", skip_all, fields(user = %_actor.user_id, id = %id))]
    pub async fn get(&self, _actor: &Actor, id: Uuid) -> Result<ContactResponse, ContactError> {
        let row = repo::by_id(&self.db, id)
            .await?
            .ok_or(ContactError::NotFound)?;
        Ok(to_response(row))
    }

    #[tracing::instrument(name = "contacts.create", skip_all, fields(user = %actor.user_id))]
    pub async fn create(
        &self,
        actor: &Actor,
        request: CreateContactRequest,
    ) -> Result<ContactResponse, ContactError> {
        let valid = validate(Draft {
            name: request.name,
            email: request.email,
            phone: request.phone,
            document: request.document,
            company: request.company,
            address: request.address.unwrap_or_default(),
            notes: request.notes,
        })?;
        let txn = self.db.begin().await?;
        ensure_document_free(&txn, &valid, None).await?;
        let now = crm_core::time::now();
        let row = contacts::Model {
            id: crm_core::id::new_id(),
            version: 1,
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
            ..fill(empty_row(), valid)
        };
        let row = repo::insert(&txn, row).await.map_err(map_db)?;
        changes::record(&txn, actor, None, &row, now).await?;
        txn.commit().await?;
        Ok(to_response(row))
    }

    #[tracing::instrument(name = "contacts.update", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn update(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: UpdateContactRequest,
        if_match: Option<i32>,
    ) -> Result<ContactResponse, ContactError> {
        let txn = self.db.begin().await?;
        let current = repo::by_id(&txn, id).await?.ok_or(ContactError::NotFound)?;
        changes::ensure_may_edit(self.uses.as_ref(), &txn, actor, id).await?;
        let valid = validate(apply(draft_of(&current), patch))?;
        if if_match.is_some_and(|v| v != current.version) {
            return Err(ContactError::VersionMismatch);
        }
        ensure_document_free(&txn, &valid, Some(id)).await?;
        let row = contacts::Model {
            version: current.version + 1,
            updated_at: crm_core::time::now(),
            ..fill(current.clone(), valid)
        };
        if !repo::update(&txn, row.clone(), current.version)
            .await
            .map_err(map_db)?
        {
            return Err(ContactError::VersionMismatch);
        }
        if row.name != current.name {
            self.uses.renamed(&txn, id, &row.name).await?;
        }
        changes::record(&txn, actor, Some(&current), &row, row.updated_at).await?;
        txn.commit().await?;
        Ok(to_response(row))
    }

    #[tracing::instrument(name = "contacts.delete", skip_all, fields(user = %_actor.user_id, id = %id))]
    pub async fn delete(&self, _actor: &Actor, id: Uuid) -> Result<(), ContactError> {
        match repo::delete(&self.db, id).await.map_err(map_db)? {
            0 => Err(ContactError::NotFound),
            _ => Ok(()),
        }
    }
}

/// The patterns `q` matches with: its folded text, and for phone- or document-like input
/// ("(11) 98765-4321", "529.982.247-25") also its bare digits.
fn search_patterns(q: &str) -> Vec<String> {
    let key = text::search_key(q);
    if key.is_empty() {
        return Vec::new();
    }
    let mut patterns = vec![text::like_contains(&key)];
    let digits = text::digits(q);
    let looks_numeric = q
        .chars()
        .all(|c| c.is_ascii_digit() || " ()+-./".contains(c));
    if looks_numeric && digits.len() >= 3 && digits != key {
        patterns.push(text::like_contains(&digits));
    }
    patterns
}

async fn ensure_document_free(
    db: &impl sea_orm::ConnectionTrait,
    valid: &Valid,
    except: Option<Uuid>,
) -> Result<(), ContactError> {
    if let Some(document) = &valid.document
        && let Some(other) = repo::by_document(db, document.as_str()).await?
        && Some(other.id) != except
    {
        return Err(ContactError::DuplicateDocument);
    }
    Ok(())
}

fn draft_of(row: &contacts::Model) -> Draft {
    Draft {
        name: row.name.clone(),
        email: row.email.clone(),
        phone: row.phone.clone(),
        document: row.document.clone(),
        company: row.company.clone(),
        address: address_of(row),
        notes: row.notes.clone(),
    }
}

fn apply(mut draft: Draft, patch: UpdateContactRequest) -> Draft {
    if let Some(name) = patch.name {
        draft.name = name;
    }
    let set = |slot: &mut Option<String>, value: Option<Option<String>>| {
        if let Some(value) = value {
            *slot = value;
        }
    };
    set(&mut draft.email, patch.email);
    set(&mut draft.phone, patch.phone);
    set(&mut draft.document, patch.document);
    set(&mut draft.company, patch.company);
    set(&mut draft.notes, patch.notes);
    if let Some(address) = patch.address {
        draft.address = address.unwrap_or_default();
    }
    draft
}

fn fill(row: contacts::Model, valid: Valid) -> contacts::Model {
    let search_key = valid.search_key();
    contacts::Model {
        name_key: text::search_key(&valid.name),
        name: valid.name,
        email: valid.email.map(|e| e.as_str().to_owned()),
        phone: valid.phone.map(|p| p.as_str().to_owned()),
        document_kind: valid
            .document
            .as_ref()
            .map(|d| d.kind().as_str().to_owned()),
        document: valid.document.map(|d| d.as_str().to_owned()),
        company: valid.company,
        street: valid.address.street,
        number: valid.address.number,
        complement: valid.address.complement,
        district: valid.address.district,
        city: valid.address.city,
        state: valid.address.state,
        postal_code: valid.address.postal_code,
        notes: valid.notes,
        search_key,
        ..row
    }
}

pub(crate) fn empty_row() -> contacts::Model {
    let now = crm_core::time::now();
    contacts::Model {
        id: Uuid::nil(),
        name: String::new(),
        name_key: String::new(),
        email: None,
        phone: None,
        document: None,
        document_kind: None,
        company: None,
        street: None,
        number: None,
        complement: None,
        district: None,
        city: None,
        state: None,
        postal_code: None,
        notes: None,
        search_key: String::new(),
        version: 0,
        created_by: Uuid::nil(),
        created_at: now,
        updated_at: now,
    }
}

fn address_of(row: &contacts::Model) -> Address {
    Address {
        street: row.street.clone(),
        number: row.number.clone(),
        complement: row.complement.clone(),
        district: row.district.clone(),
        city: row.city.clone(),
        state: row.state.clone(),
        postal_code: row.postal_code.clone(),
    }
}

pub fn to_response(row: contacts::Model) -> ContactResponse {
    let document = row
        .document
        .as_deref()
        .and_then(|d| Document::parse("document", d).ok());
    ContactResponse {
        id: row.id,
        address: address_of(&row),
        name: row.name,
        email: row.email,
        phone: row.phone,
        document_kind: document.as_ref().map(|d| match d.kind() {
            DocumentKind::Cpf => DocumentKindDto::Cpf,
            DocumentKind::Cnpj => DocumentKindDto::Cnpj,
        }),
        document_formatted: document.as_ref().map(Document::formatted),
        document: row.document,
        company: row.company,
        notes: row.notes,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// The address on one line: street, number, complement, district, city, UF and CEP, as far as
/// they are known.
pub fn address_line(row: &contacts::Model) -> Option<String> {
    let line = [
        row.street.as_deref(),
        row.number.as_deref(),
        row.complement.as_deref(),
        row.district.as_deref(),
        row.city.as_deref(),
        row.state.as_deref(),
        row.postal_code.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    (!line.is_empty()).then_some(line)
}

/// The CPF/CNPJ with its usual punctuation.
pub fn document_formatted(row: &contacts::Model) -> Option<String> {
    row.document.as_deref().map(|d| {
        Document::parse("document", d)
            .map(|d| d.formatted())
            .unwrap_or_else(|_| d.to_owned())
    })
}
