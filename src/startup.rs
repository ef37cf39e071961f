//! Start-up: connect, migrate, bootstrap the first admin, bind and serve.

use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{HttpServer, web};
use crm_api::AppState;
use crm_api::body_deadline::BodyTimeout;
use crm_api::client_ip::{ForwardedHeader, TrustedProxies};
use crm_api::fallback::RouteTable;
use crm_auth::AuthService;
use crm_mail::{MailService, Sender, SenderHandle};
use crm_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::Settings;
use crate::worker_pools::{CONNECT_TIMEOUT, PING_IF_IDLE_FOR, WorkerPools};

/// Connections of the pool that is not a worker's: migrations, the first admin, the mail sender.
const BACKGROUND_CONNECTIONS: u32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("auth: {0}")]
    Auth(#[from] crm_auth::AuthError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("mail: {0}")]
    Mail(#[from] crm_mail::MailError),
    #[error("server.trusted_proxies: {0}")]
    TrustedProxies(String),
}

/// Connections for the command line (`migrate`, `create-user`, `seed-bench`): up to
/// `database.max_connections`.
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, sea_orm::DbErr> {
    connect_pool(&settings.database.url, settings.database.max_connections).await
}

async fn connect_pool(
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, sea_orm::DbErr> {
    create_private_sqlite_file(url).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(CONNECT_TIMEOUT)
        .acquire_timeout(CONNECT_TIMEOUT)
        .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR);
    // SQLite serializes writers anyway; one connection avoids "database is locked" between
    // concurrent transactions and keeps `sqlite::memory:` one shared database.
    if !url.starts_with("sqlite:") {
        options.max_connections(max_connections);
    }
    Database::connect(options).await
}

/// Creates a missing SQLite database file readable by its owner only, before sqlx would create
/// it (`mode=rwc`) with the umask's permissions, often world-readable: it holds password hashes,
/// refresh-token hashes and every client's data. SQLite gives its `-wal` and `-shm` files the
/// database file's permissions. An existing file is left as the operator set it.
fn create_private_sqlite_file(url: &str) -> std::io::Result<()> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

/// The file of a `sqlite:` URL; `None` for an in-memory database or another backend.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path.strip_prefix("//").unwrap_or(path);
    let memory = path.is_empty() || path == ":memory:" || query.contains("mode=memory");
    (!memory).then_some(path)
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    Migrator::up(db, None).await
}

/// Who to create as the first administrator on an empty database.
pub struct Bootstrap {
    pub email: String,
    pub password: Option<String>,
}

pub struct Application {
    port: u16,
    server: Server,
    /// The background mail sender, stopped with the server.
    sender: SenderHandle,
}

impl Application {
    /// Connects, migrates, creates the first admin if the database is empty and binds the
    /// listener (port 0 picks a free one; see [`Application::port`]).
    pub async fn build(mut settings: Settings, bootstrap: Bootstrap) -> Result<Self, StartupError> {
        settings.ensure_mail_key()?;
        // Requests are served from each worker's own pool (`worker_pools`); this one is for
        // start-up and the background mail sender.
        let db = connect_pool(&settings.database.url, BACKGROUND_CONNECTIONS).await?;
        migrate(&db).await?;
        let auth = AuthService::new(db.clone(), settings.auth.clone())?;
        if let Some(password) = auth
            .bootstrap_admin(&bootstrap.email, bootstrap.password.as_deref())
            .await?
        {
            // Printed once, on the console only (never logged).
            println!(
                "Created the first administrator: {} / {password}\nChange this password after logging in.",
                bootstrap.email
            );
        }
        let mail = MailService::new(db.clone(), &settings.mail)?;
        // The sender reports each message's outcome on its interaction, the attendances' table.
        let outcomes = Arc::new(crm_attendances::NotificationOutcomes);
        let sender = Sender::new(
            db.clone(),
            mail.cipher().clone(),
            settings.mail.clone(),
            outcomes,
        )?
        .spawn();
        let workers = match settings.server.workers {
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            n => n,
        };
        let pools = Arc::new(WorkerPools::new(
            &settings.database.url,
            settings.database.max_connections,
            workers,
            settings.database.acquire_timeout(),
            &db,
        )?);
        let header = ForwardedHeader::parse(&settings.server.forwarded_header)
            .map_err(StartupError::TrustedProxies)?;
        let proxies = TrustedProxies::parse(&settings.server.trusted_proxies, header)
            .map_err(StartupError::TrustedProxies)?;
        let state = Arc::new(AppState::new(db, auth, mail).with_trusted_proxies(proxies));
        let document = Arc::new(crm_api::openapi_document());
        let routes = Arc::new(RouteTable::from_openapi(&document));

        let body_timeout = BodyTimeout(settings.server.body_timeout());
        let listener =
            std::net::TcpListener::bind((settings.server.host.as_str(), settings.server.port))?;
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            // Called on each worker's runtime: its pool's connections are driven there.
            let state = web::Data::new(state.on(pools.open()));
            crm_api::app::build(state, document.clone(), routes.clone(), body_timeout)
        })
        .workers(workers)
        .shutdown_timeout(10)
        .listen(listener)?;
        tracing::info!(
            address = %format!("http://{}:{port}", settings.server.host),
            docs = %format!("http://{}:{port}/docs/", settings.server.host),
            "listening"
        );
        Ok(Self {
            port,
            server: server.run(),
            sender,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT/SIGTERM, then finishes in-flight requests (up to 10 s).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.sender.stop().await;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file_and_memory_ones_none() {
        assert_eq!(sqlite_path("sqlite://crm.db?mode=rwc"), Some("crm.db"));
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db?mode=rwc"),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_path("sqlite:crm.db"), Some("crm.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("sqlite://x.db?mode=memory"), None);
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }
}
