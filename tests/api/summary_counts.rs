//! The flow summary's counts are kept by the writes, not recounted on read: after every kind of
//! change they must still equal what the list itself counts.

use serde_json::{Value, json};

use crate::attendance_helpers::*;
use crate::helpers::*;

/// The number of rows the list finds with these parameters (its `total`).
async fn listed_total(app: &TestApp, flow: &str, query: &[(&str, &str)]) -> u64 {
    let mut query = query.to_vec();
    query.extend([("with_total", "true"), ("limit", "1")]);
    list(app, flow, &query).await["total"].as_u64().unwrap()
}

/// Asserts that every count of the flow's summary equals the active list's count of the same
/// rows, and returns the summary.
async fn assert_summary_matches_list(app: &TestApp, flow: &str, step: &str) -> Value {
    let summary = admin_get(app, &format!("/flows/{flow}/summary")).await;
    let total = listed_total(app, flow, &[]).await;
    assert_eq!(
        summary["total"],
        json!(total),
        "total after {step}: {summary}"
    );
    for entry in summary["by_status"].as_array().unwrap() {
        let status = entry["status"].as_str().unwrap();
        let listed = listed_total(app, flow, &[("status", status)]).await;
        assert_eq!(entry["count"], json!(listed), "{status} after {step}");
    }
    for entry in summary["by_tag"].as_array().unwrap() {
        let listed = match entry["name"].as_str().unwrap() {
            "ALL" => total,
            _ => listed_total(app, flow, &[("tag_id", entry["tag_id"].as_str().unwrap())]).await,
        };
        assert_eq!(entry["count"], json!(listed), "tag {entry} after {step}");
    }
    summary
}

/// The summary's count for the tag named `name`.
fn tag_count(summary: &Value, name: &str) -> Value {
    let tags = summary["by_tag"].as_array().unwrap();
    let tag = tags.iter().find(|t| t["name"] == name);
    tag.map_or(Value::Null, |t| t["count"].clone())
}

#[tokio::test]
async fn the_summary_stays_exact_through_edits_tags_archive_trash_moves_and_purges() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let support = flow(&app, "Suporte", json!([])).await;
    let a = id_of(&tag(&app, &desk.flow, "Urgente", "#E53935").await);
    let b = id_of(&tag(&app, &desk.flow, "VIP", "#16A34A").await);
    let c = id_of(&tag(&app, &desk.flow, "Frio", "#2563EB").await);
    tag(&app, &support, "URGENTE", "#000000").await;
    let mut made = Vec::new();
    for (status, tags) in [
        ("open", json!([a, b])),
        ("won", json!([b])),
        ("in_progress", json!([])),
        ("open", json!([a])),
    ] {
        let body = json!({"title": "Pedido", "status": status, "tag_ids": tags});
        made.push(id_of(&create(&app, &desk, body).await));
    }
    let [x1, x2, x3, x4] = [0, 1, 2, 3].map(|i| format!("/attendances/{}", made[i]));
    assert_summary_matches_list(&app, &desk.flow, "creating").await;

    let won = json!({"status": "won"});
    expect_json(app.patch(&x3, &app.admin_token, &won).await, 200).await;
    let retitled = json!({"title": "Pedido revisto"});
    expect_json(app.patch(&x1, &app.admin_token, &retitled).await, 200).await;
    assert_summary_matches_list(&app, &desk.flow, "editing").await;

    for _ in 0..2 {
        let attach = format!("{x3}/tags/{c}");
        expect_json(app.put(&attach, &app.admin_token, &json!({})).await, 200).await;
        let detach = format!("{x1}/tags/{b}");
        expect_json(app.delete(&detach, &app.admin_token).await, 200).await;
    }
    let summary = assert_summary_matches_list(&app, &desk.flow, "tagging twice").await;
    assert_eq!(
        [tag_count(&summary, "VIP"), tag_count(&summary, "Frio")],
        [json!(1), json!(1)]
    );

    for (attendance, action) in [(&x2, "archive"), (&x2, "unarchive"), (&x4, "archive")] {
        admin_post(&app, &format!("{attendance}/{action}")).await;
        assert_summary_matches_list(&app, &desk.flow, action).await;
    }
    expect_json(app.delete(&x3, &app.admin_token).await, 200).await;
    assert_summary_matches_list(&app, &desk.flow, "trashing").await;
    admin_post(&app, &format!("{x3}/restore")).await;
    assert_summary_matches_list(&app, &desk.flow, "restoring").await;
    // From the archive to the trash: neither view counts, so nothing changes.
    expect_json(app.delete(&x4, &app.admin_token).await, 200).await;
    assert_summary_matches_list(&app, &desk.flow, "trashing an archived one").await;

    for attendance in [&x1, &x2] {
        let to = json!({"flow_id": support});
        let path = format!("{attendance}/move");
        expect_json(app.post(&path, &app.admin_token, &to).await, 200).await;
    }
    assert_summary_matches_list(&app, &desk.flow, "moving out").await;
    let support_summary = assert_summary_matches_list(&app, &support, "moving in").await;
    assert_eq!(support_summary["total"], json!(2));
    assert_eq!(tag_count(&support_summary, "URGENTE"), json!(1));
    assert_eq!(tag_count(&support_summary, "VIP"), json!(1));

    let delete_tag = format!("/flows/{}/tags/{c}", desk.flow);
    let deleted = app.delete(&delete_tag, &app.admin_token).await;
    assert_eq!(deleted.status(), 204);
    let purged = app
        .post(&format!("{x4}/purge"), &app.admin_token, &json!({}))
        .await;
    assert_eq!(purged.status(), 204);
    let summary = assert_summary_matches_list(&app, &desk.flow, "deleting a tag, purging").await;
    assert_eq!(summary["total"], json!(1));
    assert_eq!(tag_count(&summary, "Frio"), Value::Null);
}

#[tokio::test]
async fn concurrent_opposite_changes_in_one_flow_all_succeed_and_keep_the_summary_exact() {
    // Arrange: 24 attendances, half open and half won, all with both tags.
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let a = id_of(&tag(&app, &desk.flow, "Urgente", "#E53935").await);
    let b = id_of(&tag(&app, &desk.flow, "VIP", "#16A34A").await);
    let mut made = Vec::new();
    for i in 0..24 {
        let status = if i % 2 == 0 { "open" } else { "won" };
        let body = json!({"title": "Pedido", "status": status, "tag_ids": [a, b]});
        made.push((id_of(&create(&app, &desk, body).await), status));
    }

    // Act: at once, every open one becomes won and every won one open (each transaction moves
    // counts in opposite directions), while a third leave the active view and others lose a tag.
    let mut requests = tokio::task::JoinSet::new();
    for (i, (id, status)) in made.iter().enumerate() {
        let path = app.url(&format!("/attendances/{id}"));
        let request = match i % 4 {
            0 | 1 => {
                let to = if *status == "open" { "won" } else { "open" };
                app.client.patch(path).json(&json!({"status": to}))
            }
            2 => app.client.post(format!("{path}/archive")).json(&json!({})),
            _ => app
                .client
                .delete(format!("{path}/tags/{}", if i % 8 == 3 { &a } else { &b })),
        };
        let request = request.bearer_auth(&app.admin_token);
        requests.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = requests.join_next().await {
        statuses.push(status.unwrap());
    }

    // Assert
    assert_eq!(statuses, vec![200; 24]);
    let summary = assert_summary_matches_list(&app, &desk.flow, "concurrent changes").await;
    assert_eq!(summary["total"], json!(18));
    assert_eq!(
        [tag_count(&summary, "Urgente"), tag_count(&summary, "VIP")],
        [json!(15), json!(15)]
    );
}
