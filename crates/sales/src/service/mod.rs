//! Order use cases: register, read, new versions, approve/reject/cancel, lists. Access goes
//! through the order's attendance (`crm_attendances::load_visible`), so an order in a flow the
//! caller may not see answers 404 like any record of that flow.
//!
//! One module a use case: `register` (a new order, a new version), `decide` (approve, reject,
//! cancel), `respond` (an order as answered); the lists are in `crate::listing`, the NF-e data in
//! `crate::nfe`. What they all need (the order and its attendance as the caller may see them, the
//! `If-Match` check) is here.

mod decide;
mod register;
mod respond;

use crm_core::Actor;
use crm_entity::{attendances, sales};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};
use uuid::Uuid;

use crate::dto::{SaleResponse, VersionList};
use crate::model::SaleStatus;
use crate::{SaleError, repo};
pub(crate) use respond::respond;

#[derive(Clone)]
pub struct SaleService {
    pub(crate) db: DatabaseConnection,
}

impl SaleService {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The order with its current version.
    #[tracing::instrument(name = "sales.get", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn get(&self, actor: &Actor, id: Uuid) -> Result<SaleResponse, SaleError> {
        let sale = visible_sale(&self.db, actor, id).await?;
        respond(&self.db, sale).await
    }

    /// Every version, oldest first; all but the last are outdated.
    #[tracing::instrument(name = "sales.versions", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn versions(&self, actor: &Actor, id: Uuid) -> Result<VersionList, SaleError> {
        let sale = visible_sale(&self.db, actor, id).await?;
        let versions = repo::versions(&self.db, sale.id, None).await?;
        Ok(VersionList {
            sale_id: sale.id,
            current_version: sale.current_version,
            items: versions
                .into_iter()
                .map(|(version, items)| {
                    respond::version_response(version, items, sale.current_version)
                })
                .collect(),
        })
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

pub(crate) fn check_version(sale: &sales::Model, expected: Option<i32>) -> Result<(), SaleError> {
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
