//! Deciding on an order: approve or reject a quote, cancel a sale. The status changes, the
//! content does not; the receivable of the flow counts quotes awaiting approval only.

use crm_core::Actor;
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use super::{SaleService, check_version, respond, status_of, visible_attendance, visible_sale};
use crate::dto::SaleResponse;
use crate::model::{Action, SaleStatus};
use crate::{SaleError, repo};

impl SaleService {
    /// approve, reject or cancel, acting on the current version (`If-Match` may name it).
    #[tracing::instrument(name = "sales.transition", skip_all, fields(user = %actor.user_id, id = %id))]
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
