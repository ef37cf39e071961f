//! The contacts and first interactions of a batch of attendances: a few queries per batch of
//! rows, never one per row.

use crm_entity::{contacts, interactions, users};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

pub async fn contacts_by_id(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<contacts::Model>, DbErr> {
    contacts::Entity::find()
        .filter(contacts::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The oldest interaction of each attendance, with its author's name.
pub async fn first_interactions(
    db: &impl ConnectionTrait,
    attendance_ids: &[Uuid],
) -> Result<Vec<(interactions::Model, String)>, DbErr> {
    let rows = interactions::Entity::find()
        .filter(interactions::Column::AttendanceId.is_in(attendance_ids.iter().copied()))
        .order_by_asc(interactions::Column::AttendanceId)
        .order_by_asc(interactions::Column::CreatedAt)
        .order_by_asc(interactions::Column::Id)
        .all(db)
        .await?;
    let mut firsts: Vec<interactions::Model> = Vec::new();
    for row in rows {
        if firsts
            .last()
            .is_none_or(|last| last.attendance_id != row.attendance_id)
        {
            firsts.push(row);
        }
    }
    let author_ids: Vec<Uuid> = firsts.iter().map(|r| r.author_id).collect();
    let authors = users::Entity::find()
        .filter(users::Column::Id.is_in(author_ids))
        .all(db)
        .await?;
    Ok(firsts
        .into_iter()
        .map(|row| {
            let name = authors
                .iter()
                .find(|u| u.id == row.author_id)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (row, name)
        })
        .collect())
}
