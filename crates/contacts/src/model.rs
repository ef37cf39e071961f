//! Validated contact fields, "parse, don't validate": each newtype is built only by its `parse`,
//! so code holding an [`Email`] or a [`Document`] never checks it again (repo, reports, mail).
//! Each stores one canonical form (E.164 phone, bare CPF/CNPJ, upper-case UF, lower-case e-mail
//! domain) so equality, uniqueness and search compare like with like; the shapes people read
//! ("123.456.789-09", "01310-100") are made on the way out. Canonical values parse to themselves,
//! so rows read back from the database can go through the same door.

use crm_core::FieldError;
use crm_core::text::{clean, digits};
use serde::Serialize;

const INVALID_FORMAT: &str = "invalid_format";
const TOO_LONG: &str = "too_long";

macro_rules! string_newtype {
    ($($name:ident),*) => {$(
        impl $name {
            /// The canonical form, as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    )*};
}

string_newtype!(Email, Phone, PostalCode, State);

/// An e-mail address as real mail servers accept it, not the full RFC 5322 grammar (quoted local
/// parts and comments are legal but only ever appear as typos). Domains must be ASCII: an
/// internationalized domain has to be entered in its `xn--` form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    const SHAPE: &str =
        "E-mail must look like name@example.com.br: one @, no spaces, and a domain with a dot";

    /// Keeps the local part as typed (it is case-sensitive in theory) and lower-cases the domain.
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new(field, INVALID_FORMAT, Self::SHAPE);
        if s.chars().count() > 254 {
            let message = "E-mail must be at most 254 characters long";
            return Err(FieldError::new(field, TOO_LONG, message));
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        if local.chars().count() > 64 {
            let message = "The part of the e-mail before @ must be at most 64 characters long";
            return Err(FieldError::new(field, TOO_LONG, message));
        }
        if !is_local_part(local) || !is_domain(domain) {
            return Err(invalid());
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }
}

/// Dot-separated atoms of ASCII letters, digits and the RFC 5322 `atext` symbols.
fn is_local_part(local: &str) -> bool {
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    local
        .split('.')
        .all(|atom| !atom.is_empty() && atom.chars().all(atext))
}

/// A DNS host name with at least two labels and an alphabetic top-level domain. A second `@`
/// lands here and is rejected, which is what enforces "exactly one @".
fn is_domain(domain: &str) -> bool {
    let label_chars = |l: &str| l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len()) && !l.starts_with('-') && !l.ends_with('-') && label_chars(l)
    };
    let tld_ok = |tld: &str| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic());
    let tld = domain.rsplit_once('.').map(|(_, tld)| tld);
    domain.split('.').all(label_ok) && tld.is_some_and(tld_ok)
}

/// A phone number in E.164 (`+5511987654321`): the form WhatsApp links, SMS gateways and
/// duplicate checks need, whatever way it was typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    const SHAPE: &str = "Phone must be a Brazilian number with area code, such as \
        (11) 98765-4321 or (11) 3456-7890, or an international number starting with +, such as \
        +1 415 555 2671";

    /// Digits with optional spaces, dots, hyphens and parentheses, as people type them:
    /// `(11) 98765-4321`, `011 98765-4321` (trunk prefix 0), `+55 11 98765-4321`, and
    /// `5511987654321` (WhatsApp exports drop the `+`). Brazilian numbers must follow the
    /// numbering plan: a DDD without a zero digit, then a 9-digit mobile starting with 9 or an
    /// 8-digit landline starting with 2-5. Other countries need `+` and 8-15 digits and are not
    /// checked further. Numbers without a DDD and carrier-selection forms (`0 21 11 ...`) are
    /// rejected: we cannot tell which city or which digits were meant.
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new(field, INVALID_FORMAT, Self::SHAPE);
        let plus = s.starts_with('+');
        let rest = s.strip_prefix('+').unwrap_or(s);
        let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.');
        if !rest.chars().all(allowed) {
            return Err(invalid());
        }
        let all = digits(rest);
        let national = if plus {
            match all.strip_prefix("55") {
                Some(national) => national,
                None => return international(&all).map(Self).ok_or_else(invalid),
            }
        } else if all.len() >= 12 && all.starts_with("55") {
            &all[2..]
        } else {
            // No DDD contains a zero, so a leading 0 can only be the trunk prefix.
            all.strip_prefix('0').unwrap_or(&all)
        };
        brazilian(national).map(Self).ok_or_else(invalid)
    }
}

fn brazilian(national: &str) -> Option<String> {
    let [ddd1, ddd2, subscriber @ ..] = national.as_bytes() else {
        return None;
    };
    let ddd_ok = *ddd1 != b'0' && *ddd2 != b'0';
    let subscriber_ok = matches!(
        (subscriber.len(), subscriber.first()),
        (9, Some(b'9')) | (8, Some(b'2'..=b'5'))
    );
    (ddd_ok && subscriber_ok).then(|| format!("+55{national}"))
}

fn international(all: &str) -> Option<String> {
    (matches!(all.len(), 8..=15) && !all.starts_with('0')).then(|| format!("+{all}"))
}

/// Which Brazilian taxpayer document a [`Document`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Cadastro de Pessoas Físicas: a person, 11 digits.
    Cpf,
    /// Cadastro Nacional da Pessoa Jurídica: a company, 14 characters.
    Cnpj,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cpf => "cpf",
            Self::Cnpj => "cnpj",
        }
    }

    /// The inverse of [`DocumentKind::as_str`], ignoring ASCII case.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Cpf, Self::Cnpj]
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(s))
    }
}

// Weights of the second check digit; the first uses the same list without its first element.
const CPF_WEIGHTS: [u32; 10] = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/// A CPF or CNPJ whose check digits match, stored without punctuation. CNPJs may be
/// alphanumeric (issued from July 2026): the first 12 characters are 0-9 or A-Z, and each counts
/// as its ASCII code minus 48 in the check-digit sums, so numeric CNPJs keep their old digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Document {
    kind: DocumentKind,
    value: String,
}

impl Document {
    const SHAPE: &str = "Document must be a CPF with 11 digits (123.456.789-09) or a CNPJ with \
        14 characters (12.345.678/0001-95, or alphanumeric like 12.ABC.345/01DE-35)";
    const BAD_CPF: &str = "CPF must have 11 digits and valid check digits";
    const BAD_CNPJ: &str =
        "CNPJ must have 14 characters (12 letters or digits, then 2 digits) and valid check digits";

    /// Ignores the usual punctuation (`.`, `-`, `/`, spaces) and letter case.
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let value = s.replace(['.', '-', '/', ' '], "").to_ascii_uppercase();
        let bytes = value.as_bytes();
        // Letters are allowed in the first 12 characters of a CNPJ only.
        let shape_ok = |len| {
            bytes.len() == len
                && (bytes.iter().enumerate()).all(|(i, b)| {
                    b.is_ascii_digit() || (len == 14 && i < 12 && b.is_ascii_uppercase())
                })
        };
        let (kind, weights, message): (_, &[u32], _) = if shape_ok(11) {
            (DocumentKind::Cpf, &CPF_WEIGHTS, Self::BAD_CPF)
        } else if shape_ok(14) {
            (DocumentKind::Cnpj, &CNPJ_WEIGHTS, Self::BAD_CNPJ)
        } else {
            return Err(FieldError::new(field, INVALID_FORMAT, Self::SHAPE));
        };
        // The shape guarantees every byte is '0'..='9' or 'A'..='Z', so this never underflows.
        let values: Vec<u32> = bytes.iter().map(|b| u32::from(b - b'0')).collect();
        let n = values.len() - 2;
        let dv1 = check_digit(&values[..n], &weights[1..]);
        let dv2 = check_digit(&values[..=n], weights);
        // All-equal numbers (000.000.000-00, 111.111.111-11, ...) pass the arithmetic but were
        // never issued; they are what people type to get past a form.
        let repeated = bytes.iter().all(|b| Some(b) == bytes.first());
        if repeated || values[n..] != [dv1, dv2] {
            return Err(FieldError::new(field, "invalid_check_digits", message));
        }
        Ok(Self { kind, value })
    }

    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// Canonical form: digits (and CNPJ letters) only, upper case.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The punctuated form people read: `123.456.789-09`, `12.ABC.345/01DE-35`.
    pub fn formatted(&self) -> String {
        let v = &self.value;
        match self.kind {
            DocumentKind::Cpf => format!("{}.{}.{}-{}", &v[..3], &v[3..6], &v[6..9], &v[9..]),
            DocumentKind::Cnpj => {
                let (a, b, c, d, e) = (&v[..2], &v[2..5], &v[5..8], &v[8..12], &v[12..]);
                format!("{a}.{b}.{c}/{d}-{e}")
            }
        }
    }
}

/// Modulo-11 check digit shared by CPF and CNPJ: remainders 0 and 1 give 0.
fn check_digit(values: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = values.iter().zip(weights).map(|(v, w)| v * w).sum();
    match sum % 11 {
        0 | 1 => 0,
        remainder => 11 - remainder,
    }
}

/// A Brazilian postal code (CEP), stored as its 8 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let value = s.replace(['-', '.'], "");
        if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
            let message = "Postal code (CEP) must have 8 digits, such as 01310-100";
            return Err(FieldError::new(field, INVALID_FORMAT, message));
        }
        Ok(Self(value))
    }

    /// `01310-100`.
    pub fn formatted(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }
}

/// The 26 states and the Federal District, by their official abbreviation (UF).
const UFS: [&str; 27] = [
    "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR",
    "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
];

/// A Brazilian state (UF), stored in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct State(String);

impl State {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let value = s.to_ascii_uppercase();
        if !UFS.contains(&value.as_str()) {
            let message = "State must be a Brazilian state abbreviation (UF), such as SP or RJ";
            return Err(FieldError::new(field, "invalid_value", message));
        }
        Ok(Self(value))
    }
}

/// Cleans (trim + NFC) a mandatory text and bounds its length in characters, not bytes, so
/// accented Portuguese text gets the same room as ASCII.
/// One line only (`text::single_line`): it names a person or a company.
pub fn required_text(field: &str, s: &str, max_chars: usize) -> Result<String, FieldError> {
    let text = crm_core::text::single_line(field, s)?;
    if text.is_empty() {
        let message = "This field is required and must not be blank";
        return Err(FieldError::new(field, "required", message));
    }
    within(field, text, max_chars)
}

/// Like [`required_text`], but a missing or blank text is `None` rather than an error.
pub fn optional_text(
    field: &str,
    s: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, FieldError> {
    s.map(clean)
        .filter(|text| !text.is_empty())
        .map(|text| within(field, text, max_chars))
        .transpose()
}

/// Like [`optional_text`], on one line (`text::single_line`): company, address lines.
pub fn optional_line(
    field: &str,
    s: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, FieldError> {
    match s
        .map(|s| crm_core::text::single_line(field, s))
        .transpose()?
    {
        Some(text) if !text.is_empty() => within(field, text, max_chars).map(Some),
        _ => Ok(None),
    }
}

fn within(field: &str, text: String, max_chars: usize) -> Result<String, FieldError> {
    if text.chars().count() > max_chars {
        let message = format!("Must be at most {max_chars} characters long");
        return Err(FieldError::new(field, TOO_LONG, message));
    }
    Ok(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // the workspace lints deny unwrap even in tests
mod tests {
    use super::*;
    use std::fmt::Debug;

    /// Every `|`-separated input fails with `code`, reported on the given field.
    fn rejects<T: Debug>(parse: fn(&str, &str) -> Result<T, FieldError>, inputs: &str, code: &str) {
        for input in inputs.split('|') {
            let error = parse("f", input).unwrap_err();
            assert_eq!(error.code, code, "{input}");
            assert_eq!(error.field, "f");
        }
    }

    #[test]
    fn email_keeps_the_local_part_and_lowercases_the_domain() {
        let email = Email::parse("f", "Maria.Silva+crm@Empresa.COM.br").unwrap();
        assert_eq!(email.as_str(), "Maria.Silva+crm@empresa.com.br");
        assert_eq!(Email::parse("f", email.as_str()).unwrap(), email);
    }

    #[test]
    fn malformed_or_oversized_emails_are_rejected() {
        let malformed = "|maria|@x.com|maria@|a b@x.com|a@b@x.com|maria@localhost|maria@x.c|\
            maria@x.c0m|maria@-x.com|maria@x-.com|maria@x..com|.maria@x.com|ma..ria@x.com|\
            joão@x.com|maria@exämple.com";
        rejects(Email::parse, malformed, "invalid_format");
        let long_local = format!("{}@x.com", "a".repeat(65));
        let long_total = format!("a@{}.com", vec!["b".repeat(60); 5].join("."));
        let too_long = format!("{long_local}|{long_total}");
        rejects(Email::parse, &too_long, "too_long");
    }

    #[test]
    fn phones_are_stored_in_e164_however_they_were_typed() {
        for (typed, stored) in [
            ("(11) 98765-4321", "+5511987654321"),
            ("11 3456-7890", "+551134567890"),
            ("+55 11 98765-4321", "+5511987654321"),
            ("+55 (21) 2345.6789", "+552123456789"),
            ("5511987654321", "+5511987654321"),
            ("011987654321", "+5511987654321"),
            ("(055) 3222-1234", "+555532221234"),
            ("+1 415 555 2671", "+14155552671"),
            ("+5511987654321", "+5511987654321"),
        ] {
            let phone = Phone::parse("f", typed).unwrap();
            assert_eq!(phone.as_str(), stored, "{typed}");
        }
    }

    #[test]
    fn phones_outside_the_numbering_plan_are_rejected() {
        let bad = "|+|98765-4321|(10) 98765-4321|(01) 98765-4321|(11) 88765-4321|(11) 6456-7890|\
            (11) 1456-7890|11 98765-432|+55 11 1234-5678|0 21 11 98765-4321|\
            11 98765-4321 ramal 2|+1 234|+0 415 555 2671|11+987654321";
        rejects(Phone::parse, bad, "invalid_format");
    }

    #[test]
    fn cpfs_and_cnpjs_with_matching_check_digits_are_accepted() {
        let cpf = Document::parse("f", "529.982.247-25").unwrap();
        assert_eq!(cpf.kind(), DocumentKind::Cpf);
        assert_eq!(cpf.as_str(), "52998224725");
        assert_eq!(cpf.formatted(), "529.982.247-25");
        let cnpj = Document::parse("f", "11.444.777/0001-61").unwrap();
        assert_eq!(cnpj.kind(), DocumentKind::Cnpj);
        assert_eq!(cnpj.as_str(), "11444777000161");
        assert_eq!(cnpj.formatted(), "11.444.777/0001-61");
        for valid in ["11144477735", "11222333000181"] {
            assert!(Document::parse("f", valid).is_ok(), "{valid}");
        }
        for kind in [DocumentKind::Cpf, DocumentKind::Cnpj] {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DocumentKind::parse("CNPJ"), Some(DocumentKind::Cnpj));
        assert_eq!(DocumentKind::parse("rg"), None);
    }

    #[test]
    fn alphanumeric_cnpjs_are_accepted_in_any_letter_case() {
        // Checked by hand: DV1 sum 459, 459 % 11 = 8, 11 - 8 = 3; DV2 sum 424, % 11 = 6, 11 - 6 = 5.
        let cnpj = Document::parse("f", "12.abc.345/01de-35").unwrap();
        assert_eq!(cnpj.kind(), DocumentKind::Cnpj);
        assert_eq!(cnpj.as_str(), "12ABC34501DE35");
        assert_eq!(cnpj.formatted(), "12.ABC.345/01DE-35");
        assert_eq!(Document::parse("f", cnpj.as_str()).unwrap(), cnpj);
    }

    #[test]
    fn documents_with_wrong_shape_or_check_digits_are_rejected() {
        let malformed = "|1234|5299822472|529982247250|5299822472A|12ABC34501DE3X|12ABC34501DEA5";
        rejects(Document::parse, malformed, "invalid_format");
        let wrong = "52998224724|11111111111|00000000000|11222333000182|00000000000000|\
            12ABC34501DE36";
        rejects(Document::parse, wrong, "invalid_check_digits");
    }

    #[test]
    fn postal_codes_and_states_are_canonicalized() {
        let cep = PostalCode::parse("f", "01.310-100").unwrap();
        assert_eq!(cep.as_str(), "01310100");
        assert_eq!(cep.formatted(), "01310-100");
        let bad_ceps = "|0131010|01310 100|0131010a|013101000";
        rejects(PostalCode::parse, bad_ceps, "invalid_format");
        assert_eq!(State::parse("f", "sp").unwrap().as_str(), "SP");
        rejects(State::parse, "|XX|São Paulo|S|S P", "invalid_value");
    }

    #[test]
    fn text_is_cleaned_and_bounded_in_characters() {
        assert_eq!(required_text("f", "  Conceição ", 9).unwrap(), "Conceição");
        rejects(|f, s| required_text(f, s, 9), " \t ", "required");
        rejects(|f, s| required_text(f, s, 9), "Conceição!", "too_long");
        assert_eq!(optional_text("f", Some("  "), 3).unwrap(), None);
        assert_eq!(optional_text("f", None, 3).unwrap(), None);
        let present = optional_text("f", Some(" ab "), 3).unwrap();
        assert_eq!(present.as_deref(), Some("ab"));
        rejects(|f, s| optional_text(f, Some(s), 3), "abcd", "too_long");
    }
}
