use sea_orm::entity::prelude::*;

/// One immutable version of a quote or sale.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sale_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sale_id: Uuid,
    /// 1, 2, …
    pub number: i32,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub freight_cents: i64,
    pub total_cents: i64,
    /// The order discount as entered, JSON.
    pub discount: Option<String>,
    pub payment_terms: Option<String>,
    pub valid_until: Option<Date>,
    pub notes: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
