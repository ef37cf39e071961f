//! Mail settings, read from `[mail]` in the configuration.

use std::time::Duration;

use serde::Deserialize;

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
    /// Connecting, each SMTP command and the test endpoint give up after this long.
    pub smtp_timeout_seconds: u64,
    /// Messages claimed per round.
    pub batch_size: u64,
}

impl MailSettings {
    pub fn sender_interval(&self) -> Duration {
        Duration::from_millis(self.sender_interval_ms.max(10))
    }

    pub fn smtp_timeout(&self) -> Duration {
        Duration::from_secs(self.smtp_timeout_seconds.max(1))
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
    fn debug_hides_the_key() {
        let shown = format!("{:?}", settings());
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
