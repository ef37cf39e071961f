//! Interactions (notes) on an attendance, newest first with author and time, and the timeline:
//! every change with its actor and time, newest first, page by page.

use serde_json::{Value, json};

use crate::attendance_helpers::*;
use crate::helpers::*;

fn notes_path(attendance: &Value) -> String {
    format!("/attendances/{}/interactions", id_of(attendance))
}

async fn post_note(app: &TestApp, token: &str, attendance: &Value, body: Value) -> Value {
    let response = app.post(&notes_path(attendance), token, &body).await;
    expect_json(response, 201).await
}

fn time(at: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(at.as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn a_posted_interaction_names_its_author_and_time() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let desk = desk(&app, json!([ana])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let body = json!({"body": "  Cliente aprovou o orçamento.\nLigar amanhã.  "});

    let response = app.post(&notes_path(&created), &token, &body).await;

    let note = expect_json(response, 201).await;
    let expected = json!({"attendance_id": created["id"], "notify": false,
        "body": "Cliente aprovou o orçamento.\nLigar amanhã.", "notification_status": null,
        "author": {"id": ana.to_string(), "name": "Membro"}});
    assert_fields(&note, expected);
    assert!(time(&note["created_at"]) >= time(&created["created_at"]));
    let listed = admin_get(&app, &notes_path(&created)).await;
    assert_eq!(listed["items"], json!([note]));
}

#[tokio::test]
async fn notes_posted_at_the_same_time_are_all_saved() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let path = notes_path(&created);
    let bodies: Vec<Value> = (1..=12)
        .map(|n| json!({"body": format!("Nota {n}")}))
        .collect();

    // No If-Match: posting a note is not an edit, so concurrent posts must not conflict.
    let posts = bodies
        .iter()
        .map(|body| app.post(&path, &app.admin_token, body));
    let statuses: Vec<u16> = futures_util::future::join_all(posts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();

    assert_eq!(statuses, vec![201; 12]);
    let listed = admin_get(&app, &format!("{path}?limit=50")).await;
    assert_eq!(each(&listed, "body").len(), 12);
    let after = admin_get(&app, &format!("/attendances/{}", id_of(&created))).await;
    let version = |v: &Value| v["version"].as_i64().unwrap();
    assert_eq!(version(&after), version(&created) + 12);
}

#[tokio::test]
async fn interactions_are_listed_newest_first_page_by_page() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    for body in ["Primeira", "Segunda", "Terceira"] {
        post_note(&app, &app.admin_token, &created, json!({"body": body})).await;
    }

    let first = admin_get(&app, &format!("{}?limit=2", notes_path(&created))).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = format!("{}?limit=2&cursor={cursor}", notes_path(&created));
    let second = admin_get(&app, &rest).await;

    assert_eq!(each(&first, "body"), ["Terceira", "Segunda"]);
    assert_eq!(each(&second, "body"), ["Primeira"]);
    assert_eq!(second["next_cursor"], Value::Null);
}

#[tokio::test]
async fn notify_is_stored_with_a_pending_notification() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let contact = json!({"name": "Maria Souza", "email": "maria@example.com"});
    let maria = id_of(&app.create_contact(&app.admin_token, contact).await);
    let created = create(
        &app,
        &desk,
        json!({"title": "Cadeiras", "contact_id": maria}),
    )
    .await;
    // Sending belongs to the mail module; a mailbox nobody answers keeps the e-mail queued.
    let mailbox = json!({"sender_name": "Admin", "sender_address": "admin@example.com",
        "smtp_host": "127.0.0.1", "smtp_port": 9, "security": "none"});
    let response = app.put("/me/mailbox", &app.admin_token, &mailbox).await;
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );

    let body = json!({"body": "Proposta enviada", "notify": true});
    let note = post_note(&app, &app.admin_token, &created, body).await;

    assert_fields(
        &note,
        json!({"notify": true, "notification_status": "pending"}),
    );
    let listed = admin_get(&app, &notes_path(&created)).await;
    assert_fields(
        &listed["items"][0],
        json!({"id": note["id"], "notify": true}),
    );
}

#[tokio::test]
async fn a_blank_interaction_is_rejected_naming_body() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;

    let response = app
        .post(
            &notes_path(&created),
            &app.admin_token,
            &json!({"body": " \n "}),
        )
        .await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["body"]);
    let listed = admin_get(&app, &notes_path(&created)).await;
    assert_eq!(listed["items"], json!([]));
}

#[tokio::test]
async fn an_interaction_on_a_trashed_attendance_is_a_conflict() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let path = format!("/attendances/{}", id_of(&created));
    expect_json(app.delete(&path, &app.admin_token).await, 200).await;

    let body = json!({"body": "Tarde demais"});
    let response = app
        .post(&notes_path(&created), &app.admin_token, &body)
        .await;

    expect_problem(response, 409, "conflict").await;
    let listed = admin_get(&app, &notes_path(&created)).await;
    assert_eq!(listed["items"], json!([]));
}

/// Makes every kind of timeline event happen to one attendance, one request each; returns it.
async fn eventful(app: &TestApp, desk: &Desk, member_token: &str) -> Value {
    let created = titled(app, desk, "Cadeiras").await;
    let path = format!("/attendances/{}", id_of(&created));
    let urgente = tag(app, &desk.flow, "Urgente", "#E53935").await;
    let tag_path = format!("{path}/tags/{}", id_of(&urgente));
    let token = &app.admin_token;
    for edit in [
        json!({"status": "in_progress"}),
        json!({"value": "10"}),
        json!({"title": "Cadeiras e mesas"}),
        json!({"due_at": "2030-01-31T12:00:00Z"}),
    ] {
        expect_json(app.patch(&path, token, &edit).await, 200).await;
    }
    expect_json(app.put(&tag_path, token, &json!({})).await, 200).await;
    expect_json(app.delete(&tag_path, token).await, 200).await;
    admin_post(app, &format!("{path}/archive")).await;
    admin_post(app, &format!("{path}/unarchive")).await;
    expect_json(app.delete(&path, token).await, 200).await;
    admin_post(app, &format!("{path}/restore")).await;
    let note = json!({"body": "Cliente confirmou"});
    post_note(app, member_token, &created, note).await;
    let target = flow(app, "Pós-venda", json!([])).await;
    let move_to = json!({"flow_id": target});
    expect_json(
        app.post(&format!("{path}/move"), token, &move_to).await,
        200,
    )
    .await;
    created
}

#[tokio::test]
async fn the_timeline_shows_every_change_newest_first_with_actor_and_time() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let desk = desk(&app, json!([ana])).await;
    let admin = admin_ref(&app).await;
    let created = eventful(&app, &desk, &token).await;

    let path = format!("/attendances/{}/timeline?limit=200", id_of(&created));
    let timeline = admin_get(&app, &path).await;

    let kinds = each(&timeline, "kind");
    let expected = [
        "moved",
        "interaction",
        "restored",
        "trashed",
        "unarchived",
        "archived",
        "tag_removed",
        "tag_added",
        "due_changed",
        "title_changed",
        "value_changed",
        "status_changed",
        "created",
    ];
    assert_eq!(kinds, expected);
    let entries = timeline["items"].as_array().unwrap();
    for entry in entries {
        let actor = if entry["kind"] == "interaction" {
            json!({"id": ana.to_string(), "name": "Membro"})
        } else {
            admin.clone()
        };
        assert_eq!(entry["actor"], actor, "{entry}");
    }
    let times: Vec<_> = entries.iter().map(|e| time(&e["created_at"])).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let data = |kind: &str| entries.iter().find(|e| e["kind"] == kind).unwrap()["data"].clone();
    assert_fields(
        &data("status_changed"),
        json!({"from": "open", "to": "in_progress"}),
    );
    assert_fields(
        &data("value_changed"),
        json!({"from": "0.00", "to": "10.00"}),
    );
    let title = json!({"from": "Cadeiras", "to": "Cadeiras e mesas"});
    assert_fields(&data("title_changed"), title);
    assert_fields(&data("due_changed"), json!({"from": null}));
    assert_eq!(
        time(&data("due_changed")["to"]),
        time(&json!("2030-01-31T12:00:00Z"))
    );
    assert_fields(&data("tag_added"), json!({"tag": "Urgente"}));
    assert_fields(&data("tag_removed"), json!({"tag": "Urgente"}));
    assert_fields(
        &data("moved"),
        json!({"from_flow_id": desk.flow, "to_flow": "Pós-venda"}),
    );
    assert_eq!(entries[1]["interaction"]["body"], "Cliente confirmou");
}

#[tokio::test]
async fn the_timeline_is_paged_without_repeating_or_skipping_entries() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let desk = desk(&app, json!([ana])).await;
    let created = eventful(&app, &desk, &token).await;
    let path = format!("/attendances/{}/timeline", id_of(&created));
    let whole = admin_get(&app, &format!("{path}?limit=200")).await;

    let mut paged = Vec::new();
    let mut next = format!("{path}?limit=4");
    for _ in 0..10 {
        let page = admin_get(&app, &next).await;
        assert!(page["items"].as_array().unwrap().len() <= 4, "{page}");
        paged.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => next = format!("{path}?limit=4&cursor={cursor}"),
            None => break,
        }
    }

    assert_eq!(paged.len(), 13);
    assert_eq!(paged, ids(&whole));
}
