use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub flow_id: Uuid,
    /// Human reference number, unique and increasing.
    #[sea_orm(unique)]
    pub reference: i64,
    pub title: String,
    pub title_key: String,
    pub contact_id: Uuid,
    /// Copy of the contact's name, for sorting and searching without a join.
    pub contact_name: String,
    pub contact_name_key: String,
    pub status: String,
    /// The status's place in the workflow, for sorting.
    pub status_rank: i16,
    /// Value in centavos: exact, and sorts as a number on every database.
    pub value_cents: i64,
    pub due_at: Option<DateTimeUtc>,
    /// `active`, `archived` or `trash`.
    pub view: String,
    pub archived_at: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    /// Reference, title and contact name folded for accent-insensitive search.
    pub search_key: String,
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
