//! The access policy: administrators see every flow, members only the flows they are authorized
//! for. Everything inside a flow goes through [`visible_flow`], so a flow the caller may not see
//! is indistinguishable from one that does not exist.

use crm_core::Actor;
use crm_entity::{flow_users, flows};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::FlowError;

/// The flow, if the caller may see it; [`FlowError::NotFound`] otherwise.
pub async fn visible_flow(
    db: &impl ConnectionTrait,
    actor: &Actor,
    flow_id: Uuid,
) -> Result<flows::Model, FlowError> {
    let mut query = flows::Entity::find_by_id(flow_id);
    if let Some(ids) = visible_flow_ids(actor) {
        query = query.filter(flows::Column::Id.in_subquery(ids));
    }
    query.one(db).await?.ok_or(FlowError::NotFound)
}

/// A subquery of the flow ids the caller may see, or `None` when they see every flow.
/// Lists in other domains filter with `flow_id IN (<this>)`, keeping them one query.
pub fn visible_flow_ids(actor: &Actor) -> Option<SelectStatement> {
    if actor.is_admin() {
        return None;
    }
    Some(
        Query::select()
            .column(flow_users::Column::FlowId)
            .from(flow_users::Entity)
            .and_where(flow_users::Column::UserId.eq(actor.user_id))
            .to_owned(),
    )
}
