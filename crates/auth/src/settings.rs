//! Authentication settings, read from `[auth]` in the configuration.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// HS256 key. Empty in the file: the binary generates one and keeps it beside the database.
    #[serde(default)]
    pub jwt_secret: String,
    pub issuer: String,
    pub audience: String,
    /// Access-token lifetime; capped at 15 minutes.
    pub access_ttl_seconds: u64,
    pub refresh_ttl_seconds: u64,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    /// Failed logins per e-mail or per client address before answering 429.
    pub login_max_failures: u32,
    pub login_window_seconds: u64,
    /// How long a session found live is trusted without looking again (0: look on every request).
    /// Revocations through one instance apply there at once, on the others within this time.
    #[serde(default = "default_session_check_seconds")]
    pub session_check_seconds: u64,
}

fn default_session_check_seconds() -> u64 {
    5
}

impl AuthSettings {
    /// The access-token lifetime actually used: never more than 15 minutes.
    pub fn access_ttl(&self) -> i64 {
        i64::try_from(self.access_ttl_seconds.clamp(1, 900)).unwrap_or(900)
    }

    pub fn refresh_ttl(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::try_from(self.refresh_ttl_seconds).unwrap_or(2_592_000))
    }

    /// At most a minute: the cache only spares a burst of requests the same lookup.
    pub fn session_check_ttl(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.session_check_seconds.min(60))
    }

    pub fn login_window(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::try_from(self.login_window_seconds).unwrap_or(900))
    }
}
