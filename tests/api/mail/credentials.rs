//! The stored SMTP password goes only where it was typed for: a changed server, port, security
//! or user name needs it again; it crosses the network in clear only when the mailbox says
//! `security: none`, and then the mailbox says so.

use serde_json::json;

use crate::helpers::*;
use crate::mail_helpers::*;

const CLEAR: &str = "security is none: the password and the messages travel unencrypted";

#[tokio::test]
async fn a_changed_host_port_security_or_user_needs_the_password_again() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    let token = &app.admin_token;
    put_mailbox(&app, token, &mailbox_body(server.port)).await;
    let mut same = mailbox_body(server.port);
    same.as_object_mut().unwrap().remove("password");
    let changes = [
        ("smtp_host", json!("smtp.example.com"), "host"),
        ("smtp_port", json!(server.port + 1), "port"),
        ("security", json!("tls"), "security mode"),
        ("username", json!("outro@empresa.com.br"), "user name"),
    ];
    for (field, value, what) in changes {
        let mut body = same.clone();
        body[field] = value;

        let response = app.put("/me/mailbox", token, &body).await;

        let problem = expect_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["password"], "{field}");
        assert_eq!(problem["errors"][0]["code"], "password_required");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert_eq!(
            message,
            format!("the {what} changed: send the password again")
        );
    }
    let read = expect_json(app.get("/me/mailbox", token).await, 200).await;
    assert_eq!(
        (&read["version"], &read["smtp_port"]),
        (&json!(1), &json!(server.port))
    );

    let mut renamed = same.clone();
    renamed["sender_name"] = json!("Maria S.");
    let kept = expect_json(app.put("/me/mailbox", token, &renamed).await, 200).await;
    assert_eq!(kept["password_set"], true);
    expect_json(app.post("/me/mailbox/test", token, &json!({})).await, 200).await;
    assert_eq!(server.logins(), [SMTP_USER]);
}

#[tokio::test]
async fn a_login_without_tls_is_warned_and_starttls_never_logs_in_in_clear() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    let token = &app.admin_token;

    let clear = put_mailbox(&app, token, &mailbox_body(server.port)).await;
    assert_eq!(clear["warnings"], json!([CLEAR]));
    let read = expect_json(app.get("/me/mailbox", token).await, 200).await;
    assert_eq!(read["warnings"], json!([CLEAR]));
    let mut open_relay = mailbox_body(server.port);
    open_relay["username"] = json!(null);
    open_relay.as_object_mut().unwrap().remove("password");
    let relay = put_mailbox(&app, token, &open_relay).await;
    assert_eq!(relay["warnings"], json!([]));

    let mut starttls = mailbox_body(server.port);
    starttls["security"] = json!("starttls");
    let saved = put_mailbox(&app, token, &starttls).await;
    assert_eq!(saved["warnings"], json!([]));
    let response = app.post("/me/mailbox/test", token, &json!({})).await;

    let problem = expect_problem(response, 422, "smtp_failed").await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.ends_with("the server does not offer STARTTLS, which this mailbox requires"),
        "{detail}"
    );
    assert!(
        server.logins().is_empty(),
        "no AUTH over the plain connection"
    );
    assert!(server.received().is_empty());
}
