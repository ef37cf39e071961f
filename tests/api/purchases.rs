//! Purchases: registration with exact totals (half-even centavos), every invalid field named,
//! lists per attendance and global with filters and totals, replacement with If-Match, the
//! timeline, the trash, moves, and the authorization matrix.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::attendance_helpers::*;
use crate::helpers::*;

/// An attendance to buy for, and a supplier.
struct Shop {
    desk: Desk,
    attendance: String,
    supplier: String,
}

impl Shop {
    fn purchases(&self) -> String {
        format!("/attendances/{}/purchases", self.attendance)
    }
}

/// A flow (these members authorized), an attendance in it, and the supplier "Papelaria Sé".
async fn shop(app: &TestApp, members: Value) -> Shop {
    let desk = desk(app, members).await;
    let attendance = id_of(&titled(app, &desk, "Reposição de estoque").await);
    let supplier = contact(app, "Papelaria Sé").await;
    Shop {
        desk,
        attendance,
        supplier,
    }
}

fn line(quantity: &str, unit_price: &str) -> Value {
    json!({"description": "Resma de papel A4", "quantity": quantity, "unit": "cx",
           "unit_price": unit_price})
}

/// A purchase body from this supplier, bought on `day`.
fn body(supplier: &str, day: &str, items: Value) -> Value {
    json!({"supplier_id": supplier, "purchased_on": day, "items": items})
}

/// Registers a purchase on the shop's attendance as `token`; returns it.
async fn buy(app: &TestApp, token: &str, shop: &Shop, day: &str, unit_price: &str) -> Value {
    let body = body(&shop.supplier, day, json!([line("1", unit_price)]));
    expect_json(app.post(&shop.purchases(), token, &body).await, 201).await
}

async fn put_if_match(
    app: &TestApp,
    token: &str,
    path: &str,
    if_match: &str,
    body: &Value,
) -> Response {
    let request = app.client.request(Method::PUT, app.url(path));
    let request = request.bearer_auth(token).header("If-Match", if_match);
    request.json(body).send().await.unwrap()
}

/// Posts `body` as the admin, expects a validation problem and returns the fields it names.
async fn invalid_fields(app: &TestApp, path: &str, body: &Value) -> Vec<String> {
    let response = app.post(path, &app.admin_token, body).await;
    error_fields(&expect_problem(response, 422, "validation_failed").await)
}

/// The `total` of each line of a purchase.
fn line_totals(purchase: &Value) -> Vec<Value> {
    each(&json!({"items": purchase["items"]}), "total")
}

/// The codes of `GET /purchases?with_totals=true` with these parameters, as the admin, and
/// its totals.
async fn found(app: &TestApp, query: &[(&str, &str)]) -> (Vec<Value>, Value) {
    let mut query = query.to_vec();
    query.push(("with_totals", "true"));
    let page = global(app, &app.admin_token, &query).await;
    (each(&page, "code"), page["totals"].clone())
}

/// `GET /purchases` with these parameters, as `token`.
async fn global(app: &TestApp, token: &str, query: &[(&str, &str)]) -> Value {
    expect_json(get_query(app, "/purchases", token, query).await, 200).await
}

#[tokio::test]
async fn a_purchase_is_registered_with_exact_totals_and_read_back_at_its_location() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let percent = json!({"kind": "percent", "value": "12.5"});
    let items = json!([line("1", "0.1"), line("1", "0.2"), line("2.125", "1.00"),
        line("2.135", "1"),
        {"description": " Toner  ", "product_code": "TN-1", "quantity": "3", "unit": "UN",
         "unit_price": "10.00", "discount": percent}]);
    let mut request = body(&shop.supplier, "2026-11-20", items);
    request["freight"] = json!("15");
    request["discount"] = json!({"kind": "amount", "value": "1.00"});
    request["notes"] = json!("  NF 123 do fornecedor ");

    let response = app
        .post(&shop.purchases(), &app.admin_token, &request)
        .await;

    let (location, etag) = (header(&response, "location"), header(&response, "etag"));
    let created = expect_json(response, 201).await;
    assert_eq!(location, format!("/api/v1/purchases/{}", id_of(&created)));
    assert_eq!(etag, "\"1\"");
    let expected = json!({"code": "CMP-000001", "attendance_id": shop.attendance,
        "flow_id": shop.desk.flow, "supplier": {"id": shop.supplier, "name": "Papelaria Sé"},
        "purchased_on": "2026-11-20", "subtotal": "30.81", "discount_amount": "1.00",
        "freight": "15.00", "total": "44.81", "currency": "BRL", "notes": "NF 123 do fornecedor",
        "version": 1, "discount": {"kind": "amount", "value": "1.00"}});
    assert_fields(&created, expected);
    // 0.1 + 0.2 is exactly 0.30; 2.125 → 2.12 and 2.135 → 2.14 (half to even); 12.5 % of 30.00.
    assert_eq!(
        line_totals(&created),
        ["0.10", "0.20", "2.12", "2.14", "26.25"]
    );
    let toner = &created["items"][4];
    assert_fields(
        toner,
        json!({"position": 5, "description": "Toner", "product_code": "TN-1",
        "quantity": "3", "unit": "UN", "unit_price": "10.00", "gross": "30.00",
        "discount_amount": "3.75", "discount": percent}),
    );
    assert_eq!(created["items"][2]["quantity"], "2.125");
    assert_eq!(created["items"][0]["unit"], "CX");
    let read = app
        .get(location.trim_start_matches("/api/v1"), &app.admin_token)
        .await;
    assert_eq!(header(&read, "etag"), "\"1\"");
    assert_eq!(expect_json(read, 200).await, created);
    let next = buy(&app, &app.admin_token, &shop, "2026-11-21", "5").await;
    assert_eq!(next["code"], "CMP-000002");
}

#[tokio::test]
async fn every_invalid_field_is_named_in_one_422() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let too_much = json!({"kind": "amount", "value": "11"});
    let future = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    let items = json!([line("1", "abc"), line("-1", "1"), line("1.00001", "1"),
        {"description": " ", "quantity": "1", "unit": "", "unit_price": "10",
         "discount": too_much}]);
    let mut request = body(&shop.supplier, &future, items);
    request["notes"] = json!("x".repeat(5001));

    let fields = invalid_fields(&app, &shop.purchases(), &request).await;

    let expected = [
        "purchased_on",
        "items[0].unit_price",
        "items[1].quantity",
        "items[2].quantity",
        "items[3].description",
        "items[3].unit",
        "items[3].discount",
        "notes",
    ];
    assert_eq!(fields, expected);
    let empty = body(&shop.supplier, "2026-11-01", json!([]));
    assert_eq!(
        invalid_fields(&app, &shop.purchases(), &empty).await,
        ["items"]
    );
    let mut order = body(&shop.supplier, "2026-11-01", json!([line("1", "10")]));
    order["freight"] = json!("1.234");
    order["discount"] = json!({"kind": "percent", "value": "101"});
    let fields = invalid_fields(&app, &shop.purchases(), &order).await;
    assert_eq!(fields, ["freight", "discount.value"]);
    let undated = json!({"supplier_id": shop.supplier, "items": [line("1", "1")]});
    let fields = invalid_fields(&app, &shop.purchases(), &undated).await;
    assert_eq!(fields, ["purchased_on"]);
    assert_eq!(
        each(&admin_get(&app, &shop.purchases()).await, "id"),
        Vec::<Value>::new()
    );
}

#[tokio::test]
async fn an_unknown_supplier_is_a_422_naming_supplier_id() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let stranger = uuid::Uuid::now_v7().to_string();

    let valid = body(&stranger, "2026-11-01", json!([line("1", "1")]));
    let invalid = body(&stranger, "2026-11-01", json!([line("0", "1")]));
    let response = app.post(&shop.purchases(), &app.admin_token, &valid).await;
    let also = app
        .post(&shop.purchases(), &app.admin_token, &invalid)
        .await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["supplier_id"]);
    assert_eq!(problem["errors"][0]["code"], "unknown_contact");
    let problem = expect_problem(also, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["supplier_id", "items[0].quantity"]);
}

#[tokio::test]
async fn an_attendances_purchases_are_listed_newest_first_page_by_page() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let other = id_of(&titled(&app, &shop.desk, "Outro atendimento").await);
    let mut codes = Vec::new();
    for price in ["1", "2", "3"] {
        codes.push(buy(&app, &app.admin_token, &shop, "2026-11-01", price).await["code"].clone());
    }
    let elsewhere = body(&shop.supplier, "2026-11-01", json!([line("1", "9")]));
    let path = format!("/attendances/{other}/purchases");
    expect_json(app.post(&path, &app.admin_token, &elsewhere).await, 201).await;

    let first = admin_get(&app, &format!("{}?limit=2", shop.purchases())).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let second = admin_get(
        &app,
        &format!("{}?limit=2&cursor={cursor}", shop.purchases()),
    )
    .await;

    assert_eq!(each(&first, "code"), [codes[2].clone(), codes[1].clone()]);
    assert_eq!(each(&second, "code"), [codes[0].clone()]);
    assert_eq!(second["next_cursor"], Value::Null);
    assert_fields(
        &first["items"][0],
        json!({"total": "3.00", "currency": "BRL", "version": 1,
        "supplier": {"id": shop.supplier, "name": "Papelaria Sé"}, "purchased_on": "2026-11-01"}),
    );
    assert!(first.get("totals").is_none(), "{first}");
}

#[tokio::test]
async fn the_global_list_filters_by_flow_supplier_and_day_and_sums_what_matches() {
    let app = spawn_app().await;
    let vendas = shop(&app, json!([])).await;
    let desk = Desk {
        flow: flow(&app, "Suporte", json!([])).await,
        contact: vendas.desk.contact.clone(),
    };
    let suporte = Shop {
        attendance: id_of(&titled(&app, &desk, "Peças").await),
        desk,
        supplier: contact(&app, "Atacado Ação").await,
    };
    buy(&app, &app.admin_token, &vendas, "2026-10-31", "0.10").await;
    buy(&app, &app.admin_token, &vendas, "2026-11-01", "0.20").await;
    buy(&app, &app.admin_token, &suporte, "2026-11-15", "100.05").await;
    let (flow, supplier) = (vendas.desk.flow.as_str(), suporte.supplier.as_str());

    let (all, sum) = found(&app, &[]).await;
    let (in_vendas, in_vendas_sum) = found(&app, &[("flow_id", flow)]).await;
    let (by_supplier, _) = found(&app, &[("supplier_id", supplier)]).await;
    let (november, november_sum) =
        found(&app, &[("from", "2026-11-01"), ("to", "2026-11-30")]).await;
    let (one_day, _) = found(&app, &[("from", "2026-10-31"), ("to", "2026-10-31")]).await;
    let backwards = [("from", "2026-11-02"), ("to", "2026-11-01")];
    let backwards = get_query(&app, "/purchases", &app.admin_token, &backwards).await;

    assert_eq!(all, ["CMP-000003", "CMP-000002", "CMP-000001"]);
    assert_eq!(
        sum,
        json!({"count": 3, "amount": "100.35", "currency": "BRL"})
    );
    assert_eq!(in_vendas, ["CMP-000002", "CMP-000001"]);
    assert_eq!(
        in_vendas_sum,
        json!({"count": 2, "amount": "0.30", "currency": "BRL"})
    );
    assert_eq!(by_supplier, ["CMP-000003"]);
    assert_eq!(november, ["CMP-000003", "CMP-000002"]);
    assert_eq!(november_sum["amount"], "100.25");
    assert_eq!(one_day, ["CMP-000001"]);
    let problem = expect_problem(backwards, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["to"]);
}

#[tokio::test]
async fn a_put_replaces_the_content_with_the_current_version_and_a_stale_one_is_412() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let created = buy(&app, &app.admin_token, &shop, "2026-11-01", "10").await;
    let path = format!("/purchases/{}", id_of(&created));
    let other = contact(&app, "Distribuidora Três Irmãos").await;
    let mut replacement = body(
        &other,
        "2026-11-02",
        json!([line("0.5", "3.33"), line("2", "1")]),
    );
    replacement["freight"] = json!("4.50");

    let response = put_if_match(&app, &app.admin_token, &path, "\"1\"", &replacement).await;
    let etag = header(&response, "etag");
    let replaced = expect_json(response, 200).await;
    let stale = put_if_match(&app, &app.admin_token, &path, "\"1\"", &created_body(&shop)).await;

    assert_eq!(etag, "\"2\"");
    // 0.5 × 3.33 = 1.665 → 1.66 (half to even).
    assert_fields(
        &replaced,
        json!({"id": created["id"], "code": "CMP-000001", "version": 2,
        "supplier": {"id": other, "name": "Distribuidora Três Irmãos"},
        "purchased_on": "2026-11-02", "subtotal": "3.66", "freight": "4.50", "total": "8.16",
        "notes": null, "created_at": created["created_at"]}),
    );
    assert_eq!(line_totals(&replaced), ["1.66", "2.00"]);
    expect_problem(stale, 412, "precondition_failed").await;
    let read = app.get(&path, &app.admin_token).await;
    assert_eq!(header(&read, "etag"), "\"2\"");
    assert_eq!(expect_json(read, 200).await, replaced);
    let invalid = body(&shop.supplier, "2026-11-02", json!([line("1", "-1")]));
    let problem = expect_problem(
        put_if_match(&app, &app.admin_token, &path, "\"2\"", &invalid).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["items[0].unit_price"]);
    let list = global(&app, &app.admin_token, &[("with_totals", "true")]).await;
    assert_eq!(list["totals"]["amount"], "8.16");
}

fn created_body(shop: &Shop) -> Value {
    body(&shop.supplier, "2026-11-01", json!([line("1", "10")]))
}

#[tokio::test]
async fn registrations_and_replacements_appear_in_the_attendances_timeline() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let created = buy(&app, &app.admin_token, &shop, "2026-11-01", "10").await;
    let path = format!("/purchases/{}", id_of(&created));
    let cheaper = body(&shop.supplier, "2026-11-01", json!([line("1", "7.5")]));
    expect_json(app.put(&path, &app.admin_token, &cheaper).await, 200).await;

    let timeline = admin_get(&app, &format!("/attendances/{}/timeline", shop.attendance)).await;

    assert_eq!(
        timeline_kinds(&app, &shop.attendance).await[..2],
        ["purchase_updated", "purchase_registered"]
    );
    let (updated, registered) = (&timeline["items"][0], &timeline["items"][1]);
    assert_eq!(updated["actor"], admin_ref(&app).await);
    assert_fields(
        &registered["data"],
        json!({"purchase_id": created["id"],
        "code": "CMP-000001", "total": "10.00",
        "supplier": {"id": shop.supplier, "name": "Papelaria Sé"}}),
    );
    assert_fields(
        &updated["data"],
        json!({"purchase_id": created["id"], "code": "CMP-000001",
        "version": 2, "from": "10.00", "total": "7.50"}),
    );
}

#[tokio::test]
async fn an_attendance_in_the_trash_takes_no_purchase_and_no_edit() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let created = buy(&app, &app.admin_token, &shop, "2026-11-01", "10").await;
    let path = format!("/purchases/{}", id_of(&created));
    let attendance = format!("/attendances/{}", shop.attendance);
    expect_json(app.delete(&attendance, &app.admin_token).await, 200).await;

    let post = app
        .post(&shop.purchases(), &app.admin_token, &created_body(&shop))
        .await;
    let put = app.put(&path, &app.admin_token, &created_body(&shop)).await;

    expect_problem(post, 409, "conflict").await;
    expect_problem(put, 409, "conflict").await;
    assert_eq!(admin_get(&app, &path).await, created);
    assert_eq!(
        ids(&admin_get(&app, &shop.purchases()).await),
        [id_of(&created)]
    );
}

#[tokio::test]
async fn members_outside_the_flow_get_404_everywhere_and_authorized_members_do_everything() {
    let app = spawn_app().await;
    let (inside_id, inside) = app.create_member("dentro@example.com").await;
    let (_, outside) = app.create_member("fora@example.com").await;
    let shop = shop(&app, json!([inside_id])).await;
    let theirs = shop_in_own_flow(&app, &outside).await;
    let created = buy(&app, &app.admin_token, &shop, "2026-11-01", "10").await;
    let path = format!("/purchases/{}", id_of(&created));
    let request = created_body(&shop);

    for response in [
        app.get(&shop.purchases(), &outside).await,
        app.post(&shop.purchases(), &outside, &request).await,
        app.get(&path, &outside).await,
        app.put(&path, &outside, &request).await,
        put_if_match(&app, &outside, &path, "\"9\"", &request).await,
    ] {
        expect_problem(response, 404, "not_found").await;
    }
    let seen = global(&app, &outside, &[("with_totals", "true")]).await;
    assert_eq!(each(&seen, "code"), [theirs["code"].clone()]);
    assert_eq!(seen["totals"]["count"], 1);
    let filtered = global(&app, &outside, &[("flow_id", &shop.desk.flow)]).await;
    assert_eq!(filtered["items"], json!([]));

    let mine = buy(&app, &inside, &shop, "2026-11-02", "5").await;
    let listed = admin_get(&app, &shop.purchases()).await;
    assert_eq!(ids(&listed), [id_of(&mine), id_of(&created)]);
    assert_eq!(
        expect_json(app.get(&shop.purchases(), &inside).await, 200).await,
        listed
    );
    expect_json(app.get(&path, &inside).await, 200).await;
    let edited = put_if_match(&app, &inside, &path, "\"1\"", &request).await;
    assert_eq!(expect_json(edited, 200).await["version"], 2);
    let visible = global(&app, &inside, &[]).await;
    assert_eq!(ids(&visible), [id_of(&mine), id_of(&created)]);
    assert_eq!(ids(&global(&app, &app.admin_token, &[]).await).len(), 3);
}

/// A flow of the admin's with `member` authorized, an attendance in it and one purchase.
async fn shop_in_own_flow(app: &TestApp, member: &str) -> Value {
    let me = expect_json(app.get("/me", member).await, 200).await;
    let desk = Desk {
        flow: flow(app, "Compras", json!([me["id"]])).await,
        contact: contact(app, "Cliente da outra equipe").await,
    };
    let attendance = id_of(&titled(app, &desk, "Material").await);
    let shop = Shop {
        desk,
        attendance,
        supplier: contact(app, "Fornecedor da outra equipe").await,
    };
    buy(app, &app.admin_token, &shop, "2026-11-01", "1").await
}

#[tokio::test]
async fn moving_the_attendance_to_another_flow_moves_its_purchases() {
    let app = spawn_app().await;
    let (member_id, member) = app.create_member("vendas@example.com").await;
    let shop = shop(&app, json!([member_id])).await;
    let created = buy(&app, &app.admin_token, &shop, "2026-11-01", "10").await;
    let target = flow(&app, "Pós-venda", json!([])).await;
    let move_path = format!("/attendances/{}/move", shop.attendance);

    let moved = app
        .post(&move_path, &app.admin_token, &json!({"flow_id": target}))
        .await;

    expect_json(moved, 200).await;
    let there = global(&app, &app.admin_token, &[("flow_id", &target)]).await;
    assert_eq!(ids(&there), [id_of(&created)]);
    assert_eq!(there["items"][0]["flow_id"], target.as_str());
    let before = global(&app, &app.admin_token, &[("flow_id", &shop.desk.flow)]).await;
    assert_eq!(before["items"], json!([]));
    let path = format!("/purchases/{}", id_of(&created));
    assert_eq!(admin_get(&app, &path).await["flow_id"], target.as_str());
    // The member was authorized only in the old flow: the purchase went with the attendance.
    expect_problem(app.get(&path, &member).await, 404, "not_found").await;
    assert_eq!(global(&app, &member, &[]).await["items"], json!([]));
}
