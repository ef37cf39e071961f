use sea_orm::entity::prelude::*;

/// One change to a contact: who made it, when, and each changed field's old and new value.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub contact_id: Uuid,
    pub actor_id: Uuid,
    /// `created` or `updated`.
    pub kind: String,
    /// `{"email": {"from": …, "to": …}, …}` as JSON text.
    pub changes: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
