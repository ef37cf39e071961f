//! The flow's list of attendances, previous/next under the same query, the flow summary and
//! each user's list columns.

use crm_core::page::{Cursor, CursorError, Direction, Limit, paginate};
use crm_core::{Actor, FieldErrors, Page};
use uuid::Uuid;

use crate::dto::{
    Column, ColumnPreferences, DueFilter, FlowSummary, ListParams, Neighbors, Receivable,
    SortParam, StatusCount, TagCount,
};
use crate::model::{Search, Status, View};
use crate::repo::{self, Filter, Position, SortKey, Window};
use crate::respond::respond_listed;
use crate::service::{AttendanceService, load};
use crate::{AttendanceError, dto::AttendanceResponse};

/// The columns a list shows before a user chooses: the old system's screen.
pub const DEFAULT_COLUMNS: [Column; 7] = [
    Column::Status,
    Column::Reference,
    Column::Title,
    Column::ContactName,
    Column::Value,
    Column::UpdatedAt,
    Column::CreatedAt,
];

impl AttendanceService {
    #[tracing::instrument(name = "attendances.list", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn list(
        &self,
        actor: &Actor,
        flow_id: Uuid,
        params: &ListParams,
        cursor: Option<&str>,
        limit: Limit,
        with_total: bool,
    ) -> Result<Page<AttendanceResponse>, AttendanceError> {
        let mut filter = filter(flow_id, params)?;
        let (key, direction) = sort(params.sort);
        let after = cursor
            .map(|c| decode_cursor(c, key, direction))
            .transpose()?;
        let window = Window {
            key,
            direction,
            after,
            fetch: limit.get() + 1,
        };
        // The screen's hottest request: the access check rides in the list's statement, and only
        // an empty page costs a second look, to tell an empty flow from a hidden one (404).
        filter.visible_flows = crm_flows::visible_flow_ids(actor);
        let repo::ListedPage { rows, tags_version } =
            repo::list_shown(&self.db, &filter, &window).await?;
        if rows.is_empty() {
            crm_flows::visible_flow(&self.db, actor, flow_id).await?;
        }
        let (rows, next_cursor) =
            paginate(rows, limit, |listed| (listed.position.clone(), direction));
        let total = if with_total {
            Some(repo::count(&self.db, &filter).await?)
        } else {
            None
        };
        Ok(Page {
            items: respond_listed(&self.db, &self.flow_tags, flow_id, rows, tags_version).await?,
            next_cursor,
            total,
        })
    }

    /// The ids just before and after an attendance in the list that `params` describe.
    #[tracing::instrument(name = "attendances.neighbors", skip_all, fields(user = %actor.user_id, id = %id))]
    pub async fn neighbors(
        &self,
        actor: &Actor,
        id: Uuid,
        params: &ListParams,
    ) -> Result<Neighbors, AttendanceError> {
        let row = load(&self.db, actor, id).await?;
        let filter = filter(row.flow_id, params)?;
        let (key, direction) = sort(params.sort);
        let here = Position {
            key,
            value: key.value_of(&row),
            id: row.id,
        };
        let reverse = match direction {
            Direction::Asc => Direction::Desc,
            Direction::Desc => Direction::Asc,
        };
        let mut ids = Vec::with_capacity(2);
        for direction in [reverse, direction] {
            let window = Window {
                key,
                direction,
                after: Some(here.clone()),
                fetch: 1,
            };
            ids.push(
                repo::list(&self.db, &filter, &window)
                    .await?
                    .pop()
                    .map(|r| r.id),
            );
        }
        Ok(Neighbors {
            previous: ids.first().copied().flatten(),
            next: ids.get(1).copied().flatten(),
        })
    }

    /// Active attendances per status and per tag (the ALL tag first, with the total).
    #[tracing::instrument(name = "attendances.summary", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn summary(
        &self,
        actor: &Actor,
        flow_id: Uuid,
    ) -> Result<FlowSummary, AttendanceError> {
        // The access check rides in the counts' statement: nothing is read for a flow the
        // caller may not see.
        let visible = crm_flows::visible_flow_ids(actor);
        let counts = repo::flow_counts(&self.db, flow_id, visible)
            .await?
            .ok_or(crm_flows::FlowError::NotFound)?;
        let tags = repo::tag_counts_of_flow(&self.db, flow_id).await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let total: u64 = counts.by_status.iter().map(|(_, n)| count(*n)).sum();
        let mut tag_counts = vec![TagCount {
            tag_id: Uuid::nil(),
            name: "ALL".to_owned(),
            color: None,
            count: total,
        }];
        tag_counts.extend(tags.into_iter().map(|tag| TagCount {
            count: count(tag.count.unwrap_or(0)),
            tag_id: tag.id,
            name: tag.name,
            color: Some(tag.color),
        }));
        Ok(FlowSummary {
            flow_id,
            total,
            by_status: Status::ALL
                .into_iter()
                .map(|status| StatusCount {
                    status,
                    count: counts
                        .by_status
                        .iter()
                        .find(|(s, _)| s == status.as_str())
                        .map_or(0, |(_, n)| count(*n)),
                })
                .collect(),
            by_tag: tag_counts,
            receivable: Receivable {
                amount: crm_core::Money::from_cents(counts.receivable_cents).to_decimal_string(),
                currency: "BRL".to_owned(),
                count: count(counts.quotes),
            },
        })
    }

    #[tracing::instrument(name = "attendances.preferences", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn preferences(
        &self,
        actor: &Actor,
        flow_id: Uuid,
    ) -> Result<ColumnPreferences, AttendanceError> {
        let flow = crm_flows::visible_flow(&self.db, actor, flow_id).await?;
        let stored = repo::preferences(&self.db, actor.user_id, flow.id).await?;
        let columns = stored
            .and_then(|p| serde_json::from_str(&p.columns).ok())
            .unwrap_or_else(|| DEFAULT_COLUMNS.to_vec());
        Ok(ColumnPreferences { columns })
    }

    #[tracing::instrument(name = "attendances.save_preferences", skip_all, fields(user = %actor.user_id, flow_id = %flow_id))]
    pub async fn save_preferences(
        &self,
        actor: &Actor,
        flow_id: Uuid,
        preferences: ColumnPreferences,
    ) -> Result<ColumnPreferences, AttendanceError> {
        let flow = crm_flows::visible_flow(&self.db, actor, flow_id).await?;
        let mut errors = FieldErrors::new();
        if preferences.columns.is_empty() {
            errors.add("columns", "required", "choose at least one column");
        }
        for (index, column) in preferences.columns.iter().enumerate() {
            if preferences.columns[..index].contains(column) {
                errors.add(
                    &format!("columns[{index}]"),
                    "duplicate",
                    "each column at most once",
                );
            }
        }
        errors.into_result()?;
        let json = serde_json::to_string(&preferences.columns).unwrap_or_else(|_| "[]".to_owned());
        repo::save_preferences(
            &self.db,
            actor.user_id,
            flow.id,
            json,
            crm_core::time::now(),
        )
        .await?;
        Ok(preferences)
    }
}

pub(crate) fn filter(flow_id: Uuid, params: &ListParams) -> Result<Filter, AttendanceError> {
    let q = params.q.as_deref().unwrap_or_default();
    if q.chars().count() > 200 {
        return Err(
            FieldErrors::single("q", "too_long", "must have at most 200 characters").into(),
        );
    }
    Ok(Filter {
        flow_id,
        view: params.view.unwrap_or(View::Active),
        status: params.status,
        // The fixed first tag ALL stands for every attendance: the same as no tag filter.
        tag_id: params.tag_id.filter(|id| *id != crm_tags::ALL_TAG_ID),
        due_before: params.due.map(|DueFilter::Overdue| chrono::Utc::now()),
        search: Search::parse(q),
        visible_flows: None,
    })
}

pub(crate) fn sort(param: Option<SortParam>) -> (SortKey, Direction) {
    use Direction::{Asc, Desc};
    match param.unwrap_or(SortParam::UpdatedAtDesc) {
        SortParam::Status => (SortKey::Status, Asc),
        SortParam::StatusDesc => (SortKey::Status, Desc),
        SortParam::Reference => (SortKey::Reference, Asc),
        SortParam::ReferenceDesc => (SortKey::Reference, Desc),
        SortParam::Title => (SortKey::Title, Asc),
        SortParam::TitleDesc => (SortKey::Title, Desc),
        SortParam::ContactName => (SortKey::ContactName, Asc),
        SortParam::ContactNameDesc => (SortKey::ContactName, Desc),
        SortParam::Value => (SortKey::Value, Asc),
        SortParam::ValueDesc => (SortKey::Value, Desc),
        SortParam::UpdatedAt => (SortKey::UpdatedAt, Asc),
        SortParam::UpdatedAtDesc => (SortKey::UpdatedAt, Desc),
        SortParam::CreatedAt => (SortKey::CreatedAt, Asc),
        SortParam::CreatedAtDesc => (SortKey::CreatedAt, Desc),
    }
}

/// A cursor is only valid for the ordering (column and direction) that produced it.
fn decode_cursor(
    cursor: &str,
    key: SortKey,
    direction: Direction,
) -> Result<Position, CursorError> {
    let (position, made_for): (Position, Direction) = Cursor::decode(cursor)?;
    if position.key == key && made_for == direction && position.value.fits(key) {
        Ok(position)
    } else {
        Err(CursorError::Invalid)
    }
}
