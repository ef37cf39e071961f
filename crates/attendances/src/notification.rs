//! The state of a note's e-mail, shown on the note: the mail sender reports each attempt's
//! outcome through [`NotificationOutcomes`], which the server wires into it (mail sits below
//! attendances and does not write their interactions).

use crm_mail::{Outcome, Outcomes};
use futures_util::future::BoxFuture;
use sea_orm::{DatabaseTransaction, DbErr};
use uuid::Uuid;

use crate::repo;

/// Writes a notification's outcome on its interaction: `sent` with the `Message-ID`, `pending`
/// with the last error while retries remain, `failed` with it after the last.
#[derive(Debug, Default, Clone, Copy)]
pub struct NotificationOutcomes;

impl Outcomes for NotificationOutcomes {
    fn record<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        interaction_id: Uuid,
        outcome: Outcome<'a>,
    ) -> BoxFuture<'a, Result<(), DbErr>> {
        let (status, error, message_id) = match outcome {
            Outcome::Sent { message_id } => ("sent", None, Some(message_id.to_owned())),
            Outcome::Retrying { error } => ("pending", Some(error.to_owned()), None),
            Outcome::Failed { error } => ("failed", Some(error.to_owned()), None),
        };
        Box::pin(repo::set_notification(
            txn,
            interaction_id,
            status,
            error,
            message_id,
        ))
    }
}
