//! Queries on contacts.

use crm_entity::{contact_changes, contacts, planning, users};
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

pub async fn insert_change(
    db: &impl ConnectionTrait,
    change: contact_changes::Model,
) -> Result<(), DbErr> {
    contact_changes::ActiveModel::from(change)
        .insert(db)
        .await
        .map(|_| ())
}

/// A change with the name of who made it.
#[derive(Debug, sea_orm::FromQueryResult)]
pub struct ChangeRow {
    pub id: Uuid,
    pub actor_id: Uuid,
    pub actor_name: String,
    pub kind: String,
    pub changes: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The contact's changes, newest first, after `(created_at, id)` when given.
pub async fn changes_page(
    db: &impl ConnectionTrait,
    contact_id: Uuid,
    after: Option<(chrono::DateTime<chrono::Utc>, Uuid)>,
    fetch: u64,
) -> Result<Vec<ChangeRow>, DbErr> {
    use contact_changes::Column as C;
    let author: sea_orm::RelationDef = contact_changes::Entity::belongs_to(users::Entity)
        .from(C::ActorId)
        .to(users::Column::Id)
        .into();
    let mut query = contact_changes::Entity::find()
        .select_only()
        .columns([C::Id, C::ActorId, C::Kind, C::Changes, C::CreatedAt])
        .column_as(users::Column::Name, "actor_name")
        .join(sea_orm::JoinType::InnerJoin, author)
        .filter(C::ContactId.eq(contact_id));
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any()
                .add(C::CreatedAt.lt(at))
                .add(Condition::all().add(C::CreatedAt.eq(at)).add(C::Id.lt(id))),
        );
    }
    query
        .order_by_desc(C::CreatedAt)
        .order_by_desc(C::Id)
        .limit(fetch)
        .into_model::<ChangeRow>()
        .all(db)
        .await
}
