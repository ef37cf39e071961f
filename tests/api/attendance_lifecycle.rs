//! Where an attendance lives: archive and unarchive, trash (DELETE) and restore, purge by an
//! administrator, and moving to another flow with its tags.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::attendance_helpers::*;
use crate::helpers::*;

fn path_of(attendance: &Value) -> String {
    format!("/attendances/{}", id_of(attendance))
}

/// The attendance's id in each view of its flow's list: `[active, archived, trash]`.
async fn views(app: &TestApp, flow: &str) -> [Vec<String>; 3] {
    [
        listed(app, flow, &[("view", "active")]).await,
        listed(app, flow, &[("view", "archived")]).await,
        listed(app, flow, &[("view", "trash")]).await,
    ]
}

#[tokio::test]
async fn archiving_and_unarchiving_moves_an_attendance_between_the_active_and_archived_lists() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let (id, none) = (id_of(&created), Vec::<String>::new());

    let archived = admin_post(&app, &format!("{}/archive", path_of(&created))).await;
    let while_archived = views(&app, &desk.flow).await;
    let unarchived = admin_post(&app, &format!("{}/unarchive", path_of(&created))).await;

    assert_fields(
        &archived,
        json!({"view": "archived", "version": 2, "deleted_at": null}),
    );
    assert!(archived["archived_at"].is_string(), "{archived}");
    assert_eq!(
        while_archived,
        [none.clone(), vec![id.clone()], none.clone()]
    );
    let expected = json!({"view": "active", "version": 3, "archived_at": null});
    assert_fields(&unarchived, expected);
    assert_eq!(
        views(&app, &desk.flow).await,
        [vec![id], none.clone(), none]
    );
}

#[tokio::test]
async fn delete_moves_an_attendance_to_the_trash_and_restore_brings_it_back() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let (id, none) = (id_of(&created), Vec::<String>::new());

    let response = app.delete(&path_of(&created), &app.admin_token).await;
    let trashed = expect_json(response, 200).await;
    let while_trashed = views(&app, &desk.flow).await;
    let restored = admin_post(&app, &format!("{}/restore", path_of(&created))).await;

    assert_fields(&trashed, json!({"view": "trash", "version": 2}));
    assert!(trashed["deleted_at"].is_string(), "{trashed}");
    assert_eq!(admin_get(&app, &path_of(&created)).await["view"], "active");
    assert_eq!(
        while_trashed,
        [none.clone(), none.clone(), vec![id.clone()]]
    );
    assert_fields(&restored, json!({"view": "active", "deleted_at": null}));
    assert_eq!(
        views(&app, &desk.flow).await,
        [vec![id], none.clone(), none]
    );
}

#[tokio::test]
async fn an_archived_attendance_restored_from_the_trash_returns_to_the_archive() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let (id, none) = (id_of(&created), Vec::<String>::new());
    admin_post(&app, &format!("{}/archive", path_of(&created))).await;
    expect_json(app.delete(&path_of(&created), &app.admin_token).await, 200).await;
    let while_trashed = views(&app, &desk.flow).await;

    let restored = admin_post(&app, &format!("{}/restore", path_of(&created))).await;

    assert_eq!(
        while_trashed,
        [none.clone(), none.clone(), vec![id.clone()]]
    );
    assert_fields(&restored, json!({"view": "archived", "deleted_at": null}));
    assert!(restored["archived_at"].is_string(), "{restored}");
    assert_eq!(
        views(&app, &desk.flow).await,
        [none.clone(), vec![id], none]
    );
}

#[tokio::test]
async fn transitions_from_the_wrong_place_are_conflicts_and_change_nothing() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let urgente = id_of(&tag(&app, &desk.flow, "Urgente", "#E53935").await);
    let active = titled(&app, &desk, "Ativo").await;
    let archived = titled(&app, &desk, "Arquivado").await;
    admin_post(&app, &format!("{}/archive", path_of(&archived))).await;
    let trashed = titled(&app, &desk, "Na lixeira").await;
    expect_json(app.delete(&path_of(&trashed), &app.admin_token).await, 200).await;
    let target = flow(&app, "Suporte", json!([])).await;
    let (active, archived, trashed) = (path_of(&active), path_of(&archived), path_of(&trashed));
    let snapshot = [
        admin_get(&app, &active).await,
        admin_get(&app, &archived).await,
        admin_get(&app, &trashed).await,
    ];
    let (token, nothing) = (&app.admin_token, &json!({}));

    let answers = [
        (
            "unarchive active",
            app.post(&format!("{active}/unarchive"), token, nothing)
                .await,
        ),
        (
            "restore active",
            app.post(&format!("{active}/restore"), token, nothing).await,
        ),
        (
            "archive archived",
            app.post(&format!("{archived}/archive"), token, nothing)
                .await,
        ),
        (
            "archive trashed",
            app.post(&format!("{trashed}/archive"), token, nothing)
                .await,
        ),
        (
            "unarchive trashed",
            app.post(&format!("{trashed}/unarchive"), token, nothing)
                .await,
        ),
        ("trash trashed", app.delete(&trashed, token).await),
        (
            "edit trashed",
            app.patch(&trashed, token, &json!({"title": "X"})).await,
        ),
        (
            "tag trashed",
            app.put(&format!("{trashed}/tags/{urgente}"), token, nothing)
                .await,
        ),
        (
            "move trashed",
            app.post(
                &format!("{trashed}/move"),
                token,
                &json!({"flow_id": target}),
            )
            .await,
        ),
    ];

    for (what, answer) in answers {
        let status = answer.status().as_u16();
        let problem: Value = answer.json().await.unwrap();
        assert_eq!(
            (status, &problem["code"]),
            (409, &json!("conflict")),
            "{what}: {problem}"
        );
    }
    let after = [
        admin_get(&app, &active).await,
        admin_get(&app, &archived).await,
        admin_get(&app, &trashed).await,
    ];
    assert_eq!(after, snapshot);
}

#[tokio::test]
async fn only_an_administrator_purges_and_only_from_the_trash() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let desk = desk(&app, json!([ana])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let (path, purge) = (path_of(&created), format!("{}/purge", path_of(&created)));
    let note = json!({"body": "Nota"});
    expect_json(
        app.post(&format!("{path}/interactions"), &token, &note)
            .await,
        201,
    )
    .await;

    let not_in_trash = app.post(&purge, &app.admin_token, &json!({})).await;
    expect_json(app.delete(&path, &token).await, 200).await;
    let by_member = app.post(&purge, &token, &json!({})).await;
    let by_admin = app.post(&purge, &app.admin_token, &json!({})).await;

    expect_problem(not_in_trash, 409, "conflict").await;
    expect_problem(by_member, 403, "forbidden").await;
    assert_eq!(by_admin.status().as_u16(), 204);
    expect_problem(app.get(&path, &app.admin_token).await, 404, "not_found").await;
    let timeline = format!("{path}/timeline");
    expect_problem(app.get(&timeline, &app.admin_token).await, 404, "not_found").await;
    assert_eq!(
        views(&app, &desk.flow).await,
        [vec![], vec![], Vec::<String>::new()]
    );
}

#[tokio::test]
async fn a_move_reuses_a_same_named_tag_of_the_target_and_creates_the_missing_ones() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let target = flow(&app, "Pós-venda", json!([])).await;
    let urgente = tag(&app, &desk.flow, "urgente", "#E53935").await;
    let vip = tag(&app, &desk.flow, "VIP", "#16A34A").await;
    let target_urgente = tag(&app, &target, "Úrgente", "#000000").await;
    let body = json!({"title": "Cadeiras", "tag_ids": [id_of(&urgente), id_of(&vip)]});
    let created = create(&app, &desk, body).await;
    let target_tags = format!("/flows/{target}/tags");

    let response = app
        .post(
            &format!("{}/move", path_of(&created)),
            &app.admin_token,
            &json!({"flow_id": target}),
        )
        .await;

    let moved = expect_json(response, 200).await;
    let tags = admin_get(&app, &target_tags).await;
    let names = each(&tags, "name");
    assert_eq!(
        names,
        ["ALL", "Úrgente", "VIP"],
        "no second Urgente in the target"
    );
    let new_vip = &tags["items"][2];
    assert_fields(new_vip, json!({"color": "#16A34A"}));
    let expected_tags = json!([
        {"id": target_urgente["id"], "name": "Úrgente", "color": "#000000"},
        {"id": new_vip["id"], "name": "VIP", "color": "#16A34A"},
    ]);
    let expected = json!({"flow_id": target, "tags": expected_tags, "version": 2,
                          "reference": created["reference"]});
    assert_fields(&moved, expected);
    assert_eq!(admin_get(&app, &path_of(&created)).await, moved);
    assert_eq!(listed(&app, &target, &[]).await, [id_of(&created)]);
    assert_eq!(listed(&app, &desk.flow, &[]).await, Vec::<String>::new());
    assert_eq!(timeline_kinds(&app, &id_of(&created)).await[0], "moved");
    let source_tags = admin_get(&app, &format!("/flows/{}/tags", desk.flow)).await;
    assert_eq!(each(&source_tags, "name"), ["ALL", "urgente", "VIP"]);
}

#[tokio::test]
async fn moving_to_a_flow_the_member_cannot_see_answers_404_like_a_missing_flow() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let desk = desk(&app, json!([ana])).await;
    let hidden = flow(&app, "Diretoria", json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let path = format!("{}/move", path_of(&created));

    let response = app.post(&path, &token, &json!({"flow_id": hidden})).await;
    let missing = app
        .post(&path, &token, &json!({"flow_id": Uuid::now_v7()}))
        .await;

    let problem = expect_problem(response, 404, "not_found").await;
    assert_eq!(problem, expect_problem(missing, 404, "not_found").await);
    assert_eq!(admin_get(&app, &path_of(&created)).await, created);
    assert_eq!(listed(&app, &hidden, &[]).await, Vec::<String>::new());
}

#[tokio::test]
async fn moving_to_the_same_flow_or_an_inactive_one_is_a_conflict() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let inactive = app
        .create_flow(json!({"name": "Arquivo morto", "active": false}))
        .await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let path = format!("{}/move", path_of(&created));

    let same = app
        .post(&path, &app.admin_token, &json!({"flow_id": desk.flow}))
        .await;
    let to_inactive = app
        .post(&path, &app.admin_token, &json!({"flow_id": inactive["id"]}))
        .await;

    expect_problem(same, 409, "conflict").await;
    expect_problem(to_inactive, 409, "flow_inactive").await;
    assert_eq!(admin_get(&app, &path_of(&created)).await, created);
}

#[tokio::test]
async fn moves_carrying_tags_racing_renames_and_deletes_of_the_targets_tags_all_succeed() {
    // Arrange: eight attendances with two tags; the target has one of them and another.
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let target = flow(&app, "Pós-venda", json!([])).await;
    let urgente = id_of(&tag(&app, &desk.flow, "Urgente", "#E53935").await);
    let vip = id_of(&tag(&app, &desk.flow, "VIP", "#16A34A").await);
    let target_urgente = id_of(&tag(&app, &target, "Urgente", "#000000").await);
    let frio = id_of(&tag(&app, &target, "Frio", "#2563EB").await);
    let mut moving = Vec::new();
    for _ in 0..8 {
        let body = json!({"title": "Cadeiras", "tag_ids": [urgente, vip]});
        moving.push(id_of(&create(&app, &desk, body).await));
    }
    assert_eq!(listed(&app, &target, &[]).await.len(), 0);

    // Act: at once, the moves (reusing the target's Urgente, creating its VIP), renames of the
    // target's Urgente and the delete of its Frio.
    let mut requests = tokio::task::JoinSet::new();
    for id in &moving {
        let request = app.client.post(app.url(&format!("/attendances/{id}/move")));
        requests.spawn(
            request
                .json(&json!({"flow_id": target}))
                .bearer_auth(&app.admin_token)
                .send(),
        );
    }
    for name in ["Urgentíssimo", "Urgente 2", "Prioridade"] {
        let path = app.url(&format!("/flows/{target}/tags/{target_urgente}"));
        let request = app.client.patch(path).json(&json!({"name": name}));
        requests.spawn(request.bearer_auth(&app.admin_token).send());
    }
    let path = app.url(&format!("/flows/{target}/tags/{frio}"));
    requests.spawn(app.client.delete(path).bearer_auth(&app.admin_token).send());
    let mut statuses = Vec::new();
    while let Some(response) = requests.join_next().await {
        statuses.push(response.unwrap().unwrap().status().as_u16());
    }

    // Assert: nothing failed, and the target's list names each row's tags as the row itself does.
    statuses.sort_unstable();
    assert_eq!(statuses, [[200; 11].as_slice(), &[204]].concat());
    let page = list(&app, &target, &[("limit", "50")]).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 8);
    for row in page["items"].as_array().unwrap() {
        let own = admin_get(&app, &format!("/attendances/{}", id_of(row))).await;
        assert_eq!(row["tags"], own["tags"]);
        assert_eq!(row["tags"].as_array().unwrap().len(), 2, "{row}");
    }
}
