//! User management by administrators: access, creation, validation, listing, versions, the last
//! admin rule and deletion (or deactivation when the user has history).

use std::collections::HashSet;

use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

fn header(response: &Response, name: &str) -> String {
    let value = response.headers().get(name);
    value
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}

fn new_user(email: &str) -> Value {
    json!({"name": "João Araújo", "email": email, "password": MEMBER_PASSWORD})
}

async fn admin_id(app: &TestApp) -> String {
    id_of(&expect_json(app.get("/me", &app.admin_token).await, 200).await)
}

async fn patch_if_match(app: &TestApp, path: &str, etag: &str, body: &Value) -> Response {
    app.client
        .patch(app.url(path))
        .bearer_auth(&app.admin_token)
        .header("If-Match", etag)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Every user's e-mail, read page by page as an administrator.
async fn all_emails(app: &TestApp) -> Vec<String> {
    let page = expect_json(app.get("/users?limit=200", &app.admin_token).await, 200).await;
    assert!(page["next_cursor"].is_null());
    let items = page["items"].as_array().unwrap();
    items
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn members_get_403_forbidden_on_every_users_route() {
    let app = spawn_app().await;
    let (member_id, token) = app.create_member("maria@example.com").await;
    let admin_id = admin_id(&app).await;
    let routes = [
        (Method::GET, "/users".to_owned(), None),
        (
            Method::POST,
            "/users".to_owned(),
            Some(new_user("new@example.com")),
        ),
        (Method::GET, format!("/users/{admin_id}"), None),
        (
            Method::PATCH,
            format!("/users/{member_id}"),
            Some(json!({"role": "admin"})),
        ),
        (
            Method::PATCH,
            format!("/users/{admin_id}"),
            Some(json!({"active": false})),
        ),
        (Method::DELETE, format!("/users/{admin_id}"), None),
    ];

    for (method, path, body) in routes {
        let response = app
            .request(method.clone(), &path, Some(&token), body.as_ref())
            .await;
        let status = response.status().as_u16();
        let problem: Value = response.json().await.unwrap();
        let case = format!("{method} {path}: {problem}");
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("forbidden")),
            "{case}"
        );
    }

    let me = expect_json(app.get("/me", &token).await, 200).await;
    assert_eq!(me["role"], "member");
    assert_eq!(all_emails(&app).await, [ADMIN_EMAIL, "maria@example.com"]);
    expect_json(app.get("/me", &app.admin_token).await, 200).await;
}

#[tokio::test]
async fn an_admin_creates_a_user_with_location_and_etag_and_no_password_in_the_body() {
    let app = spawn_app().await;
    let body = json!({"name": "  João Araújo  ", "email": "joao@example.com", "password": MEMBER_PASSWORD});

    let response = app.post("/users", &app.admin_token, &body).await;

    let location = header(&response, "location");
    let etag = header(&response, "etag");
    let user = expect_json(response, 201).await;
    assert_eq!(location, format!("/api/v1/users/{}", id_of(&user)));
    assert_eq!(etag, "\"1\"");
    assert_eq!(user["name"], "João Araújo");
    assert_eq!(user["email"], "joao@example.com");
    assert_eq!(user["role"], "member");
    assert_eq!(user["active"], true);
    assert_eq!(user["version"], 1);
    let fields: Vec<&String> = user.as_object().unwrap().keys().collect();
    assert!(
        fields
            .iter()
            .all(|f| !f.contains("password") && !f.contains("hash")),
        "{fields:?}"
    );
    let path = location.trim_start_matches("/api/v1");
    let read = expect_json(app.get(path, &app.admin_token).await, 200).await;
    assert_eq!(read, user);
    app.login_ok("joao@example.com", MEMBER_PASSWORD).await;
}

#[tokio::test]
async fn creating_a_user_with_an_email_taken_in_another_case_is_409_duplicate_email() {
    let app = spawn_app().await;
    app.create_user(new_user("joao@example.com")).await;

    let response = app
        .post("/users", &app.admin_token, &new_user("  JOAO@Example.COM "))
        .await;

    expect_problem(response, 409, "duplicate_email").await;
    assert_eq!(all_emails(&app).await.len(), 2);
}

#[tokio::test]
async fn changing_a_users_email_to_a_taken_one_in_another_case_is_409_duplicate_email() {
    let app = spawn_app().await;
    let user = app.create_user(new_user("joao@example.com")).await;

    let response = app
        .patch(
            &format!("/users/{}", id_of(&user)),
            &app.admin_token,
            &json!({"email": "Admin@Example.com"}),
        )
        .await;

    expect_problem(response, 409, "duplicate_email").await;
}

#[tokio::test]
async fn creating_a_user_with_several_invalid_fields_names_each_of_them() {
    let app = spawn_app().await;
    let body = json!({"name": "   ", "email": "not an e-mail", "password": "short"});

    let response = app.post("/users", &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["email", "name", "password"]);
    assert_eq!(all_emails(&app).await, [ADMIN_EMAIL]);
}

#[tokio::test]
async fn listing_users_two_at_a_time_shows_every_user_exactly_once() {
    let app = spawn_app().await;
    let mut expected = HashSet::from([admin_id(&app).await]);
    for n in 1..=4 {
        let user = app
            .create_user(new_user(&format!("user{n}@example.com")))
            .await;
        expected.insert(id_of(&user));
    }
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut path = "/users?limit=2".to_owned();

    loop {
        let page = expect_json(app.get(&path, &app.admin_token).await, 200).await;
        pages += 1;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        seen.extend(items.iter().map(id_of));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/users?limit=2&cursor={cursor}"),
            None => break,
        }
        assert!(pages < 10, "the cursor never ends");
    }

    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(seen.into_iter().collect::<HashSet<_>>(), expected);
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn a_patch_with_a_stale_if_match_is_412_precondition_failed() {
    let app = spawn_app().await;
    let user = app.create_user(new_user("joao@example.com")).await;
    let path = format!("/users/{}", id_of(&user));
    let renamed = app
        .patch(&path, &app.admin_token, &json!({"name": "João Primeiro"}))
        .await;
    assert_eq!(expect_json(renamed, 200).await["version"], 2);

    let response = patch_if_match(&app, &path, "\"1\"", &json!({"name": "João Segundo"})).await;

    expect_problem(response, 412, "precondition_failed").await;
    let read = expect_json(app.get(&path, &app.admin_token).await, 200).await;
    assert_eq!(read["name"], "João Primeiro");
    assert_eq!(read["version"], 2);
}

#[tokio::test]
async fn a_patch_with_the_current_if_match_updates_and_bumps_the_version_and_etag() {
    let app = spawn_app().await;
    let user = app.create_user(new_user("joao@example.com")).await;
    let path = format!("/users/{}", id_of(&user));

    let response = patch_if_match(&app, &path, "\"1\"", &json!({"name": "João Segundo"})).await;

    assert_eq!(header(&response, "etag"), "\"2\"");
    let updated = expect_json(response, 200).await;
    assert_eq!(updated["name"], "João Segundo");
    assert_eq!(updated["version"], 2);
    let read = app.get(&path, &app.admin_token).await;
    assert_eq!(header(&read, "etag"), "\"2\"");
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_deactivated_or_deleted() {
    let app = spawn_app().await;
    let path = format!("/users/{}", admin_id(&app).await);

    let demote = app
        .patch(&path, &app.admin_token, &json!({"role": "member"}))
        .await;
    let deactivate = app
        .patch(&path, &app.admin_token, &json!({"active": false}))
        .await;
    let delete = app.delete(&path, &app.admin_token).await;

    expect_problem(demote, 409, "last_admin").await;
    expect_problem(deactivate, 409, "last_admin").await;
    expect_problem(delete, 409, "last_admin").await;
    let me = expect_json(app.get("/me", &app.admin_token).await, 200).await;
    assert_eq!(
        (&me["role"], &me["active"]),
        (&json!("admin"), &json!(true))
    );
}

#[tokio::test]
async fn an_admin_can_demote_another_admin_while_one_active_admin_remains() {
    let app = spawn_app().await;
    let mut body = new_user("second.admin@example.com");
    body["role"] = json!("admin");
    let second = app.create_user(body).await;
    assert_eq!(second["role"], "admin");

    let response = app
        .patch(
            &format!("/users/{}", id_of(&second)),
            &app.admin_token,
            &json!({"role": "member"}),
        )
        .await;

    assert_eq!(expect_json(response, 200).await["role"], "member");
}

#[tokio::test]
async fn a_demoted_admin_loses_the_admin_routes_on_the_very_next_request() {
    let app = spawn_app().await;
    let mut body = new_user("second.admin@example.com");
    body["role"] = json!("admin");
    let second = app.create_user(body).await;
    let token = app
        .login_ok("second.admin@example.com", MEMBER_PASSWORD)
        .await;
    expect_json(app.get("/users", &token).await, 200).await;

    let demote = json!({"role": "member"});
    let path = format!("/users/{}", id_of(&second));
    expect_json(app.patch(&path, &app.admin_token, &demote).await, 200).await;

    expect_problem(app.get("/users", &token).await, 403, "forbidden").await;
}

#[tokio::test]
async fn an_admin_setting_a_password_ends_that_users_sessions_and_the_new_password_works() {
    let app = spawn_app().await;
    let (id, token) = app.create_member("maria@example.com").await;
    // A session just used is one this instance remembers: the reset must end it all the same.
    expect_json(app.get("/me", &token).await, 200).await;

    let response = app
        .patch(
            &format!("/users/{id}"),
            &app.admin_token,
            &json!({"password": "a password set by the admin"}),
        )
        .await;

    expect_json(response, 200).await;
    expect_problem(app.get("/me", &token).await, 401, "invalid_token").await;
    app.login_ok("maria@example.com", "a password set by the admin")
        .await;
}

#[tokio::test]
async fn deleting_a_user_without_history_is_204_and_then_the_user_is_404() {
    let app = spawn_app().await;
    let user = app.create_user(new_user("joao@example.com")).await;
    let path = format!("/users/{}", id_of(&user));

    let response = app.delete(&path, &app.admin_token).await;

    assert_eq!(response.status().as_u16(), 204);
    expect_problem(app.get(&path, &app.admin_token).await, 404, "not_found").await;
    assert_eq!(all_emails(&app).await, [ADMIN_EMAIL]);
}

#[tokio::test]
async fn deleting_a_user_with_history_deactivates_them_and_they_cannot_log_in() {
    let app = spawn_app().await;
    let (id, token) = app.create_member("maria@example.com").await;
    app.create_contact(&token, json!({"name": "Cliente da Maria"}))
        .await;
    let path = format!("/users/{id}");

    let response = app.delete(&path, &app.admin_token).await;

    let removal = expect_json(response, 200).await;
    assert_eq!(removal["outcome"], "deactivated");
    assert_eq!(removal["user"]["active"], false);
    let read = expect_json(app.get(&path, &app.admin_token).await, 200).await;
    assert_eq!(read["active"], false);
    expect_problem(app.get("/me", &token).await, 401, "invalid_token").await;
    let login = app.login("maria@example.com", MEMBER_PASSWORD).await;
    expect_problem(login, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn an_unknown_user_id_is_404_not_found_on_every_route() {
    let app = spawn_app().await;
    let path = format!("/users/{}", Uuid::now_v7());

    let read = app.get(&path, &app.admin_token).await;
    let patch = app
        .patch(&path, &app.admin_token, &json!({"name": "Ninguém"}))
        .await;
    let delete = app.delete(&path, &app.admin_token).await;

    expect_problem(read, 404, "not_found").await;
    expect_problem(patch, 404, "not_found").await;
    expect_problem(delete, 404, "not_found").await;
}

#[tokio::test]
async fn a_user_id_that_is_not_a_uuid_is_404_not_found() {
    let app = spawn_app().await;

    let read = app.get("/users/not-a-uuid", &app.admin_token).await;
    let patch = app
        .patch("/users/42", &app.admin_token, &json!({"name": "Ninguém"}))
        .await;
    let delete = app.delete("/users/not-a-uuid", &app.admin_token).await;

    expect_problem(read, 404, "not_found").await;
    expect_problem(patch, 404, "not_found").await;
    expect_problem(delete, 404, "not_found").await;
}

#[tokio::test]
async fn an_admin_patch_with_an_unknown_field_is_422_naming_it_and_changes_nothing() {
    let app = spawn_app().await;
    let user = app.create_user(new_user("joao@example.com")).await;
    let path = format!("/users/{}", id_of(&user));

    let response = app
        .patch(
            &path,
            &app.admin_token,
            &json!({"name": "Outro Nome", "password_hash": "$argon2id$forged"}),
        )
        .await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["password_hash"]);
    let read = expect_json(app.get(&path, &app.admin_token).await, 200).await;
    assert_eq!(read["name"], "João Araújo");
    app.login_ok("joao@example.com", MEMBER_PASSWORD).await;
}
