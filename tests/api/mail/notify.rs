//! "Save and notify": the note and its queued e-mail in one transaction (409 without a mailbox,
//! 422 without the contact's e-mail), the message as the SMTP server receives it (headers,
//! parts, encoded accents, threading), the state on the interaction, and retries until a server
//! that was down comes back.

use crm_entity::outbox;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail_helpers::*;

const CONTACT_EMAIL: &str = "joao@cliente.com.br";

async fn notes(app: &MailApp, case: &Case) -> Vec<Value> {
    let page = expect_json(app.get(&case.notes(), &app.admin_token).await, 200).await;
    page["items"].as_array().unwrap().clone()
}

async fn post_note(app: &MailApp, case: &Case, body: Value) -> Value {
    expect_json(app.post(&case.notes(), &app.admin_token, &body).await, 201).await
}

#[tokio::test]
async fn notify_without_a_mailbox_is_409_and_saves_nothing() {
    let app = spawn_mail_app().await;
    let case = case(&app, Some(CONTACT_EMAIL)).await;
    let path = format!("/attendances/{}", case.id());
    let before = expect_json(app.get(&path, &app.admin_token).await, 200).await;

    let body = json!({"body": "Proposta enviada", "notify": true});
    let response = app.post(&case.notes(), &app.admin_token, &body).await;

    expect_problem(response, 409, "mailbox_not_configured").await;
    assert_eq!(notes(&app, &case).await, Vec::<Value>::new());
    let after = expect_json(app.get(&path, &app.admin_token).await, 200).await;
    assert_eq!(after["version"], before["version"]);
    assert!(
        outbox::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn notify_to_a_contact_without_email_is_422_naming_notify() {
    let app = spawn_mail_app().await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(free_port())).await;
    let case = case(&app, None).await;

    let body = json!({"body": "Proposta enviada", "notify": true});
    let response = app.post(&case.notes(), &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["notify"]);
    assert_eq!(problem["errors"][0]["code"], "contact_without_email");
    assert_eq!(notes(&app, &case).await, Vec::<Value>::new());
}

#[tokio::test]
async fn an_unknown_template_is_422_naming_template_id() {
    let app = spawn_mail_app().await;
    let case = case(&app, Some(CONTACT_EMAIL)).await;

    let body = json!({"template_id": uuid::Uuid::now_v7()});
    let response = app.post(&case.notes(), &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["template_id"]);
}

#[tokio::test]
async fn a_notification_arrives_complete_and_the_next_one_threads_under_it() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(server.port)).await;
    let case = case(&app, Some(CONTACT_EMAIL)).await;
    let template = json!({"name": "Proposta", "subject": "{{attendance.title}} — João",
        "body": "Olá {{contact.name}},\n\nsegue a proposta <revisada> & final.\n\n{{user.name}}"});
    let template = expect_json(
        app.post("/mail/templates", &app.admin_token, &template)
            .await,
        201,
    )
    .await;

    let first = json!({"notify": true, "template_id": template["id"]});
    let note = post_note(&app, &case, first).await;

    let text = "Olá João da Conceição,\n\nsegue a proposta <revisada> & final.\n\nAdministrator";
    assert_eq!(note["body"], text);
    assert_eq!(
        (&note["notification_status"], &note["message_id"]),
        (&json!("pending"), &Value::Null)
    );
    let received = server.wait_for(1).await;
    let mail = &received[0];
    assert_eq!(mail.to, [CONTACT_EMAIL]);
    assert_eq!(mail.from, SENDER_ADDRESS);
    assert_eq!(
        mail.header("From").unwrap(),
        format!("\"Maria Souza\" <{SENDER_ADDRESS}>")
    );
    assert!(mail.header("To").unwrap().contains(CONTACT_EMAIL));
    assert_eq!(mail.header("Reply-To").unwrap(), ADMIN_EMAIL);
    assert_eq!(
        mail.header("Subject").unwrap(),
        "Orçamento de cadeiras — João"
    );
    assert!(
        mail.raw().is_ascii(),
        "accents travel encoded (RFC 2047, MIME)"
    );
    let message_id = mail.header("Message-ID").unwrap();
    assert!(
        message_id.starts_with('<') && message_id.ends_with("@empresa.com.br>"),
        "{message_id}"
    );
    assert_eq!(mail.header("In-Reply-To"), None);
    assert_eq!(
        mail.part("text/plain").unwrap().trim_end(),
        text.replace('\n', "\r\n")
    );
    let html = mail.part("text/html").unwrap();
    assert!(
        html.contains("segue a proposta &lt;revisada&gt; &amp; final."),
        "{html}"
    );
    let id = note["id"].as_str().unwrap();
    let sent = wait_for_note(&app, &case, id, Until::Status("sent")).await;
    assert_eq!(sent["message_id"], message_id);
    assert_eq!(sent["notification_error"], Value::Null);

    let second = json!({"body": "Segunda mensagem", "notify": true});
    post_note(&app, &case, second).await;

    let received = server.wait_for(2).await;
    let reply = &received[1];
    let reference = case.attendance["reference"].as_i64().unwrap();
    assert_eq!(
        reply.header("Subject").unwrap(),
        format!("[Vendas] Orçamento de cadeiras #{reference}")
    );
    assert_eq!(reply.header("In-Reply-To").unwrap(), message_id);
    assert_eq!(reply.header("References").unwrap(), message_id);
    assert_ne!(reply.header("Message-ID").unwrap(), message_id);
    assert_eq!(server.logins(), [SMTP_USER, SMTP_USER]);
}

#[tokio::test]
async fn a_message_queued_while_the_server_is_down_is_sent_when_it_comes_back() {
    let port = free_port();
    let app = spawn_mail_app().await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(port)).await;
    let case = case(&app, Some(CONTACT_EMAIL)).await;

    let body = json!({"body": "Proposta enviada", "notify": true});
    let note = post_note(&app, &case, body).await;
    let id = note["id"].as_str().unwrap();

    let waiting = wait_for_note(&app, &case, id, Until::PendingWithError).await;
    let error = waiting["notification_error"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(error.contains("connection"), "{error}");
    let queued = outbox::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(queued.status, "pending");
    assert!(
        queued.attempts >= 1 && queued.last_error.is_some(),
        "{queued:?}"
    );

    let server = SmtpServer::start_on(port);

    let received = server.wait_for(1).await;
    let subject = received[0].header("Subject").unwrap();
    assert!(subject.contains("Orçamento"), "{subject}");
    let sent = wait_for_note(&app, &case, id, Until::Status("sent")).await;
    assert_eq!(sent["notification_error"], Value::Null);
    assert_eq!(
        sent["message_id"].as_str().unwrap(),
        received[0].header("Message-ID").unwrap()
    );
    let row = outbox::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.sent_at.is_some()), ("sent", true));
    assert_eq!(server.received().len(), 1, "sent once");
}

#[tokio::test]
async fn a_message_refused_on_every_attempt_ends_failed_with_the_last_error() {
    let server = SmtpServer::start();
    let app = spawn_mail_app_with(2).await;
    let mut mailbox = mailbox_body(server.port);
    mailbox["password"] = json!("not the password");
    put_mailbox(&app, &app.admin_token, &mailbox).await;
    let case = case(&app, Some(CONTACT_EMAIL)).await;

    let body = json!({"body": "Proposta enviada", "notify": true});
    let note = post_note(&app, &case, body).await;

    let id = note["id"].as_str().unwrap();
    let failed = wait_for_note(&app, &case, id, Until::Status("failed")).await;
    let error = failed["notification_error"].as_str().unwrap();
    assert!(error.contains("535"), "{error}");
    let row = outbox::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 2));
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn senders_of_several_instances_deliver_each_message_once() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(server.port)).await;
    let case = case(&app, Some(CONTACT_EMAIL)).await;
    let mut senders = Vec::new();
    for _ in 0..3 {
        senders.push(another_sender(&app).await);
    }

    for n in 0..12 {
        let body = json!({"body": format!("Mensagem {n}"), "notify": true});
        post_note(&app, &case, body).await;
    }
    let rounds: Vec<_> = senders
        .into_iter()
        .map(|sender| {
            tokio::spawn(async move {
                for _ in 0..40 {
                    // SQLite may answer "busy" to a second writer; the next round retries.
                    let _ = sender.run_once().await;
                }
            })
        })
        .collect();
    for round in rounds {
        round.await.unwrap();
    }

    server.wait_for(12).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let received = server.received();
    let mut ids: Vec<String> = received
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!((received.len(), ids.len()), (12, 12));
    let rows = outbox::Entity::find().all(&app.db).await.unwrap();
    assert!(rows.iter().all(|r| r.status == "sent" && r.attempts == 1));
}

#[tokio::test]
async fn a_first_interaction_with_notify_is_sent_or_creates_nothing_without_a_mailbox() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    let flow = app
        .create_flow(json!({"name": "Vendas", "authorized_user_ids": []}))
        .await;
    let contact = json!({"name": "João da Conceição", "email": CONTACT_EMAIL});
    let contact = app.create_contact(&app.admin_token, contact).await;
    let path = format!("/flows/{}/attendances", flow["id"].as_str().unwrap());
    let body = json!({"title": "Orçamento de cadeiras", "contact_id": contact["id"],
        "first_interaction": {"body": "Cliente pediu orçamento.", "notify": true}});

    let response = app.post(&path, &app.admin_token, &body).await;

    expect_problem(response, 409, "mailbox_not_configured").await;
    let listed = expect_json(app.get(&path, &app.admin_token).await, 200).await;
    assert_eq!(listed["items"], json!([]));

    put_mailbox(&app, &app.admin_token, &mailbox_body(server.port)).await;
    let created = expect_json(app.post(&path, &app.admin_token, &body).await, 201).await;

    let received = server.wait_for(1).await;
    let reference = created["reference"].as_i64().unwrap();
    assert_eq!(
        received[0].header("Subject").unwrap(),
        format!("[Vendas] Orçamento de cadeiras #{reference}")
    );
    assert_eq!(received[0].to, [CONTACT_EMAIL]);
    let case = Case {
        attendance: created,
    };
    let note = notes(&app, &case).await.pop().unwrap();
    let id = note["id"].as_str().unwrap();
    wait_for_note(&app, &case, id, Until::Status("sent")).await;
}

#[tokio::test]
async fn a_first_interaction_can_come_from_a_template_and_an_unknown_one_creates_nothing() {
    let server = SmtpServer::start();
    let app = spawn_mail_app().await;
    put_mailbox(&app, &app.admin_token, &mailbox_body(server.port)).await;
    let flow = app.create_flow(json!({"name": "Vendas"})).await;
    let contact = json!({"name": "João da Conceição", "email": CONTACT_EMAIL});
    let contact = app.create_contact(&app.admin_token, contact).await;
    let template = json!({"name": "Boas-vindas", "subject": "{{attendance.title}} — recebido",
        "body": "Olá {{contact.name}}, recebemos o seu pedido.\n\n{{user.name}}"});
    let template = app
        .post("/mail/templates", &app.admin_token, &template)
        .await;
    let template = expect_json(template, 201).await;
    let path = format!("/flows/{}/attendances", flow["id"].as_str().unwrap());
    let with = |template_id: &Value| {
        json!({"title": "Orçamento de cadeiras", "contact_id": contact["id"],
            "first_interaction": {"template_id": template_id, "notify": true}})
    };

    let unknown = app
        .post(&path, &app.admin_token, &with(&json!(uuid::Uuid::now_v7())))
        .await;
    let created = app
        .post(&path, &app.admin_token, &with(&template["id"]))
        .await;

    let problem = expect_problem(unknown, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["first_interaction.template_id"]);
    let created = expect_json(created, 201).await;
    let listed = expect_json(app.get(&path, &app.admin_token).await, 200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    let case = Case {
        attendance: created,
    };
    let note = notes(&app, &case).await.pop().unwrap();
    let text = "Olá João da Conceição, recebemos o seu pedido.\n\nAdministrator";
    assert_eq!(note["body"], text);
    let received = server.wait_for(1).await;
    assert_eq!(
        received[0].header("Subject").unwrap(),
        "Orçamento de cadeiras — recebido"
    );
    assert_eq!(received[0].to, [CONTACT_EMAIL]);
}
