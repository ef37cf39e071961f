//! The line of an order: as sent, validated and priced, as stored, as answered.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{MAX_ITEMS, bounded, discount_of, required, stored_discount};
use crate::pricing::{self, DiscountInput, PricedLine};
use crate::{FieldErrors, Money};

/// One line of an order, as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemRequest {
    #[schema(
        min_length = 1,
        max_length = 500,
        example = "Cadeira de escritório ergonômica"
    )]
    pub description: String,
    #[schema(max_length = 60, example = "CAD-ERG-01")]
    pub product_code: Option<String>,
    /// Up to 4 decimals, more than zero.
    #[schema(example = "30", pattern = r"^\d{1,7}(\.\d{1,4})?$")]
    pub quantity: String,
    /// Unit of measure (`UN`, `KG`, `CX`, `M2`…).
    #[schema(min_length = 1, max_length = 6, example = "UN")]
    pub unit: String,
    /// Up to 4 decimals.
    #[schema(example = "150.00", pattern = r"^\d{1,9}(\.\d{1,4})?$")]
    pub unit_price: String,
    pub discount: Option<DiscountInput>,
}

/// One line of an order with its amounts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemResponse {
    pub position: i32,
    pub description: String,
    pub product_code: Option<String>,
    #[schema(example = "30")]
    pub quantity: String,
    pub unit: String,
    #[schema(example = "150.00")]
    pub unit_price: String,
    pub discount: Option<DiscountInput>,
    /// quantity × unit price, rounded to centavos (half to even).
    #[schema(example = "4500.00")]
    pub gross: String,
    #[schema(example = "225.00")]
    pub discount_amount: String,
    #[schema(example = "4275.00")]
    pub total: String,
}

/// A line, cleaned and priced.
#[derive(Debug, Clone)]
pub struct Line {
    pub description: String,
    /// `None` when absent or blank.
    pub product_code: Option<String>,
    /// Upper-case (`UN`, `KG`).
    pub unit: String,
    pub discount: Option<DiscountInput>,
    pub priced: PricedLine,
}

/// A line in the columns both line tables have (`sale_items`, `purchase_items`): text as
/// cleaned, decimals as given (normalized), amounts in centavos, the discount as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    /// From 1, in the order sent.
    pub position: i32,
    pub description: String,
    pub product_code: Option<String>,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: Option<String>,
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub total_cents: i64,
}

/// Validates an order's lines into `errors`, naming each invalid field (`items[1].quantity`), and
/// prices the valid ones. `what` names the order in the messages ("an order", "a purchase").
/// The lines come back only where valid: the caller answers `errors` before using them.
pub fn parse_lines(items: &[ItemRequest], what: &str, errors: &mut FieldErrors) -> Vec<Line> {
    if items.is_empty() {
        errors.add(
            "items",
            "required",
            format!("{what} needs at least one item"),
        );
    }
    if items.len() > MAX_ITEMS {
        errors.add(
            "items",
            "too_many",
            format!("{what} has at most {MAX_ITEMS} items"),
        );
    }
    let mut lines = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let prefix = format!("items[{index}]");
        let description = required(
            errors,
            &format!("{prefix}.description"),
            &item.description,
            500,
        );
        let product_code = item
            .product_code
            .as_deref()
            .map(|code| bounded(errors, &format!("{prefix}.product_code"), code, 60));
        let unit = required(errors, &format!("{prefix}.unit"), &item.unit, 6);
        match pricing::price_line(
            &prefix,
            &item.quantity,
            &item.unit_price,
            item.discount.as_ref(),
        ) {
            Ok(priced) => lines.push(Line {
                description,
                product_code: product_code.filter(|code| !code.is_empty()),
                unit: unit.to_uppercase(),
                discount: item.discount.clone(),
                priced,
            }),
            Err(line_errors) => errors.0.extend(line_errors.0),
        }
    }
    lines
}

impl Line {
    /// The line as stored at `index` (0-based) of its order.
    pub fn stored(&self, index: usize) -> StoredLine {
        StoredLine {
            position: i32::try_from(index + 1).unwrap_or(i32::MAX),
            description: self.description.clone(),
            product_code: self.product_code.clone(),
            quantity: self.priced.quantity.normalize().to_string(),
            unit: self.unit.clone(),
            unit_price: self.priced.unit_price.to_string(),
            discount: self.discount.as_ref().map(stored_discount),
            gross_cents: pricing::to_cents(self.priced.gross),
            discount_cents: pricing::to_cents(self.priced.discount),
            total_cents: pricing::to_cents(self.priced.total),
        }
    }
}

impl From<StoredLine> for ItemResponse {
    fn from(line: StoredLine) -> Self {
        let money = |cents| Money::from_cents(cents).to_decimal_string();
        ItemResponse {
            position: line.position,
            description: line.description,
            product_code: line.product_code,
            quantity: line.quantity,
            unit: line.unit,
            unit_price: line.unit_price,
            discount: discount_of(line.discount.as_deref()),
            gross: money(line.gross_cents),
            discount_amount: money(line.discount_cents),
            total: money(line.total_cents),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::DiscountKind;

    fn item(quantity: &str, unit_price: &str) -> ItemRequest {
        ItemRequest {
            description: " Parafuso ".to_owned(),
            product_code: None,
            quantity: quantity.to_owned(),
            unit: "un".to_owned(),
            unit_price: unit_price.to_owned(),
            discount: None,
        }
    }

    fn fields(errors: &FieldErrors) -> Vec<(&str, &str)> {
        errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn valid_lines_are_cleaned_and_priced() {
        let mut errors = FieldErrors::new();
        let mut coded = item("2.50", "10");
        coded.product_code = Some("  ".to_owned());
        let lines = parse_lines(&[item("1", "0.1"), coded], "an order", &mut errors);
        assert!(errors.is_empty());
        assert_eq!(lines[0].description, "Parafuso");
        assert_eq!(lines[0].unit, "UN");
        assert_eq!(lines[1].product_code, None);
        let order = super::super::totals(&lines, Some("0.2"), None).unwrap();
        assert_eq!(pricing::to_cents(order.total), 2530);
    }

    #[test]
    fn every_invalid_field_is_named_by_its_line() {
        let mut blank = item("1", "1");
        blank.description = "   ".to_owned();
        blank.unit = String::new();
        blank.product_code = Some("X".repeat(61));
        let mut errors = FieldErrors::new();
        let lines = parse_lines(
            &[item("1", "1"), item("-2", "x"), blank],
            "a purchase",
            &mut errors,
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(
            fields(&errors),
            [
                ("items[1].quantity", "negative"),
                ("items[1].unit_price", "invalid_format"),
                ("items[2].description", "required"),
                ("items[2].product_code", "too_long"),
                ("items[2].unit", "required"),
            ]
        );
    }

    #[test]
    fn an_order_has_one_to_five_hundred_lines_and_says_what_it_is() {
        let mut errors = FieldErrors::new();
        parse_lines(&[], "a purchase", &mut errors);
        assert_eq!(fields(&errors), [("items", "required")]);
        assert_eq!(errors.0[0].message, "a purchase needs at least one item");
        let mut errors = FieldErrors::new();
        parse_lines(
            &vec![item("1", "1"); MAX_ITEMS + 1],
            "an order",
            &mut errors,
        );
        assert_eq!(fields(&errors), [("items", "too_many")]);
        assert_eq!(errors.0[0].message, "an order has at most 500 items");
    }

    #[test]
    fn a_stored_line_answers_what_was_sent_with_its_amounts() {
        let mut discounted = item("3.5000", "10.005");
        discounted.discount = Some(DiscountInput {
            kind: DiscountKind::Percent,
            value: "10".to_owned(),
        });
        let mut errors = FieldErrors::new();
        let lines = parse_lines(&[item("1", "1"), discounted], "an order", &mut errors);
        let stored = lines[1].stored(1);
        assert_eq!(
            (
                stored.position,
                stored.quantity.as_str(),
                stored.unit_price.as_str()
            ),
            (2, "3.5", "10.005")
        );
        // 3.5 × 10.005 = 35.0175 → 35.02; 10 % of it 3.502 → 3.50.
        assert_eq!(
            (
                stored.gross_cents,
                stored.discount_cents,
                stored.total_cents
            ),
            (3502, 350, 3152)
        );
        let answered = ItemResponse::from(stored);
        assert_eq!(
            (answered.gross, answered.discount_amount, answered.total),
            ("35.02".to_owned(), "3.50".to_owned(), "31.52".to_owned())
        );
        assert_eq!(answered.discount, lines[1].discount);
    }
}
