//! What `attendances` asks of tags, inside its own transactions: each function takes the
//! caller's connection or transaction and leaves access checks to the caller.

use chrono::Utc;
use crm_core::text;
use crm_entity::tags;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::repo;

/// The tags among `ids` that belong to `flow_id`, in display order; ids of other flows, unknown
/// ids and the ALL tag's id are left out (the caller reports the missing ones).
pub async fn tags_in_flow(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<tags::Model>, DbErr> {
    repo::by_ids(db, flow_id, ids).await
}

/// Takes the lock that every writer of the flow's tags takes first (its `flows` row), so a
/// caller that will link and create tags in turn cannot deadlock with a tag's delete.
pub async fn lock_flow_tags(db: &impl ConnectionTrait, flow_id: Uuid) -> Result<(), DbErr> {
    crm_flows::lock_flow(db, flow_id).await
}

/// The flow's tag named `name` ignoring case and accents, else a new one after the flow's last
/// tag, with `color`. Used when an attendance moves to another flow: `name` and `color` are those
/// of a tag of the source flow, so they are already valid.
pub async fn find_or_create_by_name(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    name: &str,
    color: &str,
) -> Result<tags::Model, DbErr> {
    let name = text::clean(name);
    let key = text::search_key(&name);
    if let Some(tag) = repo::by_name_key(db, flow_id, &key).await? {
        return Ok(tag);
    }
    crm_flows::lock_flow(db, flow_id).await?;
    let now = Utc::now();
    let tag = tags::Model {
        id: crm_core::id::new_id(),
        flow_id,
        name,
        name_key: key.clone(),
        color: color.to_ascii_uppercase(),
        position: repo::next_position(db, flow_id).await?,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    // A concurrent creator of the same name wins quietly: its tag is the one returned.
    repo::insert_unless_named(db, tag).await?;
    repo::by_name_key(db, flow_id, &key)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("tag {key:?} of flow {flow_id}")))
}

/// The tags of each attendance as `(attendance id, tag)`, ordered by tag position, in one query
/// (so lists show tags without a query per row).
pub async fn tags_of_attendances(
    db: &impl ConnectionTrait,
    attendance_ids: &[Uuid],
) -> Result<Vec<(Uuid, tags::Model)>, DbErr> {
    repo::of_attendances(db, attendance_ids).await
}
