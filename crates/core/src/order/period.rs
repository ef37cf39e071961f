//! The period a list of orders is filtered by: `?from=` and `?to=`, whole days, either end open.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::FieldErrors;

/// Days `from` to `to`, both included; a missing end leaves that side open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    /// A `to` before `from` is an error on `to` rather than a list that can only be empty, which
    /// a client would read as "nothing happened".
    pub fn parse(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Period, FieldErrors> {
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(FieldErrors::single(
                "to",
                "before_from",
                "must not be before `from`",
            ));
        }
        Ok(Period { from, to })
    }

    /// The period as instants where the days are those of `offset` (where the users are): from
    /// the first day's midnight, included, to the midnight after the last day, excluded.
    pub fn instants(self, offset: FixedOffset) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = |day| start_of_day(day, offset);
        (
            self.from.map(start),
            self.to.map(|to| start(to) + Duration::days(1)),
        )
    }
}

/// Midnight of `day` at `offset`, in UTC.
fn start_of_day(day: NaiveDate, offset: FixedOffset) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|naive| offset.from_local_datetime(&naive).single())
        .map_or_else(
            || day.and_time(NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_period_ending_before_it_starts_is_named_on_to() {
        let error = Period::parse(Some(day("2026-12-02")), Some(day("2026-12-01"))).unwrap_err();
        assert_eq!(
            (error.0[0].field.as_str(), error.0[0].code.as_str()),
            ("to", "before_from")
        );
        assert!(Period::parse(Some(day("2026-12-01")), Some(day("2026-12-01"))).is_ok());
        assert!(Period::parse(None, Some(day("2026-12-01"))).is_ok());
    }

    #[test]
    fn whole_days_of_brasilia_become_utc_instants() {
        let brasilia = FixedOffset::west_opt(3 * 3600).unwrap();
        let period = Period::parse(Some(day("2026-12-01")), Some(day("2026-12-01"))).unwrap();
        let (from, before) = period.instants(brasilia);
        assert_eq!(from.unwrap().to_rfc3339(), "2026-12-01T03:00:00+00:00");
        assert_eq!(before.unwrap().to_rfc3339(), "2026-12-02T03:00:00+00:00");
        assert_eq!(Period::default().instants(brasilia), (None, None));
    }
}
