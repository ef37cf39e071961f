//! E-mail: the caller's mailbox (the password write-only and never stored in clear), the test
//! send against a real SMTP server, and templates (placeholders, personal and shared, render).
//! "Save and notify" is in `notify`; that the mailbox password stays out of the logs in `logs`;
//! where the password may go in `credentials`; silent, hostile and internal far sides in `guard`.

mod credentials;
mod fakes;
mod guard;
mod logs;
mod notify;

use crm_entity::mailboxes;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail_helpers::*;

fn etag(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_mailbox_password_is_write_only_and_encrypted_at_rest() {
    let app = spawn_mail_app().await;
    let token = &app.admin_token;
    expect_problem(app.get("/me/mailbox", token).await, 404, "not_found").await;

    let response = app.put("/me/mailbox", token, &mailbox_body(2525)).await;
    assert_eq!(etag(&response), "\"1\"");
    let created_text = response.text().await.unwrap();
    let read = app.get("/me/mailbox", token).await;
    assert_eq!(etag(&read), "\"1\"");
    let read_text = read.text().await.unwrap();

    for text in [&created_text, &read_text] {
        assert!(!text.contains(SMTP_PASSWORD), "{text}");
        let body: Value = serde_json::from_str(text).unwrap();
        assert_eq!(body.get("password"), None, "{body}");
        let expected = json!({"sender_name": "Maria Souza", "sender_address": SENDER_ADDRESS,
            "smtp_host": "127.0.0.1", "smtp_port": 2525, "security": "none",
            "username": SMTP_USER, "password_set": true, "version": 1});
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&body[key], value, "{key} in {body}");
        }
    }
    let row = mailboxes::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let stored = row.password_encrypted.clone().unwrap();
    assert!(!stored.contains(SMTP_PASSWORD));
    assert!(
        !format!("{row:?}").contains(&stored),
        "Debug shows no ciphertext"
    );
    assert_no_clear_password_in_sqlite_file(&app);
}

/// On SQLite the whole database file (and its WAL) is searched for the password's bytes.
fn assert_no_clear_password_in_sqlite_file(app: &MailApp) {
    let Some(path) = app.sqlite_path() else {
        return;
    };
    for suffix in ["", "-wal"] {
        if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
            let needle = SMTP_PASSWORD.as_bytes();
            let found = bytes.windows(needle.len()).any(|w| w == needle);
            assert!(!found, "the password is in {path}{suffix} in clear");
        }
    }
}

#[tokio::test]
async fn a_put_without_password_keeps_the_stored_one() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    let token = &app.admin_token;
    put_mailbox(&app, token, &mailbox_body(server.port)).await;

    let mut body = mailbox_body(server.port);
    body.as_object_mut().unwrap().remove("password");
    body["sender_name"] = json!("Maria S. Souza");
    let response = app.put("/me/mailbox", token, &body).await;
    let updated = expect_json(response, 200).await;

    assert_eq!(updated["sender_name"], "Maria S. Souza");
    assert_eq!(updated["password_set"], true);
    assert_eq!(updated["version"], 2);
    expect_json(app.post("/me/mailbox/test", token, &json!({})).await, 200).await;
    assert_eq!(server.logins(), [SMTP_USER]);
}

#[tokio::test]
async fn a_stale_if_match_is_412_and_delete_removes_the_mailbox() {
    let app = spawn_mail_app().await;
    let token = &app.admin_token;
    put_mailbox(&app, token, &mailbox_body(2525)).await;
    let stale = app
        .client
        .put(app.url("/me/mailbox"))
        .bearer_auth(token)
        .header("If-Match", "\"7\"")
        .json(&mailbox_body(2526))
        .send()
        .await
        .unwrap();
    expect_problem(stale, 412, "precondition_failed").await;

    expect_json(app.delete("/me/mailbox", token).await, 204).await;
    expect_problem(app.get("/me/mailbox", token).await, 404, "not_found").await;
    expect_problem(app.delete("/me/mailbox", token).await, 404, "not_found").await;
}

#[tokio::test]
async fn invalid_mailbox_fields_are_each_named() {
    let app = spawn_mail_app().await;
    let body = json!({"sender_name": "Maria\r\nBcc: todos@x.com", "sender_address": "maria",
        "smtp_host": "smtp://x.com", "smtp_port": 0, "security": "none", "username": "maria",
        "password": ""});

    let response = app.put("/me/mailbox", &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    let fields = error_fields(&problem);
    for field in [
        "sender_name",
        "sender_address",
        "smtp_host",
        "smtp_port",
        "password",
    ] {
        assert!(fields.contains(&field.to_owned()), "{field}: {problem}");
    }
    let no_password = json!({"sender_name": "Maria", "sender_address": SENDER_ADDRESS,
        "smtp_host": "127.0.0.1", "smtp_port": 25, "security": "none", "username": SMTP_USER});
    let response = app.put("/me/mailbox", &app.admin_token, &no_password).await;
    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["password"]);
}

#[tokio::test]
async fn the_test_sends_a_message_to_the_mailbox_itself() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(server.port)).await;

    let response = app
        .post("/me/mailbox/test", &app.admin_token, &json!({}))
        .await;

    let result = expect_json(response, 200).await;
    assert_eq!(result["sent_to"], SENDER_ADDRESS);
    let received = server.wait_for(1).await;
    assert_eq!(received[0].to, [SENDER_ADDRESS]);
    assert_eq!(
        received[0].header("From").unwrap(),
        format!("\"Maria Souza\" <{SENDER_ADDRESS}>")
    );
    assert_eq!(
        received[0].header("Message-ID").unwrap(),
        result["message_id"].as_str().unwrap()
    );
    assert_eq!(server.logins(), [SMTP_USER]);
}

#[tokio::test]
async fn a_wrong_password_is_422_smtp_failed_authentication_rejected() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    let mut body = mailbox_body(server.port);
    body["password"] = json!("not the password");
    put_mailbox(&app, &app.admin_token, &body).await;

    let response = app
        .post("/me/mailbox/test", &app.admin_token, &json!({}))
        .await;

    let problem = expect_problem(response, 422, "smtp_failed").await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.ends_with("authentication rejected (535)"),
        "{detail}"
    );
    assert!(
        !detail.contains("Invalid credentials"),
        "not the server's words: {detail}"
    );
    assert!(!detail.contains("not the password"), "{detail}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_closed_port_is_422_smtp_failed_and_no_mailbox_is_409() {
    let app = spawn_mail_app().await;
    let token = &app.admin_token;
    let response = app.post("/me/mailbox/test", token, &json!({})).await;
    expect_problem(response, 409, "mailbox_not_configured").await;
    put_mailbox(&app, token, &mailbox_body(free_port())).await;

    let response = app.post("/me/mailbox/test", token, &json!({})).await;

    let problem = expect_problem(response, 422, "smtp_failed").await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.ends_with("connection refused"), "{detail}");
}

async fn create_template(app: &TestApp, token: &str, body: Value) -> Value {
    expect_json(app.post("/mail/templates", token, &body).await, 201).await
}

#[tokio::test]
async fn an_unknown_placeholder_is_422_naming_the_field_and_the_placeholder() {
    let app = spawn_mail_app().await;
    let body = json!({"name": "Orçamento", "subject": "Sobre {{ attendance.titulo }}",
                      "body": "Olá {{contato.nome}}, {{contact.name}}"});

    let response = app.post("/mail/templates", &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["subject", "body"]);
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors[0]["code"], "unknown_placeholder");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("{{attendance.titulo}}")
    );
    assert!(
        errors[1]["message"]
            .as_str()
            .unwrap()
            .contains("{{contato.nome}}")
    );
    let listed = expect_json(app.get("/mail/templates", &app.admin_token).await, 200).await;
    assert_eq!(listed["items"], json!([]));
}

#[tokio::test]
async fn personal_templates_are_the_owners_and_shared_ones_everyones() {
    let app = spawn_mail_app().await;
    let (_, member) = app.create_member("vendedor@example.com").await;
    let admin = &app.admin_token;
    let personal = create_template(
        &app,
        admin,
        json!({"name": "Pessoal", "subject": "Oi", "body": "Texto"}),
    )
    .await;
    let shared = create_template(
        &app,
        admin,
        json!({"name": "Equipe", "subject": "Oi", "body": "Texto", "shared": true}),
    )
    .await;
    let own = create_template(
        &app,
        &member,
        json!({"name": "Pessoal", "subject": "Meu", "body": "Meu texto"}),
    )
    .await;
    let path = |t: &Value| format!("/mail/templates/{}", t["id"].as_str().unwrap());

    let names = |page: Value| -> Vec<Value> {
        let items = page["items"].as_array().unwrap().clone();
        items.into_iter().map(|t| t["id"].clone()).collect()
    };
    let seen = names(expect_json(app.get("/mail/templates", &member).await, 200).await);
    assert_eq!(seen, [shared["id"].clone(), own["id"].clone()]);
    let seen = names(expect_json(app.get("/mail/templates", admin).await, 200).await);
    assert_eq!(seen, [shared["id"].clone(), personal["id"].clone()]);

    expect_problem(app.get(&path(&personal), &member).await, 404, "not_found").await;
    let edit = json!({"name": "Meu agora"});
    expect_problem(
        app.patch(&path(&personal), &member, &edit).await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        app.patch(&path(&shared), &member, &edit).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(app.delete(&path(&shared), &member).await, 403, "forbidden").await;
    expect_json(app.get(&path(&shared), &member).await, 200).await;
    let changed = expect_json(app.patch(&path(&own), &member, &edit).await, 200).await;
    assert_eq!(
        (&changed["name"], &changed["version"]),
        (&json!("Meu agora"), &json!(2))
    );
    let duplicate = json!({"name": "EQUIPE", "subject": "x", "body": "y"});
    let response = app.post("/mail/templates", admin, &duplicate).await;
    expect_problem(response, 409, "duplicate_name").await;
    expect_json(app.delete(&path(&personal), admin).await, 204).await;
    expect_problem(app.get(&path(&personal), admin).await, 404, "not_found").await;
}

#[tokio::test]
async fn a_template_renders_for_an_attendance_the_caller_may_see() {
    let app = spawn_mail_app().await;
    let (_, member) = app.create_member("vendedor@example.com").await;
    let case = case(&app, Some("joao@cliente.com.br")).await;
    let template = create_template(
        &app,
        &app.admin_token,
        json!({"name": "Proposta", "shared": true,
               "subject": "[{{flow.name}}] {{ attendance.title }} #{{attendance.reference}}",
               "body": "Olá {{contact.name}},\n\nsegue a proposta.\n\n{{ user.name }}"}),
    )
    .await;
    let render = format!(
        "/mail/templates/{}/render",
        template["id"].as_str().unwrap()
    );
    let request = json!({"attendance_id": case.id()});

    let rendered = expect_json(app.post(&render, &app.admin_token, &request).await, 200).await;

    let reference = case.attendance["reference"].as_i64().unwrap();
    assert_eq!(
        rendered["subject"],
        format!("[Vendas] Orçamento de cadeiras #{reference}")
    );
    assert_eq!(
        rendered["body"],
        "Olá João da Conceição,\n\nsegue a proposta.\n\nAdministrator"
    );
    // The member is not authorized on the flow: the attendance does not exist for them. It is
    // named in the body, so it is an invalid field; the path's template stays the 404.
    let hidden = expect_problem(
        app.post(&render, &member, &request).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&hidden), ["attendance_id"]);
    let unknown = format!("/mail/templates/{}/render", uuid::Uuid::now_v7());
    let response = app.post(&unknown, &app.admin_token, &request).await;
    expect_problem(response, 404, "not_found").await;
}
