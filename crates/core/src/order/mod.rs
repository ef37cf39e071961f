//! The order model that sales and purchases share: the line of an order as sent and as answered
//! ([`ItemRequest`], [`ItemResponse`]), its validation naming each field (`items[2].quantity`),
//! its exact pricing ([`crate::pricing`]: half to even, NBR 5891), the order's totals and the
//! period a list of orders is filtered by.
//!
//! It lives here rather than in a crate of its own between `attendances` and the two order crates
//! because all of it is pure: no query is shared. Each order table has one owner (sales its
//! versions and lines, purchases its lines and the supplier join), so the queries stay in the
//! owners' `repo` modules and only their shape repeats; a crate holding no query would be a
//! layer with nothing to do.

mod field;
mod line;
mod period;

pub use field::{bounded, required};
pub use line::{ItemRequest, ItemResponse, Line, StoredLine, parse_lines};
pub use period::Period;

use crate::FieldErrors;
use crate::pricing::{self, DiscountInput, PricedLine, Totals};

/// Most lines an order may have (the contract's `maxItems`).
pub const MAX_ITEMS: usize = 500;

/// The order's amounts: the sum of its lines, less the order's discount, plus freight.
pub fn totals(
    lines: &[Line],
    freight: Option<&str>,
    discount: Option<&DiscountInput>,
) -> Result<Totals, FieldErrors> {
    let priced: Vec<PricedLine> = lines.iter().map(|line| line.priced.clone()).collect();
    pricing::totals(&priced, freight, discount)
}

/// A discount as stored beside the amount it took off: the JSON the user sent, so it is answered
/// back as given (`{"kind": "percent", "value": "5"}`), not as the amount it came to.
pub fn stored_discount(discount: &DiscountInput) -> String {
    serde_json::to_string(discount).unwrap_or_default()
}

/// The discount a row stored with [`stored_discount`]; `None` when there was none.
pub fn discount_of(stored: Option<&str>) -> Option<DiscountInput> {
    stored.and_then(|s| serde_json::from_str(s).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::DiscountKind;

    #[test]
    fn a_discount_is_answered_as_it_was_given() {
        let given = DiscountInput {
            kind: DiscountKind::Percent,
            value: "12.5".to_owned(),
        };
        let stored = stored_discount(&given);
        assert_eq!(discount_of(Some(&stored)), Some(given));
        assert_eq!(discount_of(None), None);
    }
}
