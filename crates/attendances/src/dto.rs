//! Request and response bodies of the attendance, interaction and timeline routes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::model::{Status, View};

/// A tag as shown on an attendance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceTag {
    pub id: Uuid,
    #[schema(example = "Urgente")]
    pub name: String,
    #[schema(example = "#E53935")]
    pub color: String,
}

/// The contact an attendance is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactRef {
    pub id: Uuid,
    #[schema(example = "João da Conceição")]
    pub name: String,
}

/// An attendance (deal or ticket) of a flow.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceResponse {
    pub id: Uuid,
    pub flow_id: Uuid,
    /// Human reference number, unique and increasing.
    #[schema(example = 1042)]
    pub reference: i64,
    #[schema(example = "Orçamento de 30 cadeiras")]
    pub title: String,
    pub status: Status,
    pub contact: ContactRef,
    /// Decimal string with two decimals.
    #[schema(example = "1234.50")]
    pub value: String,
    #[schema(example = "BRL")]
    pub currency: String,
    /// When it should be done or followed up ("vencimento").
    #[serde(serialize_with = "crm_core::time::serialize_option")]
    pub due_at: Option<DateTime<Utc>>,
    /// Past its due time while still open or in progress.
    pub overdue: bool,
    /// In the flow's tag order.
    pub tags: Vec<AttendanceTag>,
    pub view: View,
    #[serde(serialize_with = "crm_core::time::serialize_option")]
    pub archived_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crm_core::time::serialize_option")]
    pub deleted_at: Option<DateTime<Utc>>,
    /// Increases on every change; also sent as the `ETag`.
    pub version: i32,
    pub created_by: Uuid,
    #[serde(serialize_with = "crm_core::time::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crm_core::time::serialize")]
    pub updated_at: DateTime<Utc>,
}

/// The first note, posted with the attendance in the same request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstInteraction {
    /// Required unless `template_id` is given; then, when absent or blank, the template's body
    /// rendered for the new attendance is the note.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: Option<String>,
    /// "Save and notify": the note is also e-mailed to the contact from the caller's mailbox,
    /// as for `POST /attendances/{id}/interactions` (409 `mailbox_not_configured` without a
    /// mailbox, and nothing is created; 422 naming `first_interaction.notify` when the contact
    /// has no e-mail).
    #[serde(default)]
    pub notify: bool,
    /// A template (`/mail/templates`) the caller may use, rendered for the new attendance: its
    /// subject becomes the e-mail's subject, and its body the note when `body` is absent. An
    /// unknown one is 422 naming `first_interaction.template_id`, and nothing is created.
    pub template_id: Option<Uuid>,
}

/// A new attendance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Orçamento de 30 cadeiras",
    "contact_id": "01934f6e-8f7a-7cc4-9d0e-3c2b1a000001",
    "status": "open",
    "value": "4500.00",
    "due_at": "2026-12-15T17:00:00Z",
    "tag_ids": [],
    "first_interaction": {"body": "Cliente pediu orçamento por telefone.", "notify": false}
}))]
pub struct CreateAttendanceRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// An existing contact.
    pub contact_id: Uuid,
    /// Defaults to `open`.
    pub status: Option<Status>,
    /// BRL, decimal string with up to two decimals; defaults to `"0.00"`.
    #[schema(example = "4500.00", pattern = r"^\d{1,12}(\.\d{1,2})?$")]
    pub value: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    /// Tags of the same flow.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub tag_ids: Vec<Uuid>,
    pub first_interaction: Option<FirstInteraction>,
}

/// Changes to an attendance: absent fields stay, `due_at: null` clears the due date.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "in_progress", "value": "4200.00"}))]
pub struct UpdateAttendanceRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    pub contact_id: Option<Uuid>,
    pub status: Option<Status>,
    #[schema(example = "4200.00", pattern = r"^\d{1,12}(\.\d{1,2})?$")]
    pub value: Option<String>,
    #[serde(default, deserialize_with = "crm_core::patch::nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub due_at: Option<Option<DateTime<Utc>>>,
}

/// Where to move an attendance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"flow_id": "01934f6e-8f7a-7cc4-9d0e-3c2b1a000002"}))]
pub struct MoveRequest {
    /// A flow the caller may work in.
    pub flow_id: Uuid,
}

/// Columns of the attendance list, and its sort keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Status,
    Reference,
    Title,
    ContactName,
    Value,
    UpdatedAt,
    CreatedAt,
    DueAt,
    Tags,
}

/// `?sort=`: a column, `-` first for descending. Default `-updated_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum SortParam {
    #[serde(rename = "status")]
    Status,
    #[serde(rename = "-status")]
    StatusDesc,
    #[serde(rename = "reference")]
    Reference,
    #[serde(rename = "-reference")]
    ReferenceDesc,
    #[serde(rename = "title")]
    Title,
    #[serde(rename = "-title")]
    TitleDesc,
    #[serde(rename = "contact_name")]
    ContactName,
    #[serde(rename = "-contact_name")]
    ContactNameDesc,
    #[serde(rename = "value")]
    Value,
    #[serde(rename = "-value")]
    ValueDesc,
    #[serde(rename = "updated_at")]
    UpdatedAt,
    #[serde(rename = "-updated_at")]
    UpdatedAtDesc,
    #[serde(rename = "created_at")]
    CreatedAt,
    #[serde(rename = "-created_at")]
    CreatedAtDesc,
}

/// Only attendances past their due time (and still open or in progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueFilter {
    Overdue,
}

/// The list's filters and order (also used by `neighbors` and reports).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Reference number (`1042` or `#1042`), a fragment of the title or contact name (accents and
    /// case ignored), or a day (`2026-11-27` or `27/11/2026`) on which it was created or updated.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only attendances with this tag. The fixed first tag ALL (the nil UUID
    /// `00000000-0000-0000-0000-000000000000`) stands for every attendance, as no filter.
    pub tag_id: Option<Uuid>,
    #[param(inline)]
    pub status: Option<Status>,
    /// Default `active`.
    #[param(inline)]
    pub view: Option<View>,
    #[param(inline)]
    pub due: Option<DueFilter>,
    #[param(inline)]
    pub sort: Option<SortParam>,
}

/// Previous and next attendance in the list's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Neighbors {
    pub previous: Option<Uuid>,
    pub next: Option<Uuid>,
}

/// A note on an attendance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Cliente aprovou o orçamento por telefone.", "notify": false}))]
pub struct CreateInteractionRequest {
    /// Required unless `template_id` is given; then, when absent or blank, the template's body
    /// rendered for this attendance is the note.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: Option<String>,
    /// "Save and notify": the note is also e-mailed to the attendance's contact, from the
    /// caller's mailbox (`/me/mailbox`; without one the request is 409
    /// `mailbox_not_configured` and nothing is saved). The contact needs an e-mail (else 422
    /// naming `notify`). The message is queued with the note and sent in the background; see
    /// `notification_status`.
    #[serde(default)]
    pub notify: bool,
    /// A template (`/mail/templates`) the caller may use: its rendered subject becomes the
    /// e-mail's subject, and its rendered body the note when `body` is absent. An unknown one
    /// is 422 naming `template_id`.
    pub template_id: Option<Uuid>,
}

/// Who did something.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserRef {
    pub id: Uuid,
    #[schema(example = "Maria Souza")]
    pub name: String,
}

/// A note on an attendance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InteractionResponse {
    pub id: Uuid,
    pub attendance_id: Uuid,
    pub body: String,
    pub notify: bool,
    /// With `notify`: `pending` (queued, or retrying after an error), `sent` or `failed` (after
    /// the last retry); null without `notify`.
    pub notification_status: Option<String>,
    /// Why the last delivery attempt failed, while `pending` or `failed`.
    pub notification_error: Option<String>,
    /// The e-mail's `Message-ID`, once `sent`.
    #[schema(example = "<0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d@empresa.com.br>")]
    pub message_id: Option<String>,
    pub author: UserRef,
    #[serde(serialize_with = "crm_core::time::serialize")]
    pub created_at: DateTime<Utc>,
}

/// One entry of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub id: Uuid,
    /// `created`, `interaction`, `title_changed`, `status_changed`, `value_changed`,
    /// `due_changed`, `contact_changed`, `tag_added`, `tag_removed`, `archived`, `unarchived`,
    /// `trashed`, `restored`, `moved`; orders add `sale_registered`, `sale_revised`,
    /// `sale_approved`, `sale_rejected`, `sale_cancelled`, `purchase_registered` and
    /// `purchase_updated`.
    #[schema(example = "status_changed")]
    pub kind: String,
    pub actor: UserRef,
    #[serde(serialize_with = "crm_core::time::serialize")]
    pub created_at: DateTime<Utc>,
    /// What changed, e.g. `{"from": "open", "to": "won"}`.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// For `interaction` entries.
    pub interaction: Option<InteractionResponse>,
}

/// Counts of a flow's active attendances.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlowSummary {
    pub flow_id: Uuid,
    /// Active attendances in the flow (the ALL tag's count).
    pub total: u64,
    /// One entry per status, in workflow order, zeros included.
    pub by_status: Vec<StatusCount>,
    /// The ALL tag first, then every tag of the flow in order, zeros included.
    pub by_tag: Vec<TagCount>,
    /// Quotes awaiting approval (on attendances not in the trash): what the flow has "a receber".
    pub receivable: Receivable,
}

/// The sum of the current totals of the flow's quotes awaiting approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct Receivable {
    #[schema(example = "15230.50")]
    pub amount: String,
    #[schema(example = "BRL")]
    pub currency: String,
    /// How many quotes.
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TagCount {
    /// The nil UUID for the virtual ALL tag.
    pub tag_id: Uuid,
    pub name: String,
    pub color: Option<String>,
    pub count: u64,
}

/// A user's visible columns of a flow's list, in order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"columns": ["status", "reference", "title", "contact_name", "value", "updated_at"]}))]
pub struct ColumnPreferences {
    /// At least one column, each at most once.
    #[schema(min_items = 1, max_items = 9)]
    pub columns: Vec<Column>,
}
