//! Who may work on attendances: a member not authorized for a flow gets 404 on every route with
//! that flow's id or one of its attendances or tags, exactly as for ids that do not exist, and
//! nothing changes; an authorized member does everything but purge.

use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::attendance_helpers::*;
use crate::helpers::*;

/// One request: method, path, body.
type Call = (Method, String, Option<Value>);

async fn send(app: &TestApp, token: &str, (method, path, body): &Call) -> Response {
    app.request(method.clone(), path, Some(token), body.as_ref())
        .await
}

/// Everything the admin can read about a flow and its attendances, to compare before and after.
async fn snapshot(app: &TestApp, flow: &str, attendances: &[&str]) -> Vec<Value> {
    let mut seen = vec![
        admin_get(app, &format!("/flows/{flow}/summary")).await,
        admin_get(app, &format!("/flows/{flow}/tags")).await,
    ];
    for view in ["active", "archived", "trash"] {
        seen.push(list(app, flow, &[("view", view)]).await);
    }
    for id in attendances {
        for part in ["", "/interactions", "/timeline"] {
            seen.push(admin_get(app, &format!("/attendances/{id}{part}")).await);
        }
    }
    seen
}

#[tokio::test]
async fn a_member_not_authorized_for_a_flow_gets_404_on_every_attendance_route() {
    // Arrange: flow X with an attendance, a tag, a note, an archived and a trashed attendance;
    // the intruder works only in flow Y.
    let app = spawn_app().await;
    let (ana, _) = app.create_member("ana@example.com").await;
    let (intruder, token) = app.create_member("intruso@example.com").await;
    let x = desk(&app, json!([ana])).await;
    let y = Desk {
        flow: flow(&app, "Suporte", json!([intruder])).await,
        contact: x.contact.clone(),
    };
    let tag_x = id_of(&tag(&app, &x.flow, "Urgente", "#E53935").await);
    let body = json!({"title": "Cadeiras", "tag_ids": [tag_x],
                      "first_interaction": {"body": "Nota"}});
    let a = id_of(&create(&app, &x, body).await);
    let archived = id_of(&titled(&app, &x, "Arquivado").await);
    admin_post(&app, &format!("/attendances/{archived}/archive")).await;
    let trashed = id_of(&titled(&app, &x, "Na lixeira").await);
    let trash = format!("/attendances/{trashed}");
    expect_json(app.delete(&trash, &app.admin_token).await, 200).await;
    let own = id_of(&titled(&app, &y, "Do intruso").await);
    let before_x = snapshot(&app, &x.flow, &[&a, &archived, &trashed]).await;
    let before_own = snapshot(&app, &y.flow, &[&own]).await;

    let (fx, ya) = (&x.flow, format!("/attendances/{a}"));
    let attendance = json!({"title": "Invasão", "contact_id": x.contact});
    let calls: Vec<Call> = vec![
        (Method::GET, format!("/flows/{fx}/attendances"), None),
        (
            Method::POST,
            format!("/flows/{fx}/attendances"),
            Some(attendance),
        ),
        (Method::GET, ya.clone(), None),
        (
            Method::PATCH,
            ya.clone(),
            Some(json!({"title": "Invadido"})),
        ),
        (Method::DELETE, ya.clone(), None),
        (Method::POST, format!("{ya}/archive"), None),
        (
            Method::POST,
            format!("/attendances/{archived}/unarchive"),
            None,
        ),
        (
            Method::POST,
            format!("/attendances/{trashed}/restore"),
            None,
        ),
        (Method::POST, format!("/attendances/{trashed}/purge"), None),
        (
            Method::POST,
            format!("{ya}/move"),
            Some(json!({"flow_id": y.flow})),
        ),
        (
            Method::POST,
            format!("/attendances/{own}/move"),
            Some(json!({"flow_id": fx})),
        ),
        (Method::PUT, format!("{ya}/tags/{tag_x}"), None),
        (Method::DELETE, format!("{ya}/tags/{tag_x}"), None),
        (
            Method::PUT,
            format!("/attendances/{own}/tags/{tag_x}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/attendances/{own}/tags/{tag_x}"),
            None,
        ),
        (Method::GET, format!("{ya}/neighbors"), None),
        (Method::GET, format!("{ya}/print?interactions=true"), None),
        (Method::GET, format!("{ya}/interactions"), None),
        (
            Method::POST,
            format!("{ya}/interactions"),
            Some(json!({"body": "Oi"})),
        ),
        (Method::GET, format!("{ya}/timeline"), None),
        (Method::GET, format!("/flows/{fx}/summary"), None),
        (Method::GET, format!("/me/preferences/flows/{fx}"), None),
        (
            Method::PUT,
            format!("/me/preferences/flows/{fx}"),
            Some(json!({"columns": ["title"]})),
        ),
    ];
    let hidden = [
        fx.clone(),
        a.clone(),
        archived.clone(),
        trashed.clone(),
        tag_x.clone(),
    ];

    for (method, path, body) in &calls {
        // Act
        let call = (method.clone(), path.clone(), body.clone());
        let answer = send(&app, &token, &call).await;
        // The same request with every id of flow X replaced by one that exists nowhere.
        let mut ghost = serde_json::to_string(&(path, body)).unwrap();
        for id in &hidden {
            ghost = ghost.replace(id.as_str(), &Uuid::now_v7().to_string());
        }
        let (ghost_path, ghost_body): (String, Option<Value>) =
            serde_json::from_str(&ghost).unwrap();
        let missing = send(&app, &token, &(method.clone(), ghost_path, ghost_body)).await;

        // Assert
        let what = format!("{method} {path}");
        let status = answer.status().as_u16();
        let problem: Value = answer.json().await.unwrap();
        assert_eq!(
            (status, &problem["code"]),
            (404, &json!("not_found")),
            "{what}: {problem}"
        );
        let nobody: Value = missing.json().await.unwrap();
        assert_eq!(problem, nobody, "{what} must look like a missing resource");
    }
    assert_eq!(
        snapshot(&app, &x.flow, &[&a, &archived, &trashed]).await,
        before_x
    );
    assert_eq!(snapshot(&app, &y.flow, &[&own]).await, before_own);
}

#[tokio::test]
async fn an_authorized_member_does_everything_but_purge() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let desk = desk(&app, json!([ana])).await;
    let other = flow(&app, "Pós-venda", json!([ana])).await;
    let urgente = id_of(&tag(&app, &desk.flow, "Urgente", "#E53935").await);
    let body = json!({"title": "Cadeiras", "contact_id": desk.contact, "tag_ids": [urgente],
                      "first_interaction": {"body": "Nota"}});
    let response = app.post(&desk.attendances(), &token, &body).await;
    let id = id_of(&expect_json(response, 201).await);
    let a = format!("/attendances/{id}");
    let f = &desk.flow;

    let calls: Vec<(Call, u16)> = vec![
        ((Method::GET, format!("/flows/{f}/attendances"), None), 200),
        ((Method::GET, a.clone(), None), 200),
        (
            (Method::PATCH, a.clone(), Some(json!({"status": "won"}))),
            200,
        ),
        ((Method::DELETE, format!("{a}/tags/{urgente}"), None), 200),
        ((Method::PUT, format!("{a}/tags/{urgente}"), None), 200),
        (
            (
                Method::POST,
                format!("{a}/interactions"),
                Some(json!({"body": "Oi"})),
            ),
            201,
        ),
        ((Method::GET, format!("{a}/interactions"), None), 200),
        ((Method::GET, format!("{a}/timeline"), None), 200),
        (
            (Method::GET, format!("{a}/neighbors?sort=title"), None),
            200,
        ),
        (
            (Method::GET, format!("{a}/print?interactions=true"), None),
            200,
        ),
        ((Method::GET, format!("/flows/{f}/summary"), None), 200),
        (
            (Method::GET, format!("/me/preferences/flows/{f}"), None),
            200,
        ),
        (
            (
                Method::PUT,
                format!("/me/preferences/flows/{f}"),
                Some(json!({"columns": ["title"]})),
            ),
            200,
        ),
        ((Method::POST, format!("{a}/archive"), None), 200),
        ((Method::POST, format!("{a}/unarchive"), None), 200),
        (
            (
                Method::POST,
                format!("{a}/move"),
                Some(json!({"flow_id": other})),
            ),
            200,
        ),
        ((Method::DELETE, a.clone(), None), 200),
        ((Method::POST, format!("{a}/purge"), None), 403),
        ((Method::POST, format!("{a}/restore"), None), 200),
    ];

    for (call, expected) in &calls {
        let answer = send(&app, &token, call).await;
        let status = answer.status().as_u16();
        let text = answer.text().await.unwrap();
        assert_eq!(status, *expected, "{} {}: {text}", call.0, call.1);
    }
    let read = admin_get(&app, &a).await;
    let expected = json!({"flow_id": other, "status": "won", "view": "active"});
    assert_fields(&read, expected);
    assert_eq!(read["tags"][0]["name"], "Urgente");
}
