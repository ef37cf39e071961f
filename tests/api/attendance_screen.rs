//! Around the list: the printable page of an attendance (escaped user text), the flow's counts
//! per status and per tag, and each user's choice of list columns.

use reqwest::Response;
use serde_json::{Value, json};

use crate::attendance_helpers::*;
use crate::helpers::*;

const NIL: &str = "00000000-0000-0000-0000-000000000000";

const DEFAULT_COLUMNS: [&str; 7] = [
    "status",
    "reference",
    "title",
    "contact_name",
    "value",
    "updated_at",
    "created_at",
];

/// The printable page, after checking it is a 200 HTML answer.
async fn html(response: Response) -> String {
    assert_eq!(response.status().as_u16(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    response.text().await.unwrap()
}

async fn print(app: &TestApp, attendance: &Value, query: &str) -> String {
    let path = format!("/attendances/{}/print{query}", id_of(attendance));
    html(app.get(&path, &app.admin_token).await).await
}

#[tokio::test]
async fn the_printable_page_shows_the_contact_the_fields_and_the_tags() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let contact = json!({"name": "Maria Souza", "email": "maria@example.com",
                         "phone": "(11) 98765-4321", "company": "Padaria Pão de Açúcar"});
    let maria = id_of(&app.create_contact(&app.admin_token, contact).await);
    let urgente = id_of(&tag(&app, &desk.flow, "Urgente", "#E53935").await);
    let body = json!({"title": "Orçamento de 30 cadeiras", "contact_id": maria, "value": "4500.5",
        "tag_ids": [urgente], "first_interaction": {"body": "Ligou pedindo desconto"}});
    let created = create(&app, &desk, body).await;

    let page = print(&app, &created, "").await;

    for expected in [
        "Orçamento de 30 cadeiras",
        &created["reference"].to_string(),
        "Maria Souza",
        "maria@example.com",
        "Padaria Pão de Açúcar",
        "R$ 4.500,50",
        "Urgente",
        "Vendas",
    ] {
        assert!(
            page.contains(expected),
            "{expected:?} missing from:\n{page}"
        );
    }
    assert!(
        !page.contains("Ligou pedindo desconto"),
        "no notes unless asked"
    );
}

#[tokio::test]
async fn with_interactions_the_printable_page_has_every_note() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let notes = format!("/attendances/{}/interactions", id_of(&created));
    for note in ["Primeiro contato", "Proposta enviada"] {
        let body = json!({"body": note});
        expect_json(app.post(&notes, &app.admin_token, &body).await, 201).await;
    }

    let page = print(&app, &created, "?interactions=true").await;

    assert!(page.contains("Primeiro contato"), "{page}");
    assert!(page.contains("Proposta enviada"), "{page}");
}

#[tokio::test]
async fn user_text_on_the_printable_page_is_escaped_never_raw() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let contact = json!({"name": "Zé <b>\"Negrito\"</b>"});
    let ze = id_of(&app.create_contact(&app.admin_token, contact).await);
    let tag_name = "<i>quente</i>";
    let marked = id_of(&tag(&app, &desk.flow, tag_name, "#E53935").await);
    let body = json!({"title": "<script>alert(1)</script> \"aspas\" & 'apóstrofo'",
        "contact_id": ze, "tag_ids": [marked],
        "first_interaction": {"body": "<img src=x onerror=alert(1)>"}});
    let created = create(&app, &desk, body).await;

    let page = print(&app, &created, "?interactions=true").await;

    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&quot;aspas&quot; &amp; ",
        "Zé &lt;b&gt;",
        "&lt;i&gt;quente&lt;/i&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
    ] {
        assert!(page.contains(escaped), "{escaped:?} missing from:\n{page}");
    }
    for raw in ["<script", "<b>", "<i>", "<img", "\"aspas\"", "'apóstrofo'"] {
        assert!(!page.contains(raw), "{raw:?} appears raw in:\n{page}");
    }
}

#[tokio::test]
async fn the_summary_counts_active_attendances_per_status_and_per_tag_with_zeros() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let a = tag(&app, &desk.flow, "Urgente", "#E53935").await;
    let b = tag(&app, &desk.flow, "VIP", "#16A34A").await;
    let c = tag(&app, &desk.flow, "Frio", "#2563EB").await;
    let (ida, idb) = (id_of(&a), id_of(&b));
    for (status, tags) in [
        ("open", json!([ida])),
        ("open", json!([ida, idb])),
        ("won", json!([idb])),
        ("in_progress", json!([])),
    ] {
        create(
            &app,
            &desk,
            json!({"title": "Ativo", "status": status, "tag_ids": tags}),
        )
        .await;
    }
    // Neither archived nor trashed attendances count.
    let archived = json!({"title": "Arquivado", "status": "won", "tag_ids": [ida]});
    let archived = create(&app, &desk, archived).await;
    admin_post(&app, &format!("/attendances/{}/archive", id_of(&archived))).await;
    let trashed = json!({"title": "Na lixeira", "status": "lost", "tag_ids": [idb]});
    let trashed = create(&app, &desk, trashed).await;
    let trash = format!("/attendances/{}", id_of(&trashed));
    expect_json(app.delete(&trash, &app.admin_token).await, 200).await;

    let summary = admin_get(&app, &format!("/flows/{}/summary", desk.flow)).await;

    let by_status = json!([
        {"status": "open", "count": 2}, {"status": "in_progress", "count": 1},
        {"status": "won", "count": 1}, {"status": "lost", "count": 0},
        {"status": "closed", "count": 0},
    ]);
    assert_fields(
        &summary,
        json!({"flow_id": desk.flow, "total": 4, "by_status": by_status}),
    );
    let tag_counts: Vec<Value> = summary["by_tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| json!([t["tag_id"], t["name"], t["count"]]))
        .collect();
    let expected = [
        json!([NIL, "ALL", 4]),
        json!([a["id"], "Urgente", 2]),
        json!([b["id"], "VIP", 2]),
        json!([c["id"], "Frio", 0]),
    ];
    assert_eq!(tag_counts, expected);
}

#[tokio::test]
async fn list_columns_default_to_the_seven_of_the_screen() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let desk = desk(&app, json!([ana])).await;

    let path = format!("/me/preferences/flows/{}", desk.flow);
    let preferences = expect_json(app.get(&path, &token).await, 200).await;

    assert_eq!(preferences, json!({"columns": DEFAULT_COLUMNS}));
}

#[tokio::test]
async fn a_users_chosen_columns_are_kept_for_them_alone() {
    let app = spawn_app().await;
    let (ana, ana_token) = app.create_member("ana@example.com").await;
    let (bia, bia_token) = app.create_member("bia@example.com").await;
    let desk = desk(&app, json!([ana, bia])).await;
    let other = flow(&app, "Suporte", json!([ana])).await;
    let path = format!("/me/preferences/flows/{}", desk.flow);
    let chosen = json!({"columns": ["title", "contact_name", "value", "due_at", "status"]});

    let saved = expect_json(app.put(&path, &ana_token, &chosen).await, 200).await;

    assert_eq!(saved, chosen);
    assert_eq!(
        expect_json(app.get(&path, &ana_token).await, 200).await,
        chosen
    );
    let default = json!({"columns": DEFAULT_COLUMNS});
    assert_eq!(
        expect_json(app.get(&path, &bia_token).await, 200).await,
        default
    );
    let elsewhere = format!("/me/preferences/flows/{other}");
    assert_eq!(
        expect_json(app.get(&elsewhere, &ana_token).await, 200).await,
        default
    );
    let reordered = json!({"columns": ["status", "title"]});
    expect_json(app.put(&path, &ana_token, &reordered).await, 200).await;
    assert_eq!(
        expect_json(app.get(&path, &ana_token).await, 200).await,
        reordered
    );
}

#[tokio::test]
async fn an_empty_or_repeated_column_list_is_rejected_and_the_choice_kept() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let path = format!("/me/preferences/flows/{}", desk.flow);
    let chosen = json!({"columns": ["title", "value"]});
    expect_json(app.put(&path, &app.admin_token, &chosen).await, 200).await;

    let empty = app
        .put(&path, &app.admin_token, &json!({"columns": []}))
        .await;
    let repeated = json!({"columns": ["title", "value", "title"]});
    let repeated = app.put(&path, &app.admin_token, &repeated).await;

    let problem = expect_problem(empty, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["columns"]);
    let problem = expect_problem(repeated, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["columns[2]"]);
    assert_eq!(admin_get(&app, &path).await, chosen);
}

#[tokio::test]
async fn each_row_of_a_list_page_shows_its_tags_in_the_flows_order() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let [urgente, vip, frio] = [
        ("Urgente", "#E53935"),
        ("VIP", "#16A34A"),
        ("Frio", "#2563EB"),
    ];
    let (a, b, c) = (
        tag(&app, &desk.flow, urgente.0, urgente.1).await,
        tag(&app, &desk.flow, vip.0, vip.1).await,
        tag(&app, &desk.flow, frio.0, frio.1).await,
    );
    let both = json!({"title": "Dois", "tag_ids": [id_of(&c), id_of(&a)]});
    create(&app, &desk, both).await;
    create(&app, &desk, json!({"title": "Nenhuma"})).await;
    let order = json!({"tag_ids": [id_of(&c), id_of(&b), id_of(&a)]});
    let path = format!("/flows/{}/tags/order", desk.flow);
    expect_json(app.put(&path, &app.admin_token, &order).await, 200).await;

    let page = list(&app, &desk.flow, &[("sort", "title")]).await;

    let tags = |tag: &Value| json!({"id": tag["id"], "name": tag["name"], "color": tag["color"]});
    assert_eq!(each(&page, "title"), [json!("Dois"), json!("Nenhuma")]);
    assert_eq!(
        each(&page, "tags"),
        [json!([tags(&c), tags(&a)]), json!([])]
    );
}

/// The tags of the list's rows, by title order, as `[name, colour]` pairs.
async fn listed_tags(app: &TestApp, flow: &str) -> Vec<Vec<(String, String)>> {
    let page = list(app, flow, &[("sort", "title")]).await;
    each(&page, "tags")
        .iter()
        .map(|tags| {
            let pairs = tags.as_array().unwrap().iter();
            pairs
                .map(|t| {
                    (
                        t["name"].as_str().unwrap().to_owned(),
                        t["color"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .collect()
}

fn pairs(tags: &[(&str, &str)]) -> Vec<(String, String)> {
    tags.iter()
        .map(|(name, color)| ((*name).to_owned(), (*color).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_list_page_shows_each_tag_change_on_the_next_page() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let a = tag(&app, &desk.flow, "Urgente", "#E53935").await;
    let b = tag(&app, &desk.flow, "VIP", "#16A34A").await;
    let both = json!({"title": "Dois", "tag_ids": [id_of(&a), id_of(&b)]});
    create(&app, &desk, both).await;
    create(&app, &desk, json!({"title": "Um", "tag_ids": [id_of(&b)]})).await;
    assert_eq!(
        listed_tags(&app, &desk.flow).await,
        [
            pairs(&[("Urgente", "#E53935"), ("VIP", "#16A34A")]),
            pairs(&[("VIP", "#16A34A")])
        ]
    );

    let path = format!("/flows/{}/tags/{}", desk.flow, id_of(&a));
    let renamed = json!({"name": "Muito urgente", "color": "#000000"});
    expect_json(app.patch(&path, &app.admin_token, &renamed).await, 200).await;
    assert_eq!(
        listed_tags(&app, &desk.flow).await[0],
        pairs(&[("Muito urgente", "#000000"), ("VIP", "#16A34A")])
    );

    let order = json!({"tag_ids": [id_of(&b), id_of(&a)]});
    let order_path = format!("/flows/{}/tags/order", desk.flow);
    expect_json(app.put(&order_path, &app.admin_token, &order).await, 200).await;
    assert_eq!(
        listed_tags(&app, &desk.flow).await[0],
        pairs(&[("VIP", "#16A34A"), ("Muito urgente", "#000000")])
    );

    let response = app
        .delete(
            &format!("/flows/{}/tags/{}", desk.flow, id_of(&b)),
            &app.admin_token,
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        listed_tags(&app, &desk.flow).await,
        [pairs(&[("Muito urgente", "#000000")]), pairs(&[])]
    );
}

#[tokio::test]
async fn a_tag_renamed_through_one_instance_is_renamed_on_the_others_list_at_once() {
    let app = spawn_app().await;
    let other = app.another_instance().await;
    let desk = desk(&app, json!([])).await;
    let vip = tag(&app, &desk.flow, "VIP", "#16A34A").await;
    create(
        &app,
        &desk,
        json!({"title": "Um", "tag_ids": [id_of(&vip)]}),
    )
    .await;
    // The other instance has shown the tag once, so it has its name at hand.
    assert_eq!(
        listed_tags(&other, &desk.flow).await,
        [pairs(&[("VIP", "#16A34A")])]
    );

    let path = format!("/flows/{}/tags/{}", desk.flow, id_of(&vip));
    let renamed = json!({"name": "Cliente VIP", "color": "#2563EB"});
    expect_json(app.patch(&path, &app.admin_token, &renamed).await, 200).await;

    assert_eq!(
        listed_tags(&other, &desk.flow).await,
        [pairs(&[("Cliente VIP", "#2563EB")])]
    );
}
