//! A purchase's content once every field is valid and every amount computed. Its lines, their
//! validation and the order's amounts are the order model it shares with sales
//! (`crm_core::order`); what is a purchase's own is the supplier and the day bought.

use chrono::{Days, NaiveDate};
use crm_core::FieldErrors;
use crm_core::order::{self, Line};
use crm_core::pricing::{DiscountInput, Totals};
use uuid::Uuid;

use crate::dto::PurchaseRequest;

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
        let lines = order::parse_lines(&request.items, "a purchase", &mut errors);
        let notes = request
            .notes
            .as_deref()
            .map(|notes| order::bounded(&mut errors, "notes", notes, 5000))
            .filter(|notes| !notes.is_empty());
        errors.into_result()?;
        let totals = order::totals(
            &lines,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::order::ItemRequest;
    use crm_core::pricing;

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

    fn request(on: &str, items: Vec<ItemRequest>) -> PurchaseRequest {
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
