//! Archive, trash, restore, purge, move to another flow, attach and detach tags.

use crm_core::Actor;
use crm_flows::FlowError;
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use crate::counts::{self, Footprint};
use crate::dto::AttendanceResponse;
use crate::respond::respond;
use crate::service::{AttendanceService, load_for_write, save};
use crate::{AttendanceError, repo};

/// A change of an attendance's place: which field it sets, and the rule it must meet.
#[derive(Debug, Clone, Copy)]
enum Transition {
    Archive,
    Unarchive,
    Trash,
    Restore,
}

impl AttendanceService {
    #[tracing::instrument(name = "attendances.archive", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn archive(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<AttendanceResponse, AttendanceError> {
        self.transition(actor, id, Transition::Archive).await
    }

    #[tracing::instrument(name = "attendances.unarchive", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn unarchive(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<AttendanceResponse, AttendanceError> {
        self.transition(actor, id, Transition::Unarchive).await
    }

    /// Moves to the trash (what `DELETE` does); restorable until purged.
    #[tracing::instrument(name = "attendances.trash", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn trash(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<AttendanceResponse, AttendanceError> {
        self.transition(actor, id, Transition::Trash).await
    }

    #[tracing::instrument(name = "attendances.restore", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn restore(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<AttendanceResponse, AttendanceError> {
        self.transition(actor, id, Transition::Restore).await
    }

    async fn transition(
        &self,
        actor: &Actor,
        id: Uuid,
        transition: Transition,
    ) -> Result<AttendanceResponse, AttendanceError> {
        let txn = self.db.begin().await?;
        let (current, _) = load_for_write(&txn, actor, id).await?;
        let now = crm_core::time::now();
        let mut row = current.clone();
        let (archived, trashed) = (current.archived_at.is_some(), current.deleted_at.is_some());
        let event = match transition {
            Transition::Archive if trashed => return Err(AttendanceError::InTrash),
            Transition::Archive if archived => {
                return Err(AttendanceError::InvalidState(
                    "the attendance is already archived",
                ));
            }
            Transition::Archive => {
                row.archived_at = Some(now);
                "archived"
            }
            Transition::Unarchive if trashed => return Err(AttendanceError::InTrash),
            Transition::Unarchive if !archived => {
                return Err(AttendanceError::InvalidState(
                    "the attendance is not archived",
                ));
            }
            Transition::Unarchive => {
                row.archived_at = None;
                "unarchived"
            }
            Transition::Trash if trashed => {
                return Err(AttendanceError::InvalidState(
                    "the attendance is already in the trash",
                ));
            }
            Transition::Trash => {
                row.deleted_at = Some(now);
                "trashed"
            }
            Transition::Restore if !trashed => {
                return Err(AttendanceError::InvalidState(
                    "the attendance is not in the trash",
                ));
            }
            Transition::Restore => {
                row.deleted_at = None;
                "restored"
            }
        };
        let row = save(&txn, row, current.version, now).await?;
        let tag_ids = tag_ids_of(&txn, id).await?;
        counts::apply(
            &txn,
            &Footprint::of(&current, &tag_ids),
            &Footprint::of(&row, &tag_ids),
        )
        .await?;
        repo::record_event(
            &txn,
            id,
            actor.user_id,
            event,
            json!({"view": row.view}),
            None,
            now,
        )
        .await?;
        let response = respond(&txn, row).await?;
        txn.commit().await?;
        Ok(response)
    }

    /// Deletes a trashed attendance for good, with its notes and history (administrators).
    #[tracing::instrument(name = "attendances.purge", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn purge(&self, actor: &Actor, id: Uuid) -> Result<(), AttendanceError> {
        let txn = self.db.begin().await?;
        let (row, _) = load_for_write(&txn, actor, id).await?;
        if !actor.is_admin() {
            return Err(AttendanceError::Forbidden);
        }
        if row.deleted_at.is_none() {
            return Err(AttendanceError::InvalidState(
                "only attendances in the trash can be purged; move it to the trash first",
            ));
        }
        repo::delete(&txn, id).await?;
        txn.commit().await?;
        tracing::info!(attendance = %id, reference = row.reference, "attendance purged");
        Ok(())
    }

    /// Moves an attendance to another flow the caller may work in. Its tags go along: a tag of
    /// the same name (ignoring case and accents) in the target flow is reused, otherwise one is
    /// created there with the same colour. One transaction; one timeline entry.
    #[tracing::instrument(name = "attendances.move_to", skip_all, fields(user = %actor.user_id, id = %id, target_flow_id = %target_flow_id))]
    pub async fn move_to(
        &self,
        actor: &Actor,
        id: Uuid,
        target_flow_id: Uuid,
    ) -> Result<AttendanceResponse, AttendanceError> {
        let txn = self.db.begin().await?;
        let (current, from_flow) = load_for_write(&txn, actor, id).await?;
        let target = match crm_flows::visible_flow(&txn, actor, target_flow_id).await {
            Ok(flow) => flow,
            Err(FlowError::NotFound) => return Err(AttendanceError::FlowNotFound),
            Err(error) => return Err(error.into()),
        };
        if current.deleted_at.is_some() {
            return Err(AttendanceError::InTrash);
        }
        if target.id == from_flow.id {
            return Err(AttendanceError::SameFlow);
        }
        if !target.active {
            return Err(AttendanceError::FlowInactive);
        }
        let now = crm_core::time::now();
        let old_tags = crm_tags::lookup::tags_of_attendances(&txn, &[id]).await?;
        repo::detach_all_tags(&txn, id).await?;
        if !old_tags.is_empty() {
            crm_tags::lookup::lock_flow_tags(&txn, target.id).await?;
        }
        let mut moved_tags = Vec::new();
        let mut new_tag_ids = Vec::new();
        for (_, tag) in &old_tags {
            let target_tag =
                crm_tags::lookup::find_or_create_by_name(&txn, target.id, &tag.name, &tag.color)
                    .await?;
            repo::attach_tag(&txn, id, target_tag.id, now).await?;
            new_tag_ids.push(target_tag.id);
            moved_tags.push(target_tag.name);
        }
        repo::move_orders(&txn, id, target.id).await?;
        let mut row = current.clone();
        row.flow_id = target.id;
        let row = save(&txn, row, current.version, now).await?;
        let old_tag_ids: Vec<Uuid> = old_tags.iter().map(|(_, tag)| tag.id).collect();
        counts::apply(
            &txn,
            &Footprint::of(&current, &old_tag_ids),
            &Footprint::of(&row, &new_tag_ids),
        )
        .await?;
        let data = json!({
            "from_flow_id": from_flow.id, "from_flow": from_flow.name,
            "to_flow_id": target.id, "to_flow": target.name, "tags": moved_tags,
        });
        repo::record_event(&txn, id, actor.user_id, "moved", data, None, now).await?;
        let response = respond(&txn, row).await?;
        txn.commit().await?;
        Ok(response)
    }

    /// Attaches a tag of the attendance's flow; attaching it again changes nothing.
    #[tracing::instrument(name = "attendances.attach_tag", skip_all, fields(user = %actor.user_id, id = %id, tag_id = %tag_id))]
    pub async fn attach_tag(
        &self,
        actor: &Actor,
        id: Uuid,
        tag_id: Uuid,
    ) -> Result<AttendanceResponse, AttendanceError> {
        self.change_tag(actor, id, tag_id, true).await
    }

    /// Detaches a tag; detaching one that is not attached changes nothing.
    #[tracing::instrument(name = "attendances.detach_tag", skip_all, fields(user = %actor.user_id, id = %id, tag_id = %tag_id))]
    pub async fn detach_tag(
        &self,
        actor: &Actor,
        id: Uuid,
        tag_id: Uuid,
    ) -> Result<AttendanceResponse, AttendanceError> {
        self.change_tag(actor, id, tag_id, false).await
    }

    async fn change_tag(
        &self,
        actor: &Actor,
        id: Uuid,
        tag_id: Uuid,
        attach: bool,
    ) -> Result<AttendanceResponse, AttendanceError> {
        let txn = self.db.begin().await?;
        let (current, _) = load_for_write(&txn, actor, id).await?;
        let tag = crm_tags::lookup::tags_in_flow(&txn, current.flow_id, &[tag_id])
            .await?
            .pop()
            .ok_or(AttendanceError::TagNotFound)?;
        if current.deleted_at.is_some() {
            return Err(AttendanceError::InTrash);
        }
        let now = crm_core::time::now();
        let tags_before = tag_ids_of(&txn, id).await?;
        let changed = if attach {
            repo::attach_tag(&txn, id, tag_id, now).await?
        } else {
            repo::detach_tag(&txn, id, tag_id).await?
        };
        if !changed {
            return respond(&txn, current).await;
        }
        // The tags are part of the attendance: a change makes a new version.
        let row = save(&txn, current.clone(), current.version, now).await?;
        let mut tags_after = tags_before.clone();
        if attach {
            tags_after.push(tag_id);
        } else {
            tags_after.retain(|t| *t != tag_id);
        }
        counts::apply(
            &txn,
            &Footprint::of(&current, &tags_before),
            &Footprint::of(&row, &tags_after),
        )
        .await?;
        let kind = if attach { "tag_added" } else { "tag_removed" };
        let data = json!({"tag_id": tag.id, "tag": tag.name});
        repo::record_event(&txn, id, actor.user_id, kind, data, None, now).await?;
        let response = respond(&txn, row).await?;
        txn.commit().await?;
        Ok(response)
    }
}

/// The ids of the tags an attendance carries now.
async fn tag_ids_of(
    db: &impl sea_orm::ConnectionTrait,
    id: Uuid,
) -> Result<Vec<Uuid>, AttendanceError> {
    let tags = crm_tags::lookup::tags_of_attendances(db, &[id]).await?;
    Ok(tags.into_iter().map(|(_, tag)| tag.id).collect())
}
