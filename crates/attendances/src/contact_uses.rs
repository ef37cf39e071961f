//! What the contacts crate asks of attendances: whether a contact is used in flows the caller
//! cannot see (who may edit a shared contact), and the attendances' copy of a renamed contact's
//! name. Wired into `crm_contacts::ContactService` by the server.

use crm_contacts::ContactUses;
use crm_core::Actor;
use futures_util::future::BoxFuture;
use sea_orm::{DatabaseTransaction, DbErr};
use uuid::Uuid;

use crate::repo;

#[derive(Debug, Default, Clone, Copy)]
pub struct AttendancesOfContacts;

impl ContactUses for AttendancesOfContacts {
    fn used_out_of_sight<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        actor: &'a Actor,
        contact_id: Uuid,
    ) -> BoxFuture<'a, Result<bool, DbErr>> {
        Box::pin(async move {
            match crm_flows::visible_flow_ids(actor) {
                Some(visible) => repo::used_outside(txn, contact_id, visible).await,
                None => Ok(false),
            }
        })
    }

    fn renamed<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        contact_id: Uuid,
        name: &'a str,
    ) -> BoxFuture<'a, Result<(), DbErr>> {
        Box::pin(repo::rename_contact(txn, contact_id, name))
    }
}
