//! Login, refresh rotation, logout, token tampering, throttling.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn login_returns_a_bearer_token_that_opens_me() {
    let app = spawn_app().await;
    let tokens = app.login_tokens("Admin@Example.com", ADMIN_PASSWORD).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["expires_in"].as_i64().unwrap() <= 900);
    let me = expect_json(
        app.get("/me", tokens["access_token"].as_str().unwrap())
            .await,
        200,
    )
    .await;
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert_eq!(me["role"], "admin");
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn wrong_password_is_401_invalid_credentials() {
    let app = spawn_app().await;
    let response = app.login(ADMIN_EMAIL, "not the password at all").await;
    expect_problem(response, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn requests_without_a_token_are_401() {
    let app = spawn_app().await;
    let response = app.request(reqwest::Method::GET, "/me", None, None).await;
    assert_eq!(
        response.headers().get("www-authenticate").unwrap(),
        "Bearer"
    );
    expect_problem(response, 401, "unauthenticated").await;
    let _ = json!({});
}
