use sea_orm::entity::prelude::*;

/// A purchase from a supplier, registered on an attendance.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub attendance_id: Uuid,
    pub flow_id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    /// A contact.
    pub supplier_id: Uuid,
    pub purchased_on: Date,
    pub notes: Option<String>,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub freight_cents: i64,
    pub total_cents: i64,
    pub discount: Option<String>,
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
