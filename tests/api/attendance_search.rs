//! Finding attendances in a flow's list: `q` by reference, by title or contact name ignoring
//! case and accents, by a day in Brasília time; filters by tag, status, overdue and view; and
//! previous/next under the same query.

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::attendance_helpers::*;
use crate::helpers::*;

async fn search(app: &TestApp, desk: &Desk, q: &str) -> Vec<Value> {
    each(&list(app, &desk.flow, &[("q", q)]).await, "title")
}

/// The day of an instant in Brasília (UTC−3), as `(2026-11-27, 27/11/2026)`.
fn brasilia_day(at: &Value) -> (String, String) {
    let at: DateTime<Utc> = at.as_str().unwrap().parse().unwrap();
    let local = at.with_timezone(&FixedOffset::west_opt(3 * 3600).unwrap());
    let iso = local.format("%Y-%m-%d").to_string();
    (iso, local.format("%d/%m/%Y").to_string())
}

#[tokio::test]
async fn an_attendance_is_found_by_its_reference_number_with_or_without_hash() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    titled(&app, &desk, "Cadeiras").await;
    let mesas = titled(&app, &desk, "Mesas").await;
    titled(&app, &desk, "Sofás").await;
    let reference = mesas["reference"].to_string();

    let plain = search(&app, &desk, &reference).await;
    let hashed = search(&app, &desk, &format!("#{reference}")).await;

    assert_eq!(plain, ["Mesas"]);
    assert_eq!(hashed, ["Mesas"]);
}

#[tokio::test]
async fn title_and_contact_name_fragments_are_found_ignoring_case_and_accents() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let maria = contact(&app, "Maria da Conceição").await;
    let joao = contact(&app, "JOÃO Batista").await;
    create(
        &app,
        &desk,
        json!({"title": "Orçamento de cadeiras", "contact_id": maria}),
    )
    .await;
    create(
        &app,
        &desk,
        json!({"title": "Visita técnica", "contact_id": joao}),
    )
    .await;
    create(
        &app,
        &desk,
        json!({"title": "Pedido de mesas", "contact_id": maria}),
    )
    .await;

    let by_title = search(&app, &desk, "ORCAMENTO").await;
    let by_accented_title = search(&app, &desk, "técni").await;
    let by_plain_name = search(&app, &desk, "joao").await;
    let by_upper_accented_name = search(&app, &desk, "CONCEIÇÃO").await;
    let nothing = search(&app, &desk, "geladeira").await;

    assert_eq!(by_title, ["Orçamento de cadeiras"]);
    assert_eq!(by_accented_title, ["Visita técnica"]);
    assert_eq!(by_plain_name, ["Visita técnica"]);
    assert_eq!(
        by_upper_accented_name,
        ["Pedido de mesas", "Orçamento de cadeiras"]
    );
    assert_eq!(nothing, Vec::<Value>::new());
}

#[tokio::test]
async fn quotes_backslashes_and_wildcards_are_searched_as_typed() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    for title in [
        "Pedido d'Ávila",
        r"Planilha em C:\dados",
        "Desconto de 100%",
        "item_1",
        "Pedido comum",
    ] {
        titled(&app, &desk, title).await;
    }

    assert_eq!(search(&app, &desk, "D'AVILA").await, ["Pedido d'Ávila"]);
    assert_eq!(
        search(&app, &desk, r"c:\dados").await,
        [r"Planilha em C:\dados"]
    );
    assert_eq!(search(&app, &desk, "100%").await, ["Desconto de 100%"]);
    assert_eq!(search(&app, &desk, "%").await, ["Desconto de 100%"]);
    assert_eq!(search(&app, &desk, "_").await, ["item_1"]);
    assert_eq!(search(&app, &desk, r"\").await, [r"Planilha em C:\dados"]);
    assert_eq!(
        search(&app, &desk, "x' OR '1'='1").await,
        Vec::<Value>::new()
    );
    assert_eq!(
        search(&app, &desk, "'; DELETE FROM attendances; --").await,
        Vec::<Value>::new()
    );
    assert_eq!(
        each(&list(&app, &desk.flow, &[]).await, "title").len(),
        5,
        "nothing was deleted"
    );
}

#[tokio::test]
async fn a_control_character_in_the_search_is_a_space_not_an_error() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    titled(&app, &desk, "Pedido comum").await;

    assert_eq!(
        search(&app, &desk, "pedido\u{0}comum").await,
        ["Pedido comum"]
    );
    assert_eq!(search(&app, &desk, "\u{0}").await, ["Pedido comum"]);
}

#[tokio::test]
async fn a_day_in_either_format_finds_what_was_created_that_day_in_brasilia() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let (iso, brazilian) = brasilia_day(&created["created_at"]);
    let at: DateTime<Utc> = created["created_at"].as_str().unwrap().parse().unwrap();
    let (day_before, _) = brasilia_day(&json!((at - chrono::Duration::days(1)).to_rfc3339()));

    let by_iso = search(&app, &desk, &iso).await;
    let by_brazilian = search(&app, &desk, &brazilian).await;
    let by_other_day = search(&app, &desk, &day_before).await;

    assert_eq!(by_iso, ["Cadeiras"]);
    assert_eq!(by_brazilian, ["Cadeiras"]);
    assert_eq!(by_other_day, Vec::<Value>::new());
}

/// Sets an attendance's creation and last update times, which no request can choose.
async fn backdate(database_url: &str, attendance: &Value, created: &str, updated: &str) {
    let (created, updated): (DateTime<Utc>, DateTime<Utc>) =
        (created.parse().unwrap(), updated.parse().unwrap());
    let reference = attendance["reference"].as_i64().unwrap();
    let db = Database::connect(database_url).await.unwrap();
    let update = Query::update()
        .table(Alias::new("attendances"))
        .value(Alias::new("created_at"), created)
        .value(Alias::new("updated_at"), updated)
        .and_where(Expr::col(Alias::new("reference")).eq(reference))
        .to_owned();
    db.execute(&update).await.unwrap();
}

#[tokio::test]
async fn late_evening_in_brasilia_is_still_that_day_though_utc_is_on_the_next() {
    let mut database_url = String::new();
    let app = spawn_app_with(|settings| database_url = settings.database.url.clone()).await;
    let desk = desk(&app, json!([])).await;
    let late = titled(&app, &desk, "Pedido da noite").await;
    titled(&app, &desk, "Pedido de hoje").await;
    // 15/03/2021 22:30 in Brasília is 16/03/2021 01:30 UTC.
    let evening = "2021-03-16T01:30:00Z";
    backdate(&database_url, &late, evening, evening).await;

    let on_the_15th = search(&app, &desk, "15/03/2021").await;
    let on_the_15th_iso = search(&app, &desk, "2021-03-15").await;
    let on_the_16th = search(&app, &desk, "16/03/2021").await;

    assert_eq!(on_the_15th, ["Pedido da noite"]);
    assert_eq!(on_the_15th_iso, ["Pedido da noite"]);
    assert_eq!(on_the_16th, Vec::<Value>::new());
}

#[tokio::test]
async fn a_day_finds_what_was_created_or_last_updated_that_day() {
    let mut database_url = String::new();
    let app = spawn_app_with(|settings| database_url = settings.database.url.clone()).await;
    let desk = desk(&app, json!([])).await;
    let old = titled(&app, &desk, "Criado em março").await;
    let edited = titled(&app, &desk, "Editado em abril").await;
    backdate(
        &database_url,
        &old,
        "2021-03-10T15:00:00Z",
        "2021-03-10T15:00:00Z",
    )
    .await;
    backdate(
        &database_url,
        &edited,
        "2021-03-10T15:00:00Z",
        "2021-04-20T15:00:00Z",
    )
    .await;

    let created_day = search(&app, &desk, "10/03/2021").await;
    let updated_day = search(&app, &desk, "2021-04-20").await;
    let between = search(&app, &desk, "11/03/2021").await;

    assert_eq!(created_day, ["Editado em abril", "Criado em março"]);
    assert_eq!(updated_day, ["Editado em abril"]);
    assert_eq!(between, Vec::<Value>::new());
}

#[tokio::test]
async fn renaming_a_contact_changes_the_name_shown_sorted_and_searched_in_the_list() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let created = titled(&app, &desk, "Cadeiras").await;
    let bruno = contact(&app, "Bruno Lima").await;
    create(&app, &desk, json!({"title": "Mesas", "contact_id": bruno})).await;
    let by_name = [("sort", "contact_name")];
    let before = list(&app, &desk.flow, &by_name).await;
    let rename = json!({"name": "Ana Prado"});
    let path = format!("/contacts/{}", desk.contact);

    expect_json(app.patch(&path, &app.admin_token, &rename).await, 200).await;

    assert_eq!(each(&before, "title"), ["Mesas", "Cadeiras"]);
    let after = list(&app, &desk.flow, &by_name).await;
    assert_eq!(each(&after, "title"), ["Cadeiras", "Mesas"]);
    assert_eq!(after["items"][0]["contact"]["name"], "Ana Prado");
    assert_eq!(search(&app, &desk, "ana pr").await, ["Cadeiras"]);
    assert_eq!(search(&app, &desk, "conceicao").await, Vec::<Value>::new());
    let by_title = search(&app, &desk, "CADEIRA").await;
    assert_eq!(by_title, ["Cadeiras"], "the title still counts");
    let read = admin_get(&app, &format!("/attendances/{}", id_of(&created))).await;
    assert_eq!(read["contact"]["name"], "Ana Prado");
}

#[tokio::test]
async fn the_tag_and_status_filters_keep_only_matching_attendances() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let vip = id_of(&tag(&app, &desk.flow, "VIP", "#16A34A").await);
    let tagged = json!({"title": "Com tag", "tag_ids": [vip], "status": "won"});
    create(&app, &desk, tagged).await;
    create(
        &app,
        &desk,
        json!({"title": "Em andamento", "status": "in_progress"}),
    )
    .await;
    titled(&app, &desk, "Aberto").await;

    let by_tag = list(&app, &desk.flow, &[("tag_id", &vip)]).await;
    let in_progress = list(&app, &desk.flow, &[("status", "in_progress")]).await;
    let won_with_tag = list(&app, &desk.flow, &[("status", "won"), ("tag_id", &vip)]).await;
    let open_with_tag = list(&app, &desk.flow, &[("status", "open"), ("tag_id", &vip)]).await;

    assert_eq!(each(&by_tag, "title"), ["Com tag"]);
    assert_eq!(each(&in_progress, "title"), ["Em andamento"]);
    assert_eq!(each(&won_with_tag, "title"), ["Com tag"]);
    assert_eq!(each(&open_with_tag, "title"), Vec::<Value>::new());
}

#[tokio::test]
async fn the_fixed_all_tag_lists_the_same_as_no_tag_filter() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let vip = id_of(&tag(&app, &desk.flow, "VIP", "#16A34A").await);
    create(&app, &desk, json!({"title": "Com tag", "tag_ids": [vip]})).await;
    titled(&app, &desk, "Sem tag").await;
    let all = "00000000-0000-0000-0000-000000000000";

    let unfiltered = listed(&app, &desk.flow, &[]).await;
    let by_all = listed(&app, &desk.flow, &[("tag_id", all)]).await;
    let by_all_open = listed(&app, &desk.flow, &[("tag_id", all), ("status", "open")]).await;

    assert_eq!(unfiltered.len(), 2);
    assert_eq!(by_all, unfiltered);
    assert_eq!(by_all_open, unfiltered);
}

#[tokio::test]
async fn overdue_lists_only_open_or_in_progress_work_past_its_due_date() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let (past, future) = ("2020-01-01T12:00:00Z", "2099-01-01T12:00:00Z");
    for (title, status, due) in [
        ("Aberto atrasado", "open", json!(past)),
        ("Andamento atrasado", "in_progress", json!(past)),
        ("Ganho", "won", json!(past)),
        ("Perdido", "lost", json!(past)),
        ("Encerrado", "closed", json!(past)),
        ("No prazo", "open", json!(future)),
        ("Sem vencimento", "open", Value::Null),
    ] {
        create(
            &app,
            &desk,
            json!({"title": title, "status": status, "due_at": due}),
        )
        .await;
    }

    let overdue = list(&app, &desk.flow, &[("due", "overdue"), ("sort", "title")]).await;
    let all = list(&app, &desk.flow, &[("sort", "title")]).await;

    assert_eq!(
        each(&overdue, "title"),
        ["Aberto atrasado", "Andamento atrasado"]
    );
    let flagged: Vec<Value> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["overdue"] == true)
        .map(|a| a["title"].clone())
        .collect();
    assert_eq!(flagged, ["Aberto atrasado", "Andamento atrasado"]);
}

#[tokio::test]
async fn each_view_lists_the_active_archived_or_trashed_attendances() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    let active = titled(&app, &desk, "Ativo").await;
    let archived = titled(&app, &desk, "Arquivado").await;
    let trashed = titled(&app, &desk, "Na lixeira").await;
    admin_post(&app, &format!("/attendances/{}/archive", id_of(&archived))).await;
    let trash = format!("/attendances/{}", id_of(&trashed));
    expect_json(app.delete(&trash, &app.admin_token).await, 200).await;

    let default = listed(&app, &desk.flow, &[]).await;
    let views = [
        listed(&app, &desk.flow, &[("view", "active")]).await,
        listed(&app, &desk.flow, &[("view", "archived")]).await,
        listed(&app, &desk.flow, &[("view", "trash")]).await,
    ];

    assert_eq!(default, [id_of(&active)]);
    assert_eq!(
        views,
        [[id_of(&active)], [id_of(&archived)], [id_of(&trashed)]]
    );
}

#[tokio::test]
async fn neighbors_are_the_ids_before_and_after_in_the_lists_order() {
    let app = spawn_app().await;
    let desk = desk(&app, json!([])).await;
    for (title, status, value) in [
        ("Mesas", "open", "10.00"),
        ("Cadeiras", "open", "10.00"),
        ("Mesas", "open", "30.00"),
        ("Sofá", "won", "20.00"),
        ("Armário", "open", "20.00"),
        ("Mesas", "in_progress", "10.00"),
    ] {
        create(
            &app,
            &desk,
            json!({"title": title, "status": status, "value": value}),
        )
        .await;
    }

    for query in [
        vec![("sort", "title"), ("status", "open")],
        vec![("sort", "-value"), ("q", "mesas")],
        vec![],
    ] {
        let order = listed(&app, &desk.flow, &query).await;
        assert!(order.len() >= 3, "{query:?}: {order:?}");
        for (i, id) in order.iter().enumerate() {
            let path = format!("/attendances/{id}/neighbors");
            let response = get_query(&app, &path, &app.admin_token, &query).await;
            let neighbors = expect_json(response, 200).await;

            let previous = i.checked_sub(1).map(|p| order[p].clone());
            let next = order.get(i + 1).cloned();
            let expected = json!({"previous": previous, "next": next});
            assert_eq!(neighbors, expected, "{query:?}, position {i}");
        }
    }
}
