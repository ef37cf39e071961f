//! The keyset condition every list pages with.

use sea_orm::prelude::Uuid;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, Value};

/// Rows strictly beyond `(value, id)` in an ordering by `(sort, id_column)`, both ascending or
/// both descending.
///
/// Written as a row comparison, `(sort, id) > (value, id)`, because both databases use that as a
/// range of an index on `(…, sort, id)`: a page then costs the same however deep it is. The
/// equivalent `sort > v OR (sort = v AND id > i)` is only a filter, so page N walked N pages.
pub fn beyond<C: ColumnTrait>(
    sort: C,
    value: impl Into<Value>,
    id_column: C,
    id: Uuid,
    descending: bool,
) -> Condition {
    // Qualified with the table, as sea-orm's own conditions are, so joins stay unambiguous.
    let column = |c: C| Expr::col((c.entity_name(), c));
    let here = Expr::tuple([column(sort), column(id_column)]);
    let there = Expr::tuple([Expr::val(value), Expr::val(id)]);
    Condition::all().add(if descending {
        here.lt(there)
    } else {
        here.gt(there)
    })
}
