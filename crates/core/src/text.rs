//! Text as people type it: trimmed and NFC-normalized on the way in, and a `search_key` form
//! (lower case, accents removed) so that "joao" finds "João" on SQLite and PostgreSQL alike.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// Trims surrounding white space and normalizes to NFC, so "Ação" typed on any keyboard is
/// stored as the same code points.
pub fn clean(input: &str) -> String {
    input.trim().nfc().collect()
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
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_contains("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn empty_optional_text_is_absent() {
        assert_eq!(clean_optional(Some("   ")), None);
        assert_eq!(clean_optional(Some(" x ")), Some("x".to_owned()));
    }
}
