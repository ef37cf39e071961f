//! Turns what a client sent (or a stored row merged with a PATCH) into a contact row, naming every
//! invalid field. Stored values are canonical and parse back to themselves, so a PATCH re-checks
//! the whole contact through the same path as a create.

use crm_core::{FieldErrors, text};

use crate::dto::Address;
use crate::model::{
    Document, Email, Phone, PostalCode, State, optional_line, optional_text, required_text,
};

/// A contact's editable fields, as text.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub document: Option<String>,
    pub company: Option<String>,
    pub address: Address,
    pub notes: Option<String>,
}

/// A contact's fields, all valid.
#[derive(Debug, Clone)]
pub struct Valid {
    pub name: String,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub document: Option<Document>,
    pub company: Option<String>,
    pub address: Address,
    pub notes: Option<String>,
}

impl Valid {
    /// Everything a user may search by, folded to lower case without accents; digits of the phone
    /// and document are included so "98765" finds "+55 11 98765-4321".
    pub fn search_key(&self) -> String {
        let mut parts: Vec<String> = vec![self.name.clone()];
        parts.extend(self.email.as_ref().map(|e| e.as_str().to_owned()));
        if let Some(phone) = &self.phone {
            parts.push(phone.as_str().to_owned());
            parts.push(text::digits(phone.as_str()));
        }
        if let Some(document) = &self.document {
            parts.push(document.as_str().to_owned());
            parts.push(document.formatted());
        }
        parts.extend(self.company.clone());
        parts.extend(self.address.city.clone());
        text::search_key(&parts.join(" "))
    }
}

pub fn validate(draft: Draft) -> Result<Valid, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = errors.check(required_text("name", &draft.name, 200));
    let email = parse_optional(&mut errors, "email", draft.email, Email::parse);
    let phone = parse_optional(&mut errors, "phone", draft.phone, Phone::parse);
    let document = parse_optional(&mut errors, "document", draft.document, Document::parse);
    let company = errors.check(optional_line("company", draft.company.as_deref(), 200));
    let notes = errors.check(optional_text("notes", draft.notes.as_deref(), 5000));
    let address = validate_address(&mut errors, draft.address);
    match (name, company, notes) {
        (Some(name), Some(company), Some(notes)) if errors.is_empty() => Ok(Valid {
            name,
            email,
            phone,
            document,
            company,
            address,
            notes,
        }),
        _ => Err(errors),
    }
}

fn parse_optional<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    parse: fn(&str, &str) -> Result<T, crm_core::FieldError>,
) -> Option<T> {
    let value = text::clean_optional(value.as_deref())?;
    errors.check(parse(field, &value))
}

fn validate_address(errors: &mut FieldErrors, address: Address) -> Address {
    let mut text_field = |field: &str, value: Option<String>, max: usize| {
        errors
            .check(optional_line(field, value.as_deref(), max))
            .flatten()
    };
    let street = text_field("address.street", address.street, 200);
    let number = text_field("address.number", address.number, 20);
    let complement = text_field("address.complement", address.complement, 100);
    let district = text_field("address.district", address.district, 100);
    let city = text_field("address.city", address.city, 100);
    Address {
        street,
        number,
        complement,
        district,
        city,
        state: parse_optional(errors, "address.state", address.state, State::parse)
            .map(|s| s.as_str().to_owned()),
        postal_code: parse_optional(
            errors,
            "address.postal_code",
            address.postal_code,
            PostalCode::parse,
        )
        .map(|p| p.as_str().to_owned()),
    }
}
