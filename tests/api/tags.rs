//! Tags of a flow: the virtual ALL tag always first; names unique in a flow ignoring case and
//! accents; colours; renaming with If-Match; deleting compacts the order; reordering takes only
//! the complete list; every user authorized for the flow manages them, everyone else gets 404.

use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

const ALL: &str = "00000000-0000-0000-0000-000000000000";

fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}

fn header(response: &Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

/// One field of each tag of a list, in order: `each(&list, "name")`.
fn each(list: &Value, field: &str) -> Vec<Value> {
    let items = list["items"].as_array().unwrap();
    items.iter().map(|t| t[field].clone()).collect()
}

/// Asserts that `body` has each field of `expected` with that value (other fields are ignored).
#[track_caller]
fn assert_fields(body: &Value, expected: Value) {
    let keys = expected.as_object().unwrap().keys();
    let actual: Value = keys.map(|k| (k.clone(), body[k].clone())).collect();
    assert_eq!(actual, expected);
}

/// Creates a flow with these authorized user ids; returns its tags path (`/flows/{id}/tags`).
async fn flow_tags(app: &TestApp, name: &str, members: Value) -> String {
    let flow = app
        .create_flow(json!({"name": name, "authorized_user_ids": members}))
        .await;
    format!("/flows/{}/tags", id_of(&flow))
}

/// Creates a tag as the admin and returns it. (The helpers below all act as the admin.)
async fn create_tag(app: &TestApp, tags: &str, body: Value) -> Value {
    expect_json(post(app, tags, body).await, 201).await
}

/// Creates tags with these names, in order; returns their ids.
async fn create_tags(app: &TestApp, tags: &str, names: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for name in names {
        ids.push(id_of(&create_tag(app, tags, json!({"name": name})).await));
    }
    ids
}

async fn post(app: &TestApp, path: &str, body: Value) -> Response {
    app.post(path, &app.admin_token, &body).await
}

async fn patch(app: &TestApp, path: &str, body: Value) -> Response {
    app.patch(path, &app.admin_token, &body).await
}

async fn put(app: &TestApp, path: &str, body: Value) -> Response {
    app.put(path, &app.admin_token, &body).await
}

async fn delete(app: &TestApp, path: &str) -> Response {
    app.delete(path, &app.admin_token).await
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

fn the_all_tag() -> Value {
    json!({"id": ALL, "name": "ALL", "color": "#64748B", "position": 0, "virtual": true,
           "version": null})
}

#[tokio::test]
async fn a_new_flow_lists_only_the_virtual_all_tag() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;

    let list = admin_get(&app, &tags).await;

    assert_eq!(list, json!({"items": [the_all_tag()]}));
}

#[tokio::test]
async fn created_tags_go_last_after_all_with_palette_colours_by_default() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;

    let body = json!({"name": "  Orc\u{0327}amento  "});
    let response = post(&app, &tags, body).await;
    let etag = header(&response, "etag");
    let first = expect_json(response, 201).await;
    let second = create_tag(&app, &tags, json!({"name": "Fechado", "color": "#abcdef"})).await;
    let third = create_tag(&app, &tags, json!({"name": "Perdido"})).await;

    assert_eq!(etag, "\"1\"");
    let expected = json!({"name": "Orçamento", "color": "#2563EB", "position": 1,
                          "virtual": false, "version": 1});
    assert_fields(&first, expected);
    assert_fields(&second, json!({"color": "#ABCDEF", "position": 2}));
    assert_fields(&third, json!({"color": "#D97706", "position": 3}));
    let list = admin_get(&app, &tags).await;
    assert_eq!(list["items"], json!([the_all_tag(), first, second, third]));
}

#[tokio::test]
async fn a_tag_is_renamed_and_recoloured_with_a_new_etag() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    let tag = create_tag(&app, &tags, json!({"name": "Proposta"})).await;
    let path = format!("{tags}/{}", id_of(&tag));

    let body = json!({"name": "Proposta enviada", "color": "#16a34a"});
    let response = patch_if_match(&app, &path, "\"1\"", &body).await;

    assert_eq!(header(&response, "etag"), "\"2\"");
    let updated = expect_json(response, 200).await;
    let expected = json!({"id": tag["id"], "name": "Proposta enviada", "color": "#16A34A",
                          "position": 1, "version": 2});
    assert_fields(&updated, expected);
    let recoloured = patch(&app, &path, json!({"color": "#000000"})).await;
    let recoloured = expect_json(recoloured, 200).await;
    assert_fields(
        &recoloured,
        json!({"name": "Proposta enviada", "color": "#000000", "version": 3}),
    );
    let list = admin_get(&app, &tags).await;
    assert_eq!(list["items"][1], recoloured);
}

#[tokio::test]
async fn tag_names_are_unique_in_a_flow_ignoring_case_and_accents_but_not_across_flows() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    create_tag(&app, &tags, json!({"name": "Orçamento"})).await;
    let other = create_tag(&app, &tags, json!({"name": "Fechado"})).await;
    let other_path = format!("{tags}/{}", id_of(&other));

    let created = post(&app, &tags, json!({"name": " ORCAMENTO "})).await;
    let renamed = patch(&app, &other_path, json!({"name": "orçamento"})).await;

    expect_problem(created, 409, "duplicate_name").await;
    expect_problem(renamed, 409, "duplicate_name").await;
    assert_eq!(
        each(&admin_get(&app, &tags).await, "name"),
        ["ALL", "Orçamento", "Fechado"]
    );
    // Changing only the case or accents of its own name is not a conflict.
    let own = patch(&app, &other_path, json!({"name": "FECHADO"})).await;
    assert_eq!(expect_json(own, 200).await["name"], "FECHADO");
    // Another flow may have the same name.
    let suporte = flow_tags(&app, "Suporte", json!([])).await;
    let elsewhere = create_tag(&app, &suporte, json!({"name": "orcamento"})).await;
    assert_eq!(elsewhere["name"], "orcamento");
}

#[tokio::test]
async fn all_and_todos_are_reserved_names_in_any_case_or_accent() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    let tag = create_tag(&app, &tags, json!({"name": "Novo"})).await;
    let path = format!("{tags}/{}", id_of(&tag));

    for name in ["ALL", "all", "Todos", " TÓDOS "] {
        let created = post(&app, &tags, json!({"name": name})).await;
        expect_problem(created, 409, "duplicate_name").await;
        let renamed = patch(&app, &path, json!({"name": name})).await;
        expect_problem(renamed, 409, "duplicate_name").await;
    }

    assert_eq!(each(&admin_get(&app, &tags).await, "name"), ["ALL", "Novo"]);
    let kept = create_tag(&app, &tags, json!({"name": "Todos os clientes"})).await;
    assert_eq!(kept["name"], "Todos os clientes");
}

#[tokio::test]
async fn colours_must_be_a_hash_and_six_hex_digits_and_are_stored_upper_case() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    let tag = create_tag(&app, &tags, json!({"name": "Novo", "color": "#a0b1c2"})).await;
    let path = format!("{tags}/{}", id_of(&tag));

    for bad in ["a0b1c2", "#a0b1c", "#a0b1c2d", "#g0b1c2", "red", ""] {
        let created = post(&app, &tags, json!({"name": "Outro", "color": bad})).await;
        let problem = expect_problem(created, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["color"], "{bad}");
        assert_eq!(problem["errors"][0]["code"], "invalid_format");
        let recoloured = patch(&app, &path, json!({"color": bad})).await;
        let problem = expect_problem(recoloured, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["color"], "{bad}");
    }

    assert_eq!(tag["color"], "#A0B1C2");
    let list = admin_get(&app, &tags).await;
    assert_eq!(each(&list, "name"), ["ALL", "Novo"]);
    assert_fields(&list["items"][1], json!({"color": "#A0B1C2", "version": 1}));
}

#[tokio::test]
async fn blank_and_overlong_names_are_422_naming_every_invalid_field() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;

    let blank = post(&app, &tags, json!({"name": "  ", "color": "blue"})).await;
    let long = post(&app, &tags, json!({"name": "é".repeat(41)})).await;
    let longest = post(&app, &tags, json!({"name": "é".repeat(40)})).await;

    let problem = expect_problem(blank, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["name", "color"]);
    assert_eq!(problem["errors"][0]["code"], "required");
    let problem = expect_problem(long, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["name"]);
    assert_eq!(problem["errors"][0]["code"], "too_long");
    expect_json(longest, 201).await;
}

#[tokio::test]
async fn the_all_tag_cannot_be_renamed_or_deleted() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    create_tags(&app, &tags, &["Novo"]).await;
    let all = format!("{tags}/{ALL}");

    let renamed = patch(&app, &all, json!({"name": "Tudo"})).await;
    let deleted = delete(&app, &all).await;

    for answer in [renamed, deleted] {
        let problem = expect_problem(answer, 409, "tag_is_virtual").await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("ALL tag is fixed"), "{detail}");
    }
    let list = admin_get(&app, &tags).await;
    assert_eq!(list["items"][0], the_all_tag());
    assert_eq!(each(&list, "name"), ["ALL", "Novo"]);
}

#[tokio::test]
async fn reordering_with_the_complete_list_is_answered_and_persisted() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    let ids = create_tags(&app, &tags, &["A", "B", "C"]).await;
    let order = format!("{tags}/order");

    let body = json!({"tag_ids": [ids[2], ids[0], ids[1]]});
    let answer = expect_json(put(&app, &order, body).await, 200).await;

    assert_eq!(each(&answer, "name"), ["ALL", "C", "A", "B"]);
    assert_eq!(each(&answer, "position"), [0, 1, 2, 3]);
    assert_eq!(admin_get(&app, &tags).await, answer);
    // Clients may send the list as they show it, ALL first.
    let body = json!({"tag_ids": [ALL, ids[1], ids[2], ids[0]]});
    let again = expect_json(put(&app, &order, body).await, 200).await;
    assert_eq!(each(&again, "name"), ["ALL", "B", "C", "A"]);
    assert_eq!(admin_get(&app, &tags).await, again);
}

#[tokio::test]
async fn a_partial_repeated_or_foreign_order_or_all_not_first_is_422_naming_tag_ids() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    let [a, b, c] = create_tags(&app, &tags, &["A", "B", "C"])
        .await
        .try_into()
        .unwrap();
    let elsewhere = flow_tags(&app, "Suporte", json!([])).await;
    let [x] = create_tags(&app, &elsewhere, &["X"])
        .await
        .try_into()
        .unwrap();
    let (order, unknown) = (format!("{tags}/order"), Uuid::now_v7().to_string());
    let before = admin_get(&app, &tags).await;

    let cases = [
        ("partial", json!([b, a]), "incomplete"),
        ("empty", json!([]), "incomplete"),
        ("repeated", json!([b, a, c, b]), "duplicate"),
        ("foreign", json!([b, a, c, x]), "unknown_tag"),
        ("unknown", json!([b, a, c, unknown]), "unknown_tag"),
        ("ALL second", json!([b, ALL, a, c]), "all_tag_fixed"),
        ("ALL last", json!([b, a, c, ALL]), "all_tag_fixed"),
    ];

    for (case, tag_ids, code) in cases {
        let body = json!({"tag_ids": tag_ids});
        let answer = put(&app, &order, body).await;
        let problem = expect_problem(answer, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["tag_ids"], "{case}: {problem}");
        assert_eq!(problem["errors"][0]["code"], code, "{case}: {problem}");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        if code == "all_tag_fixed" {
            assert!(message.contains("ALL tag is fixed first"), "{message}");
        }
    }
    assert_eq!(admin_get(&app, &tags).await, before);
    assert_eq!(
        each(&admin_get(&app, &elsewhere).await, "name"),
        ["ALL", "X"]
    );
}

#[tokio::test]
async fn deleting_a_tag_compacts_the_positions_of_the_others() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    let ids = create_tags(&app, &tags, &["A", "B", "C", "D"]).await;

    let b = format!("{tags}/{}", ids[1]);
    let response = delete(&app, &b).await;

    assert_eq!(response.status().as_u16(), 204);
    let list = admin_get(&app, &tags).await;
    assert_eq!(each(&list, "name"), ["ALL", "A", "C", "D"]);
    assert_eq!(each(&list, "position"), [0, 1, 2, 3]);
    expect_problem(delete(&app, &b).await, 404, "not_found").await;
    // A new tag goes after the compacted ones.
    let next = create_tag(&app, &tags, json!({"name": "E"})).await;
    assert_eq!(next["position"], 4);
}

#[tokio::test]
async fn a_patch_with_a_stale_if_match_is_412_and_changes_nothing() {
    let app = spawn_app().await;
    let tags = flow_tags(&app, "Vendas", json!([])).await;
    let tag = create_tag(&app, &tags, json!({"name": "Novo"})).await;
    let path = format!("{tags}/{}", id_of(&tag));
    let renamed = patch_if_match(&app, &path, "\"1\"", &json!({"name": "Quente"})).await;
    expect_json(renamed, 200).await;

    let stale = patch_if_match(&app, &path, "\"1\"", &json!({"name": "Frio"})).await;

    expect_problem(stale, 412, "precondition_failed").await;
    let list = admin_get(&app, &tags).await;
    assert_fields(&list["items"][1], json!({"name": "Quente", "version": 2}));
}

#[tokio::test]
async fn a_tag_id_of_another_flow_or_unknown_is_404() {
    let app = spawn_app().await;
    let vendas = flow_tags(&app, "Vendas", json!([])).await;
    let suporte = flow_tags(&app, "Suporte", json!([])).await;
    let theirs = create_tags(&app, &suporte, &["Urgente"]).await;
    let through_vendas = format!("{vendas}/{}", theirs[0]);
    let unknown = format!("{vendas}/{}", Uuid::now_v7());

    let answers = [
        patch(&app, &through_vendas, json!({"name": "X"})).await,
        delete(&app, &through_vendas).await,
        patch(&app, &unknown, json!({"name": "X"})).await,
        delete(&app, &unknown).await,
    ];

    for answer in answers {
        expect_problem(answer, 404, "not_found").await;
    }
    let kept = admin_get(&app, &suporte).await;
    assert_fields(&kept["items"][1], json!({"name": "Urgente", "version": 1}));
}

#[tokio::test]
async fn an_authorized_member_manages_the_flows_tags() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let tags = flow_tags(&app, "Vendas", json!([ana])).await;

    let (a, b) = (json!({"name": "A"}), json!({"name": "B"}));
    let a = expect_json(app.post(&tags, &token, &a).await, 201).await;
    let b = expect_json(app.post(&tags, &token, &b).await, 201).await;
    let path = format!("{tags}/{}", id_of(&a));
    let renamed = app.patch(&path, &token, &json!({"name": "Á"})).await;
    expect_json(renamed, 200).await;
    let order = json!({"tag_ids": [id_of(&b), id_of(&a)]});
    let reordered = app.put(&format!("{tags}/order"), &token, &order).await;
    expect_json(reordered, 200).await;
    let listed = expect_json(app.get(&tags, &token).await, 200).await;
    let deleted = app.delete(&format!("{tags}/{}", id_of(&b)), &token).await;

    assert_eq!(each(&listed, "name"), ["ALL", "B", "Á"]);
    assert_eq!(deleted.status().as_u16(), 204);
    let list = admin_get(&app, &tags).await;
    assert_eq!(each(&list, "name"), ["ALL", "Á"]);
    assert_eq!(each(&list, "position"), [0, 1]);
}

#[tokio::test]
async fn a_member_not_authorized_for_the_flow_gets_404_on_every_tag_route_and_nothing_changes() {
    let app = spawn_app().await;
    let (ana, _) = app.create_member("ana@example.com").await;
    let (_, intruder) = app.create_member("intruso@example.com").await;
    let tags = flow_tags(&app, "Vendas", json!([ana])).await;
    let ids = create_tags(&app, &tags, &["A", "B"]).await;
    let before = admin_get(&app, &tags).await;
    let nobody = format!("/flows/{}", Uuid::now_v7());
    let nobody = expect_json(app.get(&nobody, &intruder).await, 404).await;
    let (tag, all) = (format!("{tags}/{}", ids[0]), format!("{tags}/{ALL}"));
    let (order, new_order) = (
        format!("{tags}/order"),
        json!({"tag_ids": [ids[1], ids[0]]}),
    );
    let (name, t) = (json!({"name": "Z"}), intruder.as_str());

    let answers = [
        ("GET tags", app.get(&tags, t).await),
        ("POST tag", app.post(&tags, t, &name).await),
        ("PATCH tag", app.patch(&tag, t, &name).await),
        ("PATCH ALL", app.patch(&all, t, &name).await),
        ("DELETE tag", app.delete(&tag, t).await),
        ("DELETE ALL", app.delete(&all, t).await),
        ("PUT order", app.put(&order, t, &new_order).await),
    ];

    for (route, answer) in answers {
        let problem = expect_problem(answer, 404, "not_found").await;
        assert_eq!(problem, nobody, "{route} must look like a missing flow");
    }
    let after = admin_get(&app, &tags).await;
    assert_eq!(after, before, "the tags are unchanged");
}
