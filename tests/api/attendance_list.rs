//! A flow's list of attendances: the screen's columns, every ordering both ways, keyset pages
//! that neither repeat nor skip rows even when hundreds share a value, search, filters, views,
//! and previous/next under the same query.

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::attendance_helpers::*;
use crate::helpers::*;

const SORTS: [&str; 7] = [
    "status",
    "reference",
    "title",
    "contact_name",
    "value",
    "updated_at",
    "created_at",
];

/// A list value as the list orders it: statuses in workflow order, money as numbers, texts
/// ignoring case and accents, times as instants.
#[derive(Debug, PartialEq, PartialOrd)]
enum Key {
    Number(i64),
    Text(String),
}

fn fold(text: &str) -> String {
    let lower = text.to_lowercase();
    let plain = lower.chars().map(|c| match c {
        'á' | 'à' | 'â' | 'ã' => 'a',
        'é' | 'ê' => 'e',
        'í' => 'i',
        'ó' | 'ô' | 'õ' => 'o',
        'ú' | 'ü' => 'u',
        'ç' => 'c',
        c => c,
    });
    plain.collect()
}

fn key(item: &Value, column: &str) -> Key {
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    match column {
        "status" => {
            let order = ["open", "in_progress", "won", "lost", "closed"];
            let status = text(&item["status"]);
            Key::Number(order.iter().position(|s| *s == status).unwrap() as i64)
        }
        "reference" => Key::Number(item["reference"].as_i64().unwrap()),
        "title" => Key::Text(fold(&text(&item["title"]))),
        "contact_name" => Key::Text(fold(&text(&item["contact"]["name"]))),
        "value" => Key::Number(text(&item["value"]).replace('.', "").parse().unwrap()),
        time => {
            let at = chrono::DateTime::parse_from_rfc3339(&text(&item[time])).unwrap();
            Key::Number(at.timestamp_micros())
        }
    }
}

/// Every item of the list under `sort`, following `next_cursor` with pages of `limit`.
async fn walk(app: &TestApp, flow: &str, sort: &str, limit: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    for _ in 0..100 {
        let query = [("sort", sort), ("limit", limit), ("cursor", &cursor)];
        let page = list(app, flow, &query).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => return items,
        }
    }
    panic!("{sort}: the pages never end");
}

/// Creates attendances from `bodies` ten requests at a time; returns their ids.
async fn create_many(app: &TestApp, desk: &Desk, bodies: Vec<Value>) -> Vec<String> {
    let mut created = Vec::new();
    for chunk in bodies.chunks(10) {
        let mut requests = JoinSet::new();
        for body in chunk {
            let request = app.client.post(app.url(&desk.attendances()));
            let request = request.bearer_auth(&app.admin_token).json(body);
            requests.spawn(async move { request.send().await.unwrap() });
        }
        while let Some(response) = requests.join_next().await {
            created.push(id_of(&expect_json(response.unwrap(), 201).await));
        }
    }
    created
}

#[tokio::test]
async fn paging_500_attendances_with_tied_values_shows_each_once_in_order_for_every_sort() {
    // Arrange: 500 attendances sharing three titles, contacts, statuses and values each.
    let mut database_url = String::new();
    let app = spawn_app_with(|settings| database_url = settings.database.url.clone()).await;
    let desk = desk(&app, json!([])).await;
    let mut contacts = Vec::new();
    for name in ["ana Souza", "João Pereira", "Zélia Conceição"] {
        contacts.push(contact(&app, name).await);
    }
    let titles = ["orçamento", "Ação de cobrança", "Visita técnica"];
    let (statuses, values) = (["won", "open", "closed"], ["10.00", "100.00", "9.50"]);
    let bodies = (0..500)
        .map(|i| {
            json!({"title": titles[i % 3], "contact_id": contacts[(i / 3) % 3],
                   "status": statuses[(i / 9) % 3], "value": values[(i / 27) % 3]})
        })
        .collect();
    let started = std::time::Instant::now();
    let mut created = create_many(&app, &desk, bodies).await;
    println!("created 500 attendances in {:?}", started.elapsed());
    // Requests never share a microsecond; make the times tie as bulk imports do, in 3 groups.
    let db = Database::connect(database_url).await.unwrap();
    let same_group = "a.reference % 3 = attendances.reference % 3";
    let tie = format!(
        "UPDATE attendances SET \
         created_at = (SELECT MIN(a.created_at) FROM attendances a WHERE {same_group}), \
         updated_at = (SELECT MAX(a.updated_at) FROM attendances a WHERE {same_group})"
    );
    db.execute_unprepared(&tie).await.unwrap();
    created.sort();

    for column in SORTS {
        for sort in [column.to_owned(), format!("-{column}")] {
            // Act
            let items = walk(&app, &desk.flow, &sort, "37").await;

            // Assert
            let mut seen: Vec<String> = items.iter().map(id_of).collect();
            seen.sort();
            assert_eq!(seen.len(), 500, "{sort}: every row once");
            assert_eq!(seen, created, "{sort}: no row repeated or skipped");
            let keys: Vec<Key> = items.iter().map(|item| key(item, column)).collect();
            let mut distinct: Vec<&Key> = keys.iter().collect();
            distinct.dedup();
            let expected_distinct = if column == "reference" { 500 } else { 3 };
            assert_eq!(distinct.len(), expected_distinct, "{sort}: the values tie");
            let descending = sort.starts_with('-');
            for (i, pair) in keys.windows(2).enumerate() {
                let in_order = if descending {
                    pair[0] >= pair[1]
                } else {
                    pair[0] <= pair[1]
                };
                assert!(
                    in_order,
                    "{sort}: rows {i} and {} out of order: {pair:?}",
                    i + 1
                );
            }
        }
    }
    println!("whole test took {:?}", started.elapsed());
}

#[tokio::test]
async fn each_column_sorts_ascending_and_descending() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let bruno = contact(&app, "Bruno").await;
    let avila = contact(&app, "Ávila").await;
    let b = json!({"title": "banana", "contact_id": bruno, "status": "won", "value": "9.90"});
    let a = json!({"title": "Ábaco", "status": "closed", "value": "100.00"});
    let c = json!({"title": "Cacau", "contact_id": avila, "status": "open", "value": "20.00"});
    let banana = create(&app, &desk, b).await;
    create(&app, &desk, a).await;
    create(&app, &desk, c).await;
    // Editing the first one makes it the last updated.
    let path = format!("/attendances/{}", id_of(&banana));
    let edit = app
        .patch(&path, &app.admin_token, &json!({"value": "9.91"}))
        .await;
    expect_json(edit, 200).await;
    let expected = [
        ("status", ["Cacau", "banana", "Ábaco"]),
        ("reference", ["banana", "Ábaco", "Cacau"]),
        ("title", ["Ábaco", "banana", "Cacau"]),
        ("contact_name", ["Cacau", "banana", "Ábaco"]), // Ávila, Bruno, João
        ("value", ["banana", "Cacau", "Ábaco"]),
        ("updated_at", ["Ábaco", "Cacau", "banana"]),
        ("created_at", ["banana", "Ábaco", "Cacau"]),
    ];

    for (column, ascending) in expected {
        let up = list(&app, &desk.flow, &[("sort", column)]).await;
        let descending = format!("-{column}");
        let down = list(&app, &desk.flow, &[("sort", &descending)]).await;

        assert_eq!(each(&up, "title"), ascending, "sort={column}");
        let mut reversed = ascending;
        reversed.reverse();
        assert_eq!(each(&down, "title"), reversed, "sort=-{column}");
    }
    let default = list(&app, &desk.flow, &[]).await;
    assert_eq!(each(&default, "title"), ["banana", "Cacau", "Ábaco"]);
}

#[tokio::test]
async fn the_list_shows_the_screens_columns_of_each_attendance() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let body = json!({"title": "Orçamento de 30 cadeiras", "status": "in_progress",
                      "value": "4500.5"});
    let created = create(&app, &desk, body).await;

    let page = list(&app, &desk.flow, &[]).await;

    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    let row = &page["items"][0];
    let expected = json!({"status": "in_progress", "reference": created["reference"],
        "title": "Orçamento de 30 cadeiras", "value": "4500.50", "currency": "BRL",
        "updated_at": created["updated_at"], "created_at": created["created_at"]});
    assert_fields(row, expected);
    assert_eq!(row["contact"]["name"], "João da Conceição");
    assert_eq!(page["next_cursor"], Value::Null);
    assert_eq!(*row, created, "the list shows what was created");
}

#[tokio::test]
async fn a_cursor_from_one_sort_is_refused_by_another() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    for title in ["Um", "Dois", "Três"] {
        titled(&app, &desk, title).await;
    }
    let path = desk.attendances();
    let by_title = list(&app, &desk.flow, &[("sort", "title"), ("limit", "1")]).await;
    let by_status = list(&app, &desk.flow, &[("sort", "status"), ("limit", "1")]).await;
    let title_cursor = by_title["next_cursor"].as_str().unwrap();
    let status_cursor = by_status["next_cursor"].as_str().unwrap();

    let token = &app.admin_token;
    let mixed = [
        get_query(
            &app,
            &path,
            token,
            &[("sort", "value"), ("cursor", title_cursor)],
        )
        .await,
        get_query(
            &app,
            &path,
            token,
            &[("sort", "reference"), ("cursor", status_cursor)],
        )
        .await,
        get_query(&app, &path, token, &[("cursor", "not-a-cursor")]).await,
    ];

    for answer in mixed {
        expect_problem(answer, 400, "invalid_cursor").await;
    }
    let next = list(
        &app,
        &desk.flow,
        &[("sort", "title"), ("cursor", title_cursor)],
    )
    .await;
    assert_eq!(each(&next, "title"), ["Três", "Um"]);
}

#[tokio::test]
async fn a_cursor_from_an_ascending_sort_is_refused_by_the_descending_one() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    for title in ["Um", "Dois", "Três"] {
        titled(&app, &desk, title).await;
    }
    let by_title = list(&app, &desk.flow, &[("sort", "title"), ("limit", "1")]).await;
    let cursor = by_title["next_cursor"].as_str().unwrap();

    let query = [("sort", "-title"), ("cursor", cursor)];
    let answer = get_query(&app, &desk.attendances(), &app.admin_token, &query).await;

    expect_problem(answer, 400, "invalid_cursor").await;
}

#[tokio::test]
async fn with_total_counts_every_matching_attendance_not_just_the_page() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    for title in ["Um", "Dois", "Três"] {
        titled(&app, &desk, title).await;
    }

    let counted = list(&app, &desk.flow, &[("limit", "2"), ("with_total", "true")]).await;
    let plain = list(&app, &desk.flow, &[("limit", "2")]).await;

    assert_eq!(counted["total"], 3);
    assert_eq!(counted["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        plain.get("total").cloned().unwrap_or(Value::Null),
        Value::Null
    );
}
