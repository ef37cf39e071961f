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
        if input.trim().is_empty() {
            return Err(FieldError::new(field, "blank", "must not be only spaces"));
        }
        if crate::common_passwords::is_common(input) {
            return Err(FieldError::new(
                field,
                "too_common",
                "is one of the most common passwords; choose another",
            ));
        }
        Ok(NewPassword(input.to_owned()))
    }

    /// Refuses the account's own e-mail, or its part before the `@`, as its password: both are
    /// the first guesses of anyone who knows the address (case and outer spaces ignored).
    pub fn check_not_email(&self, field: &str, email_key: &str) -> Result<(), FieldError> {
        let password = self.0.trim().to_lowercase();
        let email = email_key.trim().to_lowercase();
        let local = email
            .split_once('@')
            .map_or(email.as_str(), |(local, _)| local);
        if password == email || password == local {
            return Err(FieldError::new(
                field,
                "same_as_email",
                "must not be the e-mail address or its part before the @",
            ));
        }
        Ok(())
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
        if let (Some(email), Some(password)) = (&email, &password) {
            errors.check(password.check_not_email("password", &email.key));
        }
        match (name, email, password) {
            (Some(name), Some(email), Some(password)) if errors.is_empty() => Ok(NewUser {
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

    #[test]
    fn whitespace_only_passwords_are_rejected_as_blank() {
        for blank in [
            "            ",
            "\t\t\t\t\n\n\n\n    ",
            "\u{3000}".repeat(12).as_str(),
        ] {
            let error = NewPassword::parse("password", blank).unwrap_err();
            assert_eq!(error.code, "blank", "{blank:?}");
        }
    }

    #[test]
    fn common_passwords_are_rejected_whatever_their_case() {
        for common in ["qwerty123456", "QWERTY123456", " 1q2w3e4r5t6y  "] {
            let error = NewPassword::parse("password", common).unwrap_err();
            assert_eq!(error.code, "too_common", "{common}");
        }
    }

    #[test]
    fn the_email_or_its_local_part_is_not_a_password() {
        let cases = [
            ("Maria.Silva@Example.com", "maria.silva@example.com"),
            ("maria.silva.souza", "maria.silva.souza@example.com"),
        ];
        for (password, email) in cases {
            let password = NewPassword::parse("password", password).unwrap();
            let error = password.check_not_email("password", email).unwrap_err();
            assert_eq!(error.code, "same_as_email");
        }
        let fine = NewPassword::parse("password", "maria gosta de cafe").unwrap();
        assert!(
            fine.check_not_email("password", "maria@example.com")
                .is_ok()
        );
    }

    #[test]
    fn a_new_user_whose_password_is_their_email_names_the_password() {
        let errors = NewUser::parse(
            "Maria",
            "maria.silva@example.com",
            "MARIA.SILVA@example.com",
        )
        .err();
        let codes: Vec<_> = errors.unwrap().0.into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["same_as_email"]);
    }
}
