//! The rules an NF-e puts on its fields (after the SEFAZ layout, NF-e 4.0): each value is
//! normalized to the form the XML needs, and every absent required field and every wrong value is
//! named by its path in the document (`items[0].ncm`), so the client can point at the input.

use crm_contacts::model::{Document, Email, PostalCode, State};
use crm_core::{FieldError, FieldErrors, Money};

use super::codes::{INVALID, cfop, digits_only, ibge_state_code, phone, state_registration, t_pag};
use super::dto::{NfeAddress, NfeDocument, NfeItem, NfePayment, NfeRecipient};

/// What a document still lacks (`missing`) and what it has wrong (`invalid`).
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub missing: Vec<String>,
    pub invalid: FieldErrors,
}

/// Normalizes `doc` in place (values that fail keep their text, so the user sees what is wrong)
/// and reports what is missing or invalid. `total_cents` is the invoice total (`vNF`).
pub(crate) fn check(doc: &mut NfeDocument, total_cents: i64) -> Findings {
    let mut f = Findings::default();
    f.text("nat_op", &mut doc.nat_op, true, 1, 60);
    f.code("fin_nfe", doc.fin_nfe, &[1, 2, 3, 4], true);
    f.code("ind_final", doc.ind_final, &[0, 1], true);
    f.code("ind_pres", doc.ind_pres, &[0, 1, 2, 3, 4, 5, 9], true);
    f.code("mod_frete", doc.mod_frete, &[0, 1, 2, 3, 4, 9], true);
    f.recipient(&mut doc.recipient);
    if doc.recipient.ind_ie_dest == Some(9) && doc.ind_final == Some(0) {
        f.wrong(
            "ind_final",
            "inconsistent",
            "a recipient that is not a taxpayer (`recipient.ind_ie_dest` 9) is a final consumer: \
             must be 1",
        );
    }
    for (i, item) in doc.items.iter_mut().enumerate() {
        f.item(&format!("items[{i}]"), item);
    }
    f.payments(&mut doc.payments, doc.fin_nfe, total_cents);
    f.text("additional_info", &mut doc.additional_info, false, 1, 5000);
    f
}

impl Findings {
    fn wrong(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.invalid.add(field, code, message);
    }

    /// A text of `min..=max` characters.
    fn text(
        &mut self,
        field: &str,
        value: &mut Option<String>,
        required: bool,
        min: usize,
        max: usize,
    ) {
        let Some(text) = value.as_deref() else {
            if required {
                self.missing.push(field.to_owned());
            }
            return;
        };
        let length = text.chars().count();
        if length < min {
            self.wrong(
                field,
                "too_short",
                format!("must have at least {min} characters"),
            );
        } else if length > max {
            let message = format!("must have at most {max} characters in an NF-e");
            self.wrong(field, "too_long", message);
        }
    }

    /// A value with a canonical form: replaced by it when it parses.
    fn parsed(
        &mut self,
        field: &str,
        value: &mut Option<String>,
        required: bool,
        parse: impl Fn(&str, &str) -> Result<String, FieldError>,
    ) -> bool {
        match value.as_deref().map(|v| parse(field, v)) {
            Some(Ok(canonical)) => {
                *value = Some(canonical);
                true
            }
            Some(Err(error)) => {
                self.invalid.0.push(error);
                false
            }
            None => {
                if required {
                    self.missing.push(field.to_owned());
                }
                false
            }
        }
    }

    /// One of the codes of an NF-e table.
    fn code(&mut self, field: &str, value: Option<i32>, allowed: &[i32], required: bool) {
        match value {
            Some(v) if !allowed.contains(&v) => {
                let list: Vec<String> = allowed.iter().map(i32::to_string).collect();
                let message = format!("must be one of {}", list.join(", "));
                self.wrong(field, INVALID, message);
            }
            None if required => self.missing.push(field.to_owned()),
            _ => {}
        }
    }

    fn recipient(&mut self, r: &mut NfeRecipient) {
        self.text("recipient.name", &mut r.name, true, 2, 60);
        let document =
            |field: &str, v: &str| Document::parse(field, v).map(|d| d.as_str().to_owned());
        r.document_kind = None;
        if self.parsed("recipient.document", &mut r.document, true, document) {
            let kind = r
                .document
                .as_deref()
                .and_then(|d| Document::parse("", d).ok());
            r.document_kind = kind.map(|d| d.kind().as_str().to_owned());
        }
        self.code("recipient.ind_ie_dest", r.ind_ie_dest, &[1, 2, 9], true);
        let ie = "recipient.state_registration";
        let required = r.ind_ie_dest == Some(1);
        self.parsed(ie, &mut r.state_registration, required, state_registration);
        if r.ind_ie_dest == Some(2) && r.state_registration.is_some() {
            let message = "must be empty for a recipient exempt from state registration \
                (`recipient.ind_ie_dest` 2)";
            self.wrong(ie, "inconsistent", message);
        }
        let email = |field: &str, v: &str| Email::parse(field, v).map(|e| e.as_str().to_owned());
        self.parsed("recipient.email", &mut r.email, false, email);
        self.parsed("recipient.phone", &mut r.phone, false, phone);
        self.address(&mut r.address);
    }

    fn address(&mut self, a: &mut NfeAddress) {
        let at = |name: &str| format!("recipient.address.{name}");
        self.text(&at("street"), &mut a.street, true, 2, 60);
        self.text(&at("number"), &mut a.number, true, 1, 60);
        self.text(&at("complement"), &mut a.complement, false, 1, 60);
        self.text(&at("district"), &mut a.district, true, 2, 60);
        self.text(&at("municipality"), &mut a.municipality, true, 2, 60);
        let code_ok = self.parsed(
            &at("municipality_code"),
            &mut a.municipality_code,
            true,
            |f, v| digits_only(f, v, 7, "IBGE municipality code", "3550308"),
        );
        let state = |field: &str, v: &str| State::parse(field, v).map(|s| s.as_str().to_owned());
        let state_ok = self.parsed(&at("state"), &mut a.state, true, state);
        let postal = |f: &str, v: &str| PostalCode::parse(f, v).map(|p| p.as_str().to_owned());
        self.parsed(&at("postal_code"), &mut a.postal_code, true, postal);
        if let (true, true, Some(code), Some(uf)) = (
            code_ok,
            state_ok,
            a.municipality_code.as_deref(),
            a.state.as_deref(),
        ) && let Some(prefix) = ibge_state_code(uf)
            && !code.starts_with(prefix)
        {
            let message = format!("is not a municipality of {uf}: its codes start with {prefix}");
            self.wrong(&at("municipality_code"), "inconsistent", message);
        }
        a.country_code = Some("1058".to_owned());
        a.country = Some("Brasil".to_owned());
    }

    fn item(&mut self, at: &str, item: &mut NfeItem) {
        let field = |name: &str| format!("{at}.{name}");
        self.text(&field("description"), &mut item.description, true, 1, 120);
        self.text(&field("product_code"), &mut item.product_code, true, 1, 60);
        self.parsed(&field("ncm"), &mut item.ncm, true, |f, v| {
            digits_only(f, v, 8, "NCM", "9401.30.10")
        });
        self.parsed(&field("cfop"), &mut item.cfop, true, cfop);
        self.parsed(&field("cest"), &mut item.cest, false, |f, v| {
            digits_only(f, v, 7, "CEST", "21.064.00")
        });
        self.code(
            &field("orig"),
            item.orig,
            &[0, 1, 2, 3, 4, 5, 6, 7, 8],
            true,
        );
    }

    fn payments(&mut self, payments: &mut [NfePayment], fin_nfe: Option<i32>, total_cents: i64) {
        if payments.is_empty() {
            self.missing.push("payments".to_owned());
        }
        let mut sum = Some(0_i64);
        let mut without_payment = false;
        for (i, payment) in payments.iter_mut().enumerate() {
            let field = |name: &str| format!("payments[{i}].{name}");
            let means_ok = self.parsed(&field("t_pag"), &mut payment.t_pag, true, t_pag);
            let means = payment.t_pag.as_deref().filter(|_| means_ok);
            let needs_text = means == Some("99");
            self.text(
                &field("description"),
                &mut payment.description,
                needs_text,
                2,
                60,
            );
            let value_ok = self.parsed(&field("value"), &mut payment.value, true, |f, v| {
                Money::parse(f, v).map(Money::to_decimal_string)
            });
            let cents = payment
                .value
                .as_deref()
                .filter(|_| value_ok)
                .and_then(|v| Money::parse("", v).ok())
                .map(Money::cents);
            sum = sum.zip(cents).map(|(a, b)| a + b);
            if means == Some("90") {
                without_payment = true;
                if cents.is_some_and(|c| c != 0) {
                    self.wrong(
                        &field("value"),
                        "inconsistent",
                        "must be 0 for `t_pag` 90 (no payment)",
                    );
                }
            }
            if matches!(fin_nfe, Some(3 | 4)) && means.is_some_and(|m| m != "90") {
                let message = "an adjustment or return NF-e (`fin_nfe` 3 or 4) has no payment: \
                    must be 90";
                self.wrong(&field("t_pag"), "inconsistent", message);
            }
        }
        if let (Some(1), false, Some(sum)) = (fin_nfe, without_payment, sum)
            && !payments.is_empty()
            && sum < total_cents
        {
            let (sum, total) = (Money::from_cents(sum), Money::from_cents(total_cents));
            let message = format!(
                "the payments add up to {}, less than the invoice total {}",
                sum.to_decimal_string(),
                total.to_decimal_string()
            );
            self.wrong("payments", "insufficient", message);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_document_names_every_required_field() {
        let mut doc = NfeDocument {
            items: vec![NfeItem::default()],
            payments: vec![NfePayment::default()],
            ..NfeDocument::default()
        };
        let findings = check(&mut doc, 100);
        assert!(findings.invalid.is_empty());
        let expected = [
            "nat_op",
            "fin_nfe",
            "ind_final",
            "ind_pres",
            "mod_frete",
            "recipient.name",
            "recipient.document",
            "recipient.ind_ie_dest",
            "recipient.address.street",
            "recipient.address.number",
            "recipient.address.district",
            "recipient.address.municipality",
            "recipient.address.municipality_code",
            "recipient.address.state",
            "recipient.address.postal_code",
            "items[0].description",
            "items[0].product_code",
            "items[0].ncm",
            "items[0].cfop",
            "items[0].orig",
            "payments[0].t_pag",
            "payments[0].value",
        ];
        assert_eq!(findings.missing, expected);
    }

    #[test]
    fn payments_must_cover_the_total_of_a_normal_invoice() {
        let mut doc = NfeDocument {
            fin_nfe: Some(1),
            payments: vec![NfePayment {
                t_pag: Some("17".into()),
                description: None,
                value: Some("9.99".into()),
            }],
            ..NfeDocument::default()
        };
        let findings = check(&mut doc, 1000);
        let fields: Vec<&str> = findings
            .invalid
            .0
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["payments"]);
        assert_eq!(doc.payments[0].value.as_deref(), Some("9.99"));
    }
}
