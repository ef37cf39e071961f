//! The flow summary's counts, kept by the transactions that change them (DESIGN §8) instead of
//! recounted on every read: a recount walks every active attendance of the flow and every tag
//! link (100–150 ms at a million attendances; bench/RESULTS.md).
//!
//! A write use case describes the attendance before and after it with a [`Footprint`] and calls
//! [`apply`] once, at the end of its transaction. `apply` touches the count rows in one fixed
//! order (statuses by flow and name, then tags by id), so two transactions in the same flow never
//! wait on each other's rows in opposite orders (no deadlock on PostgreSQL).

use std::collections::BTreeMap;

use crm_entity::attendances;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::model::View;
use crate::repo;

/// What an attendance adds to its flow's counts: one for its status and one for each tag, while
/// it is in the active view; nothing otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Footprint {
    status: Option<(Uuid, String)>,
    tags: Vec<Uuid>,
}

impl Footprint {
    /// No contribution: the attendance before it was created, or after it was purged.
    pub(crate) const NONE: Footprint = Footprint {
        status: None,
        tags: Vec::new(),
    };

    /// The row's contribution with the tags it carries.
    pub(crate) fn of(row: &attendances::Model, tag_ids: &[Uuid]) -> Self {
        if row.view != View::Active.as_str() {
            return Self::NONE;
        }
        Footprint {
            status: Some((row.flow_id, row.status.clone())),
            tags: tag_ids.to_vec(),
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
        };
        let changes: Vec<_> = deltas(&before.tags, &Footprint::NONE.tags).collect();
        assert_eq!(
            changes,
            tags.into_iter().map(|t| (t, -1)).collect::<Vec<_>>()
        );
        assert_eq!(deltas(&before.status, &None).count(), 1);
    }
}
