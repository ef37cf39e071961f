//! Codes and versions: quotes and sales numbered apart, the quote's code kept when approved, every
//! edit a new immutable version, stale versions refused with 412 and closed orders with 409.

use reqwest::Method;
use serde_json::json;

use super::*;

#[tokio::test]
async fn quotes_and_sales_are_numbered_apart_and_an_approved_quote_keeps_its_code() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;

    let first_quote = quote(&app, &shop, "100").await;
    let first_sale = sale(&app, &shop, "200").await;
    let second_quote = quote(&app, &shop, "300").await;
    let approved = acted(&app, &first_quote, "approve").await;
    let second_sale = sale(&app, &shop, "400").await;

    let codes = [&first_quote, &first_sale, &second_quote, &second_sale].map(|o| o["code"].clone());
    assert_eq!(
        codes,
        [
            json!("ORC-000001"),
            json!("VEN-000001"),
            json!("ORC-000002"),
            json!("VEN-000002")
        ]
    );
    assert_eq!(first_quote["status"], "awaiting_approval");
    assert_eq!(first_sale["status"], "approved");
    assert_fields(
        &approved,
        json!({"code": "ORC-000001", "status": "approved"}),
    );
}

#[tokio::test]
async fn a_put_makes_version_2_with_its_own_items_and_totals_and_version_1_stays_as_registered() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let mut first = order(vec![line("Cadeira", "30", "150.00")]);
    first["freight"] = json!("120");
    first["payment_terms"] = json!("30/60/90 dias");
    let created = register(&app, &shop, first).await;
    let path = path_of(&created);
    let revision = order(vec![
        line("Cadeira", "40", "145.00"),
        line("Mesa", "2", "899.90"),
    ]);

    let response = send(
        &app,
        Method::PUT,
        &path,
        &app.admin_token,
        Some("\"1\""),
        Some(&revision),
    )
    .await;

    assert_eq!(header(&response, "etag"), "\"2\"");
    let revised = expect_json(response, 200).await;
    let expected = json!({"number": 2, "outdated": false, "subtotal": "7599.80",
                          "freight": "0.00", "total": "7599.80", "payment_terms": null});
    assert_fields(&revised["current"], expected);
    assert_eq!(
        each(&revised["current"], "description"),
        [json!("Cadeira"), json!("Mesa")]
    );
    assert_eq!(revised["code"], created["code"]);
    let read = app.get(&path, &app.admin_token).await;
    assert_eq!(header(&read, "etag"), "\"2\"");
    assert_eq!(expect_json(read, 200).await, revised);
    let versions = admin_get(&app, &format!("{path}/versions")).await;
    assert_eq!(versions["current_version"], 2);
    assert_eq!(each(&versions, "number"), [json!(1), json!(2)]);
    assert_eq!(each(&versions, "outdated"), [json!(true), json!(false)]);
    // Version 1 is exactly what was registered, apart from now being outdated.
    let mut registered = created["current"].clone();
    registered["outdated"] = json!(true);
    assert_eq!(versions["items"][0], registered);
    assert_eq!(versions["items"][1], revised["current"]);
}

#[tokio::test]
async fn an_edit_or_an_approval_naming_an_outdated_version_is_refused_with_412() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let created = quote(&app, &shop, "100").await;
    let path = path_of(&created);
    let token = &app.admin_token;
    let v2 = send(
        &app,
        Method::PUT,
        &path,
        token,
        Some("\"1\""),
        Some(&worth("110")),
    )
    .await;
    expect_json(v2, 200).await;

    let stale_edit = send(
        &app,
        Method::PUT,
        &path,
        token,
        Some("\"1\""),
        Some(&worth("90")),
    )
    .await;
    let stale_approval = act(&app, &created, "approve", Some("\"1\"")).await;

    expect_problem(stale_edit, 412, "precondition_failed").await;
    expect_problem(stale_approval, 412, "precondition_failed").await;
    let read = admin_get(&app, &path).await;
    assert_fields(&read, json!({"status": "awaiting_approval"}));
    assert_eq!(total(&read), "110.00");
    let approved = expect_json(act(&app, &created, "approve", Some("\"2\"")).await, 200).await;
    assert_eq!(approved["status"], "approved");
}

#[tokio::test]
async fn approved_rejected_and_cancelled_orders_cannot_be_edited() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let approved = sale(&app, &shop, "100").await;
    let rejected = acted(&app, &quote(&app, &shop, "100").await, "reject").await;
    let cancelled = acted(&app, &sale(&app, &shop, "100").await, "cancel").await;

    for closed in [&approved, &rejected, &cancelled] {
        let response = app
            .put(&path_of(closed), &app.admin_token, &worth("50"))
            .await;

        let problem = expect_problem(response, 409, "conflict").await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(closed["status"].as_str().unwrap())
        );
        let versions = admin_get(&app, &format!("{}/versions", path_of(closed))).await;
        assert_eq!(
            each(&versions, "number"),
            [json!(1)],
            "no version was added"
        );
    }
}

#[tokio::test]
async fn a_new_version_cannot_change_the_status() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let created = quote(&app, &shop, "100").await;
    let mut body = worth("100");
    body["status"] = json!("approved");

    let response = app.put(&path_of(&created), &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["status"]);
    assert_eq!(
        admin_get(&app, &path_of(&created)).await["status"],
        "awaiting_approval"
    );
}

#[tokio::test]
async fn orders_of_an_attendance_in_the_trash_can_be_read_but_not_changed_until_restored() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let quoted = quote(&app, &shop, "100").await;
    let sold = sale(&app, &shop, "200").await;
    let attendance = format!("/attendances/{}", shop.attendance);
    expect_json(app.delete(&attendance, &app.admin_token).await, 200).await;

    let register = app.post(&shop.sales(), &app.admin_token, &worth("1")).await;
    let revise = app
        .put(&path_of(&quoted), &app.admin_token, &worth("1"))
        .await;
    let approve = act(&app, &quoted, "approve", None).await;
    let cancel = act(&app, &sold, "cancel", None).await;
    let nfe = format!("{}/nfe", path_of(&sold));
    let complete = app
        .put(&nfe, &app.admin_token, &json!({"ind_pres": 1}))
        .await;

    for response in [register, revise, approve, cancel, complete] {
        let problem = expect_problem(response, 409, "conflict").await;
        assert!(
            problem["detail"].as_str().unwrap().contains("trash"),
            "{problem}"
        );
    }
    assert_eq!(admin_get(&app, &path_of(&quoted)).await, quoted);
    assert_eq!(
        admin_get(&app, &shop.sales()).await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(admin_get(&app, &nfe).await["version"], 0);
    admin_post(&app, &format!("{attendance}/restore")).await;
    assert_eq!(acted(&app, &quoted, "approve").await["status"], "approved");
}
