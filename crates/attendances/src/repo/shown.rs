//! The columns of an attendance that its response shows, and reading them by position.

use chrono::{DateTime, Utc};
use crm_entity::attendances;
use sea_orm::{DbErr, QueryResult, TryGetable};
use uuid::Uuid;

/// What an attendance's response shows: the row without its search and sort keys.
#[derive(Debug, Clone)]
pub struct ShownRow {
    pub id: Uuid,
    pub flow_id: Uuid,
    pub reference: i64,
    pub title: String,
    pub contact_id: Uuid,
    pub contact_name: String,
    pub status: String,
    pub value_cents: i64,
    pub due_at: Option<DateTime<Utc>>,
    pub view: String,
    pub archived_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<attendances::Model> for ShownRow {
    fn from(row: attendances::Model) -> Self {
        Self {
            id: row.id,
            flow_id: row.flow_id,
            reference: row.reference,
            title: row.title,
            contact_id: row.contact_id,
            contact_name: row.contact_name,
            status: row.status,
            value_cents: row.value_cents,
            due_at: row.due_at,
            view: row.view,
            archived_at: row.archived_at,
            deleted_at: row.deleted_at,
            version: row.version,
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// The columns of a [`ShownRow`], in the order [`ShownRow::read`] reads them.
pub(super) const SHOWN: [attendances::Column; 16] = [
    attendances::Column::Id,
    attendances::Column::FlowId,
    attendances::Column::Reference,
    attendances::Column::Title,
    attendances::Column::ContactId,
    attendances::Column::ContactName,
    attendances::Column::Status,
    attendances::Column::ValueCents,
    attendances::Column::DueAt,
    attendances::Column::View,
    attendances::Column::ArchivedAt,
    attendances::Column::DeletedAt,
    attendances::Column::Version,
    attendances::Column::CreatedBy,
    attendances::Column::CreatedAt,
    attendances::Column::UpdatedAt,
];

impl ShownRow {
    pub(super) fn read(columns: &mut Columns<'_>) -> Result<Self, DbErr> {
        Ok(Self {
            id: columns.next()?,
            flow_id: columns.next()?,
            reference: columns.next()?,
            title: columns.next()?,
            contact_id: columns.next()?,
            contact_name: columns.next()?,
            status: columns.next()?,
            value_cents: columns.next()?,
            due_at: columns.next()?,
            view: columns.next()?,
            archived_at: columns.next()?,
            deleted_at: columns.next()?,
            version: columns.next()?,
            created_by: columns.next()?,
            created_at: columns.next()?,
            updated_at: columns.next()?,
        })
    }
}

/// A result row read column by column in select order: a page reads 50 rows of 19 columns, and
/// a lookup by name costs a string and a search per column (bench/RESULTS.md).
pub(super) struct Columns<'a> {
    row: &'a QueryResult,
    next: usize,
}

impl<'a> Columns<'a> {
    pub(super) fn of(row: &'a QueryResult) -> Self {
        Self { row, next: 0 }
    }

    pub(super) fn next<T: TryGetable>(&mut self) -> Result<T, DbErr> {
        self.next += 1;
        self.row.try_get_by_index(self.next - 1)
    }
}
