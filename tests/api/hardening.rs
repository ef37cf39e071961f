//! What an attack and fault test found (issue 12), as a client meets it: the security headers of
//! each kind of response, a body trickled byte by byte cut off with 408, and a database outage
//! answered at once with 503 and `Retry-After`, then recovered from without a restart.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;

use crate::helpers::*;

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_response_forbids_sniffing_and_framing_and_tokens_are_never_cached() {
    let app = spawn_app().await;
    let flows = app.get("/flows", &app.admin_token).await;
    let missing = app.get("/no-such-route", &app.admin_token).await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let login_headers = (header(&login, "cache-control"), header(&login, "pragma"));
    let tokens = expect_json(login, 200).await;
    let refresh = app
        .client
        .post(app.url("/auth/refresh"))
        .json(&json!({"refresh_token": tokens["refresh_token"]}))
        .send()
        .await
        .unwrap();

    for response in [&flows, &missing, &refresh] {
        assert_eq!(header(response, "x-content-type-options"), "nosniff");
        assert_eq!(header(response, "x-frame-options"), "DENY");
        assert!(
            header(response, "content-security-policy").contains("frame-ancestors 'none'"),
            "{:?}",
            response.headers()
        );
    }
    assert_eq!(
        login_headers,
        ("no-store".to_owned(), "no-cache".to_owned())
    );
    assert_eq!(refresh.status(), 200);
    assert_eq!(header(&refresh, "cache-control"), "no-store");
    assert_eq!(header(&flows, "cache-control"), "");
}

#[tokio::test]
async fn the_docs_and_the_printable_page_carry_their_own_content_policies() {
    let app = spawn_app().await;
    let flow = app.create_flow(json!({"name": "Vendas"})).await;
    let contact = app
        .create_contact(&app.admin_token, json!({"name": "Ana"}))
        .await;
    let body = json!({"title": "Cadeiras", "contact_id": contact["id"]});
    let path = format!("/flows/{}/attendances", flow["id"].as_str().unwrap());
    let attendance = expect_json(app.post(&path, &app.admin_token, &body).await, 201).await;

    let docs = app
        .client
        .get(format!("{}/docs/", app.address))
        .send()
        .await
        .unwrap();
    let print_path = format!("/attendances/{}/print", attendance["id"].as_str().unwrap());
    let print = app.get(&print_path, &app.admin_token).await;

    assert_eq!(docs.status(), 200);
    let docs_policy = header(&docs, "content-security-policy");
    for directive in [
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(docs_policy.contains(directive), "{docs_policy}");
    }
    assert_eq!(header(&docs, "x-content-type-options"), "nosniff");
    assert_eq!(header(&docs, "referrer-policy"), "no-referrer");
    assert_eq!(print.status(), 200);
    let print_policy = header(&print, "content-security-policy");
    for directive in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'none'",
    ] {
        assert!(print_policy.contains(directive), "{print_policy}");
    }
    assert!(!print_policy.contains("script-src"), "{print_policy}");
}

#[tokio::test]
async fn a_body_trickled_byte_by_byte_is_cut_off_with_408() {
    let app = spawn_app_with(|s| s.server.body_timeout_seconds = 1).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let (mut reader, mut writer) = TcpStream::connect(&address).await.unwrap().into_split();
    let head = format!(
        "POST /api/v1/flows HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 200\r\n\r\n",
        app.admin_token
    );
    writer.write_all(head.as_bytes()).await.unwrap();

    // One byte every 300 ms would take a minute; the server must not wait for it.
    let trickle = async {
        for _ in 0..200 {
            if writer.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    };
    let mut answer = Vec::new();
    let read = async {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buffer).await {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
            if answer.ends_with(b"}") {
                break;
            }
        }
    };
    tokio::select! {
        () = read => {}
        () = trickle => panic!("the server read a whole minute of trickled body"),
    }

    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
}

/// A TCP forwarder between the server and PostgreSQL that the test can cut and restore, as an
/// outage of the database (or of the network to it) would.
struct Outage {
    port: u16,
    target: SocketAddr,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Outage {
    fn start(target: SocketAddr) -> Outage {
        let mut outage = Outage {
            port: 0,
            target,
            tasks: Arc::default(),
        };
        outage.restore();
        outage
    }

    /// Listens (again) on the same port and forwards every connection.
    fn restore(&mut self) {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket
            .bind(SocketAddr::from(([127, 0, 0, 1], self.port)))
            .unwrap();
        let listener: TcpListener = socket.listen(64).unwrap();
        self.port = listener.local_addr().unwrap().port();
        let (target, tasks) = (self.target, Arc::clone(&self.tasks));
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let forward = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().unwrap().push(forward);
            }
        });
        self.tasks.lock().unwrap().push(accept);
    }

    /// Refuses new connections and breaks the open ones.
    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

#[tokio::test]
async fn with_the_database_unreachable_requests_answer_503_with_retry_after_then_recover() {
    if std::env::var("TEST_DB").as_deref() != Ok("postgres") {
        eprintln!("SQLite is a file in the process: there is no database server to lose");
        return;
    }
    let server_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let host_port = server_url
        .split('@')
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    let target = tokio::net::lookup_host(host_port)
        .await
        .unwrap()
        .next()
        .unwrap();
    let mut outage = Outage::start(target);
    let proxied = format!("127.0.0.1:{}", outage.port);
    let app =
        spawn_app_with(|s| s.database.url = s.database.url.replace(host_port, &proxied)).await;
    expect_json(app.get("/flows", &app.admin_token).await, 200).await;

    outage.cut();
    let during = app.get("/flows", &app.admin_token).await;
    let ready_during = app
        .client
        .get(format!("{}/health/ready", app.address))
        .send()
        .await
        .unwrap();

    assert_eq!(header(&during, "retry-after"), "5");
    expect_problem(during, 503, "database_unavailable").await;
    assert_eq!(ready_during.status(), 503);

    outage.restore();
    let mut ready = 0;
    for _ in 0..100 {
        let probe = app
            .client
            .get(format!("{}/health/ready", app.address))
            .send()
            .await;
        ready = probe.map_or(0, |r| r.status().as_u16());
        if ready == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ready, 200, "the server recovers without a restart");
    expect_json(app.get("/flows", &app.admin_token).await, 200).await;
}
