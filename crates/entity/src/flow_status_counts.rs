use sea_orm::entity::prelude::*;

/// How many active attendances of a flow have a status; kept by the writing transactions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "flow_status_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub flow_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub status: String,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
