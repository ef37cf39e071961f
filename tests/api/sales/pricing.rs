//! Exact arithmetic through the API: decimal strings in and out, centavos rounded half to even
//! (ABNT NBR 5891), and every invalid amount named by its field.

use serde_json::{Value, json};

use super::*;

/// The field and code of each error of a validation problem.
fn errors_of(problem: &Value) -> Vec<(String, String)> {
    let errors = problem["errors"].as_array().unwrap();
    let pair = |e: &Value| {
        (
            e["field"].as_str().unwrap().into(),
            e["code"].as_str().unwrap().into(),
        )
    };
    errors.iter().map(pair).collect()
}

/// Registers `body` expecting a 422; returns the `(field, code)` pairs and checks nothing was kept.
async fn refused(app: &TestApp, shop: &Shop, body: Value) -> Vec<(String, String)> {
    let response = app.post(&shop.sales(), &app.admin_token, &body).await;
    let problem = expect_problem(response, 422, "validation_failed").await;
    let listed = admin_get(app, &shop.sales()).await;
    assert_eq!(listed["items"], json!([]), "nothing is registered");
    errors_of(&problem)
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

#[tokio::test]
async fn lines_of_0_1_and_0_2_add_up_to_exactly_0_30() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let body = order(vec![line("Clipe", "1", "0.1"), line("Grampo", "1", "0.2")]);

    let created = register(&app, &shop, body).await;

    let current = &created["current"];
    assert_eq!(each(current, "total"), [json!("0.10"), json!("0.20")]);
    let expected = json!({"subtotal": "0.30", "discount_amount": "0.00", "freight": "0.00",
                          "total": "0.30"});
    assert_fields(current, expected);
    assert_eq!(
        admin_get(&app, &path_of(&created)).await["current"]["total"],
        "0.30"
    );
}

#[tokio::test]
async fn three_decimal_quantities_are_kept_and_their_values_rounded_half_to_even() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let body = order(vec![
        line("Fio de cobre (kg)", "2.125", "1.00"),
        line("Fio de aço (kg)", "2.135", "1.00"),
        line("Areia (m³)", "1.255", "10.00"),
    ]);

    let created = register(&app, &shop, body).await;

    let current = &created["current"];
    assert_eq!(
        each(current, "quantity"),
        [json!("2.125"), json!("2.135"), json!("1.255")]
    );
    // 2.125 → 2.12 and 2.135 → 2.14: ties go to the even centavo, not always up.
    assert_eq!(
        each(current, "gross"),
        [json!("2.12"), json!("2.14"), json!("12.55")]
    );
    assert_eq!(current["total"], "16.81");
}

#[tokio::test]
async fn a_12_5_percent_discount_and_an_order_discount_round_half_to_even() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let mut item = line("Resma de papel", "3", "10.00");
    item["discount"] = json!({"kind": "percent", "value": "12.5"});
    let mut body = order(vec![item]);
    body["discount"] = json!({"kind": "percent", "value": "10"});
    body["freight"] = json!("15");

    let created = register(&app, &shop, body).await;

    let current = &created["current"];
    let expected = json!({"gross": "30.00", "discount_amount": "3.75", "total": "26.25"});
    assert_fields(&current["items"][0], expected);
    // 10 % of 26.25 is 2.625: half to even gives 2.62.
    let expected = json!({"subtotal": "26.25", "discount_amount": "2.62", "freight": "15.00",
                          "total": "38.63"});
    assert_fields(current, expected);
}

#[tokio::test]
async fn a_total_at_the_bound_is_accepted_and_one_centavo_more_is_refused_naming_total() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;

    let at_bound = quote(&app, &shop, "999999999.99").await;
    assert_eq!(total(&at_bound), "999999999.99");
    let large_quantity = register(
        &app,
        &shop,
        order(vec![line("Parafuso", "999999.9999", "1000")]),
    )
    .await;
    assert_eq!(total(&large_quantity), "999999999.90");

    let over = order(vec![
        line("Lote", "1", "999999999.99"),
        line("Brinde", "1", "0.01"),
    ]);
    let response = app.post(&shop.sales(), &app.admin_token, &over).await;
    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(errors_of(&problem), [pair("total", "too_large")]);
    let mut freighted = worth("999999999.99");
    freighted["freight"] = json!("0.01");
    let response = app.post(&shop.sales(), &app.admin_token, &freighted).await;
    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["total"]);
}

#[tokio::test]
async fn negative_prices_and_quantities_are_refused_naming_each_field() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let body = order(vec![
        line("Cadeira", "1", "-150.00"),
        line("Mesa", "-2", "300"),
    ]);

    let errors = refused(&app, &shop, body).await;

    let expected = [
        pair("items[0].unit_price", "negative"),
        pair("items[1].quantity", "negative"),
    ];
    assert_eq!(errors, expected);
}

#[tokio::test]
async fn a_discount_over_the_line_value_is_refused_naming_that_lines_discount() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let mut expensive = line("Mesa", "2", "10.00");
    expensive["discount"] = json!({"kind": "amount", "value": "20.01"});
    let body = order(vec![line("Cadeira", "1", "5"), expensive]);

    let errors = refused(&app, &shop, body).await;

    assert_eq!(errors, [pair("items[1].discount", "exceeds_value")]);
    let mut whole_order = worth("10");
    whole_order["discount"] = json!({"kind": "amount", "value": "10.01"});
    assert_eq!(
        refused(&app, &shop, whole_order).await,
        [pair("discount", "exceeds_value")]
    );
    // A discount of exactly the line's value is a free line, not an error.
    let mut free = line("Brinde", "1", "10");
    free["discount"] = json!({"kind": "percent", "value": "100"});
    assert_eq!(
        total(&register(&app, &shop, order(vec![free])).await),
        "0.00"
    );
}

#[tokio::test]
async fn quantities_with_more_than_four_decimals_or_zero_are_refused() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let body = order(vec![
        line("Tecido (m)", "1.00001", "10"),
        line("Linha (m)", "0", "1"),
        line("Agulha", "1.2345", "1"),
    ]);

    let errors = refused(&app, &shop, body).await;

    let expected = [
        pair("items[0].quantity", "too_many_decimals"),
        pair("items[1].quantity", "not_positive"),
    ];
    assert_eq!(errors, expected);
}

#[tokio::test]
async fn a_quantity_up_to_the_documented_9999999_9999_is_accepted_and_more_is_refused() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;

    let errors = refused(
        &app,
        &shop,
        order(vec![line("Parafuso", "10000000", "0.01")]),
    )
    .await;
    let largest = register(
        &app,
        &shop,
        order(vec![line("Parafuso", "9999999.9999", "0.01")]),
    )
    .await;

    assert_eq!(
        each(&largest["current"], "quantity"),
        [json!("9999999.9999")]
    );
    assert_eq!(total(&largest), "100000.00");
    assert_eq!(errors, [pair("items[0].quantity", "too_large")]);
}
