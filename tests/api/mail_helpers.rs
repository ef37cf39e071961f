//! What the mail tests share: a real SMTP server in the test process that keeps what it receives,
//! the app with a fast mail sender, and a flow with a contact and an attendance to write about.
//!
//! The server runs the SMTP protocol engine of `mailin` (the one inside `mailin-embedded`) over a
//! plain `TcpListener`: `mailin-embedded`'s own server only offers AUTH after STARTTLS, and these
//! tests authenticate over a plain connection (`security: none`).

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder, response};
use sea_orm::{Database, DatabaseConnection};
use serde_json::{Value, json};

use crate::helpers::*;

pub const SMTP_USER: &str = "maria@empresa.com.br";
pub const SMTP_PASSWORD: &str = "Senha-SMTP-çã-8472";
pub const SENDER_ADDRESS: &str = "maria@empresa.com.br";

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    pub fn raw(&self) -> String {
        String::from_utf8(self.data.clone()).unwrap()
    }

    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.data).unwrap()
    }

    /// A header, decoded (RFC 2047 encoded words become text).
    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name)
    }

    /// The text of the part with this content type (`text/plain`, `text/html`).
    pub fn part(&self, mime: &str) -> Option<String> {
        fn find(mail: &mailparse::ParsedMail<'_>, mime: &str) -> Option<String> {
            if mail.subparts.is_empty() {
                return (mail.ctype.mimetype == mime).then(|| mail.get_body().unwrap());
            }
            mail.subparts.iter().find_map(|part| find(part, mime))
        }
        find(&self.parsed(), mime)
    }
}

#[derive(Default)]
struct Inbox {
    messages: Vec<Received>,
    logins: Vec<String>,
}

/// How the server behaves.
#[derive(Clone)]
pub struct SmtpOptions {
    /// `None`: no AUTH offered (an open relay, as on a trusted network).
    pub auth: Option<Vec<AuthMechanism>>,
    /// Refuse every login, whatever the password.
    pub reject_auth: bool,
}

impl Default for SmtpOptions {
    fn default() -> Self {
        Self {
            auth: Some(vec![AuthMechanism::Plain, AuthMechanism::Login]),
            reject_auth: false,
        }
    }
}

/// A real SMTP server on 127.0.0.1, stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Inbox>>,
    stop: Arc<AtomicBool>,
}

/// A port nothing listens on (bound and released at once).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        Self::start_with(free_port(), SmtpOptions::default())
    }

    pub fn start_on(port: u16) -> SmtpServer {
        Self::start_with(port, SmtpOptions::default())
    }

    pub fn start_with(port: u16, options: SmtpOptions) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut builder = SessionBuilder::new("smtp.test.local");
        if let Some(mechanisms) = &options.auth {
            builder.insecure_enable_plaintext_auth();
            for mechanism in mechanisms {
                builder.enable_auth(mechanism.clone());
            }
        }
        let capture = Capture {
            inbox: inbox.clone(),
            reject_auth: options.reject_auth,
            current: None,
        };
        let stopping = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (builder, handler) = (builder.clone(), capture.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &builder, handler);
                });
            }
        });
        SmtpServer { port, inbox, stop }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().messages.clone()
    }

    /// The user names that logged in successfully.
    pub fn logins(&self) -> Vec<String> {
        self.inbox.lock().unwrap().logins.clone()
    }

    /// Waits (up to 10 s) until `count` messages arrived; returns them.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "expected {count} message(s), got {}",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag and closes the listener.
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let _ = TcpStream::connect_timeout(&address, Duration::from_millis(200));
    }
}

/// One SMTP session over a plain connection.
fn serve(stream: TcpStream, builder: &SessionBuilder, handler: Capture) -> std::io::Result<()> {
    let remote: IpAddr = stream.peer_addr()?.ip();
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut session = builder.build(remote, handler);
    session.greeting().write_to(&mut writer)?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let response = session.process(&line);
        match response.action {
            Action::Reply => response.write_to(&mut writer)?,
            Action::Close | Action::UpgradeTls => {
                response.write_to(&mut writer)?;
                writer.flush()?;
                return Ok(());
            }
            Action::NoReply => {}
        }
        writer.flush()?;
    }
}

#[derive(Clone)]
struct Capture {
    inbox: Arc<Mutex<Inbox>>,
    reject_auth: bool,
    current: Option<Received>,
}

impl Capture {
    fn login(&mut self, user: &str, password: &str) -> Response {
        if !self.reject_auth && user == SMTP_USER && password == SMTP_PASSWORD {
            self.inbox.lock().unwrap().logins.push(user.to_owned());
            response::AUTH_OK
        } else {
            response::INVALID_CREDENTIALS
        }
    }
}

impl Handler for Capture {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            from: from.to_owned(),
            to: to.to_vec(),
            data: Vec::new(),
        });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = &mut self.current {
            current.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(message) = self.current.take() {
            self.inbox.lock().unwrap().messages.push(message);
        }
        response::OK
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.login(user, password)
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        self.login(user, password)
    }
}

/// The app with a fast sender, and a connection of its own to the test's database.
pub struct MailApp {
    pub app: TestApp,
    pub db: DatabaseConnection,
    pub database_url: String,
}

impl std::ops::Deref for MailApp {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        &self.app
    }
}

impl MailApp {
    /// The database file, on SQLite.
    pub fn sqlite_path(&self) -> Option<String> {
        let rest = self.database_url.strip_prefix("sqlite://")?;
        Some(rest.split('?').next().unwrap_or(rest).to_owned())
    }
}

/// The app with a sender that looks for work every 50 ms and retries after 100 ms (doubling up
/// to 400 ms), at most `max_attempts` times.
pub async fn spawn_mail_app_with(max_attempts: u32) -> MailApp {
    spawn_mail_app_configured(|settings| settings.mail.max_attempts = max_attempts).await
}

/// The mail app with a fast sender and other settings changed by `customize`.
pub async fn spawn_mail_app_configured(
    customize: impl FnOnce(&mut crm::settings::Settings),
) -> MailApp {
    let mut database_url = String::new();
    let app = spawn_app_with(|settings| {
        settings.mail.sender_interval_ms = 50;
        settings.mail.backoff_base_ms = 100;
        settings.mail.backoff_max_ms = 400;
        settings.mail.smtp_timeout_seconds = 5;
        customize(settings);
        database_url = settings.database.url.clone();
    })
    .await;
    let db = Database::connect(database_url.clone()).await.unwrap();
    MailApp {
        app,
        db,
        database_url,
    }
}

pub async fn spawn_mail_app() -> MailApp {
    spawn_mail_app_with(100).await
}

/// A mailbox on the test server: plain connection, the test user and password.
pub fn mailbox_body(port: u16) -> Value {
    json!({
        "sender_name": "Maria Souza",
        "sender_address": SENDER_ADDRESS,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "security": "none",
        "username": SMTP_USER,
        "password": SMTP_PASSWORD
    })
}

pub async fn put_mailbox(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.put("/me/mailbox", token, body).await;
    let status = response.status().as_u16();
    assert!(status == 200 || status == 201, "status {status}");
    expect_json(response, status).await
}

/// An attendance to write about: flow "Vendas", the contact "João da Conceição" (with the given
/// e-mail, if any), title "Orçamento de cadeiras".
pub struct Case {
    pub attendance: Value,
}

impl Case {
    pub fn id(&self) -> &str {
        self.attendance["id"].as_str().unwrap()
    }

    pub fn notes(&self) -> String {
        format!("/attendances/{}/interactions", self.id())
    }
}

pub async fn case(app: &TestApp, contact_email: Option<&str>) -> Case {
    let flow = app
        .create_flow(json!({"name": "Vendas", "authorized_user_ids": []}))
        .await;
    let mut contact = json!({"name": "João da Conceição"});
    if let Some(email) = contact_email {
        contact["email"] = json!(email);
    }
    let contact = app.create_contact(&app.admin_token, contact).await;
    let body = json!({"title": "Orçamento de cadeiras", "contact_id": contact["id"]});
    let path = format!("/flows/{}/attendances", flow["id"].as_str().unwrap());
    let attendance = expect_json(app.post(&path, &app.admin_token, &body).await, 201).await;
    Case { attendance }
}

/// Polls the attendance's notes (up to 10 s) until the note `id` has `notification_status`
/// `status`, or, with `with_error`, is still pending with an error; returns it.
pub async fn wait_for_note(app: &TestApp, case: &Case, id: &str, until: Until) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = expect_json(app.get(&case.notes(), &app.admin_token).await, 200).await;
        let note = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .cloned()
            .unwrap();
        let done = match until {
            Until::Status(status) => note["notification_status"] == status,
            Until::PendingWithError => {
                note["notification_status"] == "pending" && note["notification_error"].is_string()
            }
        };
        if done {
            return note;
        }
        assert!(Instant::now() < deadline, "gave up waiting: {note}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[derive(Clone, Copy)]
pub enum Until {
    Status(&'static str),
    PendingWithError,
}

/// Another instance's sender on the same database (its own connection), as when several
/// servers run behind a load balancer.
pub async fn another_sender(app: &MailApp) -> crm_mail::Sender {
    let mut settings = test_settings(&app.database_url).mail;
    settings.batch_size = 2;
    let cipher = crm_mail::crypto::Cipher::from_base64(&settings.secret_key).unwrap();
    let db = Database::connect(app.database_url.clone()).await.unwrap();
    let outcomes = std::sync::Arc::new(crm_attendances::NotificationOutcomes);
    crm_mail::Sender::new(db, cipher, settings, outcomes).unwrap()
}
