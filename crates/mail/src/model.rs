//! Validated mailbox and template fields.

use crm_core::{FieldError, FieldErrors, text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::crypto::Secret;
use crate::template;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which is required (usually port 587).
    Starttls,
    /// TLS from the first byte ("SMTPS", usually port 465).
    Tls,
    /// No encryption: only for a relay on a trusted network (or tests).
    None,
}

impl Security {
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Starttls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Security> {
        match s {
            "starttls" => Some(Security::Starttls),
            "tls" => Some(Security::Tls),
            "none" => Some(Security::None),
            _ => None,
        }
    }
}

/// Text that ends up in a message header: required, bounded, and on one line (a line break
/// would let it add headers of its own).
pub fn header_text(field: &str, input: &str, max: usize) -> Result<String, FieldError> {
    let value = text::single_line(field, input)?;
    if value.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if value.chars().count() > max {
        let message = format!("must have at most {max} characters");
        return Err(FieldError::new(field, "too_long", message));
    }
    Ok(value)
}

/// An e-mail address as SMTP servers take it.
pub fn address(field: &str, input: &str) -> Result<String, FieldError> {
    let value = header_text(field, input, 254)?;
    match value.parse::<lettre::Address>() {
        Ok(address) if !value.contains(char::is_whitespace) => Ok(address.to_string()),
        _ => Err(FieldError::new(
            field,
            "invalid_format",
            "must look like name@example.com.br",
        )),
    }
}

/// A host name or IP address, without scheme, port or path.
pub fn host(field: &str, input: &str) -> Result<String, FieldError> {
    let value = header_text(field, input, 253)?;
    let name = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let ipv6 = value
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::Ipv6Addr>()
        .is_ok();
    let valid = name || ipv6;
    if valid {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(FieldError::new(
            field,
            "invalid_format",
            "must be a host name such as smtp.example.com.br or an IP address, without scheme or port",
        ))
    }
}

pub fn port(field: &str, port: u16) -> Result<i32, FieldError> {
    if port == 0 {
        return Err(FieldError::new(field, "out_of_range", "must be 1 to 65535"));
    }
    Ok(i32::from(port))
}

/// A password as typed: not trimmed or normalized (every character counts), not empty.
pub fn password(field: &str, input: &str) -> Result<Secret, FieldError> {
    if input.is_empty() {
        let message = "must not be empty; leave it out to keep the stored password";
        return Err(FieldError::new(field, "required", message));
    }
    if input.chars().count() > 1000 {
        let message = "must have at most 1000 characters";
        return Err(FieldError::new(field, "too_long", message));
    }
    Ok(Secret::new(input.to_owned()))
}

/// A template's name and the key that makes names unique among one owner's templates ignoring
/// case and accents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateName {
    pub name: String,
    pub key: String,
}

impl TemplateName {
    pub const MAX: usize = 80;

    pub fn parse(field: &str, input: &str) -> Result<TemplateName, FieldError> {
        let name = header_text(field, input, Self::MAX)?;
        let key = text::search_key(&name);
        Ok(TemplateName { name, key })
    }
}

pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;

/// A template's subject: one line, known placeholders only.
pub fn template_subject(field: &str, input: &str, errors: &mut FieldErrors) -> Option<String> {
    let subject = errors.check(header_text(field, input, SUBJECT_MAX))?;
    let before = errors.0.len();
    template::check(field, &subject, errors);
    (errors.0.len() == before).then_some(subject)
}

/// A template's body: trimmed, NFC, known placeholders only.
pub fn template_body(field: &str, input: &str, errors: &mut FieldErrors) -> Option<String> {
    let body = text::clean(input);
    if body.is_empty() {
        errors.add(field, "required", "must not be empty");
        return None;
    }
    if body.chars().count() > BODY_MAX {
        errors.add(
            field,
            "too_long",
            format!("must have at most {BODY_MAX} characters"),
        );
        return None;
    }
    let before = errors.0.len();
    template::check(field, &body, errors);
    (errors.0.len() == before).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_text_refuses_line_breaks() {
        assert_eq!(
            header_text("subject", "a\r\nBcc: x@y.com", 200)
                .unwrap_err()
                .code,
            "invalid_character"
        );
        assert_eq!(
            header_text("subject", "  ", 200).unwrap_err().code,
            "required"
        );
    }

    #[test]
    fn addresses_and_hosts_are_checked() {
        assert_eq!(
            address("a", " vendas@Empresa.com.br ").unwrap(),
            "vendas@Empresa.com.br"
        );
        for bad in ["vendas", "a b@c.com", "@c.com"] {
            assert!(address("a", bad).is_err(), "{bad}");
        }
        assert_eq!(host("h", "SMTP.Example.com").unwrap(), "smtp.example.com");
        assert!(host("h", "smtp://x.com").is_err());
        assert!(host("h", "x.com:587").is_err());
        assert!(host("h", "::1").is_ok());
    }

    #[test]
    fn passwords_are_kept_exactly() {
        assert_eq!(password("p", " a b ").unwrap().expose(), " a b ");
        assert_eq!(password("p", "").unwrap_err().code, "required");
    }
}
