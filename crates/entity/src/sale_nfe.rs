use sea_orm::entity::prelude::*;

/// The NF-e data of an order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sale_nfe")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sale_id: Uuid,
    /// The NF-e fields, JSON.
    pub document: String,
    /// `incomplete` or `ready`.
    pub status: String,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
