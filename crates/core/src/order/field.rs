//! Free-text fields of an order (a line's description, notes, payment terms): cleaned, bounded,
//! each error naming its field so the client learns every one at once.

use crate::{FieldErrors, text};

/// The cleaned text (trimmed, NFC); an error on `field` when it is longer than `max` characters.
pub fn bounded(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
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

/// Like [`bounded`], and an error when nothing is left after trimming.
pub fn required(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = bounded(errors, field, value, max);
    if value.is_empty() {
        errors.add(field, "required", "must not be empty");
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(errors: &FieldErrors) -> Vec<(&str, &str)> {
        errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn text_is_cleaned_and_counted_in_characters_not_bytes() {
        let mut errors = FieldErrors::new();
        assert_eq!(bounded(&mut errors, "notes", "  Ação  ", 4), "Ação");
        assert!(errors.is_empty());
        bounded(&mut errors, "notes", "Ações", 4);
        assert_eq!(codes(&errors), [("notes", "too_long")]);
    }

    #[test]
    fn a_required_field_left_blank_is_named() {
        let mut errors = FieldErrors::new();
        assert_eq!(required(&mut errors, "items[0].unit", " \t ", 6), "");
        assert_eq!(codes(&errors), [("items[0].unit", "required")]);
    }
}
