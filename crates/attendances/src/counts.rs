//! The flow summary's counts and receivable, kept by the transactions that change them
//! (DESIGN §8) instead of recounted on every read: a recount walks every active attendance of the
//! flow, every tag link, and the flow's quotes against its trashed attendances (3–150 ms per
//! statement at a million attendances; bench/RESULTS.md).
//!
//! A write use case describes the attendance before and after it with a [`Footprint`] and calls
//! [`apply`] once, at the end of its transaction. `apply` touches the rows in one fixed order
//! (statuses by flow and name, then tags by id, then receivables by flow), so two transactions
//! never wait on each other's rows in opposite orders (no deadlock on PostgreSQL). The sales
//! service changes a receivable through [`crate::add_to_receivable`] while it holds the
//! attendance's row lock, so a quote and its attendance's trash never count twice.

use std::collections::BTreeMap;

use crm_entity::attendances;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::model::View;
use crate::repo;

/// What an attendance adds to its flow's summary: one for its status and one for each tag, while
/// it is in the active view; its quotes awaiting approval to the receivable, while it is not in
/// the trash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Footprint {
    status: Option<(Uuid, String)>,
    tags: Vec<Uuid>,
    /// The attendance, and the flow whose receivable its quotes count in.
    quotes: Option<(Uuid, Uuid)>,
}

impl Footprint {
    /// No contribution: the attendance before it was created, or after it was purged.
    pub(crate) const NONE: Footprint = Footprint {
        status: None,
        tags: Vec::new(),
        quotes: None,
    };

    /// A just-created attendance's contribution: it has no quotes yet, so its share of the
    /// receivable is nothing and needs no query.
    pub(crate) fn created(row: &attendances::Model, tag_ids: &[Uuid]) -> Self {
        Footprint {
            quotes: None,
            ..Self::of(row, tag_ids)
        }
    }

    /// The row's contribution with the tags it carries.
    pub(crate) fn of(row: &attendances::Model, tag_ids: &[Uuid]) -> Self {
        let quotes = (row.view != View::Trash.as_str()).then_some((row.id, row.flow_id));
        if row.view != View::Active.as_str() {
            return Footprint {
                quotes,
                ..Self::NONE
            };
        }
        Footprint {
            status: Some((row.flow_id, row.status.clone())),
            tags: tag_ids.to_vec(),
            quotes,
        }
    }
}

/// Moves the counts from `before` to `after`, inside the caller's transaction.
pub(crate) async fn apply(
    db: &impl ConnectionTrait,
    before: &Footprint,
    after: &Footprint,
) -> Result<(), DbErr> {
    for ((flow_id, status), delta) in deltas(&before.status, &after.status) {
        repo::add_to_status_count(db, flow_id, &status, delta).await?;
    }
    for (tag_id, delta) in deltas(&before.tags, &after.tags) {
        repo::add_to_tag_count(db, tag_id, delta).await?;
    }
    if before.quotes == after.quotes {
        return Ok(());
    }
    // The quotes leave one flow's receivable and join another's (trash, restore, move): sum them
    // once, then move the sum, flows in id order.
    let Some(attendance_id) = after.quotes.or(before.quotes).map(|(id, _)| id) else {
        return Ok(());
    };
    let (quotes, cents) = repo::quotes_of_attendance(db, attendance_id).await?;
    if quotes == 0 {
        return Ok(());
    }
    let mut moves: Vec<(Uuid, i64)> = Vec::new();
    moves.extend(before.quotes.map(|(_, flow)| (flow, -1)));
    moves.extend(after.quotes.map(|(_, flow)| (flow, 1)));
    moves.sort_unstable();
    for (flow_id, sign) in moves {
        repo::add_to_receivable(db, flow_id, sign * quotes, sign * cents).await?;
    }
    Ok(())
}

/// The non-zero changes, in key order.
fn deltas<'a, K, I>(before: I, after: I) -> impl Iterator<Item = (K, i64)>
where
    K: Ord + Clone + 'a,
    I: IntoIterator<Item = &'a K>,
{
    let mut changes: BTreeMap<K, i64> = BTreeMap::new();
    for key in before {
        *changes.entry(key.clone()).or_default() -= 1;
    }
    for key in after {
        *changes.entry(key.clone()).or_default() += 1;
    }
    changes.into_iter().filter(|(_, delta)| *delta != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    #[test]
    fn unchanged_keys_cancel_out_and_the_rest_come_in_key_order() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let changes: Vec<_> = deltas(&vec![c, a], &vec![b, a]).collect();
        assert_eq!(changes, vec![(b, 1), (c, -1)]);
    }

    #[test]
    fn a_status_change_moves_one_attendance_between_statuses() {
        let flow = Uuid::from_u128(9);
        let before = Some((flow, "open".to_owned()));
        let after = Some((flow, "won".to_owned()));
        let changes: Vec<_> = deltas(&before, &after).collect();
        assert_eq!(
            changes,
            vec![
                ((flow, "open".to_owned()), -1),
                ((flow, "won".to_owned()), 1)
            ]
        );
    }

    #[test]
    fn leaving_the_active_view_takes_back_every_count() {
        let tags = ids(3);
        let before = Footprint {
            status: Some((Uuid::from_u128(9), "open".to_owned())),
            tags: tags.clone(),
            quotes: None,
        };
        let changes: Vec<_> = deltas(&before.tags, &Footprint::NONE.tags).collect();
        assert_eq!(
            changes,
            tags.into_iter().map(|t| (t, -1)).collect::<Vec<_>>()
        );
        assert_eq!(deltas(&before.status, &None).count(), 1);
    }
}
