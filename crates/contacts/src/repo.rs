//! Queries on contacts.

use crm_entity::{attendances, contacts, planning};
use sea_orm::sea_query::{BinOper, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// The list's order; each is a keyset over (value, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    CreatedAt,
}

/// Where the previous page ended.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum After {
    Name(String, Uuid),
    CreatedAt(chrono::DateTime<chrono::Utc>, Uuid),
}

pub struct ListQuery<'a> {
    pub search: &'a [String],
    pub sort: SortKey,
    pub descending: bool,
    pub after: Option<After>,
    pub fetch: u64,
}

pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<contacts::Model>, DbErr> {
    contacts::Entity::find_by_id(id).one(db).await
}

pub async fn by_document(
    db: &impl ConnectionTrait,
    document: &str,
) -> Result<Option<contacts::Model>, DbErr> {
    contacts::Entity::find()
        .filter(contacts::Column::Document.eq(document))
        .one(db)
        .await
}

/// `search` holds alternative patterns (already `LIKE`-escaped); a row matches any of them.
pub async fn list(
    db: &impl ConnectionTrait,
    q: ListQuery<'_>,
) -> Result<Vec<contacts::Model>, DbErr> {
    let mut query = contacts::Entity::find();
    if !q.search.is_empty() {
        let mut any = Condition::any();
        for pattern in q.search {
            any = any.add(planning::like(contacts::Column::SearchKey, pattern));
        }
        query = query.filter(any);
    }
    let (column, value) = match (&q.sort, q.after) {
        (SortKey::Name, Some(After::Name(key, id))) => {
            (contacts::Column::NameKey, Some((key.into(), id)))
        }
        (SortKey::CreatedAt, Some(After::CreatedAt(at, id))) => {
            (contacts::Column::CreatedAt, Some((at.into(), id)))
        }
        (SortKey::Name, _) => (contacts::Column::NameKey, None),
        (SortKey::CreatedAt, _) => (contacts::Column::CreatedAt, None),
    };
    if let Some((value, id)) = value {
        let value: sea_orm::Value = value;
        query = query.filter(keyset(column, value, id, q.descending));
    }
    let order = if q.descending {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let query = query
        .order_by(column, order.clone())
        .order_by(contacts::Column::Id, order)
        .limit(q.fetch);
    query.all(db).await
}

/// Rows strictly after `(value, id)` in the list's order.
fn keyset(
    column: contacts::Column,
    value: sea_orm::Value,
    id: Uuid,
    descending: bool,
) -> Condition {
    crm_entity::keyset::beyond(column, value, contacts::Column::Id, id, descending)
}

pub async fn insert(
    db: &impl ConnectionTrait,
    row: contacts::Model,
) -> Result<contacts::Model, DbErr> {
    contacts::ActiveModel::from(row).insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    row: contacts::Model,
    expected_version: i32,
) -> Result<bool, DbErr> {
    let id = row.id;
    let result = contacts::Entity::update_many()
        .set(contacts::ActiveModel::from(row).reset_all())
        .filter(contacts::Column::Id.eq(id))
        .filter(contacts::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<u64, DbErr> {
    contacts::Entity::delete_by_id(id)
        .exec(db)
        .await
        .map(|r| r.rows_affected)
}

/// Attendances keep a copy of their contact's name (to sort and search the list without a join).
/// This keeps the copied contact name of every attendance of a contact current, in one statement.
/// `search_key` is the title's key and the name's key joined by a space (as `crm_attendances::model::search_key`
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
