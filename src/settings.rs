//! Settings: the embedded defaults (`config/default.toml`, compiled in so the binary runs from any
//! directory), then that file on disk if present, then `CRM__SECTION__KEY` variables, then
//! `DATABASE_URL`.

use std::path::Path;

use config::{Config, Environment, File, FileFormat};
use crm_auth::AuthSettings;
use crm_mail::MailSettings;
use serde::Deserialize;

const DEFAULTS: &str = include_str!("../config/default.toml");
const SECRET_FILE: &str = "crm-secret.key";
const MAIL_KEY_FILE: &str = "crm-mail.key";

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    /// 0 = one worker per core.
    pub workers: usize,
    /// Comma-separated addresses or CIDR blocks of the proxies whose `Forwarded` /
    /// `X-Forwarded-For` name the client; empty: the TCP peer is the client.
    #[serde(default)]
    pub trusted_proxies: String,
    /// The one header the trusted proxies write: `x-forwarded-for` or `forwarded`.
    #[serde(default)]
    pub forwarded_header: String,
    /// Time a request has to deliver its whole body before it is answered 408.
    pub body_timeout_seconds: u64,
}

impl ServerSettings {
    pub fn body_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.body_timeout_seconds.max(1))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    /// How long a request waits for a connection (new or pooled) before it answers 503
    /// `database_unavailable`.
    pub acquire_timeout_ms: u64,
}

impl DatabaseSettings {
    pub fn acquire_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.acquire_timeout_ms.max(100))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    pub format: String,
    pub level: String,
}

impl Settings {
    /// Settings for a running server: defaults, file, environment.
    pub fn load() -> Result<Settings, config::ConfigError> {
        let mut settings: Settings = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(File::with_name("config/default").required(false))
            .add_source(
                Environment::with_prefix("CRM")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()?;
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.trim().is_empty()
        {
            settings.database.url = url;
        }
        Ok(settings)
    }

    /// The compiled-in defaults only, ignoring the environment (for tests and tools).
    pub fn defaults() -> Result<Settings, config::ConfigError> {
        Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .build()?
            .try_deserialize()
    }

    /// Fills an empty `auth.jwt_secret` from `crm-secret.key`, creating it (mode 0600) with a
    /// random key on first start, so tokens survive restarts without a configured secret.
    pub fn ensure_jwt_secret(&mut self) -> std::io::Result<()> {
        if !self.auth.jwt_secret.is_empty() {
            return Ok(());
        }
        let path = Path::new(SECRET_FILE);
        if let Ok(existing) = std::fs::read_to_string(path)
            && existing.trim().len() >= 32
        {
            self.auth.jwt_secret = existing.trim().to_owned();
            return Ok(());
        }
        let secret = format!(
            "{}{}",
            crm_auth::service::generate_password(),
            crm_auth::service::generate_password()
        );
        write_private(path, &secret)?;
        self.auth.jwt_secret = secret;
        Ok(())
    }

    /// Fills an empty `mail.secret_key` from `crm-mail.key`, creating it (mode 0600) with a
    /// random key on first start, so stored mailbox passwords stay readable across restarts.
    pub fn ensure_mail_key(&mut self) -> std::io::Result<()> {
        if !self.mail.secret_key.trim().is_empty() {
            return Ok(());
        }
        let path = Path::new(MAIL_KEY_FILE);
        if let Ok(existing) = std::fs::read_to_string(path)
            && !existing.trim().is_empty()
        {
            self.mail.secret_key = existing.trim().to_owned();
            return Ok(());
        }
        let key = crm_mail::crypto::generate_key().map_err(std::io::Error::other)?;
        write_private(path, &key)?;
        self.mail.secret_key = key;
        Ok(())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn key_files_are_written_readable_by_their_owner_only() {
        let path = std::env::temp_dir().join(format!("crm-key-test-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);

        write_private(&path, "secret").unwrap();

        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
}
