//! The current time, at the precision the databases keep.

use chrono::{DateTime, SubsecRound, Utc};

/// Now, truncated to microseconds: PostgreSQL stores no finer, so what a write returns equals
/// what a later read returns.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// `serialize_with` for a timestamp: the RFC 3339 text chrono's own `Serialize` writes
/// (`2026-11-27T10:00:00.123456Z`, 0, 3, 6 or 9 fraction digits as needed), without going through
/// `fmt`: a list page writes three of them per row, and chrono's formatter was a twentieth of the
/// request's CPU (bench/RESULTS.md).
pub fn serialize<S: serde::Serializer>(
    time: &DateTime<Utc>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut text = [0u8; 30];
    match rfc3339(time, &mut text) {
        Some(written) => serializer.serialize_str(written),
        None => serde::Serialize::serialize(time, serializer),
    }
}

/// [`serialize`] for an optional timestamp (`null` when absent).
pub fn serialize_option<S: serde::Serializer>(
    time: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serialize(time, serializer),
        None => serializer.serialize_none(),
    }
}

/// Writes `time` into `out`; `None` for what chrono writes differently (years outside
/// 0000–9999, leap seconds), which the caller leaves to chrono.
fn rfc3339<'a>(time: &DateTime<Utc>, out: &'a mut [u8; 30]) -> Option<&'a str> {
    use chrono::{Datelike, Timelike};
    let year = u32::try_from(time.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = time.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    let fraction = match nanos {
        0 => None,
        n if n % 1_000_000 == 0 => Some((n / 1_000_000, 3)),
        n if n % 1_000 == 0 => Some((n / 1_000, 6)),
        n => Some((n, 9)),
    };
    let mut text = Text { out, len: 0 };
    text.digits(year, 4);
    text.byte(b'-');
    text.digits(time.month(), 2);
    text.byte(b'-');
    text.digits(time.day(), 2);
    text.byte(b'T');
    text.digits(time.hour(), 2);
    text.byte(b':');
    text.digits(time.minute(), 2);
    text.byte(b':');
    text.digits(time.second(), 2);
    if let Some((value, width)) = fraction {
        text.byte(b'.');
        text.digits(value, width);
    }
    text.byte(b'Z');
    let len = text.len;
    std::str::from_utf8(&out[..len]).ok()
}

/// A fixed buffer filled from the start (at most 30 bytes: `9999-12-31T23:59:59.999999999Z`).
struct Text<'a> {
    out: &'a mut [u8; 30],
    len: usize,
}

impl Text<'_> {
    fn byte(&mut self, byte: u8) {
        self.out[self.len] = byte;
        self.len += 1;
    }

    /// `value` in exactly `width` decimal digits, zero-padded.
    fn digits(&mut self, mut value: u32, width: usize) {
        for place in (self.len..self.len + width).rev() {
            // `value % 10` is one decimal digit: the cast cannot truncate.
            self.out[place] = b'0' + (value % 10) as u8;
            value /= 10;
        }
        self.len += width;
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn ours(time: &DateTime<Utc>) -> String {
        let mut out = Vec::new();
        serialize(time, &mut serde_json::Serializer::new(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn timestamps_serialize_exactly_as_chrono_does() {
        let start = Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 58).unwrap();
        // Whole seconds, milli-, micro- and nanosecond fractions, across day, month, year and
        // leap-day boundaries.
        let steps = [
            Duration::seconds(1),
            Duration::milliseconds(250),
            Duration::microseconds(1_001),
            Duration::nanoseconds(123_456_789),
            Duration::days(59),
            Duration::days(366),
        ];
        let mut time = start;
        for round in 0..4_000 {
            let expected = serde_json::to_string(&time).unwrap();
            assert_eq!(ours(&time), expected, "{time:?}");
            time += steps[round % steps.len()];
        }
        for far in [
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-1, 6, 1, 12, 0, 0).unwrap(),
        ] {
            assert_eq!(ours(&far), serde_json::to_string(&far).unwrap());
        }
    }

    #[test]
    fn an_absent_timestamp_is_null() {
        let mut out = Vec::new();
        serialize_option(&None, &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(out, b"null");
    }
}
