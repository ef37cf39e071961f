//! What `attendances` asks of mail, inside its own transactions: a template rendered for an
//! attendance, and the notification of an interaction queued in the outbox. Each function takes
//! the caller's connection or transaction.

use chrono::{DateTime, Utc};
use crm_core::Actor;
use crm_entity::outbox;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::dto::RenderedTemplate;
use crate::template::{AttendanceFacts, Placeholders, html_body, render as fill};
use crate::templates::visible_template;
use crate::{MailError, repo, smtp};

/// Template `template_id` (one the caller may see; else [`MailError::NotFound`]) filled with the
/// attendance's facts and the caller's name.
pub async fn render(
    db: &impl ConnectionTrait,
    actor: &Actor,
    template_id: Uuid,
    attendance_id: Uuid,
    facts: AttendanceFacts,
) -> Result<RenderedTemplate, MailError> {
    let template = visible_template(db, actor, template_id).await?;
    let user = repo::user(db, actor.user_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("user {}", actor.user_id)))?;
    let values = Placeholders {
        attendance: facts,
        user_name: user.name,
    };
    Ok(RenderedTemplate {
        template_id,
        attendance_id,
        subject: fill(&template.subject, &values),
        body: fill(&template.body, &values),
    })
}

/// An interaction's e-mail to the attendance's contact.
#[derive(Debug, Clone)]
pub struct Notification {
    pub interaction_id: Uuid,
    pub attendance_id: Uuid,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
}

/// Queues the notification, sent later from the caller's mailbox with Reply-To the caller.
/// [`MailError::MailboxNotConfigured`] when the caller has no mailbox: the caller's transaction
/// should then be dropped, so the interaction is not saved either.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    actor: &Actor,
    notification: Notification,
    now: DateTime<Utc>,
) -> Result<outbox::Model, MailError> {
    let mailbox = repo::mailbox(db, actor.user_id)
        .await?
        .ok_or(MailError::MailboxNotConfigured)?;
    let user = repo::user(db, actor.user_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("user {}", actor.user_id)))?;
    let row = outbox::Model {
        id: crm_core::id::new_id(),
        interaction_id: notification.interaction_id,
        attendance_id: notification.attendance_id,
        sender_id: actor.user_id,
        to_address: notification.to_address,
        to_name: notification.to_name,
        reply_to: user.email,
        subject: notification.subject,
        html_body: html_body(&notification.text),
        text_body: notification.text,
        message_id: smtp::new_message_id(&mailbox.sender_address),
        in_reply_to: None,
        references: None,
        status: "pending".to_owned(),
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
    };
    Ok(repo::insert_outbox(db, row).await?)
}

/// The facts of an attendance the notification subject is built from when there is no template.
pub fn default_subject(facts: &AttendanceFacts) -> String {
    crate::template::default_subject(facts)
}
