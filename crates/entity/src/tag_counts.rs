use sea_orm::entity::prelude::*;

/// How many active attendances carry a tag; kept by the writing transactions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tag_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tag_id: Uuid,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
