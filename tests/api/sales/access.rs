//! The authorization matrix: a member outside the flow meets 404 on every sales and NF-e route
//! with that flow's ids, exactly as if they did not exist, and the global list leaves those
//! orders out; an authorized member does everything.

use reqwest::Method;
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_member_outside_the_flow_gets_404_on_every_sales_route_and_lists_none_of_its_orders() {
    let app = spawn_app().await;
    let (_, outsider) = app.create_member("bruno@example.com").await;
    let shop = shop(&app, json!([])).await;
    let quoted = quote(&app, &shop, "100").await;
    let sold = sale(&app, &shop, "200").await;
    let (q, s) = (path_of(&quoted), path_of(&sold));
    let body = worth("1");
    let nfe = json!({"nat_op": "Venda"});
    let routes = [
        (Method::GET, shop.sales(), None),
        (Method::POST, shop.sales(), Some(&body)),
        (Method::GET, q.clone(), None),
        (Method::PUT, q.clone(), Some(&body)),
        (Method::GET, format!("{q}/versions"), None),
        (Method::POST, format!("{q}/approve"), None),
        (Method::POST, format!("{q}/reject"), None),
        (Method::POST, format!("{s}/cancel"), None),
        (Method::GET, format!("{s}/nfe"), None),
        (Method::PUT, format!("{s}/nfe"), Some(&nfe)),
    ];

    for (method, path, body) in routes {
        let response = send(&app, method.clone(), &path, &outsider, None, body).await;

        let problem = expect_problem(response, 404, "not_found").await;
        assert!(
            !problem["detail"].as_str().unwrap().contains("flow"),
            "{method} {path}: {problem}"
        );
    }
    let all = expect_json(app.get("/sales?with_totals=true", &outsider).await, 200).await;
    assert_eq!(all["items"], json!([]));
    assert_eq!(all["totals"]["count"], 0);
    let filtered = get_query(&app, "/sales", &outsider, &[("flow_id", &shop.flow)]).await;
    assert_eq!(expect_json(filtered, 200).await["items"], json!([]));
    // Nothing changed behind the 404s.
    assert_eq!(admin_get(&app, &q).await, quoted);
    assert_eq!(admin_get(&app, &s).await, sold);
    assert_eq!(
        admin_get(&app, &shop.sales()).await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(admin_get(&app, &format!("{s}/nfe")).await["version"], 0);
}

#[tokio::test]
async fn an_authorized_member_registers_edits_decides_lists_and_completes_the_nfe() {
    let app = spawn_app().await;
    let (ana, token) = app.create_member("ana@example.com").await;
    let shop = shop(&app, json!([ana])).await;
    let hidden = Desk {
        flow: flow(&app, "Suporte", json!([])).await,
        contact: shop.contact.clone(),
    };
    let hidden = shop_on(&app, hidden).await;
    let unseen = quote(&app, &hidden, "1").await;
    let t = token.as_str();

    let created = expect_json(app.post(&shop.sales(), t, &worth("100")).await, 201).await;
    let path = path_of(&created);
    let revised = send(
        &app,
        Method::PUT,
        &path,
        t,
        Some("\"1\""),
        Some(&worth("90")),
    )
    .await;
    let revised = expect_json(revised, 200).await;
    let versions = expect_json(app.get(&format!("{path}/versions"), t).await, 200).await;
    let approved = expect_json(
        app.post(&format!("{path}/approve"), t, &json!({})).await,
        200,
    )
    .await;
    let tab = expect_json(app.get(&shop.sales(), t).await, 200).await;
    let all = expect_json(app.get("/sales?with_totals=true", t).await, 200).await;
    let nfe = expect_json(app.get(&format!("{path}/nfe"), t).await, 200).await;
    let nfe_body = json!({"ind_pres": 1});
    let saved = expect_json(app.put(&format!("{path}/nfe"), t, &nfe_body).await, 200).await;
    let rejected = quote(&app, &shop, "5").await;
    let rejected = expect_json(
        app.post(&format!("{}/reject", path_of(&rejected)), t, &json!({}))
            .await,
        200,
    )
    .await;
    let cancelled = expect_json(
        app.post(&format!("{path}/cancel"), t, &json!({})).await,
        200,
    )
    .await;

    assert_eq!(created["created_by"], ana.to_string());
    assert_eq!(revised["current"]["number"], 2);
    assert_eq!(each(&versions, "number"), [json!(1), json!(2)]);
    assert_fields(
        &approved,
        json!({"status": "approved", "decided_by": ana.to_string()}),
    );
    assert_eq!(ids(&tab), [id_of(&created)]);
    assert_eq!(all["totals"]["count"], 1, "the member's flow only: {all}");
    assert!(!ids(&all).contains(&id_of(&unseen)));
    assert_eq!(nfe["version"], 0);
    assert_fields(&saved, json!({"version": 1, "issue_nfe": true}));
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(cancelled["status"], "cancelled");
}
