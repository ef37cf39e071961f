//! Request and response bodies of the mailbox and template routes.

use chrono::{DateTime, Utc};
use crm_entity::{mail_templates, mailboxes};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::model::Security;

/// The caller's SMTP account. The password is never shown: `password_set` tells whether one is
/// stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxResponse {
    /// Shown as the sender of every message ("From").
    #[schema(example = "Maria Souza")]
    pub sender_name: String,
    #[schema(example = "maria@empresa.com.br")]
    pub sender_address: String,
    #[schema(example = "smtp.empresa.com.br")]
    pub smtp_host: String,
    #[schema(example = 587)]
    pub smtp_port: u16,
    pub security: Security,
    /// The SMTP login; `null` when the server takes mail without authentication.
    #[schema(example = "maria@empresa.com.br")]
    pub username: Option<String>,
    /// Whether a password is stored (it is never returned).
    pub password_set: bool,
    /// What the user should know about these settings, e.g. that the password travels
    /// unencrypted with `security: none`. Empty when there is nothing to say.
    #[schema(example = json!([]))]
    pub warnings: Vec<String>,
    /// Increases on every change; also sent as the `ETag`.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// The warning of a mailbox that logs in over a connection without TLS.
pub const CLEAR_PASSWORD_WARNING: &str =
    "security is none: the password and the messages travel unencrypted";

/// The caller's SMTP account, replaced as a whole except the password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "sender_name": "Maria Souza",
    "sender_address": "maria@empresa.com.br",
    "smtp_host": "smtp.empresa.com.br",
    "smtp_port": 587,
    "security": "starttls",
    "username": "maria@empresa.com.br",
    "password": "a senha do e-mail"
}))]
pub struct PutMailboxRequest {
    #[schema(min_length = 1, max_length = 120)]
    pub sender_name: String,
    #[schema(min_length = 3, max_length = 254)]
    pub sender_address: String,
    /// Host name or IP address, without scheme or port.
    #[schema(min_length = 1, max_length = 253)]
    pub smtp_host: String,
    #[schema(minimum = 1, maximum = 65535)]
    pub smtp_port: u16,
    pub security: Security,
    /// The SMTP login; absent or `null` for a server without authentication (the stored
    /// password is then dropped).
    #[schema(max_length = 254)]
    pub username: Option<String>,
    /// Write-only: stored encrypted, never returned. Leave it out to keep the stored one; a
    /// change of host, port, security or user name needs it again (422 `password_required`).
    #[schema(write_only, format = Password, min_length = 1, max_length = 1000)]
    pub password: Option<String>,
}

impl std::fmt::Debug for PutMailboxRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PutMailboxRequest")
            .field("sender_address", &self.sender_address)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// A test message went through: the server took it for delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxTestResponse {
    /// The mailbox's own address, which the test message is sent to.
    #[schema(example = "maria@empresa.com.br")]
    pub sent_to: String,
    #[schema(example = "<0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d@empresa.com.br>")]
    pub message_id: String,
    /// The SMTP server's final reply code (its text is not repeated).
    #[schema(example = "250")]
    pub smtp_response: String,
}

/// A message template: personal (only its owner sees it) or shared with every user.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemplateResponse {
    pub id: Uuid,
    #[schema(example = "Envio de orçamento")]
    pub name: String,
    #[schema(example = "Orçamento #{{attendance.reference}}: {{attendance.title}}")]
    pub subject: String,
    #[schema(example = "Olá {{contact.name}},\n\nsegue o orçamento.\n\n{{user.name}}")]
    pub body: String,
    /// Visible to every user; otherwise only to its owner.
    pub shared: bool,
    pub owner_id: Uuid,
    /// Increases on every change; also sent as the `ETag`.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new template. `subject` and `body` may hold the placeholders `{{contact.name}}`,
/// `{{attendance.reference}}`, `{{attendance.title}}`, `{{flow.name}}` and `{{user.name}}`
/// (spaces inside the braces allowed); any other is rejected.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Envio de orçamento",
    "subject": "Orçamento #{{attendance.reference}}: {{attendance.title}}",
    "body": "Olá {{contact.name}},\n\nsegue o orçamento.\n\n{{user.name}}",
    "shared": true
}))]
pub struct CreateTemplateRequest {
    /// Unique among the caller's templates, ignoring case and accents.
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    /// One line.
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// Defaults to `false` (personal).
    #[serde(default)]
    pub shared: bool,
}

/// Changes to a template; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"shared": false}))]
pub struct UpdateTemplateRequest {
    #[schema(min_length = 1, max_length = 80)]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub subject: Option<String>,
    #[schema(min_length = 1, max_length = 20000)]
    pub body: Option<String>,
    pub shared: Option<bool>,
}

/// Which attendance to fill a template's placeholders from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"attendance_id": "0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"}))]
pub struct RenderTemplateRequest {
    /// An attendance the caller may see.
    pub attendance_id: Uuid,
}

/// A template with its placeholders filled.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RenderedTemplate {
    pub template_id: Uuid,
    pub attendance_id: Uuid,
    #[schema(example = "Orçamento #1042: Cadeiras")]
    pub subject: String,
    #[schema(example = "Olá João,\n\nsegue o orçamento.\n\nMaria Souza")]
    pub body: String,
}

pub fn mailbox_response(row: mailboxes::Model) -> MailboxResponse {
    let security = Security::parse(&row.security).unwrap_or(Security::Starttls);
    let mut warnings = Vec::new();
    if security == Security::None && row.username.is_some() {
        warnings.push(CLEAR_PASSWORD_WARNING.to_owned());
    }
    MailboxResponse {
        security,
        warnings,
        smtp_port: u16::try_from(row.smtp_port).unwrap_or_default(),
        password_set: row.password_encrypted.is_some(),
        sender_name: row.sender_name,
        sender_address: row.sender_address,
        smtp_host: row.smtp_host,
        username: row.username,
        version: row.version,
        updated_at: row.updated_at,
    }
}

pub fn template_response(row: mail_templates::Model) -> TemplateResponse {
    TemplateResponse {
        id: row.id,
        name: row.name,
        subject: row.subject,
        body: row.body,
        shared: row.shared,
        owner_id: row.owner_id,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}
