//! Quotes and sales: exact pricing, codes, versions, the transition table, the timeline, lists,
//! the flow's receivable and the authorization matrix. This file holds what those tests (and the
//! NF-e tests) share; each area is a module below.

mod access;
mod lists;
mod pricing;
mod receivable;
mod transitions;
mod versions;

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::attendance_helpers::*;
use crate::helpers::*;

/// A flow, a contact and an attendance to register orders on.
pub struct Shop {
    pub flow: String,
    pub contact: String,
    pub attendance: String,
}

impl Shop {
    /// `/attendances/{id}/sales`.
    pub fn sales(&self) -> String {
        format!("/attendances/{}/sales", self.attendance)
    }
}

/// The flow "Vendas" (these members authorized), the contact "João da Conceição" and an
/// attendance for them.
pub async fn shop(app: &TestApp, members: Value) -> Shop {
    let desk = desk(app, members).await;
    shop_on(app, desk).await
}

/// An attendance on this flow and contact.
pub async fn shop_on(app: &TestApp, desk: Desk) -> Shop {
    let attendance =
        id_of(&create(app, &desk, json!({"title": "Cadeiras para o escritório"})).await);
    Shop {
        flow: desk.flow,
        contact: desk.contact,
        attendance,
    }
}

/// One order line: description, quantity and unit price, in units.
pub fn line(description: &str, quantity: &str, unit_price: &str) -> Value {
    json!({"description": description, "quantity": quantity, "unit": "UN",
           "unit_price": unit_price})
}

/// An order with these lines.
pub fn order(items: Vec<Value>) -> Value {
    json!({"items": items})
}

/// A one-line order worth `value` (1 × value).
pub fn worth(value: &str) -> Value {
    order(vec![line("Cadeira", "1", value)])
}

/// Registers an order (a quote unless the body says `approved`) as the admin; returns it.
pub async fn register(app: &TestApp, shop: &Shop, body: Value) -> Value {
    expect_json(app.post(&shop.sales(), &app.admin_token, &body).await, 201).await
}

/// Registers a quote worth `value`; returns it.
pub async fn quote(app: &TestApp, shop: &Shop, value: &str) -> Value {
    register(app, shop, worth(value)).await
}

/// Registers a sale (`approved`) worth `value`; returns it.
pub async fn sale(app: &TestApp, shop: &Shop, value: &str) -> Value {
    let mut body = worth(value);
    body["status"] = json!("approved");
    register(app, shop, body).await
}

/// `/sales/{id}` of an order.
pub fn path_of(order: &Value) -> String {
    format!("/sales/{}", id_of(order))
}

/// A request as `token`, with `If-Match` when given and a JSON body when given.
pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    if_match: Option<&str>,
    body: Option<&Value>,
) -> Response {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.unwrap()
}

/// POSTs `/sales/{id}/{action}` as the admin, with `If-Match` when given.
pub async fn act(app: &TestApp, order: &Value, action: &str, if_match: Option<&str>) -> Response {
    let path = format!("{}/{action}", path_of(order));
    send(app, Method::POST, &path, &app.admin_token, if_match, None).await
}

/// Approves, rejects or cancels as the admin, expecting success; returns the order.
pub async fn acted(app: &TestApp, order: &Value, action: &str) -> Value {
    expect_json(act(app, order, action, None).await, 200).await
}

/// The current version's total of an order.
pub fn total(order: &Value) -> &str {
    order["current"]["total"].as_str().unwrap()
}

/// The flow summary's receivable: `(amount, count)`.
pub async fn receivable(app: &TestApp, flow: &str) -> (String, u64) {
    let summary = admin_get(app, &format!("/flows/{flow}/summary")).await;
    let receivable = &summary["receivable"];
    assert_eq!(receivable["currency"], "BRL", "{summary}");
    let amount = receivable["amount"].as_str().unwrap().to_owned();
    (amount, receivable["count"].as_u64().unwrap())
}
