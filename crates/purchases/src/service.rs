//! Purchase use cases: register, read, replace. Access goes through the purchase's flow (the
//! attendance's, kept in step by moves), so a purchase in a flow the caller may not see answers
//! 404 like any record of that flow.

use chrono::{DateTime, NaiveDate, Utc};
use crm_core::order::{self, ItemResponse, StoredLine};
use crm_core::pricing;
use crm_core::{Actor, FieldErrors, Money};
use crm_entity::{attendances, purchase_items, purchases};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::dto::{PurchaseRequest, PurchaseResponse, SupplierRef};
use crate::model::Content;
use crate::{PurchaseError, repo};

/// The counter behind the `CMP-000001` codes.
const CODE_COUNTER: &str = "purchase_code";

#[derive(Clone)]
pub struct PurchaseService {
    pub(crate) db: DatabaseConnection,
}

impl PurchaseService {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Registers a purchase on an attendance and notes it in the attendance's timeline.
    #[tracing::instrument(name = "purchases.create", skip_all, fields(user = %actor.user_id, attendance_id = %attendance_id))]
    pub async fn create(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        request: PurchaseRequest,
    ) -> Result<PurchaseResponse, PurchaseError> {
        let txn = self.db.begin().await?;
        let attendance = visible_attendance(&txn, actor, attendance_id).await?;
        let now = crm_core::time::now();
        let (content, supplier) = validate(&txn, &request, now).await?;
        let number = crm_attendances::next_counter(&txn, CODE_COUNTER).await?;
        let mut row = purchases::Model {
            id: crm_core::id::new_id(),
            attendance_id: attendance.id,
            flow_id: attendance.flow_id,
            code: format!("CMP-{number:06}"),
            supplier_id: supplier.id,
            purchased_on: content.purchased_on,
            notes: None,
            subtotal_cents: 0,
            discount_cents: 0,
            freight_cents: 0,
            total_cents: 0,
            discount: None,
            version: 1,
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
        };
        fill(&mut row, &content);
        let items = item_rows(row.id, &content);
        let row = repo::insert(&txn, row, items.clone())
            .await
            .map_err(supplier_gone)?;
        let data = json!({
            "purchase_id": row.id, "code": row.code,
            "supplier": {"id": supplier.id, "name": supplier.name},
            "total": money(row.total_cents),
        });
        crm_attendances::record_event(
            &txn,
            attendance.id,
            actor.user_id,
            "purchase_registered",
            data,
            None,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(respond(row, supplier, items))
    }

    /// The purchase with its lines.
    #[tracing::instrument(name = "purchases.get", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn get(&self, actor: &Actor, id: Uuid) -> Result<PurchaseResponse, PurchaseError> {
        let row = repo::by_id(&self.db, id)
            .await?
            .ok_or(PurchaseError::NotFound)?;
        crm_flows::visible_flow(&self.db, actor, row.flow_id).await?;
        let name = repo::supplier_name(&self.db, row.supplier_id).await?;
        let supplier = SupplierRef {
            id: row.supplier_id,
            name: name.unwrap_or_default(),
        };
        let items = repo::items(&self.db, row.id).await?;
        Ok(respond(row, supplier, items))
    }

    /// Replaces the purchase's content (supplier, day, lines, freight, discount, notes) and
    /// recomputes it. `expected` is the version the client edited (`If-Match`); another one is
    /// 412, so no edit is lost.
    #[tracing::instrument(name = "purchases.replace", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn replace(
        &self,
        actor: &Actor,
        id: Uuid,
        request: PurchaseRequest,
        expected: Option<i32>,
    ) -> Result<PurchaseResponse, PurchaseError> {
        let txn = self.db.begin().await?;
        let current = repo::by_id(&txn, id)
            .await?
            .ok_or(PurchaseError::NotFound)?;
        match visible_attendance(&txn, actor, current.attendance_id).await {
            Err(PurchaseError::AttendanceNotFound) => return Err(PurchaseError::NotFound),
            other => other?,
        };
        if let Some(version) = expected
            && version != current.version
        {
            return Err(PurchaseError::StaleVersion {
                current: current.version,
            });
        }
        let now = crm_core::time::now();
        let (content, supplier) = validate(&txn, &request, now).await?;
        let mut row = current.clone();
        fill(&mut row, &content);
        row.version = current.version + 1;
        row.updated_at = now;
        let items = item_rows(row.id, &content);
        if !repo::update(&txn, row.clone(), current.version, items.clone())
            .await
            .map_err(supplier_gone)?
        {
            return Err(PurchaseError::StaleVersion {
                current: current.version + 1,
            });
        }
        let data = json!({
            "purchase_id": row.id, "code": row.code, "version": row.version,
            "supplier": {"id": supplier.id, "name": supplier.name},
            "from": money(current.total_cents), "total": money(row.total_cents),
        });
        crm_attendances::record_event(
            &txn,
            row.attendance_id,
            actor.user_id,
            "purchase_updated",
            data,
            None,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(respond(row, supplier, items))
    }
}

/// The attendance, visible and not in the trash.
async fn visible_attendance(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<attendances::Model, PurchaseError> {
    let attendance = crm_attendances::load_visible(db, actor, id).await?;
    if attendance.deleted_at.is_some() {
        return Err(PurchaseError::AttendanceInTrash);
    }
    Ok(attendance)
}

/// The request's content and its supplier, or every invalid field at once.
async fn validate(
    db: &impl ConnectionTrait,
    request: &PurchaseRequest,
    now: DateTime<Utc>,
) -> Result<(Content, SupplierRef), PurchaseError> {
    let parsed = Content::parse(request, business_day(now));
    let name = repo::supplier_name(db, request.supplier_id).await?;
    let mut errors = FieldErrors::new();
    if name.is_none() {
        errors.add("supplier_id", "unknown_contact", "no contact has this id");
    }
    match (parsed, name) {
        (Ok(content), Some(name)) => Ok((
            content,
            SupplierRef {
                id: request.supplier_id,
                name,
            },
        )),
        (Err(invalid), _) => {
            errors.0.extend(invalid.0);
            Err(errors.into())
        }
        (Ok(_), None) => Err(errors.into()),
    }
}

/// The supplier was deleted between the check and the write.
fn supplier_gone(error: DbErr) -> PurchaseError {
    if crm_entity::db_error::is_foreign_key(&error) {
        FieldErrors::single("supplier_id", "unknown_contact", "no contact has this id").into()
    } else {
        error.into()
    }
}

/// Today in Brasília, where the users are.
fn business_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&crm_attendances::model::business_offset())
        .date_naive()
}

/// Copies the content's fields and amounts onto the row.
fn fill(row: &mut purchases::Model, content: &Content) {
    row.supplier_id = content.supplier_id;
    row.purchased_on = content.purchased_on;
    row.notes = content.notes.clone();
    row.subtotal_cents = pricing::to_cents(content.totals.subtotal);
    row.discount_cents = pricing::to_cents(content.totals.discount);
    row.freight_cents = pricing::to_cents(content.totals.freight);
    row.total_cents = pricing::to_cents(content.totals.total);
    row.discount = content.discount.as_ref().map(order::stored_discount);
}

fn item_rows(purchase_id: Uuid, content: &Content) -> Vec<purchase_items::Model> {
    let row = |line: StoredLine| purchase_items::Model {
        id: crm_core::id::new_id(),
        purchase_id,
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
    let lines = content.lines.iter().enumerate();
    lines.map(|(index, line)| row(line.stored(index))).collect()
}

fn item_response(item: purchase_items::Model) -> ItemResponse {
    ItemResponse::from(StoredLine::from(item))
}

pub(crate) fn money(cents: i64) -> String {
    Money::from_cents(cents).to_decimal_string()
}

fn respond(
    row: purchases::Model,
    supplier: SupplierRef,
    items: Vec<purchase_items::Model>,
) -> PurchaseResponse {
    PurchaseResponse {
        id: row.id,
        code: row.code,
        attendance_id: row.attendance_id,
        flow_id: row.flow_id,
        supplier,
        purchased_on: row.purchased_on,
        items: items.into_iter().map(item_response).collect(),
        subtotal: money(row.subtotal_cents),
        discount: order::discount_of(row.discount.as_deref()),
        discount_amount: money(row.discount_cents),
        freight: money(row.freight_cents),
        total: money(row.total_cents),
        currency: "BRL".to_owned(),
        notes: row.notes,
        version: row.version,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}
