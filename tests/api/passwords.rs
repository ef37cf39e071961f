//! New passwords that are blank, common or the account's e-mail; access tokens not yet valid or
//! living longer than configured; the SQLite file's permissions (issue 12, point 10).

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::helpers::*;

const SIGNING_KEY: &[u8] = b"test signing key, 32 bytes or more....";

fn claims_of(token: &str) -> Value {
    jsonwebtoken::dangerous::insecure_decode_claims(token).unwrap()
}

fn sign(claims: &Value) -> String {
    let key = EncodingKey::from_secret(SIGNING_KEY);
    encode(&Header::new(Algorithm::HS256), claims, &key).unwrap()
}

/// The `(field, code)` pairs of a validation problem.
fn field_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn password_error(code: &str) -> Vec<(String, String)> {
    vec![("password".to_owned(), code.to_owned())]
}

async fn create_user_with(app: &TestApp, email: &str, password: &str) -> Value {
    let body = json!({"name": "Maria", "email": email, "password": password});
    let response = app.post("/users", &app.admin_token, &body).await;
    expect_problem(response, 422, "validation_failed").await
}

#[tokio::test]
async fn a_new_user_with_a_password_of_only_spaces_is_422_blank() {
    let app = spawn_app().await;

    let problem = create_user_with(&app, "maria@example.com", " \t            \n ").await;

    assert_eq!(field_codes(&problem), password_error("blank"));
}

#[tokio::test]
async fn a_new_user_with_a_common_password_in_any_case_is_422_too_common() {
    let app = spawn_app().await;

    for common in ["qwerty123456", "1Q2W3E4R5T6Y", "  qazwsxedcrfv "] {
        let problem = create_user_with(&app, "maria@example.com", common).await;
        assert_eq!(
            field_codes(&problem),
            password_error("too_common"),
            "{common}"
        );
    }
    let users = expect_json(app.get("/users", &app.admin_token).await, 200).await;
    assert_eq!(
        users["items"].as_array().unwrap().len(),
        1,
        "only the admin"
    );
}

#[tokio::test]
async fn a_new_user_whose_password_is_their_email_or_its_local_part_is_422_same_as_email() {
    let app = spawn_app().await;

    let whole = create_user_with(&app, "maria.silva@example.com", "MARIA.SILVA@example.com").await;
    let local = create_user_with(&app, "maria.silva.souza@example.com", "Maria.Silva.Souza").await;

    assert_eq!(field_codes(&whole), password_error("same_as_email"));
    assert_eq!(field_codes(&local), password_error("same_as_email"));
}

#[tokio::test]
async fn changing_my_password_to_my_email_or_a_common_one_is_422_and_keeps_the_old_one() {
    let app = spawn_app().await;
    let (id, token) = app.create_member("maria.silva.souza@example.com").await;
    let mine = |password: &str| json!({"password": password, "current_password": MEMBER_PASSWORD});

    let own_email = app
        .patch("/me", &token, &mine("Maria.Silva.Souza@Example.com"))
        .await;
    let common = app.patch("/me", &token, &mine("qwertyuiop123")).await;
    let by_admin = app
        .patch(
            &format!("/users/{id}"),
            &app.admin_token,
            &json!({"password": "maria.silva.souza"}),
        )
        .await;

    let own_email = expect_problem(own_email, 422, "validation_failed").await;
    assert_eq!(field_codes(&own_email), password_error("same_as_email"));
    let common = expect_problem(common, 422, "validation_failed").await;
    assert_eq!(field_codes(&common), password_error("too_common"));
    let by_admin = expect_problem(by_admin, 422, "validation_failed").await;
    assert_eq!(field_codes(&by_admin), password_error("same_as_email"));
    app.login_ok("maria.silva.souza@example.com", MEMBER_PASSWORD)
        .await;
}

#[tokio::test]
async fn issued_access_tokens_are_not_valid_before_they_were_issued() {
    let app = spawn_app().await;
    let claims = claims_of(&app.admin_token);

    assert_eq!(claims["nbf"], claims["iat"]);
}

#[tokio::test]
async fn a_token_whose_nbf_is_in_the_future_is_401_invalid_token() {
    let app = spawn_app().await;
    let mut claims = claims_of(&app.admin_token);
    claims["nbf"] = json!(claims["iat"].as_i64().unwrap() + 600);

    let response = app.get("/me", &sign(&claims)).await;

    expect_problem(response, 401, "invalid_token").await;
}

#[tokio::test]
async fn a_token_signed_with_our_key_but_living_longer_than_the_access_ttl_is_401() {
    let app = spawn_app().await;
    let mut claims = claims_of(&app.admin_token);
    let iat = claims["iat"].as_i64().unwrap();
    claims["exp"] = json!(iat + 900 + 3600);
    let mut future = claims_of(&app.admin_token);
    future["iat"] = json!(iat + 3600);
    future["exp"] = json!(iat + 3600 + 900);

    let long_lived = app.get("/me", &sign(&claims)).await;
    let issued_in_the_future = app.get("/me", &sign(&future)).await;

    expect_problem(long_lived, 401, "invalid_token").await;
    expect_problem(issued_in_the_future, 401, "invalid_token").await;
    expect_json(app.get("/me", &app.admin_token).await, 200).await;
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_sqlite_database_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    if std::env::var("TEST_DB").as_deref() == Ok("postgres") {
        return; // a PostgreSQL database has no file of ours
    }
    let (url, _guard) = fresh_database().await;
    let path = url
        .trim_start_matches("sqlite://")
        .trim_end_matches("?mode=rwc")
        .to_owned();
    assert!(!std::path::Path::new(&path).exists());

    let _app = spawn_app_with(|s| s.database.url = url.clone()).await;

    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}
