//! Order use cases: register, read, new versions, approve/reject/cancel, lists. Access goes
//! through the order's attendance (`crm_attendances::load_visible`), so an order in a flow the
//! caller may not see answers 404 like any record of that flow.

use chrono::{DateTime, Utc};
use crm_core::pricing::{self, DiscountInput, PricedLine, Totals};
use crm_core::{Actor, FieldErrors, text};
use crm_entity::{attendances, sale_items, sale_versions, sales};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::dto::{ItemResponse, SaleRequest, SaleResponse, VersionResponse};
use crate::model::{Action, SaleStatus};
use crate::{SaleError, repo};

#[derive(Clone)]
pub struct SaleService {
    pub(crate) db: DatabaseConnection,
}

/// A request whose every field is valid and whose amounts are computed.
struct Priced {
    lines: Vec<(usize, PricedLine)>,
    totals: Totals,
}

impl SaleService {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Registers a quote (`awaiting_approval`) or a sale (`approved`) on an attendance.
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

    /// The order with its current version.
    pub async fn get(&self, actor: &Actor, id: Uuid) -> Result<SaleResponse, SaleError> {
        let sale = visible_sale(&self.db, actor, id).await?;
        respond(&self.db, sale).await
    }

    /// Every version, oldest first; all but the last are outdated.
    pub async fn versions(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<crate::dto::VersionList, SaleError> {
        let sale = visible_sale(&self.db, actor, id).await?;
        let versions = repo::versions(&self.db, sale.id, None).await?;
        Ok(crate::dto::VersionList {
            sale_id: sale.id,
            current_version: sale.current_version,
            items: versions
                .into_iter()
                .map(|(version, items)| version_response(version, items, sale.current_version))
                .collect(),
        })
    }

    /// Replaces the order's content with a new version (n + 1). `expected` is the version the
    /// client edited (`If-Match`); an older one is 412, so no edit is lost.
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

    /// approve, reject or cancel, acting on the current version (`If-Match` may name it).
    pub async fn transition(
        &self,
        actor: &Actor,
        id: Uuid,
        action: Action,
        expected: Option<i32>,
    ) -> Result<SaleResponse, SaleError> {
        let txn = self.db.begin().await?;
        let current = visible_sale(&txn, actor, id).await?;
        let attendance = visible_attendance(&txn, actor, current.attendance_id).await?;
        check_version(&current, expected)?;
        let from = status_of(&current);
        let to = from
            .after(action)
            .ok_or_else(|| SaleError::InvalidTransition {
                action: action.as_str(),
                status: from.as_str().to_owned(),
            })?;
        let now = crm_core::time::now();
        let mut sale = current.clone();
        sale.status = to.as_str().to_owned();
        sale.decided_by = Some(actor.user_id);
        sale.decided_at = Some(now);
        sale.updated_at = now;
        // The status changes, not the content: the version number stays, the row is guarded by it.
        if !repo::update(&txn, sale.clone(), current.current_version, &current.status).await? {
            return Err(SaleError::StaleVersion {
                current: current.current_version + 1,
            });
        }
        if from == SaleStatus::AwaitingApproval {
            let (flow, total) = (attendance.flow_id, current.total_cents);
            crm_attendances::add_to_receivable(&txn, flow, -1, -total).await?;
        }
        let data = json!({
            "sale_id": sale.id, "code": sale.code, "from": from, "to": to,
            "version": sale.current_version,
        });
        let kind = match action {
            Action::Approve => "sale_approved",
            Action::Reject => "sale_rejected",
            Action::Cancel => "sale_cancelled",
        };
        crm_attendances::record_event(
            &txn,
            sale.attendance_id,
            actor.user_id,
            kind,
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

/// The attendance, visible and not in the trash, locked until the transaction ends: its trash,
/// restore or move waits for this order's change (and the receivable counts each quote once).
pub(crate) async fn visible_attendance(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
) -> Result<attendances::Model, SaleError> {
    let (attendance, _) = crm_attendances::load_visible_for_write(txn, actor, id).await?;
    if attendance.deleted_at.is_some() {
        return Err(SaleError::AttendanceInTrash);
    }
    Ok(attendance)
}

/// The order, if the caller may see its flow; 404 otherwise.
pub(crate) async fn visible_sale(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<sales::Model, SaleError> {
    let sale = repo::by_id(db, id).await?.ok_or(SaleError::NotFound)?;
    crm_flows::visible_flow(db, actor, sale.flow_id).await?;
    Ok(sale)
}

fn check_version(sale: &sales::Model, expected: Option<i32>) -> Result<(), SaleError> {
    match expected {
        Some(version) if version != sale.current_version => Err(SaleError::StaleVersion {
            current: sale.current_version,
        }),
        _ => Ok(()),
    }
}

pub(crate) fn status_of(sale: &sales::Model) -> SaleStatus {
    SaleStatus::parse(&sale.status).unwrap_or(SaleStatus::AwaitingApproval)
}

/// Validates every field and computes every amount, naming each invalid field.
fn price(request: &SaleRequest) -> Result<Priced, SaleError> {
    let mut errors = FieldErrors::new();
    if request.items.is_empty() {
        errors.add("items", "required", "an order needs at least one item");
    }
    if request.items.len() > 500 {
        errors.add("items", "too_many", "an order has at most 500 items");
    }
    let mut lines = Vec::new();
    for (index, item) in request.items.iter().enumerate() {
        let prefix = format!("items[{index}]");
        bounded(
            &mut errors,
            &format!("{prefix}.description"),
            &item.description,
            500,
            true,
        );
        if let Some(code) = &item.product_code {
            bounded(
                &mut errors,
                &format!("{prefix}.product_code"),
                code,
                60,
                false,
            );
        }
        bounded(&mut errors, &format!("{prefix}.unit"), &item.unit, 6, true);
        match pricing::price_line(
            &prefix,
            &item.quantity,
            &item.unit_price,
            item.discount.as_ref(),
        ) {
            Ok(line) => lines.push((index, line)),
            Err(line_errors) => errors.0.extend(line_errors.0),
        }
    }
    if let Some(terms) = &request.payment_terms {
        bounded(&mut errors, "payment_terms", terms, 500, false);
    }
    if let Some(notes) = &request.notes {
        bounded(&mut errors, "notes", notes, 5000, false);
    }
    errors.clone().into_result()?;
    let priced: Vec<PricedLine> = lines.iter().map(|(_, line)| line.clone()).collect();
    let totals = pricing::totals(
        &priced,
        request.freight.as_deref(),
        request.discount.as_ref(),
    )?;
    Ok(Priced { lines, totals })
}

fn bounded(errors: &mut FieldErrors, field: &str, value: &str, max: usize, required: bool) {
    let value = text::clean(value);
    if required && value.is_empty() {
        errors.add(field, "required", "must not be empty");
    } else if value.chars().count() > max {
        errors.add(
            field,
            "too_long",
            format!("must have at most {max} characters"),
        );
    }
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
        discount: request.discount.as_ref().map(discount_json),
        payment_terms: text::clean_optional(request.payment_terms.as_deref()),
        valid_until: request.valid_until,
        notes: text::clean_optional(request.notes.as_deref()),
        created_by: actor.user_id,
        created_at: now,
    };
    let items = priced
        .lines
        .iter()
        .map(|(index, line)| {
            let item = &request.items[*index];
            sale_items::Model {
                id: crm_core::id::new_id(),
                version_id: version.id,
                position: i32::try_from(*index + 1).unwrap_or(i32::MAX),
                description: text::clean(&item.description),
                product_code: text::clean_optional(item.product_code.as_deref()),
                quantity: line.quantity.normalize().to_string(),
                unit: text::clean(&item.unit).to_uppercase(),
                unit_price: line.unit_price.to_string(),
                discount: item.discount.as_ref().map(discount_json),
                gross_cents: pricing::to_cents(line.gross),
                discount_cents: pricing::to_cents(line.discount),
                total_cents: pricing::to_cents(line.total),
            }
        })
        .collect();
    repo::insert_version(db, version, items).await?;
    Ok(())
}

fn discount_json(discount: &DiscountInput) -> String {
    serde_json::to_string(discount).unwrap_or_default()
}

fn discount_of(stored: Option<&str>) -> Option<DiscountInput> {
    stored.and_then(|s| serde_json::from_str(s).ok())
}

pub(crate) async fn respond(
    db: &impl ConnectionTrait,
    sale: sales::Model,
) -> Result<SaleResponse, SaleError> {
    let (version, items) = repo::versions(db, sale.id, Some(sale.current_version))
        .await?
        .pop()
        .ok_or(SaleError::VersionNotFound(sale.current_version))?;
    let current = version_response(version, items, sale.current_version);
    Ok(SaleResponse {
        id: sale.id,
        status: status_of(&sale),
        code: sale.code,
        attendance_id: sale.attendance_id,
        flow_id: sale.flow_id,
        issue_nfe: sale.issue_nfe,
        currency: "BRL".to_owned(),
        decided_by: sale.decided_by,
        decided_at: sale.decided_at,
        created_by: sale.created_by,
        created_at: sale.created_at,
        updated_at: sale.updated_at,
        current,
    })
}

fn money(cents: i64) -> String {
    crm_core::Money::from_cents(cents).to_decimal_string()
}

fn version_response(
    version: sale_versions::Model,
    items: Vec<sale_items::Model>,
    current: i32,
) -> VersionResponse {
    VersionResponse {
        number: version.number,
        outdated: version.number != current,
        items: items
            .into_iter()
            .map(|item| ItemResponse {
                position: item.position,
                description: item.description,
                product_code: item.product_code,
                quantity: item.quantity,
                unit: item.unit,
                unit_price: item.unit_price,
                discount: discount_of(item.discount.as_deref()),
                gross: money(item.gross_cents),
                discount_amount: money(item.discount_cents),
                total: money(item.total_cents),
            })
            .collect(),
        subtotal: money(version.subtotal_cents),
        discount: discount_of(version.discount.as_deref()),
        discount_amount: money(version.discount_cents),
        freight: money(version.freight_cents),
        total: money(version.total_cents),
        payment_terms: version.payment_terms,
        valid_until: version.valid_until,
        notes: version.notes,
        created_by: version.created_by,
        created_at: version.created_at,
    }
}
