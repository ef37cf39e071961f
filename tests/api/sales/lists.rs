//! The attendance's "sales" tab and the global list: newest first, filtered by status, flow and
//! period, with an exact count and sum of everything that matches.

use chrono::{Duration, FixedOffset, Utc};
use serde_json::json;

use super::*;

/// Today in Brasília time, the day the filters speak of, shifted by `days`.
fn brasilia_day(days: i64) -> String {
    let brasilia = FixedOffset::west_opt(3 * 3600).unwrap();
    (Utc::now().with_timezone(&brasilia) + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// `GET /sales` with these parameters, as the admin.
async fn listed(app: &TestApp, query: &[(&str, &str)]) -> Value {
    expect_json(get_query(app, "/sales", &app.admin_token, query).await, 200).await
}

#[tokio::test]
async fn an_attendances_sales_tab_lists_its_own_orders_newest_first() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let other = shop_on(
        &app,
        Desk {
            flow: shop.flow.clone(),
            contact: shop.contact.clone(),
        },
    )
    .await;
    let first = quote(&app, &shop, "100").await;
    let second = sale(&app, &shop, "250.50").await;
    quote(&app, &other, "999").await;

    let page = admin_get(&app, &shop.sales()).await;

    assert_eq!(ids(&page), [id_of(&second), id_of(&first)]);
    let expected = json!({"code": "VEN-000001", "status": "approved", "version": 1,
        "total": "250.50", "currency": "BRL", "attendance_id": shop.attendance, "flow_id": shop.flow});
    assert_fields(&page["items"][0], expected);
    assert_eq!(page["next_cursor"], json!(null));
    let limited = admin_get(&app, &format!("{}?limit=1", shop.sales())).await;
    assert_eq!(ids(&limited), [id_of(&second)]);
    let cursor = limited["next_cursor"].as_str().unwrap();
    let rest = expect_json(
        get_query(
            &app,
            &shop.sales(),
            &app.admin_token,
            &[("limit", "1"), ("cursor", cursor)],
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ids(&rest), [id_of(&first)]);
}

#[tokio::test]
async fn the_global_list_filters_by_status_flow_and_period_with_exact_totals() {
    let app = spawn_app().await;
    let vendas = shop(&app, json!([])).await;
    let desk = Desk {
        flow: flow(&app, "Suporte", json!([])).await,
        contact: vendas.contact.clone(),
    };
    let suporte = shop_on(&app, desk).await;
    let q1 = quote(&app, &vendas, "0.10").await;
    let q2 = quote(&app, &vendas, "0.20").await;
    let s1 = sale(&app, &vendas, "1000.05").await;
    let q3 = quote(&app, &suporte, "33.33").await;

    let all = listed(&app, &[("with_totals", "true")]).await;
    let quotes = listed(
        &app,
        &[("status", "awaiting_approval"), ("with_totals", "true")],
    )
    .await;
    let vendas_quotes = listed(
        &app,
        &[
            ("status", "awaiting_approval"),
            ("flow_id", &vendas.flow),
            ("with_totals", "true"),
        ],
    )
    .await;
    let sales = listed(&app, &[("status", "approved")]).await;

    assert_eq!(ids(&all), [id_of(&q3), id_of(&s1), id_of(&q2), id_of(&q1)]);
    assert_eq!(
        all["totals"],
        json!({"count": 4, "amount": "1033.68", "currency": "BRL"})
    );
    assert_eq!(ids(&quotes), [id_of(&q3), id_of(&q2), id_of(&q1)]);
    assert_eq!(
        quotes["totals"],
        json!({"count": 3, "amount": "33.63", "currency": "BRL"})
    );
    assert_eq!(ids(&vendas_quotes), [id_of(&q2), id_of(&q1)]);
    assert_eq!(
        vendas_quotes["totals"],
        json!({"count": 2, "amount": "0.30", "currency": "BRL"})
    );
    assert_eq!(ids(&sales), [id_of(&s1)]);
    assert!(
        sales.get("totals").is_none(),
        "totals only when asked: {sales}"
    );
    // The totals count everything that matches, not only the page.
    let page = listed(&app, &[("limit", "1"), ("with_totals", "true")]).await;
    assert_eq!(page["totals"]["count"], 4);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_period_filter_takes_days_in_brasilia_time() {
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let created = quote(&app, &shop, "10").await;
    let (yesterday, today, tomorrow) = (brasilia_day(-1), brasilia_day(0), brasilia_day(1));

    let today_only = listed(
        &app,
        &[("from", &today), ("to", &today), ("with_totals", "true")],
    )
    .await;
    let from_tomorrow = listed(&app, &[("from", &tomorrow)]).await;
    let to_yesterday = listed(&app, &[("to", &yesterday)]).await;
    let inverted = get_query(
        &app,
        "/sales",
        &app.admin_token,
        &[("from", &today), ("to", &yesterday)],
    )
    .await;

    assert_eq!(ids(&today_only), [id_of(&created)]);
    assert_eq!(today_only["totals"]["amount"], "10.00");
    assert_eq!(from_tomorrow["items"], json!([]));
    assert_eq!(to_yesterday["items"], json!([]));
    let problem = expect_problem(inverted, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["to"]);
}
