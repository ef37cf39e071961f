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
    /// Failed logins (or wrong current passwords) of one account from one client address
    /// before that pair is slowed down; an address alone gets ten times as many.
    pub login_max_failures: u32,
    /// Failures are forgotten after this long without one; also the longest a pair is blocked.
    pub login_window_seconds: u64,
    /// First block of a pair past `login_max_failures`; each further failure doubles it.
    #[serde(default = "default_login_delay_seconds")]
    pub login_delay_seconds: u64,
    /// argon2 hashes computed at once (each holds `argon2_memory_kib`); 0 = one per core.
    #[serde(default)]
    pub max_concurrent_hashes: usize,
    /// How long a login waits for a hashing turn before a 503 with `Retry-After`.
    #[serde(default = "default_hash_queue_ms")]
    pub hash_queue_ms: u64,
    /// How long a session found live is trusted without looking again (0: look on every request).
    /// Revocations through one instance apply there at once, on the others within this time.
    #[serde(default = "default_session_check_seconds")]
    pub session_check_seconds: u64,
}

fn default_session_check_seconds() -> u64 {
    5
}

fn default_login_delay_seconds() -> u64 {
    30
}

fn default_hash_queue_ms() -> u64 {
    2000
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

    pub fn login_delay(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::try_from(self.login_delay_seconds.max(1)).unwrap_or(30))
    }

    /// At least one: with no turn at all no one could ever log in.
    pub fn max_concurrent_hashes(&self) -> usize {
        match self.max_concurrent_hashes {
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            n => n,
        }
    }

    pub fn hash_queue_wait(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.hash_queue_ms)
    }

    /// Cheap hashing and the default limits, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests() -> AuthSettings {
        AuthSettings {
            jwt_secret: "unit test signing key, long enough.....".to_owned(),
            issuer: "iss".to_owned(),
            audience: "aud".to_owned(),
            access_ttl_seconds: 900,
            refresh_ttl_seconds: 3600,
            argon2_memory_kib: 64,
            argon2_iterations: 1,
            argon2_parallelism: 1,
            login_max_failures: 5,
            login_window_seconds: 900,
            login_delay_seconds: default_login_delay_seconds(),
            max_concurrent_hashes: 0,
            hash_queue_ms: default_hash_queue_ms(),
            session_check_seconds: 5,
        }
    }
}
