//! The attendances of a contact, for the contacts crate (through `ContactUses`).

use sea_orm::sea_query::{BinOper, Expr, ExprTrait, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crm_entity::attendances;

/// Attendances keep a copy of their contact's name (to sort and search the list without a join).
/// This keeps the copied contact name of every attendance of a contact current, in one statement.
/// `search_key` is the title's key and the name's key joined by a space (as `crate::model::search_key`
/// builds it), so it can be rebuilt in SQL.
pub async fn rename_contact(
    db: &impl ConnectionTrait,
    contact_id: Uuid,
    name: &str,
) -> Result<(), DbErr> {
    let name_key = crm_core::text::search_key(name);
    attendances::Entity::update_many()
        .col_expr(attendances::Column::ContactName, Expr::value(name))
        .col_expr(
            attendances::Column::ContactNameKey,
            Expr::value(name_key.clone()),
        )
        .col_expr(
            attendances::Column::SearchKey,
            Expr::col(attendances::Column::TitleKey)
                .binary(BinOper::Custom("||"), Expr::val(format!(" {name_key}"))),
        )
        .filter(attendances::Column::ContactId.eq(contact_id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Whether an attendance (also an archived or trashed one) of a flow outside `visible` points to
/// the contact. `visible` is `crm_flows::visible_flow_ids` of a member.
pub async fn used_outside(
    db: &impl ConnectionTrait,
    contact_id: Uuid,
    visible: SelectStatement,
) -> Result<bool, DbErr> {
    let found = attendances::Entity::find()
        .select_only()
        .column(attendances::Column::Id)
        .filter(attendances::Column::ContactId.eq(contact_id))
        .filter(attendances::Column::FlowId.not_in_subquery(visible))
        .limit(1)
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.is_some())
}
