//! The API's view of attendances: rows with their tags, as responses.

use chrono::{DateTime, Utc};
use crm_core::Money;
use crm_entity::attendances;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::dto::{AttendanceResponse, AttendanceTag, ContactRef};
use crate::flow_tags::FlowTags;
use crate::model::{Status, View};
use crate::{AttendanceError, repo};

pub(crate) async fn respond(
    db: &impl ConnectionTrait,
    row: attendances::Model,
) -> Result<AttendanceResponse, AttendanceError> {
    respond_many(db, vec![row])
        .await?
        .pop()
        .ok_or(AttendanceError::NotFound)
}

/// Responses for rows, with their tags fetched in one query for all of them.
pub(crate) async fn respond_many(
    db: &impl ConnectionTrait,
    rows: Vec<attendances::Model>,
) -> Result<Vec<AttendanceResponse>, AttendanceError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let tags = crm_tags::lookup::tags_of_attendances(db, &ids).await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|row| {
            let row_tags = tags
                .iter()
                .filter(|(attendance_id, _)| *attendance_id == row.id)
                .map(|(_, tag)| AttendanceTag {
                    id: tag.id,
                    name: tag.name.clone(),
                    color: tag.color.clone(),
                })
                .collect();
            to_response(row.into(), row_tags, now)
        })
        .collect())
}

/// Responses for a list page whose rows carry their tag ids: the tags' names and colours come
/// from the flow's few tags (all rows are of one flow), in display order, kept between pages
/// while the flow's tags version stays the page's.
pub(crate) async fn respond_listed(
    db: &impl ConnectionTrait,
    flow_tags: &FlowTags,
    flow_id: Uuid,
    rows: Vec<repo::Listed>,
    tags_version: i64,
) -> Result<Vec<AttendanceResponse>, AttendanceError> {
    let kept = if rows.iter().any(|listed| !listed.tag_ids.is_empty()) {
        Some(flow_tags.of(db, flow_id, tags_version).await?)
    } else {
        None
    };
    let flow_tags = kept.as_ref().map_or(&[][..], |kept| kept.tags.as_slice());
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|listed| {
            let tags = flow_tags
                .iter()
                .filter(|(id, _, _)| listed.tag_ids.contains(id))
                .map(|(id, name, color)| AttendanceTag {
                    id: *id,
                    name: name.clone(),
                    color: color.clone(),
                })
                .collect();
            to_response(listed.row, tags, now)
        })
        .collect())
}

fn to_response(
    row: repo::ShownRow,
    tags: Vec<AttendanceTag>,
    now: DateTime<Utc>,
) -> AttendanceResponse {
    let status = Status::parse(&row.status).unwrap_or(Status::Open);
    AttendanceResponse {
        id: row.id,
        flow_id: row.flow_id,
        reference: row.reference,
        title: row.title,
        status,
        contact: ContactRef {
            id: row.contact_id,
            name: row.contact_name,
        },
        value: Money::from_cents(row.value_cents).to_decimal_string(),
        currency: "BRL".to_owned(),
        overdue: status.can_be_overdue() && row.due_at.is_some_and(|due| due < now),
        due_at: row.due_at,
        tags,
        view: View::parse(&row.view),
        archived_at: row.archived_at,
        deleted_at: row.deleted_at,
        version: row.version,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}
