//! Lists of purchases: an attendance's "purchases" tab and the global list of what the caller
//! may see.

use chrono::{DateTime, Utc};
use crm_core::Actor;
use crm_core::order::Period;
use crm_core::page::{Cursor, Limit, paginate};
use uuid::Uuid;

use crate::PurchaseError;
use crate::dto::{PurchaseFilter, PurchasePage, PurchaseSummary, PurchaseTotals, SupplierRef};
use crate::repo::{self, Filter};
use crate::service::{PurchaseService, money};

impl PurchaseService {
    /// The purchases of an attendance, newest first.
    #[tracing::instrument(name = "purchases.for_attendance", skip_all, fields(user = %actor.user_id, attendance_id = %attendance_id))]
    pub async fn for_attendance(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<PurchasePage, PurchaseError> {
        let attendance = crm_attendances::load_visible(&self.db, actor, attendance_id).await?;
        let filter = Filter {
            attendance_id: Some(attendance.id),
            ..Filter::default()
        };
        self.page(&filter, cursor, limit, false).await
    }

    /// Every purchase the caller may see, newest first, filtered by flow, supplier and the day
    /// of purchase.
    #[tracing::instrument(name = "purchases.list", skip_all, fields(user = %actor.user_id))]
    pub async fn list(
        &self,
        actor: &Actor,
        params: &PurchaseFilter,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<PurchasePage, PurchaseError> {
        let period = Period::parse(params.from, params.to)?;
        let filter = Filter {
            visible_flows: crm_flows::visible_flow_ids(actor),
            flow_id: params.flow_id,
            supplier_id: params.supplier_id,
            purchased_from: period.from,
            purchased_to: period.to,
            ..Filter::default()
        };
        self.page(&filter, cursor, limit, params.with_totals.unwrap_or(false))
            .await
    }

    async fn page(
        &self,
        filter: &Filter,
        cursor: Option<&str>,
        limit: Limit,
        with_totals: bool,
    ) -> Result<PurchasePage, PurchaseError> {
        let after = cursor
            .map(Cursor::decode::<(DateTime<Utc>, Uuid)>)
            .transpose()?;
        let rows = repo::list(&self.db, filter, after, limit.get() + 1).await?;
        let (rows, next_cursor) = paginate(rows, limit, |(p, _)| (p.created_at, p.id));
        let totals = if with_totals {
            let (count, cents) = repo::totals(&self.db, filter).await?;
            Some(PurchaseTotals {
                count: u64::try_from(count).unwrap_or(0),
                amount: money(cents),
                currency: "BRL".to_owned(),
            })
        } else {
            None
        };
        Ok(PurchasePage {
            items: rows
                .into_iter()
                .map(|(purchase, supplier)| PurchaseSummary {
                    supplier: SupplierRef {
                        id: purchase.supplier_id,
                        name: supplier.map(|s| s.name).unwrap_or_default(),
                    },
                    id: purchase.id,
                    code: purchase.code,
                    attendance_id: purchase.attendance_id,
                    flow_id: purchase.flow_id,
                    purchased_on: purchase.purchased_on,
                    total: money(purchase.total_cents),
                    currency: "BRL".to_owned(),
                    version: purchase.version,
                    created_at: purchase.created_at,
                    updated_at: purchase.updated_at,
                })
                .collect(),
            next_cursor,
            totals,
        })
    }
}
