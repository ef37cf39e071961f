//! Mail settings, read from `[mail]` in the configuration.

use std::sync::Arc;
use std::time::Duration;

use crm_outbound::{Allowlist, AllowlistError};
use serde::Deserialize;

use crate::session::SmtpPolicy;

#[derive(Clone, Deserialize)]
pub struct MailSettings {
    /// base64 of 32 random bytes: the key that encrypts mailbox passwords. Empty in the file:
    /// the binary generates one and keeps it in `crm-mail.key`.
    #[serde(default)]
    pub secret_key: String,
    /// How often the sender looks for due messages.
    pub sender_interval_ms: u64,
    /// Attempts before a message is marked `failed`.
    pub max_attempts: u32,
    /// The first retry waits this long; each later one twice as long as the one before.
    pub backoff_base_ms: u64,
    pub backoff_max_ms: u64,
    /// How long a claimed message stays reserved for the instance sending it. After a crash
    /// between sending and recording it, the message is sent again once this has passed.
    pub lease_seconds: u64,
    /// One whole SMTP session (resolving, connecting, greeting, every command, the data), in
    /// the sender and in the test endpoint, gives up after this long.
    pub smtp_timeout_seconds: u64,
    /// Messages claimed per round.
    pub batch_size: u64,
    /// Hosts and address blocks (comma-separated) that mailboxes may reach although they are
    /// loopback, private or otherwise internal. A plain string: config-rs would split a list
    /// only with a separator set for every variable, and the guard parses it anyway.
    #[serde(default)]
    pub allowed_hosts: String,
    /// The name the server gives in EHLO: a setting, so the machine's host name stays private.
    #[serde(default = "default_ehlo_name")]
    pub ehlo_name: String,
}

fn default_ehlo_name() -> String {
    "localhost".to_owned()
}

impl MailSettings {
    pub fn sender_interval(&self) -> Duration {
        Duration::from_millis(self.sender_interval_ms.max(10))
    }

    pub fn smtp_timeout(&self) -> Duration {
        Duration::from_secs(self.smtp_timeout_seconds.max(1))
    }

    /// How SMTP sessions are opened; fails on a malformed `allowed_hosts`.
    pub fn smtp_policy(&self) -> Result<SmtpPolicy, AllowlistError> {
        let ehlo_name = self.ehlo_name.trim();
        Ok(SmtpPolicy {
            allowlist: Arc::new(Allowlist::parse(&self.allowed_hosts)?),
            ehlo_name: if ehlo_name.is_empty() {
                default_ehlo_name()
            } else {
                ehlo_name.to_owned()
            },
            timeout: self.smtp_timeout(),
        })
    }

    pub fn lease(&self) -> chrono::Duration {
        let seconds = i64::try_from(self.lease_seconds.max(1)).unwrap_or(i64::MAX / 1000);
        chrono::Duration::seconds(seconds)
    }

    /// The wait after the `attempts`-th failed attempt: base · 2^(attempts − 1), capped.
    pub fn backoff(&self, attempts: u32) -> chrono::Duration {
        let factor = 1u64 << attempts.saturating_sub(1).min(32);
        let wait = self
            .backoff_base_ms
            .saturating_mul(factor)
            .min(self.backoff_max_ms);
        chrono::Duration::milliseconds(i64::try_from(wait).unwrap_or(i64::MAX / 1000))
    }
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = if self.secret_key.is_empty() {
            "<empty>"
        } else {
            "<redacted>"
        };
        f.debug_struct("MailSettings")
            .field("secret_key", &key)
            .field("sender_interval_ms", &self.sender_interval_ms)
            .field("max_attempts", &self.max_attempts)
            .field("backoff_base_ms", &self.backoff_base_ms)
            .field("backoff_max_ms", &self.backoff_max_ms)
            .field("lease_seconds", &self.lease_seconds)
            .field("smtp_timeout_seconds", &self.smtp_timeout_seconds)
            .field("batch_size", &self.batch_size)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("ehlo_name", &self.ehlo_name)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MailSettings {
        MailSettings {
            secret_key: "c2VjcmV0".to_owned(),
            sender_interval_ms: 1000,
            max_attempts: 5,
            backoff_base_ms: 2000,
            backoff_max_ms: 10_000,
            lease_seconds: 120,
            smtp_timeout_seconds: 10,
            batch_size: 10,
            allowed_hosts: String::new(),
            ehlo_name: "crm.example.com.br".to_owned(),
        }
    }

    #[test]
    fn backoff_doubles_from_the_base_up_to_the_cap() {
        let s = settings();
        let waits: Vec<i64> = (1..=5).map(|a| s.backoff(a).num_milliseconds()).collect();
        assert_eq!(waits, [2000, 4000, 8000, 10_000, 10_000]);
        assert_eq!(s.backoff(200).num_milliseconds(), 10_000);
    }

    #[test]
    fn a_malformed_allowlist_stops_the_start() {
        let mut s = settings();
        s.allowed_hosts = "10.0.0.0/8, smtp interno".to_owned();
        assert!(s.smtp_policy().is_err());
        s.allowed_hosts = "10.0.0.0/8, smtp.interno".to_owned();
        let policy = s.smtp_policy().unwrap();
        assert_eq!(policy.ehlo_name, "crm.example.com.br");
        s.ehlo_name = " ".to_owned();
        assert_eq!(s.smtp_policy().unwrap().ehlo_name, "localhost");
    }

    #[test]
    fn debug_hides_the_key() {
        let shown = format!("{:?}", settings());
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
