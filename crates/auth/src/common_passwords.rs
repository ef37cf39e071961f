//! The most common passwords, refused as new passwords: they are the first an attacker tries.
//!
//! `common-passwords.txt` is Royce Williams' list of the 20,000 most common passwords as Django
//! 5.2.19 ships it (PyPI `django`, `django/contrib/auth/common-passwords.txt.gz`, BSD-3-Clause,
//! Django Software Foundation); its first lines, starting with "# ", say so again.

use std::collections::HashSet;
use std::sync::LazyLock;

static LIST: &str = include_str!("../common-passwords.txt");

/// Built on first use: lower case and trimmed, like the candidates it is compared with.
static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    LIST.lines()
        .filter(|line| !line.starts_with("# "))
        .map(|line| line.trim().to_lowercase())
        .filter(|line| !line.is_empty())
        .collect()
});

/// Whether `password`, ignoring case and surrounding white space, is on the list.
pub fn is_common(password: &str) -> bool {
    COMMON.contains(&password.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_passwords_are_found_in_any_case_and_with_spaces_around() {
        assert!(is_common("qwerty123456"));
        assert!(is_common("  QWERTY123456 "));
        assert!(is_common("1q2w3e4r5t6y"));
        assert!(!is_common("correct horse battery staple"));
        assert!(COMMON.len() > 19_000, "{}", COMMON.len());
    }
}
