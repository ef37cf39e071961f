//! Mailboxes as a way in or a way to stall: a silent server bounds the test and holds up only
//! its own mailbox's messages; internal addresses are refused when the mailbox is saved and
//! again when it is used; what a far side says never comes back; the test is rate-limited.

use std::time::{Duration, Instant};

use crm_entity::mailboxes;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::fakes::*;
use crate::helpers::*;
use crate::mail_helpers::*;

/// The mail apps' `smtp_timeout_seconds`.
const TIMEOUT: Duration = Duration::from_secs(5);

async fn test_mailbox(app: &MailApp, token: &str) -> reqwest::Response {
    // Without this bound a hanging endpoint would hang the test instead of failing it.
    let body = json!({});
    let request = app.post("/me/mailbox/test", token, &body);
    tokio::time::timeout(TIMEOUT * 3, request)
        .await
        .expect("POST /me/mailbox/test answers")
}

#[tokio::test]
async fn the_test_of_a_server_that_never_greets_is_504_within_the_timeout() {
    let tarpit = Tarpit::start();
    let app = spawn_mail_app().await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(tarpit.port)).await;

    let started = Instant::now();
    let response = test_mailbox(&app, &app.admin_token).await;

    let problem = expect_problem(response, 504, "smtp_timeout").await;
    let elapsed = started.elapsed();
    assert!(elapsed < TIMEOUT + Duration::from_secs(2), "{elapsed:?}");
    assert!(problem["detail"].as_str().unwrap().contains("timed out"));
    assert_eq!(tarpit.accepted(), 1);
}

#[tokio::test]
async fn a_mailbox_whose_server_never_greets_does_not_delay_other_mailboxes() {
    let tarpit = Tarpit::start();
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    let (member_id, member) = app.create_member("vendedora@example.com").await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(tarpit.port)).await;
    put_mailbox(&app, &member, &mailbox_body(server.port)).await;
    let flow = app
        .create_flow(json!({"name": "Vendas", "authorized_user_ids": [member_id]}))
        .await;
    let contact = app
        .create_contact(
            &app.admin_token,
            json!({"name": "João", "email": "joao@cliente.com.br"}),
        )
        .await;
    let path = format!("/flows/{}/attendances", flow["id"].as_str().unwrap());
    let body = json!({"title": "Cadeiras", "contact_id": contact["id"]});
    let attendance = expect_json(app.post(&path, &app.admin_token, &body).await, 201).await;
    let notes = format!(
        "/attendances/{}/interactions",
        attendance["id"].as_str().unwrap()
    );
    let note = |text: &str| json!({"body": text, "notify": true});

    let stuck = app
        .post(&notes, &app.admin_token, &note("Do administrador"))
        .await;
    let stuck = expect_json(stuck, 201).await;
    while tarpit.accepted() == 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let started = Instant::now();
    expect_json(app.post(&notes, &member, &note("Da vendedora")).await, 201).await;

    let received = server.wait_for(1).await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(received.len(), 1);
    assert!(
        received[0]
            .part("text/plain")
            .unwrap()
            .contains("Da vendedora")
    );
    let page = expect_json(app.get(&notes, &app.admin_token).await, 200).await;
    let admin_note = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == stuck["id"])
        .cloned()
        .unwrap();
    assert_eq!(admin_note["notification_status"], "pending");
    assert_eq!(
        admin_note["notification_error"],
        Value::Null,
        "still sending"
    );
}

#[tokio::test]
async fn an_internal_smtp_host_is_422_naming_smtp_host_without_the_allowlist() {
    let app = spawn_mail_app_without_allowlist().await;
    for (host, reason) in [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("10.0.0.8", "private"),
        ("169.254.169.254", "metadata"),
        ("::ffff:192.168.0.1", "private"),
    ] {
        let mut body = mailbox_body(25);
        body["smtp_host"] = json!(host);

        let response = app.put("/me/mailbox", &app.admin_token, &body).await;

        let problem = expect_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["smtp_host"], "{host}");
        assert_eq!(problem["errors"][0]["code"], "address_not_allowed");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(reason), "{host}: {message}");
    }
    expect_problem(
        app.get("/me/mailbox", &app.admin_token).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_host_that_turns_internal_after_it_was_saved_is_refused_at_send_time() {
    let server = SmtpServer::start();
    let app = spawn_mail_app_without_allowlist().await;
    let mut body = mailbox_body(server.port);
    body["smtp_host"] = json!("8.8.8.8");
    put_mailbox(&app, &app.admin_token, &body).await;
    // As when the name's DNS record is changed to point inside.
    mailboxes::Entity::update_many()
        .col_expr(mailboxes::Column::SmtpHost, Expr::value("127.0.0.1"))
        .filter(mailboxes::Column::SmtpHost.eq("8.8.8.8"))
        .exec(&app.db)
        .await
        .unwrap();

    let response = test_mailbox(&app, &app.admin_token).await;

    let problem = expect_problem(response, 422, "address_not_allowed").await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("loopback"), "{detail}");
    let case = case(&app, Some("joao@cliente.com.br")).await;
    let note = json!({"body": "Proposta enviada", "notify": true});
    let note = expect_json(app.post(&case.notes(), &app.admin_token, &note).await, 201).await;
    let id = note["id"].as_str().unwrap();
    let waiting = wait_for_note(&app, &case, id, Until::PendingWithError).await;
    let error = waiting["notification_error"].as_str().unwrap();
    assert_eq!(error, "address not allowed: a loopback address");
    assert!(server.received().is_empty() && server.logins().is_empty());
}

#[tokio::test]
async fn what_a_far_side_says_is_never_shown_only_a_classified_reason() {
    let app = spawn_mail_app().await;
    let cases = [
        (
            "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
            "OpenSSH",
            "did not answer as an SMTP server",
        ),
        (
            "-ERR unknown command 'EHLO' redis\r\n",
            "redis",
            "did not answer as an SMTP server",
        ),
        (
            "554 mx.interno.corp ESMTP closed to you\r\n",
            "interno",
            "message refused (554)",
        ),
    ];
    for (banner, secret, reason) in cases {
        let port = banner_server(banner);
        put_mailbox(&app, &app.admin_token, &mailbox_body(port)).await;

        let response = test_mailbox(&app, &app.admin_token).await;

        let text = response.text().await.unwrap();
        assert!(!text.contains(secret), "{banner}: {text}");
        let problem: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(problem["code"], "smtp_failed", "{text}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.ends_with(reason), "{banner}: {detail}");
    }
}

#[tokio::test]
async fn the_mailbox_test_is_limited_to_five_a_minute_per_user() {
    let app = spawn_mail_app().await;
    let (_, member) = app.create_member("vendedora@example.com").await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(free_port())).await;
    for _ in 0..5 {
        let response = test_mailbox(&app, &app.admin_token).await;
        expect_problem(response, 422, "smtp_failed").await;
    }

    let response = test_mailbox(&app, &app.admin_token).await;

    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    expect_problem(response, 429, "too_many_requests").await;
    let other = test_mailbox(&app, &member).await;
    expect_problem(other, 409, "mailbox_not_configured").await;
}

#[tokio::test]
async fn the_server_introduces_itself_with_the_configured_name_not_the_machines() {
    let (port, first_command) = first_command_server();
    let app = spawn_mail_app_configured(|settings| {
        settings.mail.ehlo_name = "crm.empresa.com.br".to_owned();
    })
    .await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(port)).await;

    let response = test_mailbox(&app, &app.admin_token).await;

    expect_problem(response, 422, "smtp_failed").await;
    let ehlo = first_command.lock().unwrap().clone();
    assert_eq!(ehlo.as_deref(), Some("EHLO crm.empresa.com.br"));
}
