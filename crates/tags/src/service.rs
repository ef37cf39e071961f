//! Tag use cases. Any user who may see a flow manages its tags: they are a working tool of the
//! team, not an administrative setting.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use crm_core::{Actor, FieldError, FieldErrors};
use crm_entity::tags;
use crm_flows::visible_flow;
use sea_orm::{DatabaseConnection, TransactionTrait};
use uuid::Uuid;

use crate::dto::{
    CreateTagRequest, ReorderTagsRequest, TagListResponse, TagResponse, UpdateTagRequest, all_tag,
    to_response,
};
use crate::error::map_unique;
use crate::model::{Color, TagName};
use crate::{ALL_TAG_ID, TagError, repo};

#[derive(Clone)]
pub struct TagService {
    db: DatabaseConnection,
}

impl TagService {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// ALL first, then the flow's tags by position.
    #[tracing::instrument(name = "tags.list", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn list(&self, actor: &Actor, flow_id: Uuid) -> Result<TagListResponse, TagError> {
        visible_flow(&self.db, actor, flow_id).await?;
        Ok(list_response(repo::list(&self.db, flow_id).await?))
    }

    /// Adds a tag after the flow's other tags.
    #[tracing::instrument(name = "tags.create", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn create(
        &self,
        actor: &Actor,
        flow_id: Uuid,
        request: CreateTagRequest,
    ) -> Result<TagResponse, TagError> {
        let txn = self.db.begin().await?;
        visible_flow(&txn, actor, flow_id).await?;
        let (name, color) = both(
            TagName::parse("name", &request.name),
            parse_color(request.color.as_deref()),
        )?;
        if name.is_reserved() {
            return Err(TagError::ReservedName);
        }
        crm_flows::lock_flow(&txn, flow_id).await?;
        if repo::by_name_key(&txn, flow_id, &name.key).await?.is_some() {
            return Err(TagError::DuplicateName);
        }
        let position = repo::next_position(&txn, flow_id).await?;
        let now = Utc::now();
        let tag = tags::Model {
            id: crm_core::id::new_id(),
            flow_id,
            name: name.name,
            name_key: name.key,
            color: color
                .unwrap_or_else(|| Color::for_position(position))
                .into_string(),
            position,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let tag = repo::insert(&txn, tag).await.map_err(map_unique)?;
        txn.commit().await?;
        Ok(to_response(tag))
    }

    /// Renames or recolours a tag. `if_match` is the version the client last read.
    #[tracing::instrument(name = "tags.update", skip_all, fields(user = %actor.user_id, flow_id = %flow_id, tag_id = %tag_id))]
    pub async fn update(
        &self,
        actor: &Actor,
        flow_id: Uuid,
        tag_id: Uuid,
        request: UpdateTagRequest,
        if_match: Option<i32>,
    ) -> Result<TagResponse, TagError> {
        let txn = self.db.begin().await?;
        visible_flow(&txn, actor, flow_id).await?;
        if tag_id == ALL_TAG_ID {
            return Err(TagError::Virtual);
        }
        // The flow first, as every writer of its tags: the trigger that raises the flow's tags
        // version takes it anyway, after the tag's row, and the other order could deadlock
        // with a delete.
        crm_flows::lock_flow(&txn, flow_id).await?;
        let current = repo::find(&txn, flow_id, tag_id)
            .await?
            .ok_or(TagError::NotFound)?;
        let (name, color) = both(
            request
                .name
                .as_deref()
                .map(|n| TagName::parse("name", n))
                .transpose(),
            parse_color(request.color.as_deref()),
        )?;
        if let Some(version) = if_match
            && version != current.version
        {
            return Err(TagError::VersionMismatch);
        }

        let mut tag = current.clone();
        if let Some(name) = name {
            if name.is_reserved() {
                return Err(TagError::ReservedName);
            }
            if name.key != current.name_key
                && repo::by_name_key(&txn, flow_id, &name.key).await?.is_some()
            {
                return Err(TagError::DuplicateName);
            }
            tag.name = name.name;
            tag.name_key = name.key;
        }
        if let Some(color) = color {
            tag.color = color.into_string();
        }
        tag.version = current.version + 1;
        tag.updated_at = Utc::now();
        if !repo::update(&txn, tag.clone(), current.version)
            .await
            .map_err(map_unique)?
        {
            return Err(TagError::VersionMismatch);
        }
        txn.commit().await?;
        Ok(to_response(tag))
    }

    /// Deletes a tag; the database detaches it from every attendance (cascade) and the tags after
    /// it move up, keeping positions 1..n.
    #[tracing::instrument(name = "tags.delete", skip_all, fields(user = %actor.user_id, flow_id = %flow_id, tag_id = %tag_id))]
    pub async fn delete(&self, actor: &Actor, flow_id: Uuid, tag_id: Uuid) -> Result<(), TagError> {
        let txn = self.db.begin().await?;
        visible_flow(&txn, actor, flow_id).await?;
        if tag_id == ALL_TAG_ID {
            return Err(TagError::Virtual);
        }
        crm_flows::lock_flow(&txn, flow_id).await?;
        repo::find(&txn, flow_id, tag_id)
            .await?
            .ok_or(TagError::NotFound)?;
        repo::delete(&txn, tag_id).await?;
        let remaining = repo::list(&txn, flow_id).await?;
        repo::renumber(&txn, &remaining, Utc::now()).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Puts the flow's tags in the order of `tag_ids`, which must list each of them once.
    #[tracing::instrument(name = "tags.reorder", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn reorder(
        &self,
        actor: &Actor,
        flow_id: Uuid,
        request: ReorderTagsRequest,
    ) -> Result<TagListResponse, TagError> {
        let txn = self.db.begin().await?;
        visible_flow(&txn, actor, flow_id).await?;
        crm_flows::lock_flow(&txn, flow_id).await?;
        let current = repo::list(&txn, flow_id).await?;
        let ordered = check_order(current, &request.tag_ids)?;
        repo::renumber(&txn, &ordered, Utc::now()).await?;
        let tags = repo::list(&txn, flow_id).await?;
        txn.commit().await?;
        Ok(list_response(tags))
    }
}

fn list_response(tags: Vec<tags::Model>) -> TagListResponse {
    TagListResponse {
        items: std::iter::once(all_tag())
            .chain(tags.into_iter().map(to_response))
            .collect(),
    }
}

fn parse_color(input: Option<&str>) -> Result<Option<Color>, FieldError> {
    input.map(|c| Color::parse("color", c)).transpose()
}

/// Both values, or every field error among them.
fn both<A, B>(a: Result<A, FieldError>, b: Result<B, FieldError>) -> Result<(A, B), FieldErrors> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(FieldErrors(a.err().into_iter().chain(b.err()).collect())),
    }
}

/// `current` in the order `ids` asks for, or why `ids` is not a complete order of it. Every
/// problem names `tag_ids`; the message says which id and where.
fn check_order(current: Vec<tags::Model>, ids: &[Uuid]) -> Result<Vec<tags::Model>, FieldErrors> {
    const FIELD: &str = "tag_ids";
    // ALL may lead the list, as clients show it; it stays first whatever is sent.
    let skip = usize::from(ids.first() == Some(&ALL_TAG_ID));
    let expected: Vec<Uuid> = current.iter().map(|t| t.id).collect();
    let mut by_id: HashMap<Uuid, tags::Model> = current.into_iter().map(|t| (t.id, t)).collect();
    let mut errors = FieldErrors::new();
    let mut seen = HashSet::new();
    let mut ordered = Vec::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate().skip(skip) {
        if *id == ALL_TAG_ID {
            let message = format!(
                "the ALL tag is fixed first: its id may only be at index 0, not at index {index}"
            );
            errors.add(FIELD, "all_tag_fixed", message);
        } else if !seen.insert(*id) {
            let message = format!("{id} is listed more than once (again at index {index})");
            errors.add(FIELD, "duplicate", message);
        } else if let Some(tag) = by_id.remove(id) {
            ordered.push(tag);
        } else {
            let message = format!("{id} (index {index}) is not a tag of this flow");
            errors.add(FIELD, "unknown_tag", message);
        }
    }
    let missing: Vec<String> = expected
        .iter()
        .filter(|id| !seen.contains(*id))
        .map(Uuid::to_string)
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "must list every tag of the flow in the new order; missing: {}",
            missing.join(", ")
        );
        errors.add(FIELD, "incomplete", message);
    }
    errors.into_result().map(|()| ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(position: i32) -> tags::Model {
        let now = Utc::now();
        tags::Model {
            id: Uuid::now_v7(),
            flow_id: Uuid::nil(),
            name: format!("t{position}"),
            name_key: format!("t{position}"),
            color: "#000000".to_owned(),
            position,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    fn codes(result: Result<Vec<tags::Model>, FieldErrors>) -> Vec<String> {
        let errors = result.unwrap_err().0;
        assert!(errors.iter().all(|e| e.field == "tag_ids"));
        errors.into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn a_complete_order_is_taken_with_or_without_a_leading_all() {
        let (a, b) = (tag(1), tag(2));
        let ordered = check_order(vec![a.clone(), b.clone()], &[b.id, a.id]).unwrap();
        assert_eq!(ordered, [b.clone(), a.clone()]);
        let ordered = check_order(vec![a.clone(), b.clone()], &[ALL_TAG_ID, b.id, a.id]).unwrap();
        assert_eq!(ordered, [b, a]);
        assert_eq!(check_order(vec![], &[ALL_TAG_ID]).unwrap(), []);
    }

    #[test]
    fn partial_duplicate_foreign_and_misplaced_all_are_each_reported() {
        let (a, b) = (tag(1), tag(2));
        let current = || vec![a.clone(), b.clone()];
        assert_eq!(codes(check_order(current(), &[a.id])), ["incomplete"]);
        assert_eq!(
            codes(check_order(current(), &[a.id, b.id, a.id])),
            ["duplicate"]
        );
        let foreign = Uuid::now_v7();
        assert_eq!(
            codes(check_order(current(), &[a.id, b.id, foreign])),
            ["unknown_tag"]
        );
        assert_eq!(
            codes(check_order(current(), &[a.id, ALL_TAG_ID, b.id])),
            ["all_tag_fixed"]
        );
    }
}
