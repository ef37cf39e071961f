//! Attendances: creation in an active flow (reference, defaults, money, every invalid field
//! named, first interaction), reading, editing with If-Match, and tags attached and detached.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::attendance_helpers::*;
use crate::helpers::*;

fn path_of(attendance: &Value) -> String {
    format!("/attendances/{}", id_of(attendance))
}

#[tokio::test]
async fn an_attendance_created_in_an_active_flow_is_found_at_its_location_with_defaults() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let admin = admin_ref(&app).await;
    let body = json!({"title": "  Orçamento de 30 cadeiras ", "contact_id": desk.contact});

    let response = app.post(&desk.attendances(), &app.admin_token, &body).await;

    let (location, etag) = (header(&response, "location"), header(&response, "etag"));
    let created = expect_json(response, 201).await;
    assert_eq!(location, format!("/api/v1/attendances/{}", id_of(&created)));
    assert_eq!(etag, "\"1\"");
    let expected = json!({"flow_id": desk.flow, "title": "Orçamento de 30 cadeiras",
        "status": "open", "value": "0.00", "currency": "BRL", "due_at": null, "overdue": false,
        "tags": [], "view": "active", "archived_at": null, "deleted_at": null, "version": 1,
        "created_by": admin["id"], "contact": {"id": desk.contact, "name": "João da Conceição"}});
    assert_fields(&created, expected);
    assert!(created["reference"].as_i64().unwrap() > 0, "{created}");
    assert!(created["created_at"].is_string(), "{created}");
    assert_eq!(created["updated_at"], created["created_at"]);
    let read = app
        .get(location.trim_start_matches("/api/v1"), &app.admin_token)
        .await;
    assert_eq!(header(&read, "etag"), "\"1\"");
    assert_eq!(expect_json(read, 200).await, created);
}

#[tokio::test]
async fn references_increase_with_each_creation_across_flows() {
    let app = spawn_app().await;
    let vendas = desk(&app, json!([])).await;
    let suporte = Desk {
        flow: flow(&app, "Suporte", json!([])).await,
        contact: vendas.contact.clone(),
    };

    let mut references = Vec::new();
    for desk in [&vendas, &suporte, &vendas, &suporte] {
        let created = titled(&app, desk, "Pedido").await;
        references.push(created["reference"].as_i64().unwrap());
    }

    assert!(
        references.windows(2).all(|pair| pair[0] < pair[1]),
        "unique and increasing: {references:?}"
    );
}

#[tokio::test]
async fn values_are_kept_in_brl_with_two_decimals() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let due = "2030-12-15T17:00:00Z";
    let body = json!({"title": "Cadeiras", "status": "in_progress", "value": "4500.5",
                      "due_at": due});

    let created = create(&app, &desk, body).await;
    let whole = create(&app, &desk, json!({"title": "Mesas", "value": "7"})).await;

    let expected = json!({"status": "in_progress", "value": "4500.50", "currency": "BRL",
                          "due_at": due, "overdue": false});
    assert_fields(&created, expected);
    assert_eq!(whole["value"], "7.00");
    let read = admin_get(&app, &path_of(&created)).await;
    assert_eq!(read["value"], "4500.50");
}

#[tokio::test]
async fn a_value_that_is_not_brl_with_up_to_two_decimals_is_rejected_naming_value() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;

    for value in ["1,50", "-1", "1.005", "R$ 10", ""] {
        let body = json!({"title": "Mesas", "contact_id": desk.contact, "value": value});
        let response = app.post(&desk.attendances(), &app.admin_token, &body).await;
        let problem = expect_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["value"], "value {value:?}");
        let edit = json!({"value": value});
        let response = app.patch(&path_of(&created), &app.admin_token, &edit).await;
        let problem = expect_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["value"], "edit to {value:?}");
    }

    assert_eq!(listed(&app, &desk.flow, &[]).await, [id_of(&created)]);
    let read = admin_get(&app, &path_of(&created)).await;
    assert_fields(&read, json!({"value": "0.00", "version": 1}));
}

#[tokio::test]
async fn an_unknown_contact_is_rejected_naming_contact_id() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let existing = titled(&app, &desk, "Mesas").await;
    let unknown = json!({"contact_id": Uuid::now_v7()});
    let body = json!({"title": "Cadeiras", "contact_id": Uuid::now_v7()});

    let created = app.post(&desk.attendances(), &app.admin_token, &body).await;
    let edited = app
        .patch(&path_of(&existing), &app.admin_token, &unknown)
        .await;

    let problem = expect_problem(created, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["contact_id"]);
    let problem = expect_problem(edited, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["contact_id"]);
    assert_eq!(listed(&app, &desk.flow, &[]).await, [id_of(&existing)]);
    assert_eq!(admin_get(&app, &path_of(&existing)).await, existing);
}

#[tokio::test]
async fn a_tag_of_another_flow_is_rejected_naming_its_place_in_tag_ids() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let other = flow(&app, "Suporte", json!([])).await;
    let own = tag(&app, &desk.flow, "Urgente", "#E53935").await;
    let foreign = tag(&app, &other, "Urgente", "#E53935").await;
    let attendances = desk.attendances();

    let only_foreign = json!({"title": "A", "contact_id": desk.contact,
                              "tag_ids": [id_of(&foreign)]});
    let second_foreign = json!({"title": "B", "contact_id": desk.contact,
                                "tag_ids": [id_of(&own), id_of(&foreign)]});
    let first = app
        .post(&attendances, &app.admin_token, &only_foreign)
        .await;
    let second = app
        .post(&attendances, &app.admin_token, &second_foreign)
        .await;

    let problem = expect_problem(first, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["tag_ids[0]"]);
    let problem = expect_problem(second, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["tag_ids[1]"]);
    assert_eq!(listed(&app, &desk.flow, &[]).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_blank_title_is_rejected_naming_title() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let body = json!({"title": "   ", "contact_id": desk.contact});

    let response = app.post(&desk.attendances(), &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["title"]);
    assert_eq!(problem["errors"][0]["code"], "required");
}

#[tokio::test]
async fn an_inactive_flow_takes_no_new_attendances_but_stays_readable() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let existing = titled(&app, &desk, "Antigo").await;
    let flow_path = format!("/flows/{}", desk.flow);
    let off = json!({"active": false});
    expect_json(app.patch(&flow_path, &app.admin_token, &off).await, 200).await;

    let body = json!({"title": "Novo", "contact_id": desk.contact});
    let response = app.post(&desk.attendances(), &app.admin_token, &body).await;

    expect_problem(response, 409, "flow_inactive").await;
    assert_eq!(admin_get(&app, &flow_path).await["active"], false);
    assert_eq!(listed(&app, &desk.flow, &[]).await, [id_of(&existing)]);
    assert_eq!(admin_get(&app, &path_of(&existing)).await, existing);
}

#[tokio::test]
async fn the_first_interaction_is_saved_in_the_same_request() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let admin = admin_ref(&app).await;
    let body = json!({"title": "Cadeiras", "contact_id": desk.contact,
        "first_interaction": {"body": "Cliente pediu orçamento por telefone."}});

    let created = create(&app, &desk, body).await;

    let notes = admin_get(&app, &format!("{}/interactions", path_of(&created))).await;
    assert_eq!(notes["items"].as_array().unwrap().len(), 1, "{notes}");
    let expected = json!({"attendance_id": created["id"], "author": admin, "notify": false,
        "body": "Cliente pediu orçamento por telefone.", "notification_status": null});
    assert_fields(&notes["items"][0], expected);
    let kinds = timeline_kinds(&app, &id_of(&created)).await;
    assert_eq!(kinds, ["interaction", "created"]);
}

#[tokio::test]
async fn a_blank_first_interaction_is_rejected_and_nothing_is_created() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let body = json!({"title": "Cadeiras", "contact_id": desk.contact,
                      "first_interaction": {"body": "  "}});

    let response = app.post(&desk.attendances(), &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["first_interaction.body"]);
    assert_eq!(listed(&app, &desk.flow, &[]).await, Vec::<String>::new());
}

#[tokio::test]
async fn an_edit_with_the_current_if_match_makes_the_next_version_and_a_stale_one_is_412() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let path = path_of(&created);
    let body = json!({"title": "Cadeiras e mesas", "status": "won", "value": "99.9"});

    let response = patch_if_match(&app, &path, "\"1\"", &body).await;
    let stale = patch_if_match(&app, &path, "\"1\"", &json!({"title": "Velho"})).await;

    assert_eq!(header(&response, "etag"), "\"2\"");
    let edited = expect_json(response, 200).await;
    let expected = json!({"title": "Cadeiras e mesas", "status": "won", "value": "99.90",
        "version": 2, "created_at": created["created_at"], "reference": created["reference"]});
    assert_fields(&edited, expected);
    let moved = |at: &Value| chrono::DateTime::parse_from_rfc3339(at.as_str().unwrap()).unwrap();
    assert!(moved(&edited["updated_at"]) > moved(&created["updated_at"]));
    expect_problem(stale, 412, "precondition_failed").await;
    let read = app.get(&path, &app.admin_token).await;
    assert_eq!(header(&read, "etag"), "\"2\"");
    assert_eq!(expect_json(read, 200).await, edited);
}

#[tokio::test]
async fn due_at_null_clears_the_due_date_and_absent_fields_stay() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let body = json!({"title": "Cadeiras", "value": "10.00", "due_at": "2030-01-31T12:00:00Z"});
    let created = create(&app, &desk, body).await;

    let clear = json!({"due_at": null});
    let response = app
        .patch(&path_of(&created), &app.admin_token, &clear)
        .await;
    let edited = expect_json(response, 200).await;

    let expected = json!({"due_at": null, "title": "Cadeiras", "value": "10.00", "version": 2});
    assert_fields(&edited, expected);
    assert_eq!(admin_get(&app, &path_of(&created)).await, edited);
}

#[tokio::test]
async fn two_edits_sent_at_once_with_the_same_if_match_let_only_one_win() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let path = path_of(&created);
    let (ana, bia) = (json!({"title": "Ana"}), json!({"title": "Bia"}));

    let (first, second) = tokio::join!(
        patch_if_match(&app, &path, "\"1\"", &ana),
        patch_if_match(&app, &path, "\"1\"", &bia)
    );

    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 412]);
    let (winner, loser) = if first.status() == 200 {
        (first, second)
    } else {
        (second, first)
    };
    let winner = expect_json(winner, 200).await;
    expect_problem(loser, 412, "precondition_failed").await;
    let read = admin_get(&app, &path).await;
    assert_eq!(read, winner);
    assert_eq!(read["version"], 2);
}

#[tokio::test]
async fn attaching_a_tag_twice_leaves_it_once_and_makes_one_new_version() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let urgente = tag(&app, &desk.flow, "Urgente", "#E53935").await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let path = format!("{}/tags/{}", path_of(&created), id_of(&urgente));

    let once = app.put(&path, &app.admin_token, &json!({})).await;
    let twice = app.put(&path, &app.admin_token, &json!({})).await;

    assert_eq!(header(&once, "etag"), "\"2\"");
    let once = expect_json(once, 200).await;
    let expected = json!([{"id": urgente["id"], "name": "Urgente", "color": "#E53935"}]);
    assert_eq!(once["tags"], expected);
    assert_eq!(header(&twice, "etag"), "\"2\"");
    assert_eq!(expect_json(twice, 200).await, once);
    assert_eq!(admin_get(&app, &path_of(&created)).await, once);
}

#[tokio::test]
async fn detaching_a_tag_removes_it_and_detaching_again_changes_nothing() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let urgente = tag(&app, &desk.flow, "Urgente", "#E53935").await;
    let vip = tag(&app, &desk.flow, "VIP", "#16A34A").await;
    let body = json!({"title": "Cadeiras", "tag_ids": [id_of(&vip), id_of(&urgente)]});
    let created = create(&app, &desk, body).await;
    let path = format!("{}/tags/{}", path_of(&created), id_of(&urgente));

    let once = expect_json(app.delete(&path, &app.admin_token).await, 200).await;
    let twice = expect_json(app.delete(&path, &app.admin_token).await, 200).await;

    let names: Vec<Value> = created["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(names, ["Urgente", "VIP"], "tags come in the flow's order");
    assert_fields(
        &once,
        json!({"version": 2, "tags": [{"id": vip["id"], "name": "VIP",
                                                       "color": "#16A34A"}]}),
    );
    assert_eq!(twice, once);
}

#[tokio::test]
async fn a_tag_of_another_flow_cannot_be_attached_or_detached() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let other = flow(&app, "Suporte", json!([])).await;
    let foreign = tag(&app, &other, "Urgente", "#E53935").await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let path = format!("{}/tags/{}", path_of(&created), id_of(&foreign));

    let put = app.put(&path, &app.admin_token, &json!({})).await;
    let delete = app.delete(&path, &app.admin_token).await;

    expect_problem(put, 404, "not_found").await;
    expect_problem(delete, 404, "not_found").await;
    assert_eq!(admin_get(&app, &path_of(&created)).await, created);
}

#[tokio::test]
async fn deleting_a_tag_detaches_it_from_every_attendance() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let urgente = tag(&app, &desk.flow, "Urgente", "#E53935").await;
    let tagged = json!({"title": "Um", "tag_ids": [id_of(&urgente)]});
    let one = create(&app, &desk, tagged.clone()).await;
    let two = create(&app, &desk, tagged).await;
    assert_eq!(
        listed(&app, &desk.flow, &[("tag_id", &id_of(&urgente))])
            .await
            .len(),
        2
    );

    let path = format!("/flows/{}/tags/{}", desk.flow, id_of(&urgente));
    let response = app.delete(&path, &app.admin_token).await;

    assert_eq!(response.status().as_u16(), 204);
    for attendance in [one, two] {
        assert_eq!(
            admin_get(&app, &path_of(&attendance)).await["tags"],
            json!([])
        );
    }
    let listed_with_tag = listed(&app, &desk.flow, &[("tag_id", &id_of(&urgente))]).await;
    assert_eq!(listed_with_tag, Vec::<String>::new());
}
