//! The flow summary's receivable: the exact sum and count of the current versions' totals of the
//! flow's quotes awaiting approval, on attendances not in the trash.

use reqwest::Method;
use serde_json::json;

use super::*;

fn owed(amount: &str, count: u64) -> (String, u64) {
    (amount.to_owned(), count)
}

#[tokio::test]
async fn the_receivable_follows_approvals_new_versions_and_the_trash() {
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
    assert_eq!(receivable(&app, &shop.flow).await, owed("0.00", 0));
    let a = quote(&app, &shop, "0.10").await;
    let b = quote(&app, &shop, "0.20").await;
    let c = quote(&app, &other, "1000.05").await;
    sale(&app, &shop, "5000").await; // a sale is not receivable
    acted(&app, &quote(&app, &shop, "70").await, "reject").await;

    assert_eq!(receivable(&app, &shop.flow).await, owed("1000.35", 3));

    acted(&app, &a, "approve").await;
    assert_eq!(
        receivable(&app, &shop.flow).await,
        owed("1000.25", 2),
        "an approved quote leaves"
    );

    let v2 = send(
        &app,
        Method::PUT,
        &path_of(&b),
        &app.admin_token,
        None,
        Some(&worth("0.33")),
    )
    .await;
    expect_json(v2, 200).await;
    assert_eq!(
        receivable(&app, &shop.flow).await,
        owed("1000.38", 2),
        "the new version counts"
    );

    let attendance = format!("/attendances/{}", other.attendance);
    expect_json(app.delete(&attendance, &app.admin_token).await, 200).await;
    assert_eq!(
        receivable(&app, &shop.flow).await,
        owed("0.33", 1),
        "trashed quotes leave"
    );

    admin_post(&app, &format!("{attendance}/restore")).await;
    assert_eq!(
        receivable(&app, &shop.flow).await,
        owed("1000.38", 2),
        "restored quotes return"
    );
    assert_eq!(
        admin_get(&app, &path_of(&c)).await["status"],
        "awaiting_approval"
    );
}

#[tokio::test]
async fn the_receivable_counts_only_the_flows_own_quotes() {
    let app = spawn_app().await;
    let vendas = shop(&app, json!([])).await;
    let desk = Desk {
        flow: flow(&app, "Suporte", json!([])).await,
        contact: vendas.contact.clone(),
    };
    let suporte = shop_on(&app, desk).await;
    quote(&app, &vendas, "999999999.99").await;
    quote(&app, &vendas, "999999999.99").await;
    quote(&app, &suporte, "12.34").await;

    assert_eq!(
        receivable(&app, &vendas.flow).await,
        owed("1999999999.98", 2)
    );
    assert_eq!(receivable(&app, &suporte.flow).await, owed("12.34", 1));
}
