use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub attendance_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    /// "Save and notify": the contact gets a copy by e-mail.
    pub notify: bool,
    /// `pending`, `sent` or `failed` once notifications are sent; `None` when not asked.
    pub notification_status: Option<String>,
    /// The last delivery error while `pending` (retrying) or `failed`.
    pub notification_error: Option<String>,
    /// The `Message-ID` of the e-mail, once sent.
    pub message_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
