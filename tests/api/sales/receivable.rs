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

#[tokio::test]
async fn moving_an_attendance_takes_its_quotes_to_the_other_flows_receivable() {
    let app = spawn_app().await;
    let vendas = shop(&app, json!([])).await;
    let suporte = flow(&app, "Suporte", json!([])).await;
    let staying = shop_on(
        &app,
        Desk {
            flow: vendas.flow.clone(),
            contact: vendas.contact.clone(),
        },
    )
    .await;
    quote(&app, &vendas, "10.01").await;
    quote(&app, &vendas, "20.02").await;
    sale(&app, &vendas, "500").await;
    quote(&app, &staying, "0.07").await;

    let to = json!({"flow_id": suporte});
    let moved = format!("/attendances/{}/move", vendas.attendance);
    expect_json(app.post(&moved, &app.admin_token, &to).await, 200).await;

    assert_eq!(receivable(&app, &vendas.flow).await, owed("0.07", 1));
    assert_eq!(receivable(&app, &suporte).await, owed("30.03", 2));
}

#[tokio::test]
async fn approvals_racing_the_trash_count_each_quote_once() {
    // Arrange: six quotes of R$ 1.00 on one attendance.
    let app = spawn_app().await;
    let shop = shop(&app, json!([])).await;
    let mut quotes = Vec::new();
    for _ in 0..6 {
        quotes.push(quote(&app, &shop, "1.00").await);
    }

    // Act: approve four of them while the attendance goes to the trash.
    let mut requests = tokio::task::JoinSet::new();
    for order in &quotes[..4] {
        let request = app
            .client
            .post(app.url(&format!("{}/approve", path_of(order))));
        requests.spawn(
            request
                .bearer_auth(&app.admin_token)
                .json(&json!({}))
                .send(),
        );
    }
    let trash = app
        .client
        .delete(app.url(&format!("/attendances/{}", shop.attendance)));
    requests.spawn(trash.bearer_auth(&app.admin_token).send());
    while let Some(response) = requests.join_next().await {
        let status = response.unwrap().unwrap().status().as_u16();
        assert!(status == 200 || status == 409, "{status}");
    }

    // Assert: nothing counts while trashed; after the restore, exactly the quotes still waiting.
    assert_eq!(receivable(&app, &shop.flow).await, owed("0.00", 0));
    admin_post(&app, &format!("/attendances/{}/restore", shop.attendance)).await;
    let mut waiting = 0;
    for order in &quotes {
        if admin_get(&app, &path_of(order)).await["status"] == "awaiting_approval" {
            waiting += 1;
        }
    }
    assert!(waiting >= 2, "the two quotes nobody approved still wait");
    assert_eq!(
        receivable(&app, &shop.flow).await,
        owed(&format!("{waiting}.00"), waiting)
    );
}
