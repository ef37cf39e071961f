//! Searches that PostgreSQL must plan with their pattern.

use sea_orm::sea_query::{BinOper, Expr, ExprTrait, IntoColumnRef};

/// `column LIKE 'pattern' ESCAPE '\'`, the pattern written into the SQL instead of bound.
///
/// Bound, the pattern is unknown to PostgreSQL's generic plan, which guesses that any `LIKE`
/// matches 0.5% of the rows and then fetches and sorts every match: 122 ms for a common name
/// among a million attendances, against 2 ms for the plan that walks the list index. Planning
/// every execution afresh (`SET LOCAL plan_cache_mode`) cost a transaction and a plan per search
/// (bench/RESULTS.md, 2026-12-02). Written in, each pattern is a statement of its own, planned
/// with its value when a connection first runs it, and a repeated search (the next page, a
/// refresh, the same name looked up again) reuses that plan.
///
/// sea-query quotes the literal for the connection's backend: `E'…'` with backslash escapes on
/// PostgreSQL (whatever `standard_conforming_strings` says), quotes doubled on SQLite. A NUL,
/// which PostgreSQL text cannot hold, is dropped.
pub fn like(column: impl IntoColumnRef, pattern: &str) -> Expr {
    let pattern = Expr::Constant(pattern.replace('\0', "").into());
    let escape = Expr::Constant('\\'.into());
    Expr::col(column).binary(
        BinOper::Like,
        Expr::Binary(Box::new(pattern), BinOper::Escape, Box::new(escape)),
    )
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{Alias, PostgresQueryBuilder, Query, SqliteQueryBuilder};

    use super::like;

    fn sql(pattern: &str) -> (String, String) {
        let query = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("t"))
            .and_where(like(Alias::new("k"), pattern))
            .to_owned();
        (
            query.to_string(PostgresQueryBuilder),
            query.to_string(SqliteQueryBuilder),
        )
    }

    #[test]
    fn the_pattern_is_a_literal_that_quotes_and_backslashes_cannot_end() {
        let (postgres, sqlite) = sql(r"%d'avila \%%");

        assert!(
            postgres.ends_with(r#"WHERE "k" LIKE E'%d\'avila \\%%' ESCAPE E'\\'"#),
            "{postgres}"
        );
        assert!(
            sqlite.ends_with(r#"WHERE "k" LIKE '%d''avila \%%' ESCAPE '\'"#),
            "{sqlite}"
        );
    }

    #[test]
    fn a_nul_is_dropped() {
        let (postgres, _) = sql("%a\0b%");

        assert!(
            postgres.ends_with(r#"LIKE '%ab%' ESCAPE E'\\'"#),
            "{postgres}"
        );
    }
}
