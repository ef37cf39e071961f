//! Validated user fields.

use crm_core::{FieldError, FieldErrors, text};

/// An e-mail address used to log in; `key` is its case-insensitive identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginEmail {
    pub display: String,
    pub key: String,
}

impl LoginEmail {
    pub fn parse(field: &str, input: &str) -> Result<LoginEmail, FieldError> {
        let display = text::clean(input);
        let valid = display.len() <= 254
            && !display.chars().any(char::is_whitespace)
            && match display.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && domain.split('.').all(|label| {
                            !label.is_empty()
                                && !label.starts_with('-')
                                && !label.ends_with('-')
                                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                        })
                }
                None => false,
            };
        if !valid {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "must be an e-mail address like maria@example.com",
            ));
        }
        let key = display.to_lowercase();
        Ok(LoginEmail { display, key })
    }
}

/// A new password: 12 to 128 characters (length beats composition rules, per NIST 800-63B).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub const MIN: usize = 12;
    pub const MAX: usize = 128;

    pub fn parse(field: &str, input: &str) -> Result<NewPassword, FieldError> {
        // Passwords are not trimmed: every character typed counts.
        let length = input.chars().count();
        if length < Self::MIN {
            return Err(FieldError::new(
                field,
                "too_short",
                format!("must have at least {} characters", Self::MIN),
            ));
        }
        if length > Self::MAX {
            return Err(FieldError::new(
                field,
                "too_long",
                format!("must have at most {} characters", Self::MAX),
            ));
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A person's display name: required, at most 120 characters.
pub fn parse_name(field: &str, input: &str) -> Result<String, FieldError> {
    let name = text::single_line(field, input)?;
    if name.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if name.chars().count() > 120 {
        return Err(FieldError::new(
            field,
            "too_long",
            "must have at most 120 characters",
        ));
    }
    Ok(name)
}

/// A new user's validated fields.
pub struct NewUser {
    pub name: String,
    pub email: LoginEmail,
    pub password: NewPassword,
}

impl NewUser {
    /// Validates every field, reporting all the invalid ones at once.
    pub fn parse(name: &str, email: &str, password: &str) -> Result<NewUser, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check(parse_name("name", name));
        let email = errors.check(LoginEmail::parse("email", email));
        let password = errors.check(NewPassword::parse("password", password));
        match (name, email, password) {
            (Some(name), Some(email), Some(password)) => Ok(NewUser {
                name,
                email,
                password,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_identity_ignores_case_and_spaces() {
        let email = LoginEmail::parse("email", "  Maria@Example.COM ").unwrap();
        assert_eq!(email.display, "Maria@Example.COM");
        assert_eq!(email.key, "maria@example.com");
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for bad in [
            "",
            "maria",
            "maria@",
            "@x.com",
            "a b@x.com",
            "a@b",
            "a@-b.com",
        ] {
            assert!(LoginEmail::parse("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn short_passwords_are_rejected_and_never_printed() {
        assert_eq!(
            NewPassword::parse("password", "short").unwrap_err().code,
            "too_short"
        );
        let password = NewPassword::parse("password", "correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }
}
