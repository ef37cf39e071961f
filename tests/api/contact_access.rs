//! Contacts are shared by every flow, so who may edit one is decided by where it is used: a
//! member only when every attendance pointing to it is in a flow they see (or none points to
//! it), an administrator always; and every change is recorded with who made it (issue 12).

use serde_json::{Value, json};

use crate::helpers::*;

/// Two flows with one member each, and a member of both.
struct Office {
    sales: String,
    support: String,
    sales_member: String,
    support_member: String,
    both_member: String,
}

async fn office(app: &TestApp) -> Office {
    let (sales_id, sales_member) = app.create_member("vendas@example.com").await;
    let (support_id, support_member) = app.create_member("suporte@example.com").await;
    let (both_id, both_member) = app.create_member("ambos@example.com").await;
    let sales = app
        .create_flow(json!({"name": "Vendas", "authorized_user_ids": [sales_id, both_id]}))
        .await;
    let support = app
        .create_flow(json!({"name": "Suporte", "authorized_user_ids": [support_id, both_id]}))
        .await;
    Office {
        sales: sales["id"].as_str().unwrap().to_owned(),
        support: support["id"].as_str().unwrap().to_owned(),
        sales_member,
        support_member,
        both_member,
    }
}

async fn contact(app: &TestApp, name: &str) -> String {
    let body = json!({"name": name, "email": "cliente@example.com"});
    let contact = app.create_contact(&app.admin_token, body).await;
    contact["id"].as_str().unwrap().to_owned()
}

async fn attend(app: &TestApp, flow: &str, contact: &str) -> Value {
    let body = json!({"title": "Pedido", "contact_id": contact});
    let path = format!("/flows/{flow}/attendances");
    expect_json(app.post(&path, &app.admin_token, &body).await, 201).await
}

async fn edit_email(app: &TestApp, token: &str, contact: &str, email: &str) -> u16 {
    let path = format!("/contacts/{contact}");
    let response = app.patch(&path, token, &json!({"email": email})).await;
    let status = response.status().as_u16();
    if status == 403 {
        expect_problem(response, 403, "contact_used_elsewhere").await;
    }
    status
}

#[tokio::test]
async fn who_may_edit_a_shared_contact_depends_on_the_flows_that_use_it() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let only_sales = contact(&app, "Só Vendas").await;
    attend(&app, &office.sales, &only_sales).await;
    let in_both = contact(&app, "Nos Dois").await;
    attend(&app, &office.sales, &in_both).await;
    attend(&app, &office.support, &in_both).await;
    let unused = contact(&app, "Sem Atendimento").await;
    let trashed_in_sales = contact(&app, "Na Lixeira").await;
    let trashed = attend(&app, &office.sales, &trashed_in_sales).await;
    let path = format!("/attendances/{}", trashed["id"].as_str().unwrap());
    assert_eq!(app.delete(&path, &app.admin_token).await.status(), 200);

    let o = &office;
    let cases = [
        (
            "support member, contact used only in sales",
            &o.support_member,
            &only_sales,
            403,
        ),
        (
            "sales member, contact used only in sales",
            &o.sales_member,
            &only_sales,
            200,
        ),
        (
            "sales member, contact used in both flows",
            &o.sales_member,
            &in_both,
            403,
        ),
        (
            "member of both flows, contact used in both",
            &o.both_member,
            &in_both,
            200,
        ),
        (
            "support member, contact used by no attendance",
            &o.support_member,
            &unused,
            200,
        ),
        (
            "support member, contact of a trashed sales attendance",
            &o.support_member,
            &trashed_in_sales,
            403,
        ),
        (
            "administrator, contact used in both flows",
            &app.admin_token,
            &in_both,
            200,
        ),
    ];
    for (index, (case, token, contact, expected)) in cases.into_iter().enumerate() {
        let status = edit_email(&app, token, contact, &format!("caso{index}@example.com")).await;
        assert_eq!(status, expected, "{case}");
    }
    // Case 0 (refused) and case 1 (allowed) wrote to the same contact: case 1's address stays.
    let kept = app
        .get(&format!("/contacts/{only_sales}"), &o.support_member)
        .await;
    assert_eq!(expect_json(kept, 200).await["email"], "caso1@example.com");
    let untouched = app
        .get(&format!("/contacts/{trashed_in_sales}"), &app.admin_token)
        .await;
    assert_eq!(
        expect_json(untouched, 200).await["email"],
        "cliente@example.com"
    );
}

#[tokio::test]
async fn every_change_of_a_contact_is_recorded_with_who_made_it_newest_first() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let id = contact(&app, "João").await;
    attend(&app, &office.sales, &id).await;
    assert_eq!(
        edit_email(&app, &office.support_member, &id, "golpe@example.com").await,
        403
    );
    assert_eq!(
        edit_email(&app, &office.sales_member, &id, "joao@cliente.com.br").await,
        200
    );

    let page = app
        .get(&format!("/contacts/{id}/changes"), &office.both_member)
        .await;
    let page = expect_json(page, 200).await;
    let one = app
        .get(&format!("/contacts/{id}/changes?limit=1"), &app.admin_token)
        .await;
    let one = expect_json(one, 200).await;

    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "the refused edit left no trace: {page}");
    assert_eq!(items[0]["kind"], "updated");
    assert_eq!(items[0]["actor"]["name"], "Membro", "{page}");
    assert_eq!(
        items[0]["changes"],
        json!({"email": {"from": "cliente@example.com", "to": "joao@cliente.com.br"}})
    );
    assert_eq!(items[1]["kind"], "created");
    assert_eq!(items[1]["actor"]["name"], "Administrator");
    assert_eq!(
        items[1]["changes"]["name"],
        json!({"from": null, "to": "João"})
    );
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let next = one["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/contacts/{id}/changes?limit=1&cursor={next}"),
            &app.admin_token,
        )
        .await;
    assert_eq!(expect_json(rest, 200).await["items"][0]["kind"], "created");
}
