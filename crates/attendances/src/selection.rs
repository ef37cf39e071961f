//! Attendances selected for an export (reports): either the rows of a flow's list query, read in
//! its order batch by batch so a large export never sits in memory, or ids a user ticked.

use crm_core::Actor;
use crm_core::page::Direction;
use crm_entity::attendances;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use crate::dto::ListParams;
use crate::listing::{filter, sort};
use crate::repo::{self, Filter, Position, SortKey, Window};
use crate::{AttendanceError, AttendanceService};

/// A flow's list query, ready to be read in batches.
#[derive(Debug, Clone)]
pub struct Selection {
    filter: Filter,
    key: SortKey,
    direction: Direction,
}

impl AttendanceService {
    /// The list query of a flow the caller may see (404 otherwise).
    #[tracing::instrument(name = "attendances.select_in_flow", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn select_in_flow(
        &self,
        actor: &Actor,
        flow_id: Uuid,
        params: &ListParams,
    ) -> Result<Selection, AttendanceError> {
        let flow = crm_flows::visible_flow(&self.db, actor, flow_id).await?;
        let (key, direction) = sort(params.sort);
        Ok(Selection {
            filter: filter(flow.id, params)?,
            key,
            direction,
        })
    }

    /// Checks that the caller may see every one of `ids`; the first one they may not (or that
    /// does not exist) is reported as not found.
    #[tracing::instrument(name = "attendances.check_visible", skip_all, fields(user = %actor.user_id))]
    pub async fn check_visible(&self, actor: &Actor, ids: &[Uuid]) -> Result<(), AttendanceError> {
        let mut query =
            attendances::Entity::find().filter(attendances::Column::Id.is_in(ids.iter().copied()));
        if let Some(visible) = crm_flows::visible_flow_ids(actor) {
            query = query.filter(attendances::Column::FlowId.in_subquery(visible));
        }
        let found: Vec<Uuid> = query
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        match ids.iter().find(|id| !found.contains(id)) {
            Some(_) => Err(AttendanceError::NotFound),
            None => Ok(()),
        }
    }
}

/// The next rows of a selection after `after` (the last row of the previous batch).
pub async fn next_batch(
    db: &(impl ConnectionTrait + TransactionTrait),
    selection: &Selection,
    after: Option<&attendances::Model>,
    size: u64,
) -> Result<Vec<attendances::Model>, DbErr> {
    let window = Window {
        key: selection.key,
        direction: selection.direction,
        after: after.map(|row| Position {
            key: selection.key,
            value: selection.key.value_of(row),
            id: row.id,
        }),
        fetch: size,
    };
    repo::list(db, &selection.filter, &window).await
}

/// Attendances by id, in the order of `ids`.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<attendances::Model>, DbErr> {
    let rows = attendances::Entity::find()
        .filter(attendances::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|row| row.id == *id).cloned())
        .collect())
}
