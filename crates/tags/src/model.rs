//! Validated tag fields.

use crm_core::{FieldError, text};

/// A tag's name and the key that makes names unique in a flow ignoring case and accents
/// ("Orçamento" and "ORCAMENTO" are the same tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagName {
    pub name: String,
    pub key: String,
}

/// Keys of the names the virtual ALL tag goes by (English and Portuguese screens).
const RESERVED_KEYS: [&str; 2] = ["all", "todos"];

impl TagName {
    pub const MAX: usize = 40;

    pub fn parse(field: &str, input: &str) -> Result<TagName, FieldError> {
        let name = text::single_line(field, input)?;
        if name.is_empty() {
            return Err(FieldError::new(field, "required", "must not be empty"));
        }
        if name.chars().count() > Self::MAX {
            return Err(FieldError::new(
                field,
                "too_long",
                format!("must have at most {} characters", Self::MAX),
            ));
        }
        let key = text::search_key(&name);
        Ok(TagName { name, key })
    }

    /// "ALL" and "TODOS" (any case or accents) would be mistaken for the virtual tag.
    pub fn is_reserved(&self) -> bool {
        RESERVED_KEYS.contains(&self.key.as_str())
    }
}

/// A colour as `#RRGGBB`, stored in upper case so equal colours compare equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Color(String);

impl Color {
    pub fn parse(field: &str, input: &str) -> Result<Color, FieldError> {
        let value = input.trim();
        let valid = value.len() == 7
            && value.starts_with('#')
            && value[1..].chars().all(|c| c.is_ascii_hexdigit());
        if valid {
            Ok(Color(value.to_ascii_uppercase()))
        } else {
            Err(FieldError::new(
                field,
                "invalid_format",
                "must be # followed by six hexadecimal digits, e.g. #2563EB",
            ))
        }
    }

    /// The colour a new tag gets when none is given: the palette in turn, by position, so
    /// neighbouring tags differ.
    pub fn for_position(position: i32) -> Color {
        let index = usize::try_from(position.max(1) - 1).unwrap_or(0) % PALETTE.len();
        Color(PALETTE[index].to_owned())
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Distinct, saturated colours that stay readable under white text.
pub const PALETTE: [&str; 12] = [
    "#2563EB", "#16A34A", "#D97706", "#DC2626", "#7C3AED", "#0891B2", "#DB2777", "#EA580C",
    "#65A30D", "#0D9488", "#9333EA", "#CA8A04",
];

/// The neutral grey of the virtual ALL tag.
pub const ALL_TAG_COLOR: &str = "#64748B";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_in_case_and_accents_share_a_key() {
        let a = TagName::parse("name", "  Orçamento ").unwrap();
        let b = TagName::parse("name", "ORCAMENTO").unwrap();
        assert_eq!(a.name, "Orçamento");
        assert_eq!(a.key, b.key);
    }

    #[test]
    fn blank_and_overlong_names_are_rejected() {
        assert_eq!(TagName::parse("name", "  ").unwrap_err().code, "required");
        let long = "é".repeat(41);
        assert_eq!(TagName::parse("name", &long).unwrap_err().code, "too_long");
        assert!(TagName::parse("name", &"é".repeat(40)).is_ok());
    }

    #[test]
    fn all_and_todos_are_reserved_in_any_case_or_accent() {
        for name in ["ALL", "all", "Todos", "TÓDOS", " tôdos "] {
            assert!(
                TagName::parse("name", name).unwrap().is_reserved(),
                "{name}"
            );
        }
        assert!(
            !TagName::parse("name", "Todos os clientes")
                .unwrap()
                .is_reserved()
        );
    }

    #[test]
    fn colours_are_upper_cased_and_checked() {
        assert_eq!(
            Color::parse("color", "#a1b2c3").unwrap().into_string(),
            "#A1B2C3"
        );
        for bad in ["a1b2c3", "#a1b2c", "#a1b2c3d", "#g1b2c3", "#ÁÁÁÁÁÁ", ""] {
            assert_eq!(
                Color::parse("color", bad).unwrap_err().code,
                "invalid_format"
            );
        }
    }

    #[test]
    fn default_colours_cycle_through_the_palette() {
        assert_eq!(Color::for_position(1).into_string(), PALETTE[0]);
        assert_eq!(Color::for_position(13).into_string(), PALETTE[0]);
        assert_eq!(Color::for_position(2).into_string(), PALETTE[1]);
    }
}
