use sea_orm::entity::prelude::*;

/// A quote or sale; its content is in `sale_versions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub attendance_id: Uuid,
    /// Copy of the attendance's flow, for lists and the receivable.
    pub flow_id: Uuid,
    /// `ORC-000001` for quotes, `VEN-000001` for sales; kept when a quote is approved.
    #[sea_orm(unique)]
    pub code: String,
    /// `awaiting_approval`, `approved`, `rejected` or `cancelled`.
    pub status: String,
    pub current_version: i32,
    /// The current version's total.
    pub total_cents: i64,
    pub issue_nfe: bool,
    /// Who approved, rejected or cancelled it, and when.
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
