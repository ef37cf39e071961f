//! Contacts: canonical CPF/CNPJ, phone, e-mail and address; every invalid field named; search
//! that ignores case and accents; sorting, pagination, edits, deletion.

use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

const CPF: &str = "529.982.247-25";
const OTHER_CPF: &str = "111.444.777-35";

fn path_of(contact: &Value) -> String {
    format!("/contacts/{}", contact["id"].as_str().unwrap())
}

fn header(response: &Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

fn names(page: &Value) -> Vec<String> {
    let items = page["items"].as_array().unwrap();
    items
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts that `body` has each field of `expected` with that value (other fields are ignored).
#[track_caller]
fn assert_fields(body: &Value, expected: Value) {
    let keys = expected.as_object().unwrap().keys();
    let actual: Value = keys.map(|k| (k.clone(), body[k].clone())).collect();
    assert_eq!(actual, expected);
}

fn joao() -> Value {
    json!({
        "name": "João da Conceição",
        "email": "JC.Silva@Example.COM.br",
        "phone": "(11) 98765-4321",
        "document": CPF,
        "company": "Conceição Serviços",
        "address": {"street": "Avenida Paulista", "number": "1578", "complement": "Conjunto 12",
                    "district": "Bela Vista", "city": "São Paulo", "state": "sp",
                    "postal_code": "01310-200"},
        "notes": "Prefere WhatsApp"
    })
}

async fn search(app: &TestApp, q: &str) -> Vec<String> {
    let request = app.client.get(app.url("/contacts")).query(&[("q", q)]);
    let response = request.bearer_auth(&app.admin_token).send().await.unwrap();
    names(&expect_json(response, 200).await)
}

/// A 200 answer to an admin's GET, as JSON.
async fn admin_get(app: &TestApp, path: &str) -> Value {
    expect_json(app.get(path, &app.admin_token).await, 200).await
}

async fn patch_if_match(app: &TestApp, path: &str, if_match: &str, body: &Value) -> Response {
    let request = app.client.request(Method::PATCH, app.url(path));
    let request = request
        .bearer_auth(&app.admin_token)
        .header("If-Match", if_match);
    request.json(body).send().await.unwrap()
}

#[tokio::test]
async fn a_contact_with_every_field_is_stored_in_canonical_form() {
    let app = spawn_app().await;

    let response = app.post("/contacts", &app.admin_token, &joao()).await;

    let (location, etag) = (header(&response, "location"), header(&response, "etag"));
    let contact = expect_json(response, 201).await;
    assert_eq!(location, format!("/api/v1{}", path_of(&contact)));
    assert_eq!(etag, "\"1\"");
    let expected = json!({
        "name": "João da Conceição", "email": "JC.Silva@example.com.br",
        "phone": "+5511987654321", "document": "52998224725", "document_kind": "cpf",
        "document_formatted": CPF, "company": "Conceição Serviços", "notes": "Prefere WhatsApp",
        "version": 1, "address": {"street": "Avenida Paulista", "number": "1578",
            "complement": "Conjunto 12", "district": "Bela Vista", "city": "São Paulo",
            "state": "SP", "postal_code": "01310200"}
    });
    assert_fields(&contact, expected);
    let read = admin_get(&app, &path_of(&contact)).await;
    assert_eq!(read, contact);
}

#[tokio::test]
async fn only_the_name_is_required() {
    let app = spawn_app().await;

    let contact = app
        .create_contact(&app.admin_token, json!({"name": "Maria"}))
        .await;

    let nothing_else = json!({"name": "Maria", "email": null, "phone": null, "document": null,
        "document_kind": null, "document_formatted": null, "company": null, "notes": null});
    assert_fields(&contact, nothing_else);
    assert_eq!(contact["address"]["city"], Value::Null);
}

#[tokio::test]
async fn every_invalid_field_is_named_in_one_response() {
    let app = spawn_app().await;
    let body = json!({
        "name": "   ", "email": "maria@", "phone": "12345", "document": "529.982.247-24",
        "address": {"state": "XX", "postal_code": "1310-200"}
    });

    let response = app.post("/contacts", &app.admin_token, &body).await;

    let problem = expect_problem(response, 422, "validation_failed").await;
    let mut fields = error_fields(&problem);
    fields.sort();
    let expected = "address.postal_code address.state document email name phone";
    assert_eq!(fields.join(" "), expected);
    let errors = problem["errors"].as_array().unwrap();
    let document = errors.iter().find(|e| e["field"] == "document").unwrap();
    assert_eq!(document["code"], "invalid_check_digits");
    let list = admin_get(&app, "/contacts").await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn numeric_and_new_alphanumeric_cnpjs_are_recognized_and_formatted() {
    let app = spawn_app().await;

    for (typed, stored) in [
        ("11.222.333/0001-81", "11222333000181"),
        ("12.ABC.345/01DE-35", "12ABC34501DE35"),
    ] {
        let body = json!({"name": "Empresa", "document": typed});
        let contact = app.create_contact(&app.admin_token, body).await;

        let expected = json!({"document": stored, "document_kind": "cnpj",
            "document_formatted": typed});
        assert_fields(&contact, expected);
    }
}

#[tokio::test]
async fn a_second_contact_with_the_same_document_is_a_conflict() {
    let app = spawn_app().await;
    app.create_contact(&app.admin_token, json!({"name": "João", "document": CPF}))
        .await;

    let body = json!({"name": "Outro João", "document": "52998224725"});
    let response = app.post("/contacts", &app.admin_token, &body).await;

    expect_problem(response, 409, "duplicate_document").await;
    let list = admin_get(&app, "/contacts").await;
    assert_eq!(names(&list), ["João"]);
}

async fn seed_search(app: &TestApp) {
    let token = &app.admin_token;
    app.create_contact(token, joao()).await;
    let maria =
        json!({"name": "Maria Souza", "email": "maria@empresa.com", "phone": "(21) 3456-7890"});
    app.create_contact(token, maria).await;
    let carlos = json!({"name": "Carlos Pereira", "company": "Padaria Pão de Açúcar"});
    app.create_contact(token, carlos).await;
    app.create_contact(token, json!({"name": "Ana", "company": "100% Algodão"}))
        .await;
}

#[tokio::test]
async fn searching_ignores_case_and_accents_in_names() {
    let app = spawn_app().await;
    seed_search(&app).await;

    for q in ["joao", "CONCEICAO", "João da", "  conceição "] {
        assert_eq!(search(&app, q).await, ["João da Conceição"], "q={q}");
    }
}

#[tokio::test]
async fn search_finds_a_contact_by_email_phone_document_or_company() {
    let app = spawn_app().await;
    seed_search(&app).await;

    let cases = [
        ("jc.silva@", "João da Conceição"),
        ("EMPRESA.COM", "Maria Souza"),
        ("98765", "João da Conceição"),
        ("(11) 98765-4321", "João da Conceição"),
        ("3456-7890", "Maria Souza"),
        (CPF, "João da Conceição"),
        ("52998224725", "João da Conceição"),
        ("padaria pao", "Carlos Pereira"),
        ("AÇÚCAR", "Carlos Pereira"),
    ];

    for (q, expected) in cases {
        assert_eq!(search(&app, q).await, [expected], "q={q}");
    }
}

#[tokio::test]
async fn a_search_that_matches_nothing_returns_no_items_and_wildcards_are_literal() {
    let app = spawn_app().await;
    seed_search(&app).await;

    for q in ["xavier", "00000", "_", "m%a"] {
        assert_eq!(search(&app, q).await, Vec::<String>::new(), "q={q}");
    }
    // `%` is not "anything": only the company "100% Algodão" contains it.
    assert_eq!(search(&app, "%").await, ["Ana"]);
    // Quotes and control characters are text too, never an error.
    for q in ["x' OR '1'='1", "\\", "x\u{0}y"] {
        assert_eq!(search(&app, q).await, Vec::<String>::new(), "q={q:?}");
    }
}

#[tokio::test]
async fn contacts_sort_by_name_or_creation_in_either_direction() {
    let app = spawn_app().await;
    for name in ["Bruno", "Álvaro", "Carla", "Ângela"] {
        app.create_contact(&app.admin_token, json!({"name": name}))
            .await;
    }

    let mut orders = Vec::new();
    for sort in ["name", "-name", "created_at", "-created_at"] {
        let path = format!("/contacts?sort={sort}");
        orders.push(names(&admin_get(&app, &path).await));
    }

    assert_eq!(orders[0], ["Álvaro", "Ângela", "Bruno", "Carla"]);
    assert_eq!(orders[1], ["Carla", "Bruno", "Ângela", "Álvaro"]);
    assert_eq!(orders[2], ["Bruno", "Álvaro", "Carla", "Ângela"]);
    assert_eq!(orders[3], ["Ângela", "Carla", "Álvaro", "Bruno"]);
}

/// Twelve contacts whose names are not in creation order; their names as created.
async fn twelve_contacts(app: &TestApp) -> Vec<String> {
    let mut created = Vec::new();
    for i in 0..12u8 {
        let name = format!("Cliente {}", (b'A' + (i * 5) % 12) as char);
        app.create_contact(&app.admin_token, json!({"name": name}))
            .await;
        created.push(name);
    }
    created
}

/// Follows `next_cursor` with `limit=5` (at most five pages); each page's names.
async fn pages(app: &TestApp, sort: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut path = format!("/contacts?limit=5&sort={sort}");
    while pages.len() < 5 {
        let page = admin_get(app, &path).await;
        pages.push(names(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/contacts?limit=5&sort={sort}&cursor={cursor}"),
            None => break,
        }
    }
    pages
}

fn assert_once_each_in_order(pages: &[Vec<String>], expected: &[String], sort: &str) {
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [5, 5, 2], "sort={sort}: {pages:?}");
    assert_eq!(pages.concat(), expected, "sort={sort}");
}

#[tokio::test]
async fn contacts_listed_by_name_page_by_page_come_once_each_in_order() {
    let app = spawn_app().await;
    let mut expected = twelve_contacts(&app).await;
    expected.sort();

    let ascending = pages(&app, "name").await;
    let descending = pages(&app, "-name").await;

    assert_once_each_in_order(&ascending, &expected, "name");
    expected.reverse();
    assert_once_each_in_order(&descending, &expected, "-name");
}

#[tokio::test]
async fn contacts_listed_by_creation_page_by_page_come_once_each_in_order() {
    let app = spawn_app().await;
    let mut expected = twelve_contacts(&app).await;

    let oldest_first = pages(&app, "created_at").await;
    let newest_first = pages(&app, "-created_at").await;

    assert_once_each_in_order(&oldest_first, &expected, "created_at");
    expected.reverse();
    assert_once_each_in_order(&newest_first, &expected, "-created_at");
}

#[tokio::test]
async fn a_patch_keeps_absent_fields_clears_nulls_and_replaces_the_address() {
    let app = spawn_app().await;
    let contact = app.create_contact(&app.admin_token, joao()).await;
    let body = json!({
        "company": null, "phone": "+55 21 3456-7890",
        "address": {"city": "Rio de Janeiro", "state": "rj"}
    });

    let response = app.patch(&path_of(&contact), &app.admin_token, &body).await;

    assert_eq!(header(&response, "etag"), "\"2\"");
    let updated = expect_json(response, 200).await;
    let expected = json!({
        "company": null, "phone": "+552134567890",
        "name": contact["name"], "email": contact["email"], "document": contact["document"],
        "notes": contact["notes"],
        "address": {"street": null, "number": null, "complement": null, "district": null,
                    "city": "Rio de Janeiro", "state": "RJ", "postal_code": null}
    });
    assert_fields(&updated, expected);
    let read = admin_get(&app, &path_of(&contact)).await;
    assert_eq!(read, updated);
}

#[tokio::test]
async fn a_patch_with_a_stale_if_match_is_412_and_changes_nothing() {
    let app = spawn_app().await;
    let contact = app.create_contact(&app.admin_token, joao()).await;
    let path = path_of(&contact);
    let first = patch_if_match(&app, &path, "\"1\"", &json!({"notes": "Ligar à tarde"})).await;
    expect_json(first, 200).await;

    let stale = patch_if_match(&app, &path, "\"1\"", &json!({"notes": "Outra"})).await;

    expect_problem(stale, 412, "precondition_failed").await;
    let read = admin_get(&app, &path).await;
    assert_fields(&read, json!({"notes": "Ligar à tarde", "version": 2}));
}

#[tokio::test]
async fn changing_the_document_to_another_contacts_document_is_a_conflict() {
    let app = spawn_app().await;
    app.create_contact(&app.admin_token, json!({"name": "João", "document": CPF}))
        .await;
    let maria = json!({"name": "Maria", "document": OTHER_CPF});
    let maria = app.create_contact(&app.admin_token, maria).await;

    let body = json!({"document": "52998224725"});
    let response = app.patch(&path_of(&maria), &app.admin_token, &body).await;

    expect_problem(response, 409, "duplicate_document").await;
    let read = admin_get(&app, &path_of(&maria)).await;
    assert_eq!(read["document"], "11144477735");
}

#[tokio::test]
async fn an_unknown_contact_is_404() {
    let app = spawn_app().await;
    let path = format!("/contacts/{}", Uuid::now_v7());

    let read = app.get(&path, &app.admin_token).await;
    let edit = app
        .patch(&path, &app.admin_token, &json!({"name": "X"}))
        .await;

    expect_problem(read, 404, "not_found").await;
    expect_problem(edit, 404, "not_found").await;
}

#[tokio::test]
async fn a_deleted_contact_is_gone() {
    let app = spawn_app().await;
    let contact = app.create_contact(&app.admin_token, joao()).await;
    let path = path_of(&contact);

    let response = app.delete(&path, &app.admin_token).await;

    assert_eq!(response.status().as_u16(), 204);
    expect_problem(app.get(&path, &app.admin_token).await, 404, "not_found").await;
    expect_problem(app.delete(&path, &app.admin_token).await, 404, "not_found").await;
    // Its document is free again.
    app.create_contact(&app.admin_token, json!({"name": "Novo", "document": CPF}))
        .await;
}

#[tokio::test]
async fn text_is_trimmed_and_composed_keeping_accents_and_cedillas() {
    let app = spawn_app().await;
    let body = json!({
        "name": "  Conceição  ", "company": " Ac\u{0327}aí & Cia\t",
        "address": {"city": "  Sa\u{0303}o Paulo ", "district": " Mooca "}
    });

    let contact = app.create_contact(&app.admin_token, body).await;

    let expected = json!({"name": "Conceição", "company": "Açaí & Cia"});
    assert_fields(&contact, expected);
    assert_eq!(contact["company"].as_str().unwrap().chars().count(), 10);
    let address = json!({"city": "São Paulo", "district": "Mooca"});
    assert_fields(&contact["address"], address);
    let patch = json!({"name": " Joa\u{0303}o  "});
    let renamed = app
        .patch(&path_of(&contact), &app.admin_token, &patch)
        .await;
    assert_eq!(expect_json(renamed, 200).await["name"], "João");
}

#[tokio::test]
async fn a_member_creates_and_reads_contacts() {
    let app = spawn_app().await;
    let (_, token) = app.create_member("ana@example.com").await;
    app.create_contact(&app.admin_token, json!({"name": "Maria"}))
        .await;

    let contact = app.create_contact(&token, joao()).await;

    let read = expect_json(app.get(&path_of(&contact), &token).await, 200).await;
    assert_eq!(read, contact);
    let list = expect_json(app.get("/contacts", &token).await, 200).await;
    assert_eq!(names(&list), ["João da Conceição", "Maria"]);
}
