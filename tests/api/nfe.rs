//! NF-e data of an order: the prefill from the contact and the current version, the user's
//! completion (each wrong value named by its path, an incomplete document accepted with what is
//! `missing`), If-Match, the `issue_nfe` mark, closed orders, and review after a new version.

use reqwest::Method;
use serde_json::{Value, json};

use crate::attendance_helpers::*;
use crate::helpers::*;
use crate::sales::{Shop, acted, path_of, quote, register, sale, send, shop, shop_on};

const CPF: &str = "529.982.247-25";

/// A shop whose contact has everything an NF-e recipient needs but the IBGE code.
async fn invoiced_shop(app: &TestApp, contact: Value) -> Shop {
    let flow = flow(app, "Vendas", json!([])).await;
    let contact = id_of(&app.create_contact(&app.admin_token, contact).await);
    shop_on(app, Desk { flow, contact }).await
}

fn person() -> Value {
    json!({"name": "João da Conceição", "email": "joao@example.com", "phone": "(11) 98765-4321",
           "document": CPF,
           "address": {"street": "Avenida Paulista", "number": "1578", "complement": "Conjunto 12",
                       "district": "Bela Vista", "city": "São Paulo", "state": "SP",
                       "postal_code": "01310-200"}})
}

/// 30 chairs at 150.00 less 5 %, 2 tables at 899.90, 50.00 off the order, 120.00 of freight:
/// 6144.80.
fn chairs_and_tables() -> Value {
    json!({"items": [
        {"description": "Cadeira de escritório", "product_code": "CAD-01", "quantity": "30",
         "unit": "UN", "unit_price": "150.00", "discount": {"kind": "percent", "value": "5"}},
        {"description": "Mesa", "quantity": "2", "unit": "UN", "unit_price": "899.90"}
    ], "freight": "120.00", "discount": {"kind": "amount", "value": "50.00"}})
}

/// What completes the prefill of [`chairs_and_tables`] for [`person`].
fn completion() -> Value {
    json!({"ind_pres": 2,
           "recipient": {"address": {"municipality_code": "3550308"}},
           "items": [{"ncm": "9401.30.10", "cfop": "5102", "orig": 0},
                     {"product_code": "MESA-01", "ncm": "94033000", "cfop": "5102", "orig": 0}],
           "payments": [{"t_pag": "17", "value": "6144.80"}]})
}

fn nfe_path(order: &Value) -> String {
    format!("{}/nfe", path_of(order))
}

async fn put_nfe(
    app: &TestApp,
    order: &Value,
    if_match: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    send(
        app,
        Method::PUT,
        &nfe_path(order),
        &app.admin_token,
        if_match,
        Some(body),
    )
    .await
}

#[tokio::test]
async fn the_nfe_data_is_prefilled_from_the_contact_and_the_current_version() {
    let app = spawn_app().await;
    let shop = invoiced_shop(&app, person()).await;
    let order = register(&app, &shop, chairs_and_tables()).await;

    let response = app.get(&nfe_path(&order), &app.admin_token).await;

    assert_eq!(header(&response, "etag"), "\"0\"");
    let nfe = expect_json(response, 200).await;
    let expected = json!({"sale_id": id_of(&order), "sale_code": "ORC-000001",
        "order_status": "awaiting_approval", "issue_nfe": false, "sale_version": 1, "version": 0,
        "status": "incomplete", "invalid": [], "review": [], "updated_at": null});
    assert_fields(&nfe, expected);
    let missing = [
        "ind_pres",
        "recipient.address.municipality_code",
        "items[0].ncm",
        "items[0].cfop",
        "items[0].orig",
        "items[1].product_code",
        "items[1].ncm",
        "items[1].cfop",
        "items[1].orig",
        "payments[0].t_pag",
    ];
    assert_eq!(nfe["missing"], json!(missing));
    let item = |position,
                description: &str,
                code: Value,
                quantity: &str,
                unit_value: &str,
                total: &str,
                discount: &str,
                freight: &str| {
        json!({"position": position, "description": description, "product_code": code,
               "ncm": null, "cfop": null, "cest": null, "orig": null, "unit": "UN",
               "quantity": quantity, "unit_value": unit_value, "total": total,
               "discount": discount, "freight": freight})
    };
    // The order discount (50.00) and freight (120.00) are split by line value, to the centavo.
    let document = json!({
        "nat_op": "Venda de mercadoria", "fin_nfe": 1, "ind_final": 1, "ind_pres": null,
        "mod_frete": 0,
        "recipient": {"name": "João da Conceição", "document": "52998224725",
            "document_kind": "cpf", "ind_ie_dest": 9, "state_registration": null,
            "email": "joao@example.com", "phone": "11987654321",
            "address": {"street": "Avenida Paulista", "number": "1578",
                "complement": "Conjunto 12", "district": "Bela Vista", "municipality": "São Paulo",
                "municipality_code": null, "state": "SP", "postal_code": "01310200",
                "country_code": "1058", "country": "Brasil"}},
        "items": [
            item(1, "Cadeira de escritório", json!("CAD-01"), "30", "150.00", "4500.00", "260.19", "84.45"),
            item(2, "Mesa", json!(null), "2", "899.90", "1799.80", "14.81", "35.55"),
        ],
        "payments": [{"t_pag": null, "description": null, "value": "6144.80"}],
        "totals": {"products": "6299.80", "discount": "275.00", "freight": "120.00",
                   "total": "6144.80"},
        "additional_info": null
    });
    assert_eq!(nfe["document"], document);
}

#[tokio::test]
async fn wrong_values_are_refused_naming_each_path_and_nothing_is_saved() {
    let app = spawn_app().await;
    let shop = invoiced_shop(&app, person()).await;
    let order = register(&app, &shop, chairs_and_tables()).await;
    let body = json!({"fin_nfe": 5,
        "recipient": {"document": "529.982.247-24",
            "address": {"municipality_code": "355030", "state": "XX", "postal_code": "0131010"}},
        "items": [{"ncm": "9401301", "cfop": "4102", "orig": 9}, {"cfop": "510"}],
        "payments": [{"t_pag": "14", "value": "-1"}]});

    let response = put_nfe(&app, &order, None, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    let fields = [
        "fin_nfe",
        "recipient.document",
        "recipient.address.municipality_code",
        "recipient.address.state",
        "recipient.address.postal_code",
        "items[0].ncm",
        "items[0].cfop",
        "items[0].orig",
        "items[1].cfop",
        "payments[0].t_pag",
        "payments[0].value",
    ];
    assert_eq!(error_fields(&problem), fields);
    assert_eq!(problem["errors"][1]["code"], "invalid_check_digits");
    let nfe = admin_get(&app, &nfe_path(&order)).await;
    assert_fields(&nfe, json!({"version": 0, "issue_nfe": false}));
}

#[tokio::test]
async fn inconsistent_values_and_a_wrong_item_count_are_refused() {
    let app = spawn_app().await;
    let shop = invoiced_shop(&app, person()).await;
    let order = register(&app, &shop, chairs_and_tables()).await;
    let cases = [
        (json!({"items": [{"ncm": "94013010"}]}), "items"),
        (json!({"ind_final": 0}), "ind_final"),
        (
            json!({"recipient": {"address": {"municipality_code": "3304557"}}}),
            "recipient.address.municipality_code",
        ), // Rio de Janeiro is not in SP
        (
            json!({"payments": [{"t_pag": "01", "value": "6144.79"}]}),
            "payments",
        ),
        (
            json!({"payments": [{"t_pag": "90", "value": "1.00"}]}),
            "payments[0].value",
        ),
        (json!({"recipient": {"name": "J"}}), "recipient.name"),
    ];

    for (body, field) in cases {
        let response = put_nfe(&app, &order, None, &body).await;

        let problem = expect_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
}

#[tokio::test]
async fn a_complete_document_is_ready_and_marks_the_order_to_issue_an_nfe() {
    let app = spawn_app().await;
    let shop = invoiced_shop(&app, person()).await;
    let order = acted(
        &app,
        &register(&app, &shop, chairs_and_tables()).await,
        "approve",
    )
    .await;

    let response = put_nfe(&app, &order, Some("\"0\""), &completion()).await;

    assert_eq!(header(&response, "etag"), "\"1\"");
    let saved = expect_json(response, 200).await;
    let expected = json!({"status": "ready", "missing": [], "invalid": [], "review": [],
        "version": 1, "issue_nfe": true, "order_status": "approved", "sale_version": 1});
    assert_fields(&saved, expected);
    assert!(saved["updated_at"].is_string());
    let items = &saved["document"]["items"];
    assert_fields(
        &items[0],
        json!({"ncm": "94013010", "cfop": "5102", "orig": 0, "product_code": "CAD-01"}),
    );
    assert_fields(
        &items[1],
        json!({"ncm": "94033000", "product_code": "MESA-01", "quantity": "2"}),
    );
    assert_eq!(
        saved["document"]["recipient"]["address"]["municipality_code"],
        "3550308"
    );
    let read = app.get(&nfe_path(&order), &app.admin_token).await;
    assert_eq!(header(&read, "etag"), "\"1\"");
    assert_eq!(expect_json(read, 200).await, saved);
    let sale = admin_get(&app, &path_of(&order)).await;
    assert_fields(&sale, json!({"issue_nfe": true, "status": "approved"}));
    assert_eq!(
        sale["current"]["number"], 1,
        "the order's content did not change"
    );
    let kinds = timeline_kinds(&app, &shop.attendance).await;
    assert_eq!(kinds[0], "sale_nfe_saved");
}

#[tokio::test]
async fn a_partial_document_is_saved_as_incomplete_and_a_stale_if_match_is_refused() {
    let app = spawn_app().await;
    let shop = invoiced_shop(&app, person()).await;
    let order = register(&app, &shop, chairs_and_tables()).await;
    let partial = json!({"ind_pres": 2, "items": [{"ncm": "94013010", "cfop": "5102", "orig": 0},
                                                  {"ncm": "94033000"}]});

    let first = expect_json(put_nfe(&app, &order, Some("\"0\""), &partial).await, 200).await;
    let stale = put_nfe(&app, &order, Some("\"0\""), &completion()).await;
    let unknown = put_nfe(&app, &order, Some("\"7\""), &completion()).await;

    let missing = [
        "recipient.address.municipality_code",
        "items[1].product_code",
        "items[1].cfop",
        "items[1].orig",
        "payments[0].t_pag",
    ];
    assert_fields(
        &first,
        json!({"status": "incomplete", "missing": missing, "version": 1}),
    );
    expect_problem(stale, 412, "precondition_failed").await;
    expect_problem(unknown, 412, "precondition_failed").await;
    assert_eq!(admin_get(&app, &nfe_path(&order)).await, first);
    let second = expect_json(
        put_nfe(&app, &order, Some("\"1\""), &completion()).await,
        200,
    )
    .await;
    assert_fields(&second, json!({"status": "ready", "version": 2}));
    // A PUT replaces the completion: what is not sent again goes back to the prefill.
    let third = expect_json(
        put_nfe(&app, &order, None, &json!({"ind_pres": 2})).await,
        200,
    )
    .await;
    assert_eq!(third["version"], 3);
    assert_eq!(third["document"]["items"][0]["ncm"], json!(null));
}

#[tokio::test]
async fn sent_values_override_the_prefill_blanks_remove_it_and_the_rest_follows_the_contact() {
    let app = spawn_app().await;
    let shop = invoiced_shop(&app, person()).await;
    let order = register(&app, &shop, chairs_and_tables()).await;
    let body = json!({"recipient": {"name": "João C. Silva", "email": "",
                                    "address": {"street": "  ", "postal_code": "01311-000"}}});

    let saved = expect_json(put_nfe(&app, &order, None, &body).await, 200).await;
    let contact = format!("/contacts/{}", shop.contact);
    let edit = json!({"name": "João Conceição", "address": {"district": "Jardim Paulista"}});
    expect_json(app.patch(&contact, &app.admin_token, &edit).await, 200).await;
    let read = admin_get(&app, &nfe_path(&order)).await;

    let recipient = &saved["document"]["recipient"];
    assert_fields(recipient, json!({"name": "João C. Silva", "email": null}));
    assert_fields(
        &recipient["address"],
        json!({"street": null, "postal_code": "01311000"}),
    );
    assert!(
        saved["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("recipient.address.street"))
    );
    let recipient = &read["document"]["recipient"];
    assert_eq!(recipient["name"], "João C. Silva", "the sent name stays");
    assert_eq!(
        recipient["address"]["district"], "Jardim Paulista",
        "the prefill follows the contact"
    );
}

#[tokio::test]
async fn a_company_is_invoiced_by_its_legal_name_and_states_its_registration() {
    let app = spawn_app().await;
    let contact = json!({"name": "Maria Souza", "company": "Padaria Pão de Açúcar Ltda.",
                         "document": "11.444.777/0001-61"});
    let shop = invoiced_shop(&app, contact).await;
    let order = quote(&app, &shop, "100").await;

    let nfe = admin_get(&app, &nfe_path(&order)).await;
    let taxpayer = json!({"recipient": {"ind_ie_dest": 1}, "ind_final": 0});
    let taxpayer = expect_json(put_nfe(&app, &order, None, &taxpayer).await, 200).await;
    let exempt = json!({"recipient": {"ind_ie_dest": 2, "state_registration": "110.042.490.114"}});
    let exempt = put_nfe(&app, &order, None, &exempt).await;

    let recipient = &nfe["document"]["recipient"];
    let expected = json!({"name": "Padaria Pão de Açúcar Ltda.", "document": "11444777000161",
                          "document_kind": "cnpj", "ind_ie_dest": null});
    assert_fields(recipient, expected);
    let missing = nfe["missing"].as_array().unwrap();
    assert!(
        missing.contains(&json!("recipient.ind_ie_dest")) && missing.contains(&json!("ind_final"))
    );
    let missing = taxpayer["missing"].as_array().unwrap();
    assert!(
        missing.contains(&json!("recipient.state_registration")),
        "{taxpayer}"
    );
    assert!(!missing.contains(&json!("ind_final")));
    let problem = expect_problem(exempt, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["recipient.state_registration"]);
}

#[tokio::test]
async fn after_a_new_version_kept_tax_data_is_matched_by_position_and_changed_lines_are_reviewed() {
    let app = spawn_app().await;
    let shop = invoiced_shop(&app, person()).await;
    let order = register(&app, &shop, chairs_and_tables()).await;
    expect_json(put_nfe(&app, &order, None, &completion()).await, 200).await;
    let revision = json!({"items": [
        {"description": "Cadeira de escritório", "product_code": "CAD-01", "quantity": "40",
         "unit": "UN", "unit_price": "145.00"},
        {"description": "Armário", "product_code": "ARM-01", "quantity": "1", "unit": "UN",
         "unit_price": "1200"},
        {"description": "Luminária", "product_code": "LUM-01", "quantity": "3", "unit": "UN",
         "unit_price": "80"}]});
    expect_json(
        app.put(&path_of(&order), &app.admin_token, &revision).await,
        200,
    )
    .await;

    let nfe = admin_get(&app, &nfe_path(&order)).await;

    assert_fields(
        &nfe,
        json!({"status": "incomplete", "sale_version": 2, "version": 1}),
    );
    let review: Vec<(&str, &str)> = nfe["review"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["field"].as_str().unwrap(), r["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        review,
        [("items[1]", "line_changed"), ("items[2]", "line_added")]
    );
    let items = &nfe["document"]["items"];
    assert_fields(
        &items[0],
        json!({"ncm": "94013010", "quantity": "40", "total": "5800.00"}),
    );
    assert_fields(
        &items[1],
        json!({"description": "Armário", "product_code": "MESA-01", "ncm": "94033000"}),
    );
    assert_fields(&items[2], json!({"product_code": "LUM-01", "ncm": null}));
    assert_eq!(
        error_fields(&json!({"errors": nfe["invalid"]})),
        ["payments"],
        "7240.00 is owed now"
    );
    // Version 2 charges no freight, so the freight mode is no longer prefilled.
    let missing = [
        "mod_frete",
        "items[2].ncm",
        "items[2].cfop",
        "items[2].orig",
    ];
    assert_eq!(nfe["missing"], json!(missing));

    let mut document = nfe["document"].clone();
    document["items"][1] =
        json!({"product_code": "ARM-01", "ncm": "94035000", "cfop": "5102", "orig": 0});
    document["items"][2]["ncm"] = json!("94059100");
    document["items"][2]["cfop"] = json!("5102");
    document["items"][2]["orig"] = json!(2);
    document["payments"][0]["value"] = json!("7240.00");
    document["mod_frete"] = json!(9);
    let saved = put_nfe(&app, &order, Some("\"1\""), &document).await;
    let saved = expect_json(saved, 200).await;
    assert_fields(
        &saved,
        json!({"status": "ready", "review": [], "invalid": [], "version": 2}),
    );
}

#[tokio::test]
async fn rejected_and_cancelled_orders_get_no_nfe_but_show_their_data() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let rejected = acted(&app, &quote(&app, &shop, "10").await, "reject").await;
    let cancelled = acted(&app, &sale(&app, &shop, "10").await, "cancel").await;

    for closed in [&rejected, &cancelled] {
        let response = put_nfe(&app, closed, None, &json!({"ind_pres": 1})).await;

        let problem = expect_problem(response, 409, "conflict").await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(closed["status"].as_str().unwrap())
        );
        let nfe = admin_get(&app, &nfe_path(closed)).await;
        assert_fields(
            &nfe,
            json!({"order_status": closed["status"], "version": 0, "issue_nfe": false}),
        );
    }
}

#[tokio::test]
async fn other_means_of_payment_need_a_description_and_the_order_of_an_unknown_id_is_404() {
    let app = spawn_app().await;
    let shop = invoiced_shop(&app, person()).await;
    let order = quote(&app, &shop, "100").await;
    let body = json!({"payments": [{"t_pag": "99", "value": "100"}]});

    let saved = expect_json(put_nfe(&app, &order, None, &body).await, 200).await;
    let unknown = app
        .get(
            &format!("/sales/{}/nfe", uuid::Uuid::now_v7()),
            &app.admin_token,
        )
        .await;
    let malformed = app
        .put(
            &nfe_path(&order),
            &app.admin_token,
            &json!({"fin_nfe": "1"}),
        )
        .await;

    assert!(
        saved["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("payments[0].description"))
    );
    assert_eq!(saved["document"]["payments"][0]["value"], "100.00");
    expect_problem(unknown, 404, "not_found").await;
    let problem = expect_problem(malformed, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["fin_nfe"]);
}
