//! NF-e data of an order (point 6 of the sales issue): `GET` prefills what an NF-e needs from the
//! contact of the order's attendance and the order's current version; `PUT` saves the user's
//! completion over that prefill. Building and sending the XML is a later step: it is to take a
//! `ready` document, which by construction belongs to the order's current version.
//!
//! Choices a client can rely on:
//! - `PUT` accepts an incomplete document; only values that are present and wrong are a 422.
//!   The answer says `incomplete` with the `missing` paths, or `ready`.
//! - `PUT` replaces the saved completion (send back the `document` you read, changed); only what
//!   was sent is saved, so fields left to the prefill follow later edits of the contact.
//! - Saving NF-e data marks the order `issue_nfe: true`: filling in the invoice is the user saying
//!   one is to be issued, and an approved sale can no longer be edited to say so. Orders that are
//!   rejected or cancelled get no NF-e (409), nor do orders of an attendance in the trash (409,
//!   like every change to it). `GET` works for every order and reports `issue_nfe`.
//! - Item tax data is kept by position. When the order gets a new version, each line whose product
//!   changed, or that is new, is listed in `review` and the document is `incomplete` until the
//!   items are saved again.

mod build;
mod check;
mod codes;
pub mod dto;
mod repo;

use chrono::{DateTime, Utc};
use crm_core::{Actor, Code, ErrorCode, FieldErrors};
use crm_entity::{sale_nfe, sales};
use sea_orm::{ConnectionTrait, DbErr, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use self::build::{LineBasis, Order, Stored};
use self::dto::{NfeDocument, NfeResponse, NfeStatus};
use crate::model::SaleStatus;
use crate::service::{status_of, visible_attendance, visible_sale};
use crate::{SaleError, SaleService};

#[derive(Debug, thiserror::Error)]
pub enum NfeError {
    #[error(transparent)]
    Sale(#[from] SaleError),
    #[error("no NF-e is issued for an order that is {0}")]
    OrderClosed(&'static str),
    #[error("the NF-e data changed since you read it: version {current} is current")]
    StaleVersion { current: i32 },
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl ErrorCode for NfeError {
    fn error_code(&self) -> Code {
        match self {
            NfeError::Sale(e) => e.error_code(),
            NfeError::OrderClosed(_) => Code::Conflict,
            NfeError::StaleVersion { .. } => Code::PreconditionFailed,
            NfeError::Validation(_) => Code::ValidationFailed,
            NfeError::Database(e) => crm_entity::db_error::code(e),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            NfeError::Sale(e) => e.field_errors(),
            NfeError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

impl SaleService {
    /// The NF-e data of an order: the saved completion over the prefill, with what is missing.
    #[tracing::instrument(name = "sales.nfe", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn nfe(&self, actor: &Actor, id: Uuid) -> Result<NfeResponse, NfeError> {
        let sale = visible_sale(&self.db, actor, id).await?;
        let row = repo::stored(&self.db, sale.id).await?;
        let order = load_order(&self.db, &sale).await?;
        let stored = row.as_ref().map(decode).transpose()?;
        let saved = row.map(|r| (r.version, r.updated_at));
        Ok(respond(&sale, &order, stored.as_ref(), saved))
    }

    /// Saves the user's completion of the NF-e data. `expected` is the version read (`If-Match`,
    /// 0 before the first save); another one is 412.
    #[tracing::instrument(name = "sales.save_nfe", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn save_nfe(
        &self,
        actor: &Actor,
        id: Uuid,
        body: NfeDocument,
        expected: Option<i32>,
    ) -> Result<NfeResponse, NfeError> {
        let txn = self.db.begin().await?;
        let mut sale = visible_sale(&txn, actor, id).await?;
        visible_attendance(&txn, actor, sale.attendance_id).await?;
        let order_status = status_of(&sale);
        if matches!(order_status, SaleStatus::Rejected | SaleStatus::Cancelled) {
            return Err(NfeError::OrderClosed(order_status.as_str()));
        }
        let row = repo::stored(&txn, sale.id).await?;
        let current = row.as_ref().map_or(0, |r| r.version);
        if expected.is_some_and(|v| v != current) {
            return Err(NfeError::StaleVersion { current });
        }
        let order = load_order(&txn, &sale).await?;
        let mut errors = FieldErrors::new();
        let lines = order.lines.len();
        if !body.items.is_empty() && body.items.len() != lines {
            let message = format!(
                "must have one entry per line of the order's version {} ({lines}), in order, or \
                 none to keep the prefill",
                sale.current_version
            );
            errors.add("items", "wrong_count", message);
        }
        let completion = build::completion_of(body, &order.lines);
        let mut document = build::effective(&order, &completion);
        let findings = check::check(&mut document, order.version.total_cents);
        errors.0.extend(findings.invalid.0);
        errors.into_result()?;
        let stored = Stored {
            sale_version: sale.current_version,
            completion,
            lines: order.lines.iter().map(LineBasis::from).collect(),
        };
        let status = if findings.missing.is_empty() {
            NfeStatus::Ready
        } else {
            NfeStatus::Incomplete
        };
        let now = crm_core::time::now();
        let version = current + 1;
        let new = sale_nfe::Model {
            sale_id: sale.id,
            document: serde_json::to_string(&stored).map_err(|e| DbErr::Json(e.to_string()))?,
            status: status.as_str().to_owned(),
            version,
            updated_at: now,
        };
        let written = match row {
            Some(_) => repo::update(&txn, new, current).await?,
            // Two first saves at once: the second meets the first's row.
            None => match repo::insert(&txn, new).await {
                Err(e) if crm_entity::db_error::is_unique(&e) => false,
                other => other.map(|()| true)?,
            },
        };
        if !written {
            return Err(NfeError::StaleVersion { current: version });
        }
        if !sale.issue_nfe {
            repo::mark_issue_nfe(&txn, sale.id, now).await?;
            sale.issue_nfe = true;
        }
        let data = json!({
            "sale_id": sale.id, "code": sale.code, "version": version,
            "status": status.as_str(), "sale_version": sale.current_version,
        });
        crm_attendances::record_event(
            &txn,
            sale.attendance_id,
            actor.user_id,
            "sale_nfe_saved",
            data,
            None,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(respond(&sale, &order, Some(&stored), Some((version, now))))
    }
}

async fn load_order(db: &impl ConnectionTrait, sale: &sales::Model) -> Result<Order, NfeError> {
    let (version, lines) = crate::repo::versions(db, sale.id, Some(sale.current_version))
        .await?
        .pop()
        .ok_or(SaleError::VersionNotFound(sale.current_version))?;
    let contact = repo::contact_of(db, sale.attendance_id).await?;
    Ok(Order {
        version,
        lines,
        contact,
    })
}

fn decode(row: &sale_nfe::Model) -> Result<Stored, NfeError> {
    serde_json::from_str(&row.document).map_err(|e| NfeError::Database(DbErr::Json(e.to_string())))
}

fn respond(
    sale: &sales::Model,
    order: &Order,
    stored: Option<&Stored>,
    saved: Option<(i32, DateTime<Utc>)>,
) -> NfeResponse {
    let nothing = NfeDocument::default();
    let completion = stored.map_or(&nothing, |s| &s.completion);
    let mut document = build::effective(order, completion);
    let findings = check::check(&mut document, order.version.total_cents);
    let review = build::review(stored, &order.lines);
    let ready = findings.missing.is_empty() && findings.invalid.is_empty() && review.is_empty();
    NfeResponse {
        sale_id: sale.id,
        sale_code: sale.code.clone(),
        order_status: status_of(sale),
        issue_nfe: sale.issue_nfe,
        sale_version: sale.current_version,
        version: saved.map_or(0, |(version, _)| version),
        status: if ready {
            NfeStatus::Ready
        } else {
            NfeStatus::Incomplete
        },
        missing: findings.missing,
        invalid: findings.invalid.0,
        review,
        updated_at: saved.map(|(_, at)| at),
        document,
    }
}
