//! Validated flow fields.

use crm_core::{FieldError, text};

/// A flow's name and the key that makes names unique ignoring case and accents
/// ("Pós-venda" and "pos-venda" are the same flow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowName {
    pub name: String,
    pub key: String,
}

impl FlowName {
    pub const MAX: usize = 80;

    pub fn parse(field: &str, input: &str) -> Result<FlowName, FieldError> {
        let name = bounded(field, input, Self::MAX)?;
        let key = text::search_key(&name);
        Ok(FlowName { name, key })
    }
}

/// The alias ("pseudônimo") shown in menus: required when given, at most 80 characters.
pub fn parse_alias(field: &str, input: &str) -> Result<String, FieldError> {
    bounded(field, input, FlowName::MAX)
}

/// A description shown under the flow's name: optional, at most 1000 characters.
pub fn parse_description(field: &str, input: Option<&str>) -> Result<Option<String>, FieldError> {
    match text::clean_optional(input) {
        Some(d) if d.chars().count() > 1000 => Err(FieldError::new(
            field,
            "too_long",
            "must have at most 1000 characters",
        )),
        other => Ok(other),
    }
}

fn bounded(field: &str, input: &str, max: usize) -> Result<String, FieldError> {
    let value = text::single_line(field, input)?;
    if value.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("must have at most {max} characters"),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_in_case_and_accents_share_a_key() {
        let a = FlowName::parse("name", " Pós-Venda ").unwrap();
        let b = FlowName::parse("name", "pos-venda").unwrap();
        assert_eq!(a.name, "Pós-Venda");
        assert_eq!(a.key, b.key);
    }

    #[test]
    fn blank_and_overlong_names_are_rejected() {
        assert_eq!(FlowName::parse("name", "   ").unwrap_err().code, "required");
        let long = "x".repeat(81);
        assert_eq!(FlowName::parse("name", &long).unwrap_err().code, "too_long");
    }
}
