//! Interactions (notes) and the timeline of an attendance.

use chrono::{DateTime, Utc};
use crm_core::page::{Cursor, Limit, paginate};
use crm_core::{Actor, FieldErrors, Page};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::AttendanceError;
use crate::dto::{CreateInteractionRequest, InteractionResponse, TimelineEntry, UserRef};
use crate::model::parse_body;
use crate::repo::{self, EventRow, InteractionRow};
use crate::service::{AttendanceService, add_interaction, load, save};

impl AttendanceService {
    /// Posts a note. The attendance counts as updated (its `updated_at` and version move).
    pub async fn add_interaction(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        request: CreateInteractionRequest,
    ) -> Result<InteractionResponse, AttendanceError> {
        let body = parse_body("body", &request.body).map_err(|e| FieldErrors(vec![e]))?;
        let txn = self.db.begin().await?;
        let (current, _) = load(&txn, actor, attendance_id).await?;
        if current.deleted_at.is_some() {
            return Err(AttendanceError::InTrash);
        }
        let now = crm_core::time::now();
        let interaction = add_interaction(&txn, &current, actor, body, request.notify, now).await?;
        save(&txn, current.clone(), current.version, now).await?;
        let row = repo::interaction(&txn, interaction.id)
            .await?
            .ok_or(AttendanceError::NotFound)?;
        txn.commit().await?;
        Ok(interaction_response(row))
    }

    /// Notes, newest first.
    pub async fn interactions(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<InteractionResponse>, AttendanceError> {
        let (row, _) = load(&self.db, actor, attendance_id).await?;
        let after = cursor
            .map(Cursor::decode::<(DateTime<Utc>, Uuid)>)
            .transpose()?;
        let rows = repo::interactions_page(&self.db, row.id, after, limit.get() + 1).await?;
        let (rows, next_cursor) = paginate(rows, limit, |r| (r.created_at, r.id));
        Ok(Page {
            items: rows.into_iter().map(interaction_response).collect(),
            next_cursor,
            total: None,
        })
    }

    /// Everything that happened to the attendance, newest first.
    pub async fn timeline(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<TimelineEntry>, AttendanceError> {
        let (row, _) = load(&self.db, actor, attendance_id).await?;
        let after = cursor
            .map(Cursor::decode::<(DateTime<Utc>, Uuid)>)
            .transpose()?;
        let rows = repo::timeline(&self.db, row.id, after, limit.get() + 1).await?;
        let (rows, next_cursor) = paginate(rows, limit, |r| (r.created_at, r.id));
        Ok(Page {
            items: rows.into_iter().map(timeline_entry).collect(),
            next_cursor,
            total: None,
        })
    }
}

pub(crate) fn interaction_response(row: InteractionRow) -> InteractionResponse {
    InteractionResponse {
        id: row.id,
        attendance_id: row.attendance_id,
        body: row.body,
        notify: row.notify,
        notification_status: row.notification_status,
        author: UserRef {
            id: row.author_id,
            name: row.author_name,
        },
        created_at: row.created_at,
    }
}

fn timeline_entry(row: EventRow) -> TimelineEntry {
    let actor = UserRef {
        id: row.actor_id,
        name: row.actor_name,
    };
    let interaction = match (row.interaction_id, row.interaction_body) {
        (Some(id), Some(body)) => Some(InteractionResponse {
            id,
            attendance_id: row.attendance_id,
            body,
            notify: row.interaction_notify.unwrap_or(false),
            notification_status: row.interaction_notification_status,
            author: actor.clone(),
            created_at: row.created_at,
        }),
        _ => None,
    };
    TimelineEntry {
        id: row.id,
        kind: row.kind,
        actor,
        created_at: row.created_at,
        data: serde_json::from_str(&row.data).unwrap_or_else(|_| serde_json::json!({})),
        interaction,
    }
}
