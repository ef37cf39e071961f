//! Interactions (notes) and the timeline of an attendance; "save and notify" (the note e-mailed
//! to the contact through `crm_mail`'s outbox, in the note's transaction) and templates rendered
//! for an attendance.

use chrono::{DateTime, Utc};
use crm_core::page::{Cursor, Limit, paginate};
use crm_core::{Actor, Code, ErrorCode, FieldErrors, Page};
use crm_entity::{attendances, flows, interactions};
use crm_mail::compose::{self, Notification};
use crm_mail::dto::{RenderTemplateRequest, RenderedTemplate};
use crm_mail::{AttendanceFacts, MailError};
use sea_orm::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;

use crate::AttendanceError;
use crate::dto::{
    CreateInteractionRequest, FirstInteraction, InteractionResponse, TimelineEntry, UserRef,
};
use crate::model::parse_body;
use crate::repo::{self, EventRow, InteractionRow};
use crate::service::{
    AttendanceService, add_interaction, load, load_for_write, load_with_flow, save,
};

/// What posting a note or rendering a template can fail with: the attendance's rules, or the
/// mail module's (no mailbox, a template the caller may not use).
#[derive(Debug, thiserror::Error)]
pub enum InteractionError {
    #[error(transparent)]
    Attendance(#[from] AttendanceError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

impl From<sea_orm::DbErr> for InteractionError {
    fn from(error: sea_orm::DbErr) -> Self {
        InteractionError::Attendance(error.into())
    }
}

impl From<FieldErrors> for InteractionError {
    fn from(errors: FieldErrors) -> Self {
        InteractionError::Attendance(errors.into())
    }
}

impl ErrorCode for InteractionError {
    fn error_code(&self) -> Code {
        match self {
            InteractionError::Attendance(e) => e.error_code(),
            InteractionError::Mail(e) => e.error_code(),
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            InteractionError::Attendance(e) => e.field_errors(),
            InteractionError::Mail(e) => e.field_errors(),
        }
    }
}

impl AttendanceService {
    /// Posts a note. The attendance counts as updated (its `updated_at` and version move). With
    /// `notify`, its e-mail to the contact is queued in the same transaction: without a mailbox
    /// nothing is saved.
    #[tracing::instrument(name = "attendances.add_interaction", skip_all, fields(user = %actor.user_id, attendance_id = %attendance_id))]
    pub async fn add_interaction(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        request: CreateInteractionRequest,
    ) -> Result<InteractionResponse, InteractionError> {
        let typed = request.body.as_deref().filter(|b| !b.trim().is_empty());
        if request.template_id.is_none() {
            parse_body("body", typed.unwrap_or_default()).map_err(|e| FieldErrors(vec![e]))?;
        }
        let txn = self.db.begin().await?;
        let (current, flow) = load_for_write(&txn, actor, attendance_id).await?;
        if current.deleted_at.is_some() {
            return Err(AttendanceError::InTrash.into());
        }
        let facts = facts(&current, &flow);
        let mut errors = FieldErrors::new();
        let rendered = match request.template_id {
            Some(id) => {
                rendered(
                    &txn,
                    actor,
                    id,
                    &current,
                    &facts,
                    "template_id",
                    &mut errors,
                )
                .await?
            }
            None => None,
        };
        let text = typed.or(rendered.as_ref().map(|r| r.body.as_str()));
        let body = match text {
            Some(text) => errors.check(parse_body("body", text)),
            None if errors.is_empty() => errors.check(parse_body("body", "")),
            None => None,
        };
        let recipient = if request.notify {
            recipient(&txn, &current, &mut errors).await?
        } else {
            None
        };
        errors.into_result()?;
        let Some(body) = body else {
            return Err(AttendanceError::NotFound.into());
        };

        let now = crm_core::time::now();
        let interaction = add_interaction(&txn, &current, actor, body, request.notify, now).await?;
        if let Some(recipient) = recipient {
            let subject = rendered
                .map(|r| r.subject)
                .unwrap_or_else(|| compose::default_subject(&facts));
            queue_notification(&txn, actor, &interaction, recipient, subject, now).await?;
        }
        save(&txn, current.clone(), current.version, now).await?;
        let row = repo::interaction(&txn, interaction.id)
            .await?
            .ok_or(AttendanceError::NotFound)?;
        txn.commit().await?;
        Ok(interaction_response(row))
    }

    /// A template (one the caller may use) with its placeholders filled from an attendance the
    /// caller may see; 404 for either otherwise.
    #[tracing::instrument(name = "attendances.render_template", skip_all, fields(user = %actor.user_id, template_id = %template_id))]
    pub async fn render_template(
        &self,
        actor: &Actor,
        template_id: Uuid,
        request: RenderTemplateRequest,
    ) -> Result<RenderedTemplate, InteractionError> {
        // The attendance is named in the body, not the path: one the caller may not see is an
        // invalid field (as any unknown id in a body), and 404 stays the template's answer.
        let (row, flow) = match load_with_flow(&self.db, actor, request.attendance_id).await {
            Err(AttendanceError::NotFound) => {
                return Err(FieldErrors::single(
                    "attendance_id",
                    "unknown_attendance",
                    "no attendance you may see has this id",
                )
                .into());
            }
            loaded => loaded?,
        };
        let facts = facts(&row, &flow);
        Ok(compose::render(&self.db, actor, template_id, row.id, facts).await?)
    }

    /// Notes, newest first.
    #[tracing::instrument(name = "attendances.interactions", skip_all, fields(user = %actor.user_id, attendance_id = %attendance_id))]
    pub async fn interactions(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<InteractionResponse>, AttendanceError> {
        let row = load(&self.db, actor, attendance_id).await?;
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
    #[tracing::instrument(name = "attendances.timeline", skip_all, fields(user = %actor.user_id, attendance_id = %attendance_id))]
    pub async fn timeline(
        &self,
        actor: &Actor,
        attendance_id: Uuid,
        cursor: Option<&str>,
        limit: Limit,
    ) -> Result<Page<TimelineEntry>, AttendanceError> {
        let row = load(&self.db, actor, attendance_id).await?;
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
        notification_error: row.notification_error,
        message_id: row.message_id,
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
            notification_error: row.interaction_notification_error,
            message_id: row.interaction_message_id,
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

/// What a template's placeholders and the default subject say about an attendance.
fn facts(row: &attendances::Model, flow: &flows::Model) -> AttendanceFacts {
    AttendanceFacts {
        contact_name: row.contact_name.clone(),
        reference: row.reference,
        title: row.title.clone(),
        flow_name: flow.name.clone(),
    }
}

/// Queues the e-mail of a note posted with `notify` to `(address, name)`; 409
/// `mailbox_not_configured` when the caller has no mailbox (the caller's transaction is then
/// dropped, so the note is not saved either).
async fn queue_notification(
    db: &impl ConnectionTrait,
    actor: &Actor,
    interaction: &interactions::Model,
    (to_address, to_name): (String, String),
    subject: String,
    now: DateTime<Utc>,
) -> Result<(), MailError> {
    let notification = Notification {
        interaction_id: interaction.id,
        attendance_id: interaction.attendance_id,
        to_address,
        to_name,
        subject,
        text: interaction.body.clone(),
    };
    compose::enqueue(db, actor, notification, now)
        .await
        .map(|_| ())
}

/// The text of the field error for a notification to a contact without e-mail.
pub(crate) const NO_CONTACT_EMAIL: &str =
    "the attendance's contact has no e-mail: add one to the contact, or post without notify";

/// The first note of a new attendance, posted in the transaction that creates it: the body typed
/// (`typed`, already checked), or else the template's body rendered for the new attendance;
/// with `notify`, its e-mail to `recipient` under the template's subject or the default one.
#[allow(clippy::too_many_arguments)] // one use case's inputs; a struct would only rename them
pub(crate) async fn post_first_note(
    db: &impl ConnectionTrait,
    actor: &Actor,
    row: &attendances::Model,
    flow: &flows::Model,
    request: &FirstInteraction,
    typed: Option<String>,
    recipient: Option<(String, String)>,
    now: DateTime<Utc>,
) -> Result<(), InteractionError> {
    let facts = facts(row, flow);
    let mut errors = FieldErrors::new();
    let field = "first_interaction.template_id";
    let rendered = match request.template_id {
        Some(id) => rendered(db, actor, id, row, &facts, field, &mut errors).await?,
        None => None,
    };
    let body = match typed {
        Some(body) => Some(body),
        None => rendered
            .as_ref()
            .and_then(|r| errors.check(parse_body("first_interaction.body", &r.body))),
    };
    errors.into_result()?;
    let Some(body) = body else {
        return Err(AttendanceError::NotFound.into());
    };
    let interaction = add_interaction(db, row, actor, body, request.notify, now).await?;
    if let (true, Some(recipient)) = (request.notify, recipient) {
        let subject = rendered
            .map(|r| r.subject)
            .unwrap_or_else(|| compose::default_subject(&facts));
        queue_notification(db, actor, &interaction, recipient, subject, now).await?;
    }
    Ok(())
}

/// The template rendered for the attendance; a template the caller may not use is named in
/// `errors` (as `field`), as any unknown id in a body.
async fn rendered(
    db: &impl ConnectionTrait,
    actor: &Actor,
    template_id: Uuid,
    row: &attendances::Model,
    facts: &AttendanceFacts,
    field: &str,
    errors: &mut FieldErrors,
) -> Result<Option<RenderedTemplate>, InteractionError> {
    match compose::render(db, actor, template_id, row.id, facts.clone()).await {
        Ok(rendered) => Ok(Some(rendered)),
        Err(MailError::NotFound) => {
            errors.add(
                field,
                "unknown_template",
                "no template you may use has this id",
            );
            Ok(None)
        }
        Err(error) => Err(error.into()),
    }
}

/// The contact's address and name; without an e-mail, `notify` is named in `errors`.
async fn recipient(
    db: &impl ConnectionTrait,
    row: &attendances::Model,
    errors: &mut FieldErrors,
) -> Result<Option<(String, String)>, InteractionError> {
    let contact = repo::contact(db, row.contact_id).await?;
    match contact.and_then(|c| c.email.map(|email| (email, c.name))) {
        Some(recipient) => Ok(Some(recipient)),
        None => {
            errors.add("notify", "contact_without_email", NO_CONTACT_EMAIL);
            Ok(None)
        }
    }
}
