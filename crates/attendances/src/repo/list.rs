//! The attendance list: filters, the seven orderings and their keysets, neighbours, counts.

use chrono::{DateTime, Utc};
use crm_core::page::Direction;
use crm_entity::{attendance_tags, attendances, flows, keyset, planning};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Statement, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::shown::{Columns, SHOWN, ShownRow};
use crate::model::{Search, Status, View};

/// A sortable column of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Status,
    Reference,
    Title,
    ContactName,
    Value,
    UpdatedAt,
    CreatedAt,
}

impl SortKey {
    fn column(self) -> attendances::Column {
        match self {
            SortKey::Status => attendances::Column::StatusRank,
            SortKey::Reference => attendances::Column::Reference,
            SortKey::Title => attendances::Column::TitleKey,
            SortKey::ContactName => attendances::Column::ContactNameKey,
            SortKey::Value => attendances::Column::ValueCents,
            SortKey::UpdatedAt => attendances::Column::UpdatedAt,
            SortKey::CreatedAt => attendances::Column::CreatedAt,
        }
    }

    /// The row's value in this column, as it goes into a cursor.
    pub fn value_of(self, row: &attendances::Model) -> SortValue {
        match self {
            SortKey::Status => SortValue::Int(i64::from(row.status_rank)),
            SortKey::Reference => SortValue::Int(row.reference),
            SortKey::Title => SortValue::Text(row.title_key.clone()),
            SortKey::ContactName => SortValue::Text(row.contact_name_key.clone()),
            SortKey::Value => SortValue::Int(row.value_cents),
            SortKey::UpdatedAt => SortValue::Time(row.updated_at),
            SortKey::CreatedAt => SortValue::Time(row.created_at),
        }
    }
}

/// A sort column's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortValue {
    Int(i64),
    Text(String),
    Time(DateTime<Utc>),
}

impl SortValue {
    fn into_value(self, key: SortKey) -> Value {
        match (key, self) {
            (SortKey::Status, SortValue::Int(v)) => Value::from(i16::try_from(v).unwrap_or(0)),
            (_, SortValue::Int(v)) => Value::from(v),
            (_, SortValue::Text(v)) => Value::from(v),
            (_, SortValue::Time(v)) => Value::from(v),
        }
    }

    /// Whether the value has the type the key's column holds (a cursor from another ordering
    /// does not).
    pub fn fits(&self, key: SortKey) -> bool {
        matches!(
            (key, self),
            (
                SortKey::Status | SortKey::Reference | SortKey::Value,
                SortValue::Int(_)
            ) | (SortKey::Title | SortKey::ContactName, SortValue::Text(_))
                | (SortKey::UpdatedAt | SortKey::CreatedAt, SortValue::Time(_))
        )
    }
}

/// A position in an ordering: the row's sort value and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub key: SortKey,
    pub value: SortValue,
    pub id: Uuid,
}

/// Everything that selects the rows of a list.
#[derive(Debug, Clone)]
pub struct Filter {
    pub flow_id: Uuid,
    pub view: View,
    pub status: Option<Status>,
    pub tag_id: Option<Uuid>,
    /// Only rows due before this instant (and still open or in progress).
    pub due_before: Option<DateTime<Utc>>,
    pub search: Option<Search>,
    /// The flows the caller may see (`flow_id IN (…)`), when the list itself is the access check;
    /// `None` when the caller already checked it (or sees every flow).
    pub visible_flows: Option<SelectStatement>,
}

/// One page (or one neighbour) of the list.
pub struct Window {
    pub key: SortKey,
    pub direction: Direction,
    pub after: Option<Position>,
    pub fetch: u64,
}

fn condition(filter: &Filter) -> Condition {
    // The view is written into the SQL, not bound (three values, three statements): a bound view
    // makes PostgreSQL's generic plan guess a third of the flow instead of the active 70%, so it
    // costs more than a fresh plan and every execution is planned again (bench/RESULTS.md).
    let view = Expr::cust(format!("'{}'", filter.view.as_str()));
    let mut all = Condition::all()
        .add(attendances::Column::FlowId.eq(filter.flow_id))
        .add(Expr::col((attendances::Entity, attendances::Column::View)).eq(view));
    if let Some(flows) = &filter.visible_flows {
        all = all.add(attendances::Column::FlowId.in_subquery(flows.clone()));
    }
    if let Some(status) = filter.status {
        all = all.add(attendances::Column::Status.eq(status.as_str()));
    }
    if let Some(tag_id) = filter.tag_id {
        let tagged = Query::select()
            .column(attendance_tags::Column::AttendanceId)
            .from(attendance_tags::Entity)
            .and_where(attendance_tags::Column::TagId.eq(tag_id))
            .to_owned();
        all = all.add(attendances::Column::Id.in_subquery(tagged));
    }
    if let Some(now) = filter.due_before {
        all = all.add(attendances::Column::DueAt.lt(now)).add(
            attendances::Column::Status.is_in([Status::Open.as_str(), Status::InProgress.as_str()]),
        );
    }
    match &filter.search {
        None => {}
        Some(Search::Number { reference, key }) => {
            all = all.add(
                Condition::any()
                    .add(attendances::Column::Reference.eq(*reference))
                    .add(contains(key)),
            );
        }
        Some(Search::Day { start, end }) => {
            all = all.add(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(attendances::Column::CreatedAt.gte(*start))
                            .add(attendances::Column::CreatedAt.lt(*end)),
                    )
                    .add(
                        Condition::all()
                            .add(attendances::Column::UpdatedAt.gte(*start))
                            .add(attendances::Column::UpdatedAt.lt(*end)),
                    ),
            );
        }
        Some(Search::Text(key)) => all = all.add(contains(key)),
    }
    all
}

fn contains(key: &str) -> Condition {
    let pattern = crm_core::text::like_contains(key);
    Condition::all().add(planning::like(attendances::Column::SearchKey, &pattern))
}

/// Rows strictly after `position` when walking in `direction`.
fn beyond(position: &Position, direction: Direction) -> Condition {
    keyset::beyond(
        position.key.column(),
        position.value.clone().into_value(position.key),
        attendances::Column::Id,
        position.id,
        direction == Direction::Desc,
    )
}

/// One query: the filtered rows in the window's order, after its position.
pub async fn list<C>(
    db: &C,
    filter: &Filter,
    window: &Window,
) -> Result<Vec<attendances::Model>, DbErr>
where
    C: ConnectionTrait,
{
    let rows = db
        .query_all_raw(statement(select(filter, window), db, window))
        .await?;
    rows.iter()
        .map(|row| attendances::Model::from_query_result(row, ""))
        .collect()
}

impl SortKey {
    fn read(self, columns: &mut Columns<'_>) -> Result<SortValue, DbErr> {
        Ok(match self {
            SortKey::Status => SortValue::Int(i64::from(columns.next::<i16>()?)),
            SortKey::Reference | SortKey::Value => SortValue::Int(columns.next()?),
            SortKey::Title | SortKey::ContactName => SortValue::Text(columns.next()?),
            SortKey::UpdatedAt | SortKey::CreatedAt => SortValue::Time(columns.next()?),
        })
    }
}

/// A row of the list page: what it shows, where it stands in the ordering, its tags' ids.
pub struct Listed {
    pub row: ShownRow,
    pub position: Position,
    pub tag_ids: Vec<Uuid>,
}

/// A list page as read: its rows, and the version of the flow's tags they were read with.
pub struct ListedPage {
    pub rows: Vec<Listed>,
    pub tags_version: i64,
}

/// The list page, one query: the shown columns, the sort column for the cursor, each row's tag
/// ids from a correlated subquery on the tag links' primary key, and the flow's `tags_version`
/// (evaluated once), which tells whether tags kept from an earlier page still name them.
pub async fn list_shown<C>(db: &C, filter: &Filter, window: &Window) -> Result<ListedPage, DbErr>
where
    C: ConnectionTrait,
{
    // SQLite keeps UUIDs as 16-byte blobs: their hex is a UUID's simple form.
    let tag_ids = match db.get_database_backend() {
        DbBackend::Postgres => "string_agg(CAST(l.tag_id AS TEXT), ',')",
        _ => "group_concat(hex(l.tag_id), ',')",
    };
    let subquery =
        format!("(SELECT {tag_ids} FROM attendance_tags l WHERE l.attendance_id = attendances.id)");
    let query = select(filter, window)
        .select_only()
        .columns(SHOWN)
        .column_as(window.key.column(), "sort_value")
        .column_as(Expr::cust(subquery), "tag_ids")
        .column_as(tags_version(filter.flow_id), "tags_version");
    let results = db.query_all_raw(statement(query, db, window)).await?;
    let mut tags_version = 0;
    let rows = results
        .iter()
        .map(|result| {
            let mut columns = Columns::of(result);
            let row = ShownRow::read(&mut columns)?;
            let value = window.key.read(&mut columns)?;
            let ids: Option<String> = columns.next()?;
            tags_version = columns.next()?;
            Ok(Listed {
                position: Position {
                    key: window.key,
                    value,
                    id: row.id,
                },
                row,
                tag_ids: ids
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|id| Uuid::parse_str(id).ok())
                    .collect(),
            })
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(ListedPage { rows, tags_version })
}

/// `(SELECT tags_version FROM flows WHERE id = …)`: the column is kept by triggers and is not in
/// the `flows` entity (migration 7 says why).
fn tags_version(flow_id: Uuid) -> Expr {
    let version = Query::select()
        .column(Alias::new("tags_version"))
        .from(flows::Entity)
        .and_where(Expr::col((flows::Entity, flows::Column::Id)).eq(flow_id))
        .to_owned();
    Expr::SubQuery(None, Box::new(version.into()))
}

fn select(filter: &Filter, window: &Window) -> Select<attendances::Entity> {
    let mut query = attendances::Entity::find().filter(condition(filter));
    if let Some(after) = &window.after {
        query = query.filter(beyond(after, window.direction));
    }
    let order = match window.direction {
        Direction::Asc => Order::Asc,
        Direction::Desc => Order::Desc,
    };
    query
        .order_by(window.key.column(), order.clone())
        .order_by(attendances::Column::Id, order)
}

/// The query with its `LIMIT` written into the SQL: a bound limit makes PostgreSQL's generic plan
/// expect a tenth of the flow, so it would plan every execution afresh (as with the view above).
fn statement(
    query: Select<attendances::Entity>,
    db: &impl ConnectionTrait,
    window: &Window,
) -> Statement {
    let mut statement = query.build(db.get_database_backend());
    statement.sql.push_str(&format!(" LIMIT {}", window.fetch));
    statement
}

pub async fn count(db: &impl ConnectionTrait, filter: &Filter) -> Result<u64, DbErr> {
    attendances::Entity::find()
        .filter(condition(filter))
        .count(db)
        .await
}
