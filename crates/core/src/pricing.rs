//! Order arithmetic shared by sales and purchases: exact decimals (`rust_decimal`), every money
//! result rounded to centavos half-to-even (ABNT NBR 5891), and the bounds that keep totals sane.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{FieldError, FieldErrors};

/// The largest order total accepted: R$ 999.999.999,99 (99 999 999 999 centavos, written as
/// 23 × 2³² + 1 215 752 191 because `Decimal::new` is not `const`; a test checks it).
pub const MAX_TOTAL: Decimal = Decimal::from_parts(1_215_752_191, 23, 0, false, 2);

/// The largest quantity of a line: 9 999 999,9999, the contract's `^\d{1,7}(\.\d{1,4})?$` (and
/// within the NF-e's `qCom`). The same mantissa as [`MAX_TOTAL`] at scale 4.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(1_215_752_191, 23, 0, false, 4);

/// The largest unit price: 999 999 999,9999, the contract's `^\d{1,9}(\.\d{1,4})?$`
/// (9 999 999 999 999 = 2 328 × 2³² + 1 316 134 911). The line's value is still capped at
/// [`MAX_TOTAL`].
pub const MAX_UNIT_PRICE: Decimal = Decimal::from_parts(1_316_134_911, 2_328, 0, false, 4);

/// A discount as the user gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscountInput {
    pub kind: DiscountKind,
    /// Decimal string: centavos for `amount` (`"10.50"`), up to two decimals for `percent`
    /// (`"12.5"` is 12.5 %).
    #[schema(example = "10.00", pattern = r"^\d{1,12}(\.\d{1,2})?$")]
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscountKind {
    Amount,
    Percent,
}

/// A line with its amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// quantity × unit price, rounded to centavos.
    pub gross: Decimal,
    pub discount: Decimal,
    pub total: Decimal,
}

/// An order's amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub freight: Decimal,
    pub total: Decimal,
}

/// Rounds to centavos, ties to even: 0.125 → 0.12, 0.135 → 0.14.
pub fn round_cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

/// Centavos of an amount already rounded to two decimals.
pub fn to_cents(value: Decimal) -> i64 {
    (round_cents(value) * Decimal::ONE_HUNDRED)
        .to_i64()
        .unwrap_or(i64::MAX)
}

pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// A non-negative decimal string with at most `scale` decimals and at most `max`.
pub fn parse_decimal(
    field: &str,
    input: &str,
    scale: u32,
    max: Decimal,
) -> Result<Decimal, FieldError> {
    let text = input.trim();
    let shape_ok = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && text.len() <= 32;
    let value: Decimal = shape_ok
        .then(|| text.parse().ok())
        .flatten()
        .ok_or_else(|| {
            FieldError::new(
                field,
                "invalid_format",
                format!("must be a decimal string with up to {scale} decimals, like \"12.5\""),
            )
        })?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(FieldError::new(field, "negative", "must not be negative"));
    }
    if value.normalize().scale() > scale {
        return Err(FieldError::new(
            field,
            "too_many_decimals",
            format!("must have at most {scale} decimals"),
        ));
    }
    if value > max {
        return Err(FieldError::new(
            field,
            "too_large",
            format!("must be at most {max}"),
        ));
    }
    Ok(value.abs())
}

/// The discount on `base`: an amount (not above `base`) or a percentage (0 to 100).
fn discount_on(
    field: &str,
    base: Decimal,
    discount: Option<&DiscountInput>,
) -> Result<Decimal, FieldError> {
    let Some(discount) = discount else {
        return Ok(Decimal::ZERO);
    };
    let value_field = format!("{field}.value");
    let amount = match discount.kind {
        DiscountKind::Amount => parse_decimal(&value_field, &discount.value, 2, MAX_TOTAL)?,
        DiscountKind::Percent => {
            let percent = parse_decimal(&value_field, &discount.value, 2, Decimal::ONE_HUNDRED)?;
            round_cents(base * percent / Decimal::ONE_HUNDRED)
        }
    };
    if amount > base {
        return Err(FieldError::new(
            field,
            "exceeds_value",
            format!("the discount ({amount}) is more than the value it applies to ({base})"),
        ));
    }
    Ok(amount)
}

/// Prices one line: quantity up to 4 decimals and positive, unit price up to 4 decimals.
pub fn price_line(
    prefix: &str,
    quantity: &str,
    unit_price: &str,
    discount: Option<&DiscountInput>,
) -> Result<PricedLine, FieldErrors> {
    let mut errors = FieldErrors::new();
    let quantity = errors.check(parse_decimal(
        &format!("{prefix}.quantity"),
        quantity,
        4,
        MAX_QUANTITY,
    ));
    if quantity.is_some_and(|q| q.is_zero()) {
        errors.add(
            &format!("{prefix}.quantity"),
            "not_positive",
            "must be more than zero",
        );
    }
    let unit_price = errors.check(parse_decimal(
        &format!("{prefix}.unit_price"),
        unit_price,
        4,
        MAX_UNIT_PRICE,
    ));
    let (Some(quantity), Some(unit_price)) = (quantity, unit_price) else {
        return Err(errors);
    };
    errors.into_result()?;
    let gross = round_cents(quantity * unit_price);
    if gross > MAX_TOTAL {
        return Err(FieldErrors::single(
            &format!("{prefix}.unit_price"),
            "too_large",
            format!("the line value must be at most {MAX_TOTAL}"),
        ));
    }
    let discount = discount_on(&format!("{prefix}.discount"), gross, discount)
        .map_err(|e| FieldErrors(vec![e]))?;
    Ok(PricedLine {
        quantity,
        unit_price,
        gross,
        discount,
        total: gross - discount,
    })
}

/// Adds the lines, takes the order discount off the subtotal and adds the freight.
pub fn totals(
    lines: &[PricedLine],
    freight: Option<&str>,
    discount: Option<&DiscountInput>,
) -> Result<Totals, FieldErrors> {
    let subtotal: Decimal = lines.iter().map(|l| l.total).sum();
    let mut errors = FieldErrors::new();
    let freight = match freight {
        Some(freight) => errors.check(parse_decimal("freight", freight, 2, MAX_TOTAL)),
        None => Some(Decimal::ZERO),
    };
    let discount = errors.check(discount_on("discount", subtotal, discount));
    let (Some(freight), Some(discount)) = (freight, discount) else {
        return Err(errors);
    };
    let total = subtotal - discount + freight;
    if total > MAX_TOTAL {
        return Err(FieldErrors::single(
            "total",
            "too_large",
            format!("the order total ({total}) must be at most {MAX_TOTAL}"),
        ));
    }
    Ok(Totals {
        subtotal,
        discount,
        freight,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn percent(value: &str) -> DiscountInput {
        DiscountInput {
            kind: DiscountKind::Percent,
            value: value.to_owned(),
        }
    }

    #[test]
    fn the_bound_is_one_billion_minus_a_centavo() {
        assert_eq!(MAX_TOTAL, d("999999999.99"));
    }

    #[test]
    fn the_line_bounds_are_the_largest_values_the_contract_patterns_allow() {
        assert_eq!(MAX_QUANTITY, d("9999999.9999"));
        assert_eq!(MAX_UNIT_PRICE, d("999999999.9999"));
        let line = price_line("items[0]", "9999999.9999", "0.01", None).unwrap();
        assert_eq!(line.gross, d("100000.00"));
        let over = price_line("items[0]", "10000000", "0.01", None).unwrap_err();
        assert_eq!(over.0[0].field, "items[0].quantity");
        let price = price_line("items[0]", "0.0001", "999999999.9999", None).unwrap();
        assert_eq!(price.gross, d("100000.00"));
        let over = price_line("items[0]", "1", "1000000000", None).unwrap_err();
        assert_eq!(over.0[0].field, "items[0].unit_price");
    }

    #[test]
    fn point_one_plus_point_two_is_exactly_point_three() {
        let a = price_line("items[0]", "1", "0.1", None).unwrap();
        let b = price_line("items[1]", "1", "0.2", None).unwrap();
        assert_eq!(totals(&[a, b], None, None).unwrap().total, d("0.30"));
    }

    #[test]
    fn rounding_is_half_to_even() {
        assert_eq!(round_cents(d("0.125")), d("0.12"));
        assert_eq!(round_cents(d("0.135")), d("0.14"));
        // 3-decimal quantity: 2.125 × 1.00 = 2.125 → 2.12; 2.135 → 2.14.
        assert_eq!(
            price_line("i", "2.125", "1", None).unwrap().gross,
            d("2.12")
        );
        assert_eq!(
            price_line("i", "2.135", "1", None).unwrap().gross,
            d("2.14")
        );
    }

    #[test]
    fn discounts_apply_to_lines_and_orders() {
        let line = price_line("items[0]", "3", "10.00", Some(&percent("12.5"))).unwrap();
        assert_eq!(
            (line.gross, line.discount, line.total),
            (d("30.00"), d("3.75"), d("26.25"))
        );
        let order = totals(&[line], Some("15"), Some(&percent("10"))).unwrap();
        assert_eq!(order.discount, d("2.62")); // 2.625 → 2.62 (half to even)
        assert_eq!(order.total, d("38.63"));
    }

    #[test]
    fn invalid_lines_name_their_fields() {
        let errors = price_line("items[2]", "-1", "abc", None).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["items[2].quantity", "items[2].unit_price"]);
        let zero = price_line("items[0]", "0", "1", None).unwrap_err();
        assert_eq!(zero.0[0].code, "not_positive");
        let too_precise = price_line("items[0]", "1.00001", "1", None).unwrap_err();
        assert_eq!(too_precise.0[0].code, "too_many_decimals");
        let over = DiscountInput {
            kind: DiscountKind::Amount,
            value: "11".to_owned(),
        };
        let excess = price_line("items[0]", "1", "10", Some(&over)).unwrap_err();
        assert_eq!(
            (excess.0[0].field.as_str(), excess.0[0].code.as_str()),
            ("items[0].discount", "exceeds_value")
        );
    }

    #[test]
    fn totals_beyond_the_bound_are_refused() {
        let big = price_line("items[0]", "1000", "999999.99", None).unwrap();
        let other = price_line("items[1]", "1", "1000", None).unwrap();
        let error = totals(&[big, other], None, None).unwrap_err();
        assert_eq!(error.0[0].field, "total");
    }
}
