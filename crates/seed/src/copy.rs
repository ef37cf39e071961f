//! Bulk loading through PostgreSQL's `COPY … FROM STDIN` (text format): a row writer that
//! escapes values the way COPY reads them, and the trick that makes a million-row load take
//! minutes instead of hours: the big tables' indexes and constraints are dropped before the load
//! and re-created afterwards from their own definitions, read back from the catalog (one sort per
//! index instead of a B-tree insert and a foreign-key lookup per row).

use std::fmt::Write as _;
use std::time::Instant;

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::postgres::{PgCopyIn, PgPoolCopyExt};
use sea_orm::sqlx::{self, PgConnection, PgPool, Postgres};
use uuid::Uuid;

/// Rows in COPY's text format: tab between fields, newline after each row, `\N` for NULL.
#[derive(Default)]
pub struct Rows {
    buf: String,
    started: bool,
    count: u64,
}

impl Rows {
    fn sep(&mut self) -> &mut String {
        if self.started {
            self.buf.push('\t');
        }
        self.started = true;
        &mut self.buf
    }

    pub fn text(&mut self, value: &str) -> &mut Self {
        let buf = self.sep();
        for c in value.chars() {
            match c {
                '\\' => buf.push_str("\\\\"),
                '\t' => buf.push_str("\\t"),
                '\n' => buf.push_str("\\n"),
                '\r' => buf.push_str("\\r"),
                c => buf.push(c),
            }
        }
        self
    }

    pub fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => self.text(value),
            None => self.null(),
        }
    }

    pub fn null(&mut self) -> &mut Self {
        self.sep().push_str("\\N");
        self
    }

    pub fn int(&mut self, value: i64) -> &mut Self {
        let _ = write!(self.sep(), "{value}");
        self
    }

    pub fn boolean(&mut self, value: bool) -> &mut Self {
        self.sep().push(if value { 't' } else { 'f' });
        self
    }

    pub fn uuid(&mut self, value: Uuid) -> &mut Self {
        let mut out = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let text = value.hyphenated().encode_lower(&mut out);
        self.sep().push_str(text);
        self
    }

    pub fn opt_uuid(&mut self, value: Option<Uuid>) -> &mut Self {
        match value {
            Some(value) => self.uuid(value),
            None => self.null(),
        }
    }

    /// A `timestamptz` from microseconds since the Unix epoch, written in UTC.
    pub fn time(&mut self, micros: i64) -> &mut Self {
        let buf = self.sep();
        write_timestamp(buf, micros);
        self
    }

    pub fn opt_time(&mut self, micros: Option<i64>) -> &mut Self {
        match micros {
            Some(micros) => self.time(micros),
            None => self.null(),
        }
    }

    /// A `date`, the UTC day of an instant in microseconds: `YYYY-MM-DD`.
    pub fn opt_date(&mut self, micros: Option<i64>) -> &mut Self {
        let Some(micros) = micros else {
            return self.null();
        };
        let (year, month, day) = civil_from_days(micros.div_euclid(1_000_000).div_euclid(86_400));
        let _ = write!(self.sep(), "{year:04}-{month:02}-{day:02}");
        self
    }

    pub fn end(&mut self) {
        self.buf.push('\n');
        self.started = false;
        self.count += 1;
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Hands the buffered rows over and starts empty (the row count keeps running).
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.buf)
    }
}

/// `YYYY-MM-DD HH:MM:SS.ffffff+00`, without a date library: this runs ten million times.
fn write_timestamp(buf: &mut String, micros: i64) {
    let secs = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let second_of_day = secs.rem_euclid(86_400);
    let _ = write!(
        buf,
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{fraction:06}+00",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    );
}

/// The proleptic Gregorian date of a day number counted from 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A `COPY … FROM STDIN` in progress on a connection of its own, so several tables load at once.
pub type Sink = PgCopyIn<PoolConnection<Postgres>>;

/// Starts loading `table` (`columns` in COPY's text format) on a pooled connection.
pub async fn open(pool: &PgPool, table: &str, columns: &str) -> Result<Sink, sqlx::Error> {
    pool.copy_in_raw(&format!("COPY {table} ({columns}) FROM STDIN"))
        .await
}

/// Runs one statement outside any transaction (`VACUUM` needs that). Only the seeder's own
/// statements and definitions read back from the catalog come here, never user input.
pub async fn execute(conn: &mut PgConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Everything dropped from the loaded tables, to be put back by [`restore`].
pub struct Dropped {
    /// `(table, name, definition, kind)`, kind `p`, `u` or `f`.
    constraints: Vec<(String, String, String, String)>,
    /// `(name, CREATE INDEX …)` of the indexes that back no constraint.
    indexes: Vec<(String, String)>,
}

/// Drops the primary keys, unique and foreign-key constraints and the other indexes of `tables`
/// (and the foreign keys pointing at them), remembering their definitions.
pub async fn drop_indexes(
    conn: &mut PgConnection,
    tables: &[&str],
) -> Result<Dropped, sqlx::Error> {
    let names: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    let constraints: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.conname::text, pg_get_constraintdef(c.oid), \
                c.contype::text \
         FROM pg_constraint c \
         WHERE c.contype IN ('p', 'u', 'f') \
           AND (c.conrelid::regclass::text = ANY($1) \
                OR (c.contype = 'f' AND c.confrelid::regclass::text = ANY($1))) \
         ORDER BY c.contype = 'f' DESC, c.conname",
    )
    .bind(&names)
    .fetch_all(&mut *conn)
    .await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) \
         FROM pg_index i \
         WHERE i.indrelid::regclass::text = ANY($1) \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) \
         ORDER BY 1",
    )
    .bind(&names)
    .fetch_all(&mut *conn)
    .await?;
    // Foreign keys first (sorted so above): they depend on the keys they point at.
    for (table, name, _, _) in &constraints {
        execute(
            conn,
            &format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""),
        )
        .await?;
    }
    for (name, _) in &indexes {
        execute(conn, &format!("DROP INDEX {name}")).await?;
    }
    Ok(Dropped {
        constraints,
        indexes,
    })
}

/// Re-creates what [`drop_indexes`] dropped: keys, then indexes, then foreign keys (validated
/// against the loaded rows).
pub async fn restore(conn: &mut PgConnection, dropped: &Dropped) -> Result<(), sqlx::Error> {
    let keys = dropped.constraints.iter().filter(|c| c.3 != "f");
    let foreign = dropped.constraints.iter().filter(|c| c.3 == "f");
    let mut statements: Vec<(String, String)> = Vec::new();
    for (table, name, definition, _) in keys {
        statements.push((
            name.clone(),
            format!("ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"),
        ));
    }
    statements.extend(dropped.indexes.iter().cloned());
    for (table, name, definition, _) in foreign {
        statements.push((
            name.clone(),
            format!("ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"),
        ));
    }
    for (name, sql) in statements {
        let started = Instant::now();
        execute(conn, &sql).await?;
        println!("  {name:<40} {:>6.1} s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// The keys, indexes and foreign keys [`drop_indexes`] dropped that do not exist now: after
/// [`restore`] this must be empty, or the benchmark would run on a schema that is not the
/// migrations'.
pub async fn missing(
    conn: &mut PgConnection,
    dropped: &Dropped,
) -> Result<Vec<String>, sqlx::Error> {
    let tables: Vec<&str> = dropped.constraints.iter().map(|c| c.0.as_str()).collect();
    let names: Vec<&str> = dropped.constraints.iter().map(|c| c.1.as_str()).collect();
    let indexes: Vec<&str> = dropped.indexes.iter().map(|i| i.0.as_str()).collect();
    let (missing,): (Vec<String>,) = sqlx::query_as(
        "SELECT ARRAY(\
           SELECT t || '.' || n FROM unnest($1::text[], $2::text[]) AS c(t, n) \
           WHERE NOT EXISTS (SELECT 1 FROM pg_constraint \
                             WHERE conrelid::regclass::text = t AND conname = n) \
           UNION ALL \
           SELECT n FROM unnest($3::text[]) AS i(n) WHERE to_regclass(n) IS NULL)",
    )
    .bind(&tables)
    .bind(&names)
    .bind(&indexes)
    .fetch_one(conn)
    .await?;
    Ok(missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_microseconds() {
        let mut buf = String::new();
        write_timestamp(&mut buf, 0);
        assert_eq!(buf, "1970-01-01 00:00:00.000000+00");
        let mut buf = String::new();
        // 2024-02-29T23:59:59.123456Z, a leap day.
        write_timestamp(&mut buf, 1_709_251_199_123_456);
        assert_eq!(buf, "2024-02-29 23:59:59.123456+00");
        let mut buf = String::new();
        write_timestamp(&mut buf, 1_767_225_600_000_001);
        assert_eq!(buf, "2026-01-01 00:00:00.000001+00");
    }

    #[test]
    fn dates_are_the_utc_day() {
        let mut rows = Rows::default();
        rows.opt_date(Some(1_709_251_199_123_456)).opt_date(None);
        rows.end();
        assert_eq!(rows.take(), "2024-02-29\t\\N\n");
    }

    #[test]
    fn text_is_escaped_for_copy() {
        let mut rows = Rows::default();
        rows.text("a\tb\\c\nd").null().int(-7).boolean(true);
        rows.end();
        assert_eq!(rows.take(), "a\\tb\\\\c\\nd\t\\N\t-7\tt\n");
        assert_eq!(rows.count(), 1);
    }
}
