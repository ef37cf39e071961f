//! Where contacts are used. Attendances point to contacts and keep a copy of the contact's name,
//! but they are the attendances crate's, above this one: that crate implements [`ContactUses`]
//! and the server hands it to [`crate::ContactService`], which calls it inside its own
//! transactions.

use crm_core::Actor;
use futures_util::future::BoxFuture;
use sea_orm::{DatabaseTransaction, DbErr};
use uuid::Uuid;

pub trait ContactUses: Send + Sync {
    /// Whether something the caller may not see uses the contact (an attendance, archived or
    /// trashed too, in a flow they are not authorized on). Always `false` for administrators.
    fn used_out_of_sight<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        actor: &'a Actor,
        contact_id: Uuid,
    ) -> BoxFuture<'a, Result<bool, DbErr>>;

    /// The contact's name changed: every copy of it (the attendances' list and search columns)
    /// follows in the same transaction.
    fn renamed<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        contact_id: Uuid,
        name: &'a str,
    ) -> BoxFuture<'a, Result<(), DbErr>>;
}
