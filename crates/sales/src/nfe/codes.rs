//! The value formats of the NF-e tables and codes: each parser takes what people type (dots and
//! hyphens included) and returns the bare form the XML carries, or a field error.

use crm_core::FieldError;

pub(crate) const INVALID: &str = "invalid_value";
pub(crate) const FORMAT: &str = "invalid_format";

/// Exactly `len` digits once the usual punctuation (dots, hyphens, spaces) is removed.
pub(crate) fn digits_only(
    field: &str,
    value: &str,
    len: usize,
    name: &str,
    example: &str,
) -> Result<String, FieldError> {
    let bare = value.replace(['.', '-', ' ', '/'], "");
    if bare.len() == len && bare.bytes().all(|b| b.is_ascii_digit()) {
        Ok(bare)
    } else {
        Err(FieldError::new(
            field,
            FORMAT,
            format!("{name} must have {len} digits, such as {example}"),
        ))
    }
}

/// Four digits; the first says the direction and reach: 1-3 entries, 5-7 exits.
pub(crate) fn cfop(field: &str, value: &str) -> Result<String, FieldError> {
    let code = digits_only(field, value, 4, "CFOP", "5102")?;
    if !matches!(code.as_bytes()[0], b'1' | b'2' | b'3' | b'5' | b'6' | b'7') {
        let message = "CFOP must start with 1, 2 or 3 (entries) or 5, 6 or 7 (exits)";
        return Err(FieldError::new(field, INVALID, message));
    }
    Ok(code)
}

/// The state registration of the recipient: 2 to 14 digits (`ISENTO` is said with
/// `ind_ie_dest` 2, not here).
pub(crate) fn state_registration(field: &str, value: &str) -> Result<String, FieldError> {
    let bare = value.replace(['.', '-', ' ', '/'], "");
    if (2..=14).contains(&bare.len()) && bare.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(bare);
    }
    let message = "state registration (IE) must have 2 to 14 digits; for an exempt recipient \
        leave it empty and set `ind_ie_dest` to 2";
    Err(FieldError::new(field, FORMAT, message))
}

/// 6 to 14 digits with the area code; a `+55` prefix is dropped.
pub(crate) fn phone(field: &str, value: &str) -> Result<String, FieldError> {
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.' | '+');
    let digits = crm_core::text::digits(value);
    let national = if value.trim_start().starts_with('+') {
        digits.strip_prefix("55").unwrap_or(&digits).to_owned()
    } else {
        digits
    };
    if value.chars().all(allowed) && (6..=14).contains(&national.len()) {
        return Ok(national);
    }
    let message = "phone must have 6 to 14 digits with the area code, such as 11987654321";
    Err(FieldError::new(field, FORMAT, message))
}

/// The means of payment of the NF-e table `tPag`.
const T_PAG: [&str; 19] = [
    "01", "02", "03", "04", "05", "10", "11", "12", "13", "15", "16", "17", "18", "19", "20", "21",
    "22", "90", "99",
];

pub(crate) fn t_pag(field: &str, value: &str) -> Result<String, FieldError> {
    let code = value.trim();
    if T_PAG.contains(&code) {
        return Ok(code.to_owned());
    }
    let message = format!(
        "must be one of the NF-e payment codes: {}",
        T_PAG.join(", ")
    );
    Err(FieldError::new(field, INVALID, message))
}

/// The IBGE code of a state: the first two digits of its municipalities' codes.
pub(crate) fn ibge_state_code(uf: &str) -> Option<&'static str> {
    const CODES: [(&str, &str); 27] = [
        ("RO", "11"),
        ("AC", "12"),
        ("AM", "13"),
        ("RR", "14"),
        ("PA", "15"),
        ("AP", "16"),
        ("TO", "17"),
        ("MA", "21"),
        ("PI", "22"),
        ("CE", "23"),
        ("RN", "24"),
        ("PB", "25"),
        ("PE", "26"),
        ("AL", "27"),
        ("SE", "28"),
        ("BA", "29"),
        ("MG", "31"),
        ("ES", "32"),
        ("RJ", "33"),
        ("SP", "35"),
        ("PR", "41"),
        ("SC", "42"),
        ("RS", "43"),
        ("MS", "50"),
        ("MT", "51"),
        ("GO", "52"),
        ("DF", "53"),
    ];
    CODES
        .iter()
        .find(|(state, _)| *state == uf)
        .map(|(_, code)| *code)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalized_or_named() {
        assert_eq!(cfop("f", "5.102").unwrap(), "5102");
        assert_eq!(cfop("f", "4102").unwrap_err().code, INVALID);
        assert_eq!(cfop("f", "510").unwrap_err().code, FORMAT);
        assert_eq!(
            digits_only("f", "9401.30.10", 8, "NCM", "").unwrap(),
            "94013010"
        );
        assert!(digits_only("f", "9401301", 8, "NCM", "").is_err());
        assert_eq!(phone("f", "+55 (11) 98765-4321").unwrap(), "11987654321");
        assert!(phone("f", "ramal 12").is_err());
        assert_eq!(
            state_registration("f", "110.042.490.114").unwrap(),
            "110042490114"
        );
        assert!(state_registration("f", "ISENTO").is_err());
        assert_eq!(t_pag("f", "17").unwrap(), "17");
        assert!(t_pag("f", "14").is_err());
        assert_eq!(ibge_state_code("SP"), Some("35"));
    }
}
