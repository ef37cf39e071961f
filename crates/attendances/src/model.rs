//! Validated attendance fields and the list's query language.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use crm_core::{FieldError, text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an attendance is in its workflow.
///
/// `open` (new, nobody on it yet) → `in_progress` (someone is working it) → one of the outcomes:
/// `won` (sale made), `lost` (client gave up) or `closed` (finished without a sale, e.g. a
/// support ticket solved). The order is also the list's sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    InProgress,
    Won,
    Lost,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::InProgress,
        Status::Won,
        Status::Lost,
        Status::Closed,
    ];

    /// The word the team reads (print, text reports).
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Aberto",
            Status::InProgress => "Em andamento",
            Status::Won => "Ganho",
            Status::Lost => "Perdido",
            Status::Closed => "Encerrado",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::InProgress => "in_progress",
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Closed => "closed",
        }
    }

    pub fn rank(self) -> i16 {
        match self {
            Status::Open => 1,
            Status::InProgress => 2,
            Status::Won => 3,
            Status::Lost => 4,
            Status::Closed => 5,
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Only work still to be done can be late.
    pub fn can_be_overdue(self) -> bool {
        matches!(self, Status::Open | Status::InProgress)
    }
}

/// Which of the list's tabs an attendance is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Active,
    Archived,
    Trash,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Active => "active",
            View::Archived => "archived",
            View::Trash => "trash",
        }
    }

    pub fn parse(s: &str) -> View {
        match s {
            "archived" => View::Archived,
            "trash" => View::Trash,
            _ => View::Active,
        }
    }

    /// The trash wins over the archive: a trashed archived attendance is in the trash, and
    /// restoring it brings it back to the archive.
    pub fn of(archived: bool, deleted: bool) -> View {
        match (archived, deleted) {
            (_, true) => View::Trash,
            (true, false) => View::Archived,
            (false, false) => View::Active,
        }
    }
}

/// A title: required, at most 200 characters.
pub fn parse_title(field: &str, input: &str) -> Result<String, FieldError> {
    let title = text::single_line(field, input)?;
    if title.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if title.chars().count() > 200 {
        return Err(FieldError::new(
            field,
            "too_long",
            "must have at most 200 characters",
        ));
    }
    Ok(title)
}

/// The body of an interaction: required, at most 20,000 characters.
pub fn parse_body(field: &str, input: &str) -> Result<String, FieldError> {
    // Line breaks inside a note are the user's; only the ends are trimmed.
    let body = text::clean(input);
    if body.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if body.chars().count() > 20_000 {
        return Err(FieldError::new(
            field,
            "too_long",
            "must have at most 20000 characters",
        ));
    }
    Ok(body)
}

/// The folded text `?q=` searches in: the title's key and the contact name's key, joined by a
/// space (the repo rebuilds it in SQL the same way when a contact is renamed).
pub fn search_key(title: &str, contact_name: &str) -> String {
    format!(
        "{} {}",
        text::search_key(title),
        text::search_key(contact_name)
    )
}

/// The team works in Brasília time (UTC−3, no daylight saving since 2019): a searched day means
/// that local day.
pub fn business_offset() -> FixedOffset {
    FixedOffset::west_opt(3 * 3600).unwrap_or(Utc.fix())
}

/// What `?q=` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// A reference number, or digits inside a title or name.
    Number { reference: i64, key: String },
    /// Attendances created or updated on that local day: `[start, end)` in UTC.
    Day {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// A fragment of the title or contact name, folded.
    Text(String),
}

impl Search {
    /// `None` for an empty query.
    pub fn parse(q: &str) -> Option<Search> {
        let q = q.trim().trim_start_matches('#');
        if q.is_empty() {
            return None;
        }
        if let Some(day) = parse_day(q) {
            let start = business_offset()
                .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
                .single()?
                .with_timezone(&Utc);
            return Some(Search::Day {
                start,
                end: start + chrono::Duration::days(1),
            });
        }
        if q.len() <= 18 && q.chars().all(|c| c.is_ascii_digit()) {
            return Some(Search::Number {
                reference: q.parse().ok()?,
                key: q.to_owned(),
            });
        }
        let key = text::search_key(q);
        (!key.is_empty()).then_some(Search::Text(key))
    }
}

fn parse_day(q: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(q, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(q, "%d/%m/%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_told_apart() {
        assert!(matches!(
            Search::parse("1042"),
            Some(Search::Number {
                reference: 1042,
                ..
            })
        ));
        assert!(matches!(
            Search::parse("#7"),
            Some(Search::Number { reference: 7, .. })
        ));
        assert_eq!(Search::parse("  "), None);
        assert_eq!(Search::parse("JOÃO"), Some(Search::Text("joao".to_owned())));
        let Some(Search::Day { start, end }) = Search::parse("27/11/2026") else {
            panic!("a Brazilian date is a day search");
        };
        assert_eq!(start.to_rfc3339(), "2026-11-27T03:00:00+00:00");
        assert_eq!(end - start, chrono::Duration::days(1));
        assert_eq!(Search::parse("2026-11-27"), Search::parse("27/11/2026"));
    }

    #[test]
    fn trash_wins_over_archive() {
        assert_eq!(View::of(true, true), View::Trash);
        assert_eq!(View::of(true, false), View::Archived);
        assert_eq!(View::of(false, false), View::Active);
    }

    #[test]
    fn statuses_sort_in_workflow_order() {
        let ranks: Vec<i16> = Status::ALL.iter().map(|s| s.rank()).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Status::parse("in_progress"), Some(Status::InProgress));
    }
}
