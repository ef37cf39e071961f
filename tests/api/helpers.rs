//! The test harness (after zero2prod's `spawn_app`): a fresh database per test, the real
//! migrations, the server on a random port, and typed helpers to talk to it.

use crm::Settings;
use crm::startup::{Application, Bootstrap};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use uuid::Uuid;

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin password for tests";
pub const MEMBER_PASSWORD: &str = "member password for tests";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub admin_token: String,
    database_url: String,
    /// `None` on [`TestApp::another_instance`]: the first instance's guard removes the database.
    _database: Option<DatabaseGuard>,
}

/// Removes the test's database when the test ends.
pub enum DatabaseGuard {
    Sqlite(std::path::PathBuf),
    Postgres { server_url: String, name: String },
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        match self {
            DatabaseGuard::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            DatabaseGuard::Postgres { server_url, name } => {
                let (server_url, name) = (server_url.clone(), name.clone());
                // Drop runs inside the test's runtime; a fresh thread and runtime may block.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    runtime.block_on(async {
                        if let Ok(db) = Database::connect(server_url).await {
                            let _ = db
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// A new, empty database (SQLite file, or PostgreSQL database when `TEST_DB=postgres`): its URL
/// and the guard that removes it.
pub async fn fresh_database() -> (String, DatabaseGuard) {
    let name = format!("crm_test_{}", Uuid::now_v7().simple());
    if std::env::var("TEST_DB").as_deref() == Ok("postgres") {
        let server_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let admin = Database::connect(server_url.clone())
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL is not reachable at {server_url} ({e}); start it with \
                 `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
                )
            });
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        let (base, _) = server_url.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        (url, DatabaseGuard::Postgres { server_url, name })
    } else {
        let path = std::env::temp_dir().join(format!("{name}.db"));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        (url, DatabaseGuard::Sqlite(path))
    }
}

/// Settings for tests: a random port, cheap password hashing, a fixed signing key.
pub fn test_settings(database_url: &str) -> Settings {
    let mut settings = Settings::defaults().unwrap();
    settings.server.port = 0;
    settings.server.workers = 1;
    settings.database.url = database_url.to_owned();
    settings.database.max_connections = 5;
    settings.auth.jwt_secret = "test signing key, 32 bytes or more....".to_owned();
    settings.auth.argon2_memory_kib = 256;
    settings.auth.argon2_iterations = 1;
    // Mailbox passwords: a fixed key, so no `crm-mail.key` file is written by tests.
    settings.mail.secret_key = "dGVzdCBtYWlsIGtleTogMzIgYnl0ZXMgZXhhY3RseSE=".to_owned();
    // The test SMTP servers listen on loopback, which mailboxes may not reach unless allowed.
    settings.mail.allowed_hosts = "127.0.0.1".to_owned();
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(customize: impl FnOnce(&mut Settings)) -> TestApp {
    // `TEST_LOG=1 cargo test …` shows the server's logs (zero2prod's switch).
    if std::env::var("TEST_LOG").is_ok() {
        crm::telemetry::init(&crm::settings::LogSettings {
            format: "pretty".to_owned(),
            level: "info".to_owned(),
        });
    }
    let (database_url, guard) = fresh_database().await;
    let mut settings = test_settings(&database_url);
    customize(&mut settings);
    start(settings, database_url, Some(guard)).await
}

/// Builds and runs an instance, and logs the administrator in on it.
async fn start(settings: Settings, database_url: String, guard: Option<DatabaseGuard>) -> TestApp {
    let app = Application::build(
        settings,
        Bootstrap {
            email: ADMIN_EMAIL.to_owned(),
            password: Some(ADMIN_PASSWORD.to_owned()),
        },
    )
    .await
    .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let mut test_app = TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        admin_token: String::new(),
        database_url,
        _database: guard,
    };
    test_app.admin_token = test_app.login_ok(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    test_app
}

impl TestApp {
    /// A second server on the same database, as behind a load balancer: what one instance keeps
    /// between requests must not hide what the other changed.
    pub async fn another_instance(&self) -> TestApp {
        let settings = test_settings(&self.database_url);
        start(settings, self.database_url.clone(), None).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.address)
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("the server answers")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path, Some(token), Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::PUT, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.request(
            Method::POST,
            "/auth/login",
            None,
            Some(&json!({"email": email, "password": password})),
        )
        .await
    }

    /// Logs in and returns the whole token response.
    pub async fn login_tokens(&self, email: &str, password: &str) -> Value {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        response.json().await.unwrap()
    }

    pub async fn login_ok(&self, email: &str, password: &str) -> String {
        self.login_tokens(email, password).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Creates a member and logs them in: `(user id, access token)`.
    pub async fn create_member(&self, email: &str) -> (Uuid, String) {
        let user = self
            .create_user(json!({"name": "Membro", "email": email, "password": MEMBER_PASSWORD}))
            .await;
        let id = user["id"].as_str().unwrap().parse().unwrap();
        (id, self.login_ok(email, MEMBER_PASSWORD).await)
    }

    pub async fn create_user(&self, body: Value) -> Value {
        expect_json(self.post("/users", &self.admin_token, &body).await, 201).await
    }

    pub async fn create_flow(&self, body: Value) -> Value {
        expect_json(self.post("/flows", &self.admin_token, &body).await, 201).await
    }

    pub async fn create_contact(&self, token: &str, body: Value) -> Value {
        expect_json(self.post("/contacts", token, &body).await, 201).await
    }
}

/// Asserts the status and returns the JSON body, showing the body when the status is wrong.
pub async fn expect_json(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "unexpected status; body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

/// Asserts a problem document with the given status and `code`; returns it.
pub async fn expect_problem(response: Response, status: u16, code: &str) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = expect_json(response, status).await;
    assert_eq!(content_type, "application/problem+json", "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    body
}

/// The field names of a validation problem.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts a 429 whose `Retry-After` is a positive number of seconds.
pub async fn expect_blocked(response: Response) -> Value {
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .expect("a Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0 && retry_after <= 900, "{retry_after}");
    expect_problem(response, 429, "too_many_requests").await
}
