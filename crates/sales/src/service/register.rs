//! Registering an order (a quote or a direct sale) and revising a quote into a new version: the
//! content is validated and priced by the order model sales shares with purchases
//! (`crm_core::order`), then written as an immutable version with its lines.

use chrono::{DateTime, Utc};
use crm_core::order::{self, Line, StoredLine};
use crm_core::pricing::{self, Totals};
use crm_core::{Actor, FieldErrors, text};
use crm_entity::{sale_items, sale_versions, sales};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::{SaleService, check_version, respond, status_of, visible_attendance, visible_sale};
use crate::dto::{SaleRequest, SaleResponse};
use crate::model::SaleStatus;
use crate::{SaleError, repo};

/// A request whose every field is valid and whose amounts are computed.
struct Priced {
    lines: Vec<Line>,
    totals: Totals,
}

impl SaleService {
    /// Registers a quote (`awaiting_approval`) or a sale (`approved`) on an attendance.
    #[tracing::instrument(name = "sales.create", skip_all, fields(user = %actor.user_id, attendance_id = %attendance_id))]
    pub async fn create(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        request: SaleRequest,
    ) -> Result<SaleResponse, SaleError> {
        let priced = price(&request)?;
        let txn = self.db.begin().await?;
        let attendance = visible_attendance(&txn, actor, attendance_id).await?;
        let status = request.status.unwrap_or(SaleStatus::AwaitingApproval);
        if matches!(status, SaleStatus::Rejected | SaleStatus::Cancelled) {
            return Err(FieldErrors::single(
                "status",
                "invalid_value",
                "a new order is `awaiting_approval` (a quote) or `approved` (a sale)",
            )
            .into());
        }
        let (counter, prefix) = status.code_prefix();
        let number = crm_attendances::next_counter(&txn, counter).await?;
        let now = crm_core::time::now();
        let approved = status == SaleStatus::Approved;
        let sale = sales::Model {
            id: crm_core::id::new_id(),
            attendance_id: attendance.id,
            flow_id: attendance.flow_id,
            code: format!("{prefix}-{number:06}"),
            status: status.as_str().to_owned(),
            current_version: 1,
            total_cents: pricing::to_cents(priced.totals.total),
            issue_nfe: request.issue_nfe.unwrap_or(false),
            decided_by: approved.then_some(actor.user_id),
            decided_at: approved.then_some(now),
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
        };
        let sale = repo::insert(&txn, sale).await?;
        if status == SaleStatus::AwaitingApproval {
            crm_attendances::add_to_receivable(&txn, attendance.flow_id, 1, sale.total_cents)
                .await?;
        }
        insert_version(&txn, &sale, 1, &request, &priced, actor, now).await?;
        let data = json!({
            "sale_id": sale.id, "code": sale.code, "status": sale.status,
            "total": pricing::from_cents(sale.total_cents).to_string(),
        });
        crm_attendances::record_event(
            &txn,
            attendance.id,
            actor.user_id,
            "sale_registered",
            data,
            None,
            now,
        )
        .await?;
        let response = respond(&txn, sale).await?;
        txn.commit().await?;
        Ok(response)
    }

    /// Replaces the order's content with a new version (n + 1). `expected` is the version the
    /// client edited (`If-Match`); an older one is 412, so no edit is lost.
    #[tracing::instrument(name = "sales.revise", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn revise(
        &self,
        actor: &Actor,
        id: Uuid,
        request: SaleRequest,
        expected: Option<i32>,
    ) -> Result<SaleResponse, SaleError> {
        if request.status.is_some() {
            return Err(FieldErrors::single(
                "status",
                "read_only",
                "a new version keeps the status; use approve, reject or cancel",
            )
            .into());
        }
        let priced = price(&request)?;
        let txn = self.db.begin().await?;
        let current = visible_sale(&txn, actor, id).await?;
        // Like the attendance itself, its orders are read-only while it is in the trash.
        let attendance = visible_attendance(&txn, actor, current.attendance_id).await?;
        check_version(&current, expected)?;
        let status = status_of(&current);
        if status != SaleStatus::AwaitingApproval {
            return Err(SaleError::NotEditable(status.as_str().to_owned()));
        }
        let now = crm_core::time::now();
        let number = current.current_version + 1;
        let mut sale = current.clone();
        sale.current_version = number;
        sale.total_cents = pricing::to_cents(priced.totals.total);
        if let Some(issue_nfe) = request.issue_nfe {
            sale.issue_nfe = issue_nfe;
        }
        sale.updated_at = now;
        if !repo::update(&txn, sale.clone(), current.current_version, &current.status).await? {
            return Err(SaleError::StaleVersion {
                current: current.current_version + 1,
            });
        }
        let change = sale.total_cents - current.total_cents;
        crm_attendances::add_to_receivable(&txn, attendance.flow_id, 0, change).await?;
        insert_version(&txn, &sale, number, &request, &priced, actor, now).await?;
        let data = json!({
            "sale_id": sale.id, "code": sale.code, "version": number,
            "total": pricing::from_cents(sale.total_cents).to_string(),
        });
        crm_attendances::record_event(
            &txn,
            sale.attendance_id,
            actor.user_id,
            "sale_revised",
            data,
            None,
            now,
        )
        .await?;
        let response = respond(&txn, sale).await?;
        txn.commit().await?;
        Ok(response)
    }
}

/// Validates every field and computes every amount, naming each invalid field.
fn price(request: &SaleRequest) -> Result<Priced, SaleError> {
    let mut errors = FieldErrors::new();
    let lines = order::parse_lines(&request.items, "an order", &mut errors);
    if let Some(terms) = &request.payment_terms {
        order::bounded(&mut errors, "payment_terms", terms, 500);
    }
    if let Some(notes) = &request.notes {
        order::bounded(&mut errors, "notes", notes, 5000);
    }
    errors.into_result()?;
    let totals = order::totals(
        &lines,
        request.freight.as_deref(),
        request.discount.as_ref(),
    )?;
    Ok(Priced { lines, totals })
}

async fn insert_version(
    db: &impl ConnectionTrait,
    sale: &sales::Model,
    number: i32,
    request: &SaleRequest,
    priced: &Priced,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), SaleError> {
    let version = sale_versions::Model {
        id: crm_core::id::new_id(),
        sale_id: sale.id,
        number,
        subtotal_cents: pricing::to_cents(priced.totals.subtotal),
        discount_cents: pricing::to_cents(priced.totals.discount),
        freight_cents: pricing::to_cents(priced.totals.freight),
        total_cents: pricing::to_cents(priced.totals.total),
        discount: request.discount.as_ref().map(order::stored_discount),
        payment_terms: text::clean_optional(request.payment_terms.as_deref()),
        valid_until: request.valid_until,
        notes: text::clean_optional(request.notes.as_deref()),
        created_by: actor.user_id,
        created_at: now,
    };
    let row = |line: StoredLine| sale_items::Model {
        id: crm_core::id::new_id(),
        version_id: version.id,
        position: line.position,
        description: line.description,
        product_code: line.product_code,
        quantity: line.quantity,
        unit: line.unit,
        unit_price: line.unit_price,
        discount: line.discount,
        gross_cents: line.gross_cents,
        discount_cents: line.discount_cents,
        total_cents: line.total_cents,
    };
    let lines = priced.lines.iter().enumerate();
    let items = lines.map(|(index, line)| row(line.stored(index))).collect();
    repo::insert_version(db, version, items).await?;
    Ok(())
}
