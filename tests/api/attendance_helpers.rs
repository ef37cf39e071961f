//! What the attendance tests share: a flow with a contact to work on, short ways to create
//! attendances and tags, to read lists and timelines, and to send `If-Match`.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::*;

pub fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}

pub fn header(response: &Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

/// Asserts that `body` has each field of `expected` with that value (other fields are ignored).
#[track_caller]
pub fn assert_fields(body: &Value, expected: Value) {
    let keys = expected.as_object().unwrap().keys();
    let actual: Value = keys.map(|k| (k.clone(), body[k].clone())).collect();
    assert_eq!(actual, expected);
}

/// One field of each item of a page, in order: `each(&page, "title")`.
pub fn each(page: &Value, field: &str) -> Vec<Value> {
    let items = page["items"].as_array().unwrap();
    items.iter().map(|item| item[field].clone()).collect()
}

/// The ids of a page's items, in order.
pub fn ids(page: &Value) -> Vec<String> {
    let items = page["items"].as_array().unwrap();
    items.iter().map(id_of).collect()
}

/// A flow to work in and a contact to work for.
pub struct Desk {
    pub flow: String,
    pub contact: String,
}

impl Desk {
    pub fn attendances(&self) -> String {
        format!("/flows/{}/attendances", self.flow)
    }
}

/// Creates the flow `name` with these authorized user ids; returns its id.
pub async fn flow(app: &TestApp, name: &str, members: Value) -> String {
    let body = json!({"name": name, "authorized_user_ids": members});
    id_of(&app.create_flow(body).await)
}

/// Creates a contact (as the admin) and returns its id.
pub async fn contact(app: &TestApp, name: &str) -> String {
    id_of(
        &app.create_contact(&app.admin_token, json!({"name": name}))
            .await,
    )
}

/// The flow "Vendas" (these members authorized) and the contact "João da Conceição".
pub async fn desk(app: &TestApp, members: Value) -> Desk {
    Desk {
        flow: flow(app, "Vendas", members).await,
        contact: contact(app, "João da Conceição").await,
    }
}

/// Creates an attendance as the admin; `body` is completed with the desk's contact.
pub async fn create(app: &TestApp, desk: &Desk, mut body: Value) -> Value {
    if body.get("contact_id").is_none() {
        body["contact_id"] = json!(desk.contact);
    }
    let response = app.post(&desk.attendances(), &app.admin_token, &body).await;
    expect_json(response, 201).await
}

/// Creates an attendance with only a title; returns it.
pub async fn titled(app: &TestApp, desk: &Desk, title: &str) -> Value {
    create(app, desk, json!({"title": title})).await
}

/// Creates a tag in a flow as the admin; returns it.
pub async fn tag(app: &TestApp, flow: &str, name: &str, color: &str) -> Value {
    let path = format!("/flows/{flow}/tags");
    let body = json!({"name": name, "color": color});
    expect_json(app.post(&path, &app.admin_token, &body).await, 201).await
}

/// A 200 answer to an admin's GET, as JSON.
pub async fn admin_get(app: &TestApp, path: &str) -> Value {
    expect_json(app.get(path, &app.admin_token).await, 200).await
}

/// A 200 answer to an admin's POST without a body, as JSON.
pub async fn admin_post(app: &TestApp, path: &str) -> Value {
    expect_json(app.post(path, &app.admin_token, &json!({})).await, 200).await
}

/// A GET with query parameters (encoded by the client), as `token`.
pub async fn get_query(app: &TestApp, path: &str, token: &str, query: &[(&str, &str)]) -> Response {
    let request = app.client.get(app.url(path)).query(query);
    request.bearer_auth(token).send().await.unwrap()
}

/// One page of a flow's list, as the admin.
pub async fn list(app: &TestApp, flow: &str, query: &[(&str, &str)]) -> Value {
    let path = format!("/flows/{flow}/attendances");
    expect_json(get_query(app, &path, &app.admin_token, query).await, 200).await
}

/// The ids of a flow's list (first page, up to 200) with these parameters.
pub async fn listed(app: &TestApp, flow: &str, query: &[(&str, &str)]) -> Vec<String> {
    let mut query = query.to_vec();
    query.push(("limit", "200"));
    ids(&list(app, flow, &query).await)
}

pub async fn patch_if_match(app: &TestApp, path: &str, if_match: &str, body: &Value) -> Response {
    let request = app.client.request(Method::PATCH, app.url(path));
    let request = request
        .bearer_auth(&app.admin_token)
        .header("If-Match", if_match);
    request.json(body).send().await.unwrap()
}

/// The kinds of an attendance's timeline entries, newest first (first page of up to 200).
pub async fn timeline_kinds(app: &TestApp, attendance: &str) -> Vec<String> {
    let path = format!("/attendances/{attendance}/timeline?limit=200");
    let page = admin_get(app, &path).await;
    let kinds = each(&page, "kind");
    kinds
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect()
}

/// The administrator as `{id, name}`, as timelines and interactions name them.
pub async fn admin_ref(app: &TestApp) -> Value {
    let me = admin_get(app, "/me").await;
    json!({"id": me["id"], "name": me["name"]})
}
