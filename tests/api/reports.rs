//! The contact-data report: exact CSV, text and JSON for a fixture with accents, quotes, commas
//! and line breaks; selection by ids or by a flow's filters; 404 for what the caller may not see.

use serde_json::{Value, json};

use crate::helpers::*;

/// A flow with one attendance for a contact whose data needs quoting, and its first note.
async fn fixture(app: &TestApp) -> (String, String, Value) {
    let flow = app.create_flow(json!({"name": "Vendas"})).await;
    let flow_id = flow["id"].as_str().unwrap().to_owned();
    let contact = app
        .create_contact(
            &app.admin_token,
            json!({
                "name": "João \"Jão\" da Conceição",
                "document": "529.982.247-25",
                "email": "joao@example.com",
                "phone": "(11) 98765-4321",
                "company": "Pão, Açúcar; Cia",
                "address": {"street": "Rua Direita", "number": "10", "city": "São Paulo",
                            "state": "SP", "postal_code": "01002-000"}
            }),
        )
        .await;
    let body = json!({
        "title": "Orçamento, 30 cadeiras",
        "contact_id": contact["id"],
        "value": "4500.5",
        "first_interaction": {"body": "Ligou pedindo \"prazo\"\nretornar amanhã"}
    });
    let response = app
        .post(
            &format!("/flows/{flow_id}/attendances"),
            &app.admin_token,
            &body,
        )
        .await;
    let attendance = expect_json(response, 201).await;
    // A later note must not be taken for the first one.
    let later = json!({"body": "Segunda interação"});
    let path = format!(
        "/attendances/{}/interactions",
        attendance["id"].as_str().unwrap()
    );
    expect_json(app.post(&path, &app.admin_token, &later).await, 201).await;
    (
        flow_id,
        attendance["id"].as_str().unwrap().to_owned(),
        attendance,
    )
}

async fn report(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post("/reports/contact-data", token, &body).await
}

fn iso(value: &Value) -> String {
    let at: chrono::DateTime<chrono::Utc> = value.as_str().unwrap().parse().unwrap();
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tokio::test]
async fn csv_export_is_exact_rfc_4180_with_the_first_interaction() {
    let app = spawn_app().await;
    let (_, id, attendance) = fixture(&app).await;
    let body = json!({"attendance_ids": [id], "format": "csv"});

    let response = report(&app, &app.admin_token, body).await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"dados-de-contato-"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".csv\""), "{disposition}");
    let created = iso(&attendance["created_at"]);
    // The phone is typed text too: written as text (a leading apostrophe), a spreadsheet shows the
    // "+" instead of reading a number (OWASP CSV injection advice, issue 12).
    let expected = format!(
        "reference,title,status,value,created_at,updated_at,due_at,contact_name,contact_document,\
         contact_email,contact_phone,contact_company,contact_address,first_interaction_at,\
         first_interaction_author,first_interaction\r\n\
         {reference},\"Orçamento, 30 cadeiras\",open,4500.50,{created},{updated},,\
         \"João \"\"Jão\"\" da Conceição\",529.982.247-25,joao@example.com,'+5511987654321,\
         \"Pão, Açúcar; Cia\",\"Rua Direita, 10, São Paulo, SP, 01002000\",{created},Administrator,\
         \"Ligou pedindo \"\"prazo\"\"\nretornar amanhã\"\r\n",
        reference = attendance["reference"],
        updated = iso(&attendance["updated_at"]),
    );
    assert_eq!(response.text().await.unwrap(), expected);
}

#[tokio::test]
async fn semicolon_csv_with_bom_is_for_brazilian_spreadsheets() {
    let app = spawn_app().await;
    let (_, id, _) = fixture(&app).await;
    let body =
        json!({"attendance_ids": [id], "format": "csv", "delimiter": "semicolon", "bom": true});

    let text = report(&app, &app.admin_token, body)
        .await
        .text()
        .await
        .unwrap();

    assert!(
        text.starts_with("\u{feff}reference;title;status;"),
        "{text}"
    );
    // Commas need no quotes now; the semicolon inside the company does.
    assert!(
        text.contains(";Orçamento, 30 cadeiras;open;4500.50;"),
        "{text}"
    );
    assert!(text.contains(";\"Pão, Açúcar; Cia\";"), "{text}");
}

#[tokio::test]
async fn text_export_is_one_readable_block_per_attendance() {
    let app = spawn_app().await;
    let (_, id, attendance) = fixture(&app).await;
    let body = json!({"attendance_ids": [id], "format": "text"});

    let response = report(&app, &app.admin_token, body).await;

    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let reference = attendance["reference"].as_i64().unwrap();
    assert!(
        text.starts_with(&format!(
            "Atendimento #{reference} — Orçamento, 30 cadeiras\n"
        )),
        "{text}"
    );
    for line in [
        "Situação: Aberto | Valor: R$ 4500.50\n",
        "Contato: João \"Jão\" da Conceição\n",
        "CPF/CNPJ: 529.982.247-25\n",
        "Empresa: Pão, Açúcar; Cia\n",
        "Endereço: Rua Direita, 10, São Paulo, SP, 01002000\n",
        "Ligou pedindo \"prazo\"\nretornar amanhã\n\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in {text}");
    }
    assert!(text.contains("Primeira interação ("), "{text}");
    assert!(!text.contains("Segunda interação"), "{text}");
}

#[tokio::test]
async fn json_export_is_an_array_of_rows() {
    let app = spawn_app().await;
    let (_, id, attendance) = fixture(&app).await;
    let body = json!({"attendance_ids": [id], "format": "json"});

    let rows = expect_json(report(&app, &app.admin_token, body).await, 200).await;

    assert_eq!(rows.as_array().unwrap().len(), 1);
    let row = &rows[0];
    assert_eq!(row["attendance"]["reference"], attendance["reference"]);
    assert_eq!(row["contact"]["name"], "João \"Jão\" da Conceição");
    assert_eq!(row["contact"]["document"], "529.982.247-25");
    assert_eq!(
        row["first_interaction"]["body"],
        "Ligou pedindo \"prazo\"\nretornar amanhã"
    );
    assert_eq!(row["first_interaction"]["author"], "Administrator");
}

#[tokio::test]
async fn a_flow_export_follows_the_list_filters_and_order() {
    let app = spawn_app().await;
    let (flow, _, _) = fixture(&app).await;
    let contact = app
        .create_contact(&app.admin_token, json!({"name": "Maria"}))
        .await;
    for title in ["Mesa", "Cadeira avulsa", "Armário"] {
        let body = json!({"title": title, "contact_id": contact["id"]});
        let path = format!("/flows/{flow}/attendances");
        expect_json(app.post(&path, &app.admin_token, &body).await, 201).await;
    }
    let body = json!({"flow_id": flow, "q": "maria", "sort": "title", "format": "json"});

    let rows = expect_json(report(&app, &app.admin_token, body).await, 200).await;

    let titles: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["attendance"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Armário", "Cadeira avulsa", "Mesa"]);
    assert!(rows[0]["first_interaction"].is_null());
}

#[tokio::test]
async fn selected_ids_the_caller_may_not_see_are_404() {
    let app = spawn_app().await;
    let (flow, id, _) = fixture(&app).await;
    let (_, member) = app.create_member("ana@example.com").await;

    for body in [
        json!({"attendance_ids": [id], "format": "csv"}),
        json!({"flow_id": flow, "format": "csv"}),
    ] {
        expect_problem(report(&app, &member, body).await, 404, "not_found").await;
    }
}

#[tokio::test]
async fn a_report_needs_exactly_one_selection() {
    let app = spawn_app().await;
    let (flow, id, _) = fixture(&app).await;

    for body in [
        json!({"format": "csv"}),
        json!({"attendance_ids": [id], "flow_id": flow, "format": "csv"}),
        json!({"attendance_ids": [], "format": "csv"}),
        json!({"attendance_ids": [id], "q": "x", "format": "csv"}),
    ] {
        let problem = expect_problem(
            report(&app, &app.admin_token, body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["attendance_ids"], "{problem}");
    }
}

#[tokio::test]
async fn cells_a_spreadsheet_would_run_are_neutralised_in_csv_and_text_but_not_json() {
    let app = spawn_app().await;
    let flow = app.create_flow(json!({"name": "Vendas"})).await;
    let link = r#"=HYPERLINK("http://evil.example","abrir")"#;
    let contact = app
        .create_contact(
            &app.admin_token,
            json!({"name": link, "company": "@SUM(1+1)"}),
        )
        .await;
    let body = json!({
        "title": "+cmd|' /C calc'!A0",
        "contact_id": contact["id"],
        "first_interaction": {"body": "-2+3"}
    });
    let path = format!("/flows/{}/attendances", flow["id"].as_str().unwrap());
    let attendance = expect_json(app.post(&path, &app.admin_token, &body).await, 201).await;
    let export = |format: &str| json!({"attendance_ids": [attendance["id"]], "format": format});

    let csv = report(&app, &app.admin_token, export("csv")).await;
    let csv = csv.text().await.unwrap();
    let text = report(&app, &app.admin_token, export("text")).await;
    let text = text.text().await.unwrap();
    let rows = expect_json(report(&app, &app.admin_token, export("json")).await, 200).await;

    let record = csv.lines().nth(1).unwrap();
    assert!(record.contains(",'+cmd|' /C calc'!A0,"), "{record}");
    assert!(
        record.contains(r#","'=HYPERLINK(""http://evil.example"",""abrir"")","#),
        "{record}"
    );
    assert!(record.contains(",'@SUM(1+1),"), "{record}");
    assert!(record.ends_with(",'-2+3"), "{record}");
    assert!(text.contains("\n'-2+3\n"), "{text}");
    assert_eq!(rows[0]["contact"]["name"], link);
    assert_eq!(rows[0]["attendance"]["title"], "+cmd|' /C calc'!A0");
    assert_eq!(rows[0]["first_interaction"]["body"], "-2+3");
}
