use sea_orm::entity::prelude::*;

/// One entry of an attendance's timeline.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub attendance_id: Uuid,
    pub actor_id: Uuid,
    /// `created`, `status_changed`, `interaction`, `moved`, …
    pub kind: String,
    /// Details of the change, as a JSON object (`{"from": …, "to": …}`).
    pub data: String,
    pub interaction_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
