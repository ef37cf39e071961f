use sea_orm::entity::prelude::*;

/// One line of an order. Decimals are the exact strings they were validated as.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sale_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub version_id: Uuid,
    pub position: i32,
    pub description: String,
    pub product_code: Option<String>,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    /// The line discount as entered, JSON.
    pub discount: Option<String>,
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub total_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The columns every order line has, as `crm_core::order` reads them back into a response.
impl From<Model> for crm_core::order::StoredLine {
    fn from(item: Model) -> Self {
        Self {
            position: item.position,
            description: item.description,
            product_code: item.product_code,
            quantity: item.quantity,
            unit: item.unit,
            unit_price: item.unit_price,
            discount: item.discount,
            gross_cents: item.gross_cents,
            discount_cents: item.discount_cents,
            total_cents: item.total_cents,
        }
    }
}
