//! The transition table (awaiting_approval → approved | rejected, approved → cancelled, nothing
//! else), who decided and when, and the timeline entries of every registration, version and
//! transition.

use serde_json::{Value, json};

use super::*;

/// An order in `status`, reached through the API.
async fn in_status(app: &TestApp, shop: &Shop, status: &str) -> Value {
    let order = quote(app, shop, "10").await;
    match status {
        "awaiting_approval" => order,
        "approved" => acted(app, &order, "approve").await,
        "rejected" => acted(app, &order, "reject").await,
        "cancelled" => acted(app, &acted(app, &order, "approve").await, "cancel").await,
        other => panic!("no such status {other}"),
    }
}

#[tokio::test]
async fn only_approve_and_reject_from_awaiting_approval_and_cancel_from_approved_are_allowed() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let allowed = [
        ("awaiting_approval", "approve", "approved"),
        ("awaiting_approval", "reject", "rejected"),
        ("approved", "cancel", "cancelled"),
    ];

    for from in ["awaiting_approval", "approved", "rejected", "cancelled"] {
        for action in ["approve", "reject", "cancel"] {
            let order = in_status(&app, &shop, from).await;

            let response = act(&app, &order, action, None).await;

            match allowed.iter().find(|(f, a, _)| *f == from && *a == action) {
                Some((_, _, to)) => {
                    let body = expect_json(response, 200).await;
                    assert_eq!(body["status"], *to, "{action} from {from}");
                }
                None => {
                    let problem = expect_problem(response, 409, "conflict").await;
                    let detail = problem["detail"].as_str().unwrap();
                    assert!(detail.contains(action) && detail.contains(from), "{detail}");
                    assert_eq!(admin_get(&app, &path_of(&order)).await["status"], from);
                }
            }
        }
    }
}

#[tokio::test]
async fn approving_records_who_approved_and_when() {
    let app = spawn_app().await;
    let (member, token) = app.create_member("ana@example.com").await;
    let shop = shop(&app, json!([member])).await;
    let created = quote(&app, &shop, "100").await;
    assert_fields(&created, json!({"decided_by": null, "decided_at": null}));

    let path = format!("{}/approve", path_of(&created));
    let approved = expect_json(app.post(&path, &token, &json!({})).await, 200).await;

    assert_eq!(approved["decided_by"], member.to_string());
    let decided_at = approved["decided_at"].as_str().unwrap();
    assert!(
        decided_at >= created["created_at"].as_str().unwrap(),
        "{approved}"
    );
    assert_eq!(approved["updated_at"], decided_at);
    assert_eq!(admin_get(&app, &path_of(&created)).await, approved);
}

#[tokio::test]
async fn registrations_versions_and_transitions_appear_on_the_attendances_timeline() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let approved = quote(&app, &shop, "100").await;
    app.put(&path_of(&approved), &app.admin_token, &worth("120"))
        .await;
    acted(&app, &approved, "approve").await;
    acted(&app, &quote(&app, &shop, "50").await, "reject").await;
    acted(&app, &sale(&app, &shop, "70").await, "cancel").await;

    let page = admin_get(
        &app,
        &format!("/attendances/{}/timeline?limit=200", shop.attendance),
    )
    .await;

    let sales: Vec<&Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"].as_str().unwrap().starts_with("sale_"))
        .collect();
    let kinds: Vec<&str> = sales.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    let expected = [
        "sale_cancelled",
        "sale_registered", // VEN-000001
        "sale_rejected",
        "sale_registered", // ORC-000002
        "sale_approved",
        "sale_revised",
        "sale_registered", // ORC-000001
    ];
    assert_eq!(kinds, expected, "newest first");
    let codes: Vec<&str> = sales
        .iter()
        .map(|e| e["data"]["code"].as_str().unwrap())
        .collect();
    let expected_codes = [
        "VEN-000001",
        "VEN-000001",
        "ORC-000002",
        "ORC-000002",
        "ORC-000001",
        "ORC-000001",
        "ORC-000001",
    ];
    assert_eq!(codes, expected_codes);
    assert_fields(&sales[5]["data"], json!({"version": 2, "total": "120.00"}));
    assert_fields(
        &sales[4]["data"],
        json!({"from": "awaiting_approval", "to": "approved"}),
    );
    assert!(sales.iter().all(|e| e["actor"]["id"].is_string()));
}
