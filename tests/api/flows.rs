//! Flows: creation, unique accent-insensitive names, editing, authorized users and the access
//! policy (members see only their flows; every other flow id answers 404 on every route).

use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}

fn header(response: &Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

fn names(page: &Value) -> Vec<String> {
    let items = page["items"].as_array().unwrap();
    items
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts that `body` has each field of `expected` with that value (other fields are ignored).
#[track_caller]
fn assert_fields(body: &Value, expected: Value) {
    let keys = expected.as_object().unwrap().keys();
    let actual: Value = keys.map(|k| (k.clone(), body[k].clone())).collect();
    assert_eq!(actual, expected);
}

/// A member with a name of its own, logged in: `(id, token)`.
async fn member(app: &TestApp, name: &str, email: &str) -> (String, String) {
    let body = json!({"name": name, "email": email, "password": MEMBER_PASSWORD});
    let user = app.create_user(body).await;
    (id_of(&user), app.login_ok(email, MEMBER_PASSWORD).await)
}

/// Creates the flow "Vendas" with these authorized user ids: `(flow, "/flows/{id}")`.
async fn vendas(app: &TestApp, members: Value) -> (Value, String) {
    let flow = app
        .create_flow(json!({"name": "Vendas", "authorized_user_ids": members}))
        .await;
    let path = format!("/flows/{}", id_of(&flow));
    (flow, path)
}

/// A 200 answer to an admin's GET, as JSON.
async fn admin_get(app: &TestApp, path: &str) -> Value {
    expect_json(app.get(path, &app.admin_token).await, 200).await
}

async fn patch_if_match(app: &TestApp, path: &str, if_match: &str, body: &Value) -> Response {
    let request = app.client.request(Method::PATCH, app.url(path));
    let request = request
        .bearer_auth(&app.admin_token)
        .header("If-Match", if_match);
    request.json(body).send().await.unwrap()
}

#[tokio::test]
async fn an_admin_creates_a_flow_and_finds_it_at_its_location() {
    let app = spawn_app().await;
    let body = json!({"name": "Vendas", "description": "Funil principal"});

    let response = app.post("/flows", &app.admin_token, &body).await;

    let (location, etag) = (header(&response, "location"), header(&response, "etag"));
    let flow = expect_json(response, 201).await;
    assert_eq!(location, format!("/api/v1/flows/{}", id_of(&flow)));
    assert_eq!(etag, "\"1\"");
    let expected = json!({"name": "Vendas", "alias": "Vendas", // the alias defaults to the name
        "description": "Funil principal", "active": true, "version": 1});
    assert_fields(&flow, expected);
    let path = location.trim_start_matches("/api/v1");
    let read = app.get(path, &app.admin_token).await;
    assert_eq!(header(&read, "etag"), "\"1\"");
    assert_eq!(expect_json(read, 200).await, flow);
}

#[tokio::test]
async fn flow_names_are_trimmed_and_composed_keeping_their_accents() {
    let app = spawn_app().await;

    let decomposed = app
        .create_flow(json!({"name": "  Po\u{0301}s-venda "}))
        .await;
    let padded = app
        .create_flow(json!({"name": "  Orçamentos  ", "alias": " Orç "}))
        .await;

    assert_eq!(decomposed["name"], "Pós-venda");
    assert_eq!(decomposed["name"].as_str().unwrap().chars().count(), 9);
    assert_eq!(decomposed["alias"], "Pós-venda");
    assert_eq!(padded["name"], "Orçamentos");
    assert_eq!(padded["alias"], "Orç");
    let read = admin_get(&app, &format!("/flows/{}", id_of(&decomposed))).await;
    assert_eq!(read["name"], "Pós-venda");
}

#[tokio::test]
async fn a_flow_name_differing_only_in_case_and_accents_is_a_duplicate() {
    let app = spawn_app().await;
    app.create_flow(json!({"name": "Pós-Venda"})).await;

    let response = app
        .post("/flows", &app.admin_token, &json!({"name": "pos-venda"}))
        .await;

    expect_problem(response, 409, "duplicate_name").await;
    let list = admin_get(&app, "/flows").await;
    assert_eq!(names(&list), ["Pós-Venda"]);
}

#[tokio::test]
async fn renaming_a_flow_to_another_flows_name_ignoring_accents_is_a_duplicate() {
    let app = spawn_app().await;
    app.create_flow(json!({"name": "Pós-Venda"})).await;
    let other = app.create_flow(json!({"name": "Orçamentos"})).await;
    let path = format!("/flows/{}", id_of(&other));

    let response = app
        .patch(&path, &app.admin_token, &json!({"name": "POS-VENDA"}))
        .await;

    expect_problem(response, 409, "duplicate_name").await;
    let read = admin_get(&app, &path).await;
    let expected = json!({"name": "Orçamentos", "version": 1});
    assert_fields(&read, expected);
    // Changing only the case or accents of its own name is not a conflict.
    let renamed = app
        .patch(&path, &app.admin_token, &json!({"name": "ORÇAMENTOS"}))
        .await;
    assert_eq!(expect_json(renamed, 200).await["name"], "ORÇAMENTOS");
}

#[tokio::test]
async fn a_blank_flow_name_is_rejected_naming_the_field() {
    let app = spawn_app().await;

    let response = app
        .post("/flows", &app.admin_token, &json!({"name": "   "}))
        .await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["name"]);
    assert_eq!(problem["errors"][0]["code"], "required");
}

#[tokio::test]
async fn creating_a_flow_with_an_unknown_user_names_that_authorized_user_id() {
    let app = spawn_app().await;
    let (known, _) = app.create_member("ana@example.com").await;
    let body = json!({"name": "Vendas", "authorized_user_ids": [known, Uuid::now_v7()]});

    let response = app.post("/flows", &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["authorized_user_ids[1]"]);
    let list = admin_get(&app, "/flows").await;
    assert_eq!(list["items"], json!([]), "nothing was created");
}

#[tokio::test]
async fn replacing_authorized_users_with_an_unknown_id_names_it_and_changes_nothing() {
    let app = spawn_app().await;
    let (known, _) = app.create_member("ana@example.com").await;
    let (_, flow) = vendas(&app, json!([known])).await;
    let path = format!("{flow}/authorized-users");

    let body = json!({"user_ids": [Uuid::now_v7()]});
    let response = app.put(&path, &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["user_ids[0]"]);
    let users = admin_get(&app, &path).await;
    assert_eq!(users["users"][0]["id"], known.to_string());
}

#[tokio::test]
async fn a_member_lists_only_the_flows_they_are_authorized_for() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    app.create_flow(json!({"name": "Vendas", "authorized_user_ids": [ana]}))
        .await;
    app.create_flow(json!({"name": "Compras"})).await;

    let list = expect_json(app.get("/flows", &token).await, 200).await;

    assert_eq!(names(&list), ["Vendas"]);
    let all = admin_get(&app, "/flows").await;
    assert_eq!(names(&all), ["Compras", "Vendas"]);
}

#[tokio::test]
async fn the_active_filter_separates_active_and_inactive_flows() {
    let app = spawn_app().await;
    app.create_flow(json!({"name": "Vendas"})).await;
    app.create_flow(json!({"name": "Arquivo", "active": false}))
        .await;

    let inactive = admin_get(&app, "/flows?active=false").await;
    let active = admin_get(&app, "/flows?active=true").await;

    assert_eq!(names(&inactive), ["Arquivo"]);
    assert_eq!(inactive["items"][0]["active"], false);
    assert_eq!(names(&active), ["Vendas"]);
}

#[tokio::test]
async fn an_admin_deactivates_and_reactivates_a_flow() {
    let app = spawn_app().await;
    let (_, path) = vendas(&app, json!([])).await;

    let off = app
        .patch(&path, &app.admin_token, &json!({"active": false}))
        .await;
    assert_eq!(header(&off, "etag"), "\"2\"");
    let off = expect_json(off, 200).await;
    let on = app
        .patch(&path, &app.admin_token, &json!({"active": true}))
        .await;
    let on = expect_json(on, 200).await;

    assert_fields(
        &off,
        json!({"name": "Vendas", "active": false, "version": 2}),
    );
    assert_fields(&on, json!({"name": "Vendas", "active": true, "version": 3}));
}

#[tokio::test]
async fn a_patch_with_a_stale_if_match_is_412_and_changes_nothing() {
    let app = spawn_app().await;
    let (_, path) = vendas(&app, json!([])).await;
    let renamed = patch_if_match(&app, &path, "\"1\"", &json!({"alias": "V"})).await;
    expect_json(renamed, 200).await;

    let stale = patch_if_match(&app, &path, "\"1\"", &json!({"alias": "Old"})).await;

    expect_problem(stale, 412, "precondition_failed").await;
    let read = admin_get(&app, &path).await;
    assert_fields(&read, json!({"alias": "V", "version": 2}));
}

#[tokio::test]
async fn description_null_clears_it_and_absent_fields_stay() {
    let app = spawn_app().await;
    let body = json!({"name": "Vendas", "alias": "V", "description": "Funil"});
    let flow = app.create_flow(body).await;
    let path = format!("/flows/{}", id_of(&flow));

    let response = app
        .patch(&path, &app.admin_token, &json!({"description": null}))
        .await;

    let updated = expect_json(response, 200).await;
    assert_fields(
        &updated,
        json!({"name": "Vendas", "alias": "V", "description": null}),
    );
    let read = admin_get(&app, &path).await;
    assert_eq!(
        read, updated,
        "reading it back shows what the PATCH answered"
    );
}

#[tokio::test]
async fn a_deleted_flow_is_gone() {
    let app = spawn_app().await;
    let (ana, _) = app.create_member("ana@example.com").await;
    let (_, path) = vendas(&app, json!([ana])).await;

    let response = app.delete(&path, &app.admin_token).await;

    assert_eq!(response.status().as_u16(), 204);
    expect_problem(app.get(&path, &app.admin_token).await, 404, "not_found").await;
    expect_problem(app.delete(&path, &app.admin_token).await, 404, "not_found").await;
}

#[tokio::test]
async fn put_authorized_users_replaces_the_set_and_get_lists_them() {
    let app = spawn_app().await;
    let (ana, _) = member(&app, "Ana Conceição", "ana@example.com").await;
    let (bia, _) = member(&app, "Beatriz", "bia@example.com").await;
    let (caio, _) = member(&app, "Caio", "caio@example.com").await;
    let (flow, path) = vendas(&app, json!([caio])).await;
    let path = format!("{path}/authorized-users");

    let body = json!({"user_ids": [bia, ana, bia]});
    let put = expect_json(app.put(&path, &app.admin_token, &body).await, 200).await;

    let got = admin_get(&app, &path).await;
    assert_eq!(got, put);
    assert_eq!(got["flow_id"], flow["id"]);
    assert_eq!(got["users"].as_array().unwrap().len(), 2, "{got}");
    let ana_row = json!({"id": ana, "name": "Ana Conceição", "email": "ana@example.com"});
    assert_fields(&got["users"][0], ana_row);
    let bia_row = json!({"id": bia, "name": "Beatriz", "email": "bia@example.com"});
    assert_fields(&got["users"][1], bia_row);
}

#[tokio::test]
async fn a_member_removed_from_a_flow_no_longer_sees_it() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let (_, path) = vendas(&app, json!([ana])).await;
    expect_json(app.get(&path, &token).await, 200).await;

    let users = format!("{path}/authorized-users");
    let put = app
        .put(&users, &app.admin_token, &json!({"user_ids": []}))
        .await;
    expect_json(put, 200).await;

    expect_problem(app.get(&path, &token).await, 404, "not_found").await;
    let list = expect_json(app.get("/flows", &token).await, 200).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn an_authorized_member_gets_403_creating_or_managing_flows() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let (_, path) = vendas(&app, json!([ana])).await;
    let users = format!("{path}/authorized-users");

    let answers = [
        app.post("/flows", &token, &json!({"name": "Compras"}))
            .await,
        app.patch(&path, &token, &json!({"name": "Minhas vendas"}))
            .await,
        app.delete(&path, &token).await,
        app.get(&users, &token).await,
        app.put(&users, &token, &json!({"user_ids": []})).await,
    ];

    for answer in answers {
        expect_problem(answer, 403, "forbidden").await;
    }
    let read = expect_json(app.get(&path, &token).await, 200).await;
    assert_fields(&read, json!({"name": "Vendas", "version": 1}));
}

#[tokio::test]
async fn a_member_probing_a_flow_they_are_not_authorized_for_gets_404_on_every_route() {
    let app = spawn_app().await;
    let (ana, _) = app.create_member("ana@example.com").await;
    let (_, intruder) = app.create_member("intruso@example.com").await;
    let (flow, path) = vendas(&app, json!([ana])).await;
    let missing = format!("/flows/{}", Uuid::now_v7());
    let nobody = expect_json(app.get(&missing, &intruder).await, 404).await;
    let users = format!("{path}/authorized-users");

    let (deactivate, nobody_else) = (json!({"active": false}), json!({"user_ids": []}));
    let answers = [
        ("GET flow", app.get(&path, &intruder).await),
        ("PATCH flow", app.patch(&path, &intruder, &deactivate).await),
        ("DELETE flow", app.delete(&path, &intruder).await),
        ("GET users", app.get(&users, &intruder).await),
        ("PUT users", app.put(&users, &intruder, &nobody_else).await),
    ];

    for (route, answer) in answers {
        let problem = expect_problem(answer, 404, "not_found").await;
        assert_eq!(problem, nobody, "{route} must look like a missing flow");
    }
    let read = admin_get(&app, &path).await;
    assert_eq!(read, flow, "the flow is unchanged");
    let kept = admin_get(&app, &users).await;
    assert_eq!(kept["users"][0]["id"], ana.to_string());
}

#[tokio::test]
async fn flows_listed_page_by_page_come_once_each_in_name_order_ignoring_accents() {
    let app = spawn_app().await;
    let names_in_creation_order = [
        "Órgãos", "banana", "Zebra", "Ébano", "Açaí", "Cacau", "abacaxi",
    ];
    for name in names_in_creation_order {
        app.create_flow(json!({"name": name})).await;
    }

    let mut pages = Vec::new();
    let mut path = "/flows?limit=3".to_owned();
    for _ in 0..5 {
        let page = admin_get(&app, &path).await;
        pages.push(names(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/flows?limit=3&cursor={cursor}"),
            None => break,
        }
    }

    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [3, 3, 1], "{pages:?}");
    let by_name = [
        "abacaxi", "Açaí", "banana", "Cacau", "Ébano", "Órgãos", "Zebra",
    ];
    assert_eq!(pages.concat(), by_name);
}
