//! One-line fields (names and titles) refuse line breaks, other control characters and
//! text-direction overrides with a 422 naming the field; bodies keep their lines (issue 12,
//! point 10).

use serde_json::{Value, json};

use crate::attendance_helpers::{desk, id_of};
use crate::helpers::*;

/// Asserts a 422 whose only error is `invalid_character` on `field`.
async fn expect_invalid_character(response: reqwest::Response, field: &str) {
    let problem = expect_problem(response, 422, "validation_failed").await;
    let errors: Vec<(Value, Value)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].clone(), e["code"].clone()))
        .collect();
    assert_eq!(
        errors,
        [(json!(field), json!("invalid_character"))],
        "{problem}"
    );
}

#[tokio::test]
async fn names_and_titles_with_line_breaks_controls_or_direction_overrides_are_422_naming_the_field()
 {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let token = app.admin_token.clone();
    let cases = [
        (
            "/users".to_owned(),
            json!({"name": "Maria\r\nSilva", "email": "m@example.com", "password": MEMBER_PASSWORD}),
            "name",
        ),
        (
            "/flows".to_owned(),
            json!({"name": "Vendas\u{202E}sadneV"}),
            "name",
        ),
        (
            "/contacts".to_owned(),
            json!({"name": "João\tda Silva"}),
            "name",
        ),
        (
            format!("/flows/{}/tags", desk.flow),
            json!({"name": "VIP\u{2066}", "color": "#FF0000"}),
            "name",
        ),
        (
            desk.attendances(),
            json!({"title": "Orçamento\nBcc: x@y.com", "contact_id": desk.contact}),
            "title",
        ),
        (
            "/mail/templates".to_owned(),
            json!({"name": "Boas\u{85}vindas", "subject": "Olá", "body": "Olá"}),
            "name",
        ),
    ];

    for (path, body, field) in cases {
        let response = app.post(&path, &token, &body).await;
        expect_invalid_character(response, field).await;
    }
}

#[tokio::test]
async fn renaming_my_account_with_a_line_break_is_422_and_keeps_the_name() {
    let app = spawn_app().await;
    let (_, token) = app.create_member("maria@example.com").await;

    let response = app
        .patch("/me", &token, &json!({"name": "Maria\nAdmin"}))
        .await;

    expect_invalid_character(response, "name").await;
    assert_eq!(
        expect_json(app.get("/me", &token).await, 200).await["name"],
        "Membro"
    );
}

#[tokio::test]
async fn an_interaction_body_keeps_its_line_breaks() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let body = json!({"title": "Orçamento", "contact_id": desk.contact});
    let attendance = expect_json(
        app.post(&desk.attendances(), &app.admin_token, &body).await,
        201,
    )
    .await;
    let path = format!("/attendances/{}/interactions", id_of(&attendance));

    let response = app
        .post(
            &path,
            &app.admin_token,
            &json!({"body": "Linha um\r\nLinha dois"}),
        )
        .await;

    let note = expect_json(response, 201).await;
    assert!(note["body"].as_str().unwrap().contains('\n'), "{note}");
}
