//! What became of a queued message, told to whoever shows it. A message belongs to an
//! interaction, which is the attendances crate's, above this one: so the sender does not write
//! the interaction itself; the layer above hands it an [`Outcomes`] that the attendances crate
//! implements, and the sender calls it in the transaction that records the attempt.

use futures_util::future::BoxFuture;
use sea_orm::{DatabaseTransaction, DbErr};
use uuid::Uuid;

/// The state of a notification after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// The server took it, under this `Message-ID`.
    Sent { message_id: &'a str },
    /// Not sent; it will be tried again.
    Retrying { error: &'a str },
    /// Not sent, and no more attempts will be made.
    Failed { error: &'a str },
}

/// Records an outcome where the message's interaction is kept, in the sender's transaction.
pub trait Outcomes: Send + Sync {
    fn record<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        interaction_id: Uuid,
        outcome: Outcome<'a>,
    ) -> BoxFuture<'a, Result<(), DbErr>>;
}
