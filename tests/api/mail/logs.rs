//! The mailbox password never reaches the logs: the real `crm` binary at the most verbose level
//! (`RUST_LOG=trace`, JSON lines), its stdout and stderr captured while a mailbox is saved and
//! tested, a notification is delivered, and a wrong password fails both the test send and a
//! delivery. The binary rather than the app in-process: its global subscriber is the one
//! production runs, and the capture holds nothing from other tests.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, fresh_database, test_settings};
use crate::mail_helpers::*;

const WRONG_PASSWORD: &str = "Senha-Errada-çã-3306";

#[tokio::test]
async fn the_mailbox_password_never_appears_in_the_logs_even_at_trace() {
    let server = SmtpServer::start();
    let (database_url, _database) = fresh_database().await;
    let crm = Crm::start(&database_url).await;
    let api = Api::login(&crm.address).await;

    // Save the mailbox and test it: the server logs in with the password.
    let mailbox = mailbox_body(server.port);
    api.send("PUT", "/me/mailbox", &mailbox, 201).await;
    api.send("POST", "/me/mailbox/test", &json!({}), 200).await;
    assert_eq!(server.logins(), [SMTP_USER]);

    // Save and notify: the background sender logs in and delivers.
    let notes = api.attendance_notes().await;
    let note = json!({"body": "Proposta enviada", "notify": true});
    let note = api.send("POST", &notes, &note, 201).await;
    api.wait_for_notification(&notes, &note, "sent").await;
    // The SMTP server files a message just after it answers 250, so wait for it.
    assert_eq!(
        server.wait_for(2).await.len(),
        2,
        "the test message and the notification"
    );

    // A wrong password: the test send is refused, and so is the delivery.
    let mut wrong = mailbox;
    wrong["password"] = json!(WRONG_PASSWORD);
    api.send("PUT", "/me/mailbox", &wrong, 200).await;
    let problem = api.send("POST", "/me/mailbox/test", &json!({}), 422).await;
    assert_eq!(problem["code"], "smtp_failed", "{problem}");
    let note = json!({"body": "Segunda proposta", "notify": true});
    let note = api.send("POST", &notes, &note, 201).await;
    api.wait_for_notification(&notes, &note, "failed").await;
    assert_eq!(server.logins(), [SMTP_USER, SMTP_USER]);

    let output = crm.stop();
    // The capture can fail the test: it holds the requests, the sender's outcomes and lines
    // below `info`.
    for expected in [
        "\"path\":\"/api/v1/me/mailbox\"",
        "\"path\":\"/api/v1/me/mailbox/test\"",
        "\"path\":\"/api/v1/attendances/",
        "request finished",
        "mail sent",
        "mail not sent",
        "535",
    ] {
        assert!(output.contains(expected), "no {expected:?} in:\n{output}");
    }
    assert!(
        output.contains("\"level\":\"TRACE\"") || output.contains("\"level\":\"DEBUG\""),
        "nothing below info was logged:\n{output}"
    );
    for password in [SMTP_PASSWORD, WRONG_PASSWORD] {
        for (form, needle) in leaked_forms(password) {
            assert!(
                !output.contains(&needle),
                "the password ({form}: {needle}) is in the logs:\n{output}"
            );
        }
    }
}

/// What a leak could look like: the password as typed, its ASCII part (the accents could come
/// out escaped), and the base64 forms of SMTP AUTH LOGIN and AUTH PLAIN.
fn leaked_forms(password: &str) -> Vec<(&'static str, String)> {
    let ascii: String = password.chars().take_while(char::is_ascii).collect();
    assert!(ascii.len() >= 10, "a distinctive ASCII prefix: {ascii}");
    vec![
        ("clear", password.to_owned()),
        ("ASCII prefix", ascii),
        ("AUTH LOGIN", base64(password.as_bytes())),
        (
            "AUTH PLAIN",
            base64(format!("\0{SMTP_USER}\0{password}").as_bytes()),
        ),
    ]
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                let index = usize::try_from((n >> (18 - 6 * i)) & 63).unwrap();
                out.push(char::from(ALPHABET[index]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `crm serve` as a child process, everything it writes kept in memory.
struct Crm {
    child: Child,
    address: String,
    output: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Crm {
    async fn start(database_url: &str) -> Crm {
        let settings = test_settings(database_url);
        let mut child = Command::new(env!("CARGO_BIN_EXE_crm"))
            .arg("serve")
            // No `config/default.toml` from the working directory, no key files left behind.
            .current_dir(std::env::temp_dir())
            .env("RUST_LOG", "trace")
            .env("CRM__LOG__LEVEL", "trace")
            .env("CRM__LOG__FORMAT", "json")
            .env("DATABASE_URL", database_url)
            .env("CRM__SERVER__HOST", "127.0.0.1")
            .env("CRM__SERVER__PORT", "0")
            .env("CRM__SERVER__WORKERS", "1")
            .env("CRM__AUTH__JWT_SECRET", &settings.auth.jwt_secret)
            .env("CRM__AUTH__ARGON2_MEMORY_KIB", "256")
            .env("CRM__AUTH__ARGON2_ITERATIONS", "1")
            .env("CRM__MAIL__SECRET_KEY", &settings.mail.secret_key)
            .env("CRM__MAIL__SENDER_INTERVAL_MS", "50")
            .env("CRM__MAIL__MAX_ATTEMPTS", "1")
            .env("CRM__MAIL__SMTP_TIMEOUT_SECONDS", "5")
            // A list, as operators write it: config-rs keeps it one string for the guard to parse.
            .env("CRM__MAIL__ALLOWED_HOSTS", "10.0.0.0/8, 127.0.0.1")
            .env("CRM__MAIL__EHLO_NAME", "crm.example.com.br")
            .env("CRM_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("CRM_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the crm binary starts");
        let output = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let readers = vec![
            keep_lines(stdout, output.clone()),
            keep_lines(stderr, output.clone()),
        ];
        let mut crm = Crm {
            child,
            address: String::new(),
            output,
            readers,
        };
        crm.address = crm.wait_for_address().await;
        crm
    }

    /// The address from the "listening" line (the port is chosen by the system).
    async fn wait_for_address(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let output = self.output.lock().unwrap().clone();
            let address = output
                .lines()
                .filter_map(|line| serde_json::from_str::<Value>(line).ok())
                .find(|line| line["message"] == "listening")
                .and_then(|line| line["address"].as_str().map(str::to_owned));
            if let Some(address) = address {
                return address;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("crm serve exited ({status}):\n{output}");
            }
            assert!(
                Instant::now() < deadline,
                "crm serve is not listening:\n{output}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the server; everything it wrote.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for reader in std::mem::take(&mut self.readers) {
            let _ = reader.join();
        }
        self.output.lock().unwrap().clone()
    }
}

impl Drop for Crm {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keep_lines(
    stream: impl std::io::Read + Send + 'static,
    output: Arc<Mutex<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            output
                .lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&line));
            line.clear();
        }
    })
}

/// The admin talking to the binary.
struct Api {
    client: Client,
    base: String,
    token: String,
}

impl Api {
    async fn login(address: &str) -> Api {
        let mut api = Api {
            client: Client::new(),
            base: format!("{address}/api/v1"),
            token: String::new(),
        };
        let login = json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD});
        let tokens = api.send("POST", "/auth/login", &login, 200).await;
        api.token = tokens["access_token"].as_str().unwrap().to_owned();
        api
    }

    async fn send(&self, method: &str, path: &str, body: &Value, status: u16) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        if !body.is_null() {
            request = request.json(body);
        }
        let response = request.send().await.expect("crm serve answers");
        let actual = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(actual, status, "{path}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn get(&self, path: &str) -> Value {
        self.send("GET", path, &Value::Null, 200).await
    }

    /// A flow, a contact with an e-mail and an attendance; the path of its notes.
    async fn attendance_notes(&self) -> String {
        let flow = json!({"name": "Vendas", "authorized_user_ids": []});
        let flow = self.send("POST", "/flows", &flow, 201).await;
        let contact = json!({"name": "João da Conceição", "email": "joao@cliente.com.br"});
        let contact = self.send("POST", "/contacts", &contact, 201).await;
        let attendance = json!({"title": "Orçamento de cadeiras", "contact_id": contact["id"]});
        let path = format!("/flows/{}/attendances", flow["id"].as_str().unwrap());
        let attendance = self.send("POST", &path, &attendance, 201).await;
        format!(
            "/attendances/{}/interactions",
            attendance["id"].as_str().unwrap()
        )
    }

    async fn wait_for_notification(&self, notes: &str, note: &Value, status: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let page = self.get(notes).await;
            let current = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["id"] == note["id"])
                .cloned()
                .unwrap();
            if current["notification_status"] == status {
                return;
            }
            assert!(Instant::now() < deadline, "still {current}, not {status}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
