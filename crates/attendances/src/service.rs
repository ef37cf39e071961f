//! Attendance use cases: create, read, edit. Every function starts from the caller and checks
//! the flow through `crm_flows::visible_flow`, so a flow the caller may not see answers 404.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use crm_core::{Actor, FieldErrors, Money};
use crm_entity::{attendances, flows, interactions};
use crm_flows::FlowError;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::counts::{self, Footprint};
use crate::dto::{AttendanceResponse, CreateAttendanceRequest, UpdateAttendanceRequest};
use crate::flow_tags::FlowTags;
use crate::model::{Status, View, parse_body, parse_title, search_key};
use crate::notes::{InteractionError, NO_CONTACT_EMAIL, post_first_note};
use crate::respond::respond;
use crate::{AttendanceError, repo};

#[derive(Clone)]
pub struct AttendanceService {
    pub(crate) db: DatabaseConnection,
    /// Shared by every clone and by the service of every server worker ([`Self::on`]).
    pub(crate) flow_tags: Arc<FlowTags>,
}

impl AttendanceService {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            flow_tags: Arc::default(),
        }
    }

    /// The same service on another connection pool (each server worker has its own), sharing
    /// the flows' tags it keeps.
    #[must_use]
    pub fn on(&self, db: DatabaseConnection) -> Self {
        Self {
            db,
            flow_tags: Arc::clone(&self.flow_tags),
        }
    }

    #[tracing::instrument(name = "attendances.create", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn create(
        &self,
        actor: &Actor,
        flow_id: Uuid,
        request: CreateAttendanceRequest,
    ) -> Result<AttendanceResponse, InteractionError> {
        let txn = self.db.begin().await?;
        let flow = crm_flows::visible_flow(&txn, actor, flow_id)
            .await
            .map_err(AttendanceError::from)?;
        if !flow.active {
            return Err(AttendanceError::FlowInactive.into());
        }
        let mut errors = FieldErrors::new();
        let title = errors.check(parse_title("title", &request.title));
        let value = match &request.value {
            Some(value) => errors.check(Money::parse("value", value)),
            None => Some(Money::default()),
        };
        let first = request.first_interaction.as_ref().and_then(|first| {
            let typed = first.body.as_deref().filter(|b| !b.trim().is_empty());
            match (typed, first.template_id) {
                // The template's body, rendered once the attendance exists.
                (None, Some(_)) => None,
                (typed, _) => errors.check(parse_body(
                    "first_interaction.body",
                    typed.unwrap_or_default(),
                )),
            }
        });
        let contact = repo::contact(&txn, request.contact_id).await?;
        if contact.is_none() {
            errors.add("contact_id", "unknown_contact", "no contact has this id");
        }
        let notify = request.first_interaction.as_ref().is_some_and(|f| f.notify);
        let recipient = contact
            .as_ref()
            .and_then(|c| c.email.clone().map(|email| (email, c.name.clone())));
        if notify && contact.is_some() && recipient.is_none() {
            let field = "first_interaction.notify";
            errors.add(field, "contact_without_email", NO_CONTACT_EMAIL);
        }
        let tags = check_tags(&txn, flow.id, &request.tag_ids, &mut errors).await?;
        errors.clone().into_result()?;
        let (Some(title), Some(value), Some(contact)) = (title, value, contact) else {
            return Err(errors.into());
        };

        let now = crm_core::time::now();
        let status = request.status.unwrap_or(Status::Open);
        let row = attendances::Model {
            id: crm_core::id::new_id(),
            flow_id: flow.id,
            reference: repo::next_counter(&txn, "attendance_reference").await?,
            title_key: crm_core::text::search_key(&title),
            search_key: search_key(&title, &contact.name),
            title,
            contact_id: contact.id,
            contact_name_key: contact.name_key.clone(),
            contact_name: contact.name,
            status: status.as_str().to_owned(),
            status_rank: status.rank(),
            value_cents: value.cents(),
            due_at: request.due_at,
            view: View::Active.as_str().to_owned(),
            archived_at: None,
            deleted_at: None,
            version: 1,
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
        };
        let row = repo::insert(&txn, row).await?;
        for tag in &tags {
            repo::attach_tag(&txn, row.id, tag.id, now).await?;
        }
        let tag_ids: Vec<Uuid> = tags.iter().map(|t| t.id).collect();
        counts::apply(&txn, &Footprint::NONE, &Footprint::created(&row, &tag_ids)).await?;
        let tag_names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        let data = json!({
            "reference": row.reference, "title": row.title, "status": row.status,
            "value": value.to_decimal_string(), "tags": tag_names,
        });
        repo::record_event(&txn, row.id, actor.user_id, "created", data, None, now).await?;
        if let Some(request) = &request.first_interaction {
            post_first_note(&txn, actor, &row, &flow, request, first, recipient, now).await?;
        }
        let response = respond(&txn, row).await?;
        txn.commit().await?;
        Ok(response)
    }

    #[tracing::instrument(name = "attendances.get", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn get(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<AttendanceResponse, AttendanceError> {
        let row = load(&self.db, actor, id).await?;
        respond(&self.db, row).await
    }

    #[tracing::instrument(name = "attendances.update", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn update(
        &self,
        actor: &Actor,
        id: Uuid,
        request: UpdateAttendanceRequest,
        if_match: Option<i32>,
    ) -> Result<AttendanceResponse, AttendanceError> {
        let txn = self.db.begin().await?;
        let (current, _) = load_for_write(&txn, actor, id).await?;
        let mut errors = FieldErrors::new();
        let title = request
            .title
            .as_deref()
            .and_then(|t| errors.check(parse_title("title", t)));
        let value = request
            .value
            .as_deref()
            .and_then(|v| errors.check(Money::parse("value", v)));
        let contact = match request.contact_id {
            Some(contact_id) if contact_id != current.contact_id => {
                let contact = repo::contact(&txn, contact_id).await?;
                if contact.is_none() {
                    errors.add("contact_id", "unknown_contact", "no contact has this id");
                }
                contact
            }
            _ => None,
        };
        errors.into_result()?;
        if current.deleted_at.is_some() {
            return Err(AttendanceError::InTrash);
        }
        check_version(&current, if_match)?;

        let now = crm_core::time::now();
        let mut row = current.clone();
        let mut changes: Vec<(&str, serde_json::Value)> = Vec::new();
        if let Some(title) = title.filter(|t| *t != current.title) {
            changes.push(("title_changed", json!({"from": current.title, "to": title})));
            row.title_key = crm_core::text::search_key(&title);
            row.title = title;
        }
        if let Some(status) = request.status.filter(|s| s.as_str() != current.status) {
            changes.push((
                "status_changed",
                json!({"from": current.status, "to": status}),
            ));
            row.status = status.as_str().to_owned();
            row.status_rank = status.rank();
        }
        if let Some(value) = value.filter(|v| v.cents() != current.value_cents) {
            let from = Money::from_cents(current.value_cents).to_decimal_string();
            changes.push((
                "value_changed",
                json!({"from": from, "to": value.to_decimal_string()}),
            ));
            row.value_cents = value.cents();
        }
        if let Some(due_at) = request.due_at.filter(|d| *d != current.due_at) {
            changes.push(("due_changed", json!({"from": current.due_at, "to": due_at})));
            row.due_at = due_at;
        }
        if let Some(contact) = contact {
            changes.push((
                "contact_changed",
                json!({"from": current.contact_name, "to": contact.name, "contact_id": contact.id}),
            ));
            row.contact_id = contact.id;
            row.contact_name_key = contact.name_key;
            row.contact_name = contact.name;
        }
        if changes.is_empty() {
            return respond(&txn, current).await;
        }
        row.search_key = search_key(&row.title, &row.contact_name);
        let row = save(&txn, row, current.version, now).await?;
        // An edit leaves the tags as they are: counting none on both sides is the same.
        counts::apply(
            &txn,
            &Footprint::of(&current, &[]),
            &Footprint::of(&row, &[]),
        )
        .await?;
        for (kind, data) in changes {
            repo::record_event(&txn, row.id, actor.user_id, kind, data, None, now).await?;
        }
        let response = respond(&txn, row).await?;
        txn.commit().await?;
        Ok(response)
    }
}

/// The attendance, if the caller may see its flow; 404 otherwise. One query: the access check
/// rides in the row's own statement (reads of one attendance are the screen's second most
/// frequent request).
pub async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<attendances::Model, AttendanceError> {
    repo::visible_by_id(db, id, crm_flows::visible_flow_ids(actor))
        .await?
        .ok_or(AttendanceError::NotFound)
}

/// [`load`] with the attendance's flow.
pub async fn load_with_flow(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<(attendances::Model, flows::Model), AttendanceError> {
    let row = repo::by_id(db, id).await?;
    visible(db, actor, row).await
}

/// [`load`] for a transaction that will write the attendance: the row stays locked until the
/// transaction ends, so writers queue instead of failing each other's version check. Only an
/// `If-Match` naming an older version is a conflict (412); two notes posted at once are not.
pub async fn load_for_write(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
) -> Result<(attendances::Model, flows::Model), AttendanceError> {
    let row = repo::by_id_for_update(txn, id).await?;
    visible(txn, actor, row).await
}

async fn visible(
    db: &impl ConnectionTrait,
    actor: &Actor,
    row: Option<attendances::Model>,
) -> Result<(attendances::Model, flows::Model), AttendanceError> {
    let row = row.ok_or(AttendanceError::NotFound)?;
    match crm_flows::visible_flow(db, actor, row.flow_id).await {
        Ok(flow) => Ok((row, flow)),
        Err(FlowError::NotFound) => Err(AttendanceError::NotFound),
        Err(error) => Err(error.into()),
    }
}

pub(crate) fn check_version(
    row: &attendances::Model,
    if_match: Option<i32>,
) -> Result<(), AttendanceError> {
    match if_match {
        Some(version) if version != row.version => Err(AttendanceError::VersionMismatch),
        _ => Ok(()),
    }
}

/// Writes the row as the next version; 412 when someone else wrote first.
pub(crate) async fn save(
    db: &impl ConnectionTrait,
    mut row: attendances::Model,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<attendances::Model, AttendanceError> {
    row.version = expected_version + 1;
    row.updated_at = now;
    row.view = View::of(row.archived_at.is_some(), row.deleted_at.is_some())
        .as_str()
        .to_owned();
    if !repo::update(db, row.clone(), expected_version).await? {
        return Err(AttendanceError::VersionMismatch);
    }
    Ok(row)
}

/// The flow's tags among `ids`; every other id is named in `errors` (`tag_ids[1]`).
pub(crate) async fn check_tags(
    db: &impl ConnectionTrait,
    flow_id: Uuid,
    ids: &[Uuid],
    errors: &mut FieldErrors,
) -> Result<Vec<crm_entity::tags::Model>, AttendanceError> {
    let found = crm_tags::lookup::tags_in_flow(db, flow_id, ids).await?;
    let mut tags = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        match found.iter().find(|t| t.id == *id) {
            Some(tag)
                if !tags
                    .iter()
                    .any(|t: &crm_entity::tags::Model| t.id == tag.id) =>
            {
                tags.push(tag.clone());
            }
            Some(_) => {}
            None => errors.add(
                &format!("tag_ids[{index}]"),
                "unknown_tag",
                "no tag of this flow has this id",
            ),
        }
    }
    Ok(tags)
}

/// Stores a note and its timeline entry.
pub(crate) async fn add_interaction(
    db: &impl ConnectionTrait,
    attendance: &attendances::Model,
    actor: &Actor,
    body: String,
    notify: bool,
    now: DateTime<Utc>,
) -> Result<interactions::Model, AttendanceError> {
    let interaction = repo::insert_interaction(
        db,
        interactions::Model {
            id: crm_core::id::new_id(),
            attendance_id: attendance.id,
            author_id: actor.user_id,
            body,
            notify,
            notification_status: notify.then(|| "pending".to_owned()),
            notification_error: None,
            message_id: None,
            created_at: now,
        },
    )
    .await?;
    repo::record_event(
        db,
        attendance.id,
        actor.user_id,
        "interaction",
        json!({}),
        Some(interaction.id),
        now,
    )
    .await?;
    Ok(interaction)
}
