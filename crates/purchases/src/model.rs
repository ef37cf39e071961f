//! A purchase's content once every field is valid and every amount computed.

use chrono::{Days, NaiveDate};
use crm_core::pricing::{self, DiscountInput, PricedLine, Totals};
use crm_core::{FieldErrors, text};
use uuid::Uuid;

use crate::dto::PurchaseRequest;

/// Most lines a purchase may have.
pub const MAX_ITEMS: usize = 500;

/// A line, cleaned and priced.
#[derive(Debug, Clone)]
pub struct Line {
    pub description: String,
    pub product_code: Option<String>,
    /// Upper-case (`UN`, `KG`).
    pub unit: String,
    pub discount: Option<DiscountInput>,
    pub priced: PricedLine,
}

/// What a purchase says, valid: the supplier still has to be found (that needs the database).
#[derive(Debug, Clone)]
pub struct Content {
    pub supplier_id: Uuid,
    pub purchased_on: NaiveDate,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub discount: Option<DiscountInput>,
    pub notes: Option<String>,
}

impl Content {
    /// Validates every field, naming each invalid one (`items[1].quantity`), and prices the
    /// lines and the order with exact decimals. `today` is the business day (Brasília time); a
    /// purchase may be dated at most one day ahead, for time-zone slack, never further.
    pub fn parse(request: &PurchaseRequest, today: NaiveDate) -> Result<Content, FieldErrors> {
        let mut errors = FieldErrors::new();
        if today
            .checked_add_days(Days::new(1))
            .is_some_and(|limit| request.purchased_on > limit)
        {
            errors.add(
                "purchased_on",
                "in_future",
                format!("must not be after {}", today + Days::new(1)),
            );
        }
        if request.items.is_empty() {
            errors.add("items", "required", "a purchase needs at least one item");
        }
        if request.items.len() > MAX_ITEMS {
            errors.add(
                "items",
                "too_many",
                format!("a purchase has at most {MAX_ITEMS} items"),
            );
        }
        let mut lines = Vec::new();
        for (index, item) in request.items.iter().enumerate() {
            let prefix = format!("items[{index}]");
            let description = required(
                &mut errors,
                &format!("{prefix}.description"),
                &item.description,
                500,
            );
            let product_code = item
                .product_code
                .as_deref()
                .map(|code| bounded(&mut errors, &format!("{prefix}.product_code"), code, 60));
            let unit = required(&mut errors, &format!("{prefix}.unit"), &item.unit, 6);
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
        let notes = request
            .notes
            .as_deref()
            .map(|notes| bounded(&mut errors, "notes", notes, 5000))
            .filter(|notes| !notes.is_empty());
        errors.into_result()?;
        let priced: Vec<PricedLine> = lines.iter().map(|line| line.priced.clone()).collect();
        let totals = pricing::totals(
            &priced,
            request.freight.as_deref(),
            request.discount.as_ref(),
        )?;
        Ok(Content {
            supplier_id: request.supplier_id,
            purchased_on: request.purchased_on,
            lines,
            totals,
            discount: request.discount.clone(),
            notes,
        })
    }
}

/// Like [`bounded`], and an error when nothing is left after trimming.
fn required(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = bounded(errors, field, value, max);
    if value.is_empty() {
        errors.add(field, "required", "must not be empty");
    }
    value
}

/// The cleaned text (trimmed, NFC); an error when it is longer than `max` characters.
fn bounded(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = text::clean(value);
    if value.chars().count() > max {
        errors.add(
            field,
            "too_long",
            format!("must have at most {max} characters"),
        );
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::PurchaseItemRequest;

    fn item(quantity: &str, unit_price: &str) -> PurchaseItemRequest {
        PurchaseItemRequest {
            description: " Parafuso ".to_owned(),
            product_code: None,
            quantity: quantity.to_owned(),
            unit: "un".to_owned(),
            unit_price: unit_price.to_owned(),
            discount: None,
        }
    }

    fn request(on: &str, items: Vec<PurchaseItemRequest>) -> PurchaseRequest {
        PurchaseRequest {
            supplier_id: Uuid::nil(),
            purchased_on: on.parse().unwrap(),
            items,
            freight: None,
            discount: None,
            notes: Some("  ".to_owned()),
        }
    }

    fn today() -> NaiveDate {
        "2026-11-28".parse().unwrap()
    }

    #[test]
    fn a_valid_request_is_cleaned_and_priced() {
        let content = Content::parse(
            &request("2026-11-29", vec![item("1", "0.1"), item("1", "0.2")]),
            today(),
        )
        .unwrap();
        assert_eq!(pricing::to_cents(content.totals.total), 30);
        assert_eq!(content.lines[0].description, "Parafuso");
        assert_eq!(content.lines[0].unit, "UN");
        assert_eq!(content.notes, None);
    }

    #[test]
    fn every_invalid_field_is_named() {
        let mut blank = item("1", "1");
        blank.description = "   ".to_owned();
        blank.unit = String::new();
        let errors = Content::parse(
            &request("2026-11-30", vec![item("1", "1"), item("-2", "x"), blank]),
            today(),
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "purchased_on",
                "items[1].quantity",
                "items[1].unit_price",
                "items[2].description",
                "items[2].unit",
            ]
        );
    }
}
