//! Money in BRL: exact centavos inside, `"1234.50"` strings outside.

use rust_decimal::Decimal;

use crate::FieldError;

/// An amount in centavos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    /// Largest accepted amount: R$ 999,999,999,999.99 — beyond any attendance, far from overflow.
    pub const MAX_CENTS: i64 = 99_999_999_999_999;

    pub fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// As a Brazilian reads it: `R$ 1.234,50`.
    pub fn brl(self) -> String {
        let units = (self.0 / 100).unsigned_abs().to_string();
        let mut grouped = String::with_capacity(units.len() + units.len() / 3);
        for (i, digit) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("R$ {sign}{grouped},{:02}", (self.0 % 100).unsigned_abs())
    }

    /// Parses a decimal string with at most two decimals (`"1234.5"`, `"1234.50"`, `"0"`).
    /// Negative amounts and more than two decimals are refused rather than rounded.
    pub fn parse(field: &str, input: &str) -> Result<Money, FieldError> {
        let invalid = || {
            FieldError::new(
                field,
                "invalid_format",
                "must be a decimal string with up to two decimals, like \"1234.50\"",
            )
        };
        let trimmed = input.trim();
        let well_formed = !trimmed.is_empty()
            && trimmed
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
        if !well_formed {
            return Err(invalid());
        }
        let value: Decimal = trimmed.parse().map_err(|_| invalid())?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(FieldError::new(field, "negative", "must not be negative"));
        }
        if value.scale() > 2 && value.normalize().scale() > 2 {
            return Err(FieldError::new(
                field,
                "too_many_decimals",
                "must have at most two decimals (centavos)",
            ));
        }
        let cents = (value * Decimal::from(100)).trunc();
        let cents = i64::try_from(cents).map_err(|_| invalid())?;
        if cents > Self::MAX_CENTS {
            return Err(FieldError::new(
                field,
                "too_large",
                "must be at most 999999999999.99",
            ));
        }
        Ok(Money(cents.abs()))
    }

    /// `"1234.50"`.
    pub fn to_decimal_string(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_is_written_the_brazilian_way() {
        assert_eq!(Money::from_cents(123_456_705).brl(), "R$ 1.234.567,05");
        assert_eq!(Money::from_cents(50).brl(), "R$ 0,50");
        assert_eq!(Money::from_cents(99_900).brl(), "R$ 999,00");
        assert_eq!(Money::from_cents(-1_050).brl(), "R$ -10,50");
    }

    use super::*;

    #[test]
    fn parses_and_formats_centavos_exactly() {
        assert_eq!(Money::parse("v", "1234.5").unwrap().cents(), 123_450);
        assert_eq!(
            Money::parse("v", "0.10").unwrap().to_decimal_string(),
            "0.10"
        );
        assert_eq!(Money::parse("v", "7").unwrap().to_decimal_string(), "7.00");
        assert_eq!(Money::parse("v", "2.500").unwrap().cents(), 250);
    }

    #[test]
    fn refuses_what_would_need_rounding_or_is_negative() {
        assert_eq!(
            Money::parse("v", "1.005").unwrap_err().code,
            "too_many_decimals"
        );
        assert_eq!(Money::parse("v", "-3").unwrap_err().code, "negative");
        assert_eq!(
            Money::parse("v", "1,50").unwrap_err().code,
            "invalid_format"
        );
        assert_eq!(Money::parse("v", "1e3").unwrap_err().code, "invalid_format");
        assert_eq!(
            Money::parse("v", "1000000000000").unwrap_err().code,
            "too_large"
        );
    }
}
