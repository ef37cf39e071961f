//! Text as people type it: trimmed and NFC-normalized on the way in, and a `search_key` form
//! (lower case, accents removed) so that "joao" finds "João" on SQLite and PostgreSQL alike.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use crate::FieldError;

/// Trims surrounding white space and normalizes to NFC, so "Ação" typed on any keyboard is
/// stored as the same code points.
pub fn clean(input: &str) -> String {
    input.trim().nfc().collect()
}

/// [`clean`]s a one-line text (a name, a title) and refuses characters that do not belong on a
/// line: a 422 `invalid_character` naming the field. Line breaks and other controls break CSV
/// rows, e-mail headers and log lines; bidirectional overrides make a name display as another
/// ("Trojan Source"). Bodies that may span lines are cleaned with [`clean`] instead.
pub fn single_line(field: &str, input: &str) -> Result<String, FieldError> {
    let value = clean(input);
    match value.chars().find(|c| is_forbidden_in_line(*c)) {
        Some(c) => Err(FieldError::new(
            field,
            "invalid_character",
            format!(
                "must be one line without control or text-direction characters (found U+{:04X})",
                u32::from(c)
            ),
        )),
        None => Ok(value),
    }
}

/// Control characters (C0 such as CR, LF and tab, DEL, C1) and the bidirectional embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069).
pub fn is_forbidden_in_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Like [`clean`], but an empty result becomes `None`: optional fields sent as `"  "` are absent.
pub fn clean_optional(input: Option<&str>) -> Option<String> {
    input.map(clean).filter(|s| !s.is_empty())
}

/// Lower case without diacritics, control characters as spaces; the form stored in
/// `search_key`/`*_key` columns and searched for (a NUL in `?q=` would fail in PostgreSQL).
pub fn search_key(input: &str) -> String {
    input
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Only the ASCII digits of a string ("(11) 98765-4321" → "11987654321").
pub fn digits(input: &str) -> String {
    input.chars().filter(char::is_ascii_digit).collect()
}

/// Escapes `%`, `_` and `\` so user text is matched literally inside a `LIKE` pattern
/// (used with `ESCAPE '\'`).
pub fn like_contains(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 2);
    out.push('%');
    for c in key.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_trims_and_composes_accents() {
        // "Ação" written with combining marks (NFD) is stored composed (NFC).
        let decomposed = "  Ac\u{0327}a\u{0303}o \n";
        assert_eq!(clean(decomposed), "Ação");
        assert_eq!(clean(decomposed).chars().count(), 4);
    }

    #[test]
    fn search_key_folds_case_accents_and_spaces() {
        assert_eq!(search_key("  João   da  CONCEIÇÃO "), "joao da conceicao");
        assert_eq!(search_key("Ação"), search_key("acao"));
    }

    #[test]
    fn search_key_has_no_control_characters() {
        assert_eq!(search_key("a\0b\tc\u{7f}d\u{85}e"), "a b c d e");
    }

    #[test]
    fn single_line_text_refuses_controls_and_direction_overrides_naming_the_field() {
        for bad in [
            "Maria\r\nBcc: x",
            "Ana\tSilva",
            "a\u{85}b",
            "evil\u{202E}gpj.exe",
            "x\u{2066}y",
            "nul\0",
        ] {
            let error = single_line("name", bad).unwrap_err();
            assert_eq!(
                (error.field.as_str(), error.code.as_str()),
                ("name", "invalid_character"),
                "{bad:?}"
            );
        }
        assert_eq!(
            single_line("name", "  João da Conceição \n").unwrap(),
            "João da Conceição"
        );
        assert_eq!(single_line("name", "مرحبا עברית").unwrap(), "مرحبا עברית");
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_contains("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn empty_optional_text_is_absent() {
        assert_eq!(clean_optional(Some("   ")), None);
        assert_eq!(clean_optional(Some(" x ")), Some("x".to_owned()));
    }
}
