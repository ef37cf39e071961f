//! Lists of orders: an attendance's "sales" tab and the global list of what the caller may see.

use chrono::{DateTime, Utc};
use crm_core::order::Period;
use crm_core::page::{Cursor, Limit, paginate};
use crm_core::{Actor, Money};
use uuid::Uuid;

use crate::SaleError;
use crate::dto::{SaleFilter, SalePage, SaleSummary, SaleTotals};
use crate::repo::{self, Filter};
use crate::service::{SaleService, status_of};

impl SaleService {
    /// The orders of an attendance, newest first.
    #[tracing::instrument(name = "sales.for_attendance", skip_all, fields(user = %actor.user_id, attendance_id = %attendance_id))]
    pub async fn for_attendance(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<SalePage, SaleError> {
        let attendance = crm_attendances::load_visible(&self.db, actor, attendance_id).await?;
        let filter = Filter {
            attendance_id: Some(attendance.id),
            ..Filter::default()
        };
        self.page(&filter, cursor, limit, false).await
    }

    /// Every order the caller may see, newest first, filtered by status, flow and period.
    #[tracing::instrument(name = "sales.list", skip_all, fields(user = %actor.user_id))]
    pub async fn list(
        &self,
        actor: &Actor,
        params: &SaleFilter,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<SalePage, SaleError> {
        let period = Period::parse(params.from, params.to)?;
        let (created_from, created_before) =
            period.instants(crm_attendances::model::business_offset());
        let filter = Filter {
            visible_flows: crm_flows::visible_flow_ids(actor),
            flow_id: params.flow_id,
            status: params.status.map(|s| s.as_str().to_owned()),
            created_from,
            created_before,
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
    ) -> Result<SalePage, SaleError> {
        let after = cursor
            .map(Cursor::decode::<(DateTime<Utc>, Uuid)>)
            .transpose()?;
        let rows = repo::list(&self.db, filter, after, limit.get() + 1).await?;
        let (rows, next_cursor) = paginate(rows, limit, |s| (s.created_at, s.id));
        let totals = if with_totals {
            let (count, cents) = repo::totals(&self.db, filter).await?;
            Some(SaleTotals {
                count: u64::try_from(count).unwrap_or(0),
                amount: Money::from_cents(cents).to_decimal_string(),
                currency: "BRL".to_owned(),
            })
        } else {
            None
        };
        Ok(SalePage {
            items: rows
                .into_iter()
                .map(|sale| SaleSummary {
                    status: status_of(&sale),
                    id: sale.id,
                    code: sale.code,
                    attendance_id: sale.attendance_id,
                    flow_id: sale.flow_id,
                    version: sale.current_version,
                    total: Money::from_cents(sale.total_cents).to_decimal_string(),
                    currency: "BRL".to_owned(),
                    created_at: sale.created_at,
                    updated_at: sale.updated_at,
                })
                .collect(),
            next_cursor,
            totals,
        })
    }
}
