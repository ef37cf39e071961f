use sea_orm::entity::prelude::*;

/// A message queued by "save and notify". Never deleted: sent and failed rows are the history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub interaction_id: Uuid,
    pub attendance_id: Uuid,
    /// The user whose mailbox sends it.
    pub sender_id: Uuid,
    pub to_address: String,
    pub to_name: String,
    pub reply_to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// `<uuid@sender-domain>`, chosen when queued.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Option<String>,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// While in the future, an instance is sending the message (a lease, not a lock).
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
