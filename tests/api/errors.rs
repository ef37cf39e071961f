//! Problem details for bad requests (unknown routes, wrong methods, bad bodies), request ids,
//! health probes and the API documentation.

use std::collections::BTreeSet;

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

/// The methods of an `Allow` header.
fn allowed(response: &Response) -> BTreeSet<String> {
    header(response, "allow")
        .split(',')
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .collect()
}

/// `POST /api/v1/flows` as an admin with a raw body and content type.
async fn post_raw(app: &TestApp, content_type: &str, body: impl Into<reqwest::Body>) -> Response {
    app.client
        .post(app.url("/flows"))
        .bearer_auth(&app.admin_token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Like `expect_problem`, but the failure names the case of a table-driven test.
async fn assert_status_and_code(response: Response, status: u16, code: &str, case: &str) {
    let actual = response.status().as_u16();
    let body = response.text().await.unwrap();
    let problem: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(
        (actual, problem["code"].as_str()),
        (status, Some(code)),
        "{case:?}: {body}"
    );
}

async fn get_outside_api(app: &TestApp, path: &str) -> Response {
    app.client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_unknown_route_is_404_route_not_found_as_a_problem_document() {
    let app = spawn_app().await;

    let inside = app.get("/no-such-thing", &app.admin_token).await;
    let outside = get_outside_api(&app, "/no/such/page").await;

    let problem = expect_problem(inside, 404, "route_not_found").await;
    for member in ["type", "title", "detail"] {
        assert!(problem[member].is_string(), "{member}: {problem}");
    }
    expect_problem(outside, 404, "route_not_found").await;
}

#[tokio::test]
async fn a_wrong_method_on_a_collection_is_405_with_allow_listing_its_methods() {
    let app = spawn_app().await;

    let response = app.delete("/flows", &app.admin_token).await;

    assert_eq!(
        allowed(&response),
        BTreeSet::from(["GET".into(), "POST".into()])
    );
    expect_problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn a_wrong_method_on_a_resource_is_405_with_allow_listing_its_methods() {
    let app = spawn_app().await;
    let path = format!("/contacts/{}", Uuid::now_v7());

    let response = app
        .put(&path, &app.admin_token, &json!({"name": "X"}))
        .await;

    let expected = ["DELETE", "GET", "PATCH"].map(String::from);
    assert_eq!(allowed(&response), BTreeSet::from(expected));
    expect_problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn a_path_with_a_trailing_slash_is_not_answered_405_for_a_method_it_allows() {
    let app = spawn_app().await;

    let response = app.get("/flows/", &app.admin_token).await;

    let status = response.status().as_u16();
    let allow = allowed(&response);
    assert!(
        status != 405 || !allow.contains("GET"),
        "GET answered 405 while Allow lists GET: {allow:?}"
    );
    assert!(status == 200 || status == 404, "{status}");
}

#[tokio::test]
async fn malformed_json_is_400_malformed_json() {
    let app = spawn_app().await;

    for body in [
        r#"{"name": "#,
        r#"{"name": "Vendas"} trailing"#,
        "{} trailing",
        "",
    ] {
        let response = post_raw(&app, "application/json", body).await;
        assert_status_and_code(response, 400, "malformed_json", body).await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415_unsupported_media_type() {
    let app = spawn_app().await;

    let plain = post_raw(&app, "text/plain", r#"{"name": "Vendas"}"#).await;
    let with_charset = post_raw(
        &app,
        "application/json; charset=utf-8",
        r#"{"name": "Vendas"}"#,
    );

    expect_problem(plain, 415, "unsupported_media_type").await;
    expect_json(with_charset.await, 201).await;
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413_payload_too_large() {
    let app = spawn_app().await;
    let body = json!({"name": "Vendas", "description": "a".repeat(1024 * 1024)});

    let response = app.post("/flows", &app.admin_token, &body).await;

    expect_problem(response, 413, "payload_too_large").await;
}

#[tokio::test]
async fn a_chunked_body_over_one_mebibyte_is_413_payload_too_large() {
    // Without a Content-Length the limit must hold while the body streams in.
    let app = spawn_app().await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let token = app.admin_token.clone();
    let body = json!({"name": "Vendas", "description": "a".repeat(1100 * 1024)}).to_string();

    let head = tokio::task::spawn_blocking(move || post_chunked(&address, &token, &body))
        .await
        .unwrap();

    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(head.contains("payload_too_large"), "{head}");
}

/// Sends `POST /api/v1/flows` with a chunked body over a plain socket; returns what came back.
fn post_chunked(address: &str, token: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let head = format!(
        "POST /api/v1/flows HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    for chunk in body.as_bytes().chunks(64 * 1024) {
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(chunk);
        frame.extend_from_slice(b"\r\n");
        // The server may answer and stop reading before the body ends.
        if stream.write_all(&frame).is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let mut answer = vec![0; 4096];
    let read = stream.read(&mut answer).unwrap_or(0);
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

#[tokio::test]
async fn a_field_with_a_wrong_type_is_422_naming_it() {
    let app = spawn_app().await;

    let response = app
        .post("/flows", &app.admin_token, &json!({"name": 5}))
        .await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["name"]);
}

#[tokio::test]
async fn a_missing_required_field_is_422_naming_it() {
    let app = spawn_app().await;

    let response = app
        .post("/flows", &app.admin_token, &json!({"alias": "Vendas"}))
        .await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["name"]);
    assert_eq!(problem["errors"][0]["code"], "required");
}

#[tokio::test]
async fn an_unknown_field_is_422_naming_it() {
    let app = spawn_app().await;
    let body = json!({"name": "Vendas", "owner_id": Uuid::now_v7()});

    let response = app.post("/flows", &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["owner_id"]);
}

#[tokio::test]
async fn a_nul_character_in_a_text_field_is_422_naming_it_and_nothing_is_stored() {
    let app = spawn_app().await;
    let body = json!({"name": "Maria", "address": {"city": "São\u{0}Paulo"}});

    let response = app.post("/contacts", &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["address.city"]);
    assert_eq!(problem["errors"][0]["code"], "invalid_character");
    let contacts = expect_json(app.get("/contacts", &app.admin_token).await, 200).await;
    assert_eq!(contacts["items"], json!([]));
}

#[tokio::test]
async fn bad_list_parameters_are_400_not_500() {
    let app = spawn_app().await;
    let cases = [
        ("/users?limit=0", "invalid_query"),
        ("/users?limit=201", "invalid_query"),
        ("/users?limit=many", "invalid_query"),
        ("/users?cursor=not-a-cursor-we-made", "invalid_cursor"),
    ];

    for (path, code) in cases {
        let response = app.get(path, &app.admin_token).await;
        assert_status_and_code(response, 400, code, path).await;
    }
}

#[tokio::test]
async fn every_response_carries_its_own_request_id() {
    let app = spawn_app().await;
    let responses = [
        get_outside_api(&app, "/health/live").await,
        app.get("/me", &app.admin_token).await,
        app.request(Method::GET, "/me", None, None).await,
        app.get("/nowhere", &app.admin_token).await,
        app.delete("/flows", &app.admin_token).await,
    ];

    let ids: Vec<String> = responses
        .iter()
        .map(|r| header(r, "x-request-id"))
        .collect();

    assert!(ids.iter().all(|id| !id.is_empty()), "{ids:?}");
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "{ids:?}"
    );
}

#[tokio::test]
async fn a_sane_client_request_id_is_echoed_and_an_unsafe_one_replaced() {
    let app = spawn_app().await;
    let send = |id: &str| {
        app.client
            .get(format!("{}/health/live", app.address))
            .header("x-request-id", id)
            .send()
    };

    let sane = send("req-2024-abc123").await.unwrap();
    let unsafe_id = send("bad id; with spaces").await.unwrap();
    let too_long = send(&"a".repeat(200)).await.unwrap();

    assert_eq!(header(&sane, "x-request-id"), "req-2024-abc123");
    let replaced = header(&unsafe_id, "x-request-id");
    assert!(!replaced.is_empty() && replaced != "bad id; with spaces");
    let replaced = header(&too_long, "x-request-id");
    assert!(!replaced.is_empty() && replaced.len() <= 64, "{replaced}");
}

#[tokio::test]
async fn the_health_probes_answer_200_ok() {
    let app = spawn_app().await;
    for path in ["/health/live", "/health/ready"] {
        let response = get_outside_api(&app, path).await;
        assert_eq!(
            expect_json(response, 200).await,
            json!({"status": "ok"}),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_is_served_as_openapi_3_1_with_every_area() {
    let app = spawn_app().await;

    let response = get_outside_api(&app, "/api/v1/openapi.json").await;

    let content_type = header(&response, "content-type");
    let document: Value = expect_json(response, 200).await;
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let version = document["openapi"].as_str().unwrap();
    assert!(version.starts_with("3.1"), "{version}");
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/api/v1/auth/login",
        "/api/v1/users/{id}",
        "/api/v1/flows",
        "/api/v1/contacts",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
}

#[tokio::test]
async fn swagger_ui_is_served_at_docs() {
    let app = spawn_app().await;

    let response = get_outside_api(&app, "/docs/").await;

    assert_eq!(response.status().as_u16(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    let page = response.text().await.unwrap();
    assert!(page.to_lowercase().contains("swagger"), "{page}");
}

#[tokio::test]
async fn docs_without_a_trailing_slash_leads_to_swagger_ui() {
    let app = spawn_app().await;

    let response = get_outside_api(&app, "/docs").await;

    let status = response.status().as_u16();
    let location = header(&response, "location");
    assert!(
        status == 200 || ((300..400).contains(&status) && location.ends_with("/docs/")),
        "{status} {location}"
    );
}
