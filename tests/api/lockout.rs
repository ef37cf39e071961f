//! Failed-login throttling per (account, client address), the trusted proxies that may name the
//! client, and `PATCH /me` counted like a login (issue 12, point 6).

use reqwest::Response;
use serde_json::json;

use crate::helpers::*;

const MARIA: &str = "maria@example.com";
const ATTACKER: &str = "203.0.113.66";
const HOME: &str = "198.51.100.7";

/// An app behind a proxy on 127.0.0.1, so `X-Forwarded-For` says where a request comes from.
async fn behind_proxy() -> TestApp {
    spawn_app_with(|s| s.server.trusted_proxies = "127.0.0.1".to_owned()).await
}

async fn login_from(app: &TestApp, forwarded_for: &str, email: &str, password: &str) -> Response {
    app.client
        .post(app.url("/auth/login"))
        // Both headers name the same client: whichever the app reads, it is this one.
        .header("X-Forwarded-For", forwarded_for)
        .header("Forwarded", format!("for={forwarded_for}"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn fail_five_times(app: &TestApp, forwarded_for: &str, email: &str) {
    for _ in 1..=5 {
        let response = login_from(app, forwarded_for, email, "wrong password number x").await;
        expect_problem(response, 401, "invalid_credentials").await;
    }
}

#[tokio::test]
async fn failures_from_one_address_block_that_address_for_the_account_but_not_another_address() {
    let app = behind_proxy().await;
    app.create_member(MARIA).await;
    fail_five_times(&app, ATTACKER, MARIA).await;

    let from_attacker = login_from(&app, ATTACKER, MARIA, MEMBER_PASSWORD).await;
    let from_home = login_from(&app, HOME, MARIA, MEMBER_PASSWORD).await;

    expect_blocked(from_attacker).await;
    let tokens = expect_json(from_home, 200).await;
    assert!(tokens["access_token"].is_string());
}

#[tokio::test]
async fn a_stranger_cannot_lock_the_admin_out_from_everywhere() {
    let app = behind_proxy().await;
    fail_five_times(&app, ATTACKER, ADMIN_EMAIL).await;
    for _ in 0..10 {
        // Once blocked, further tries are refused without being checked.
        let guess = login_from(&app, ATTACKER, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        expect_blocked(guess).await;
    }

    let from_office = login_from(&app, HOME, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let direct = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    expect_json(from_office, 200).await;
    expect_json(direct, 200).await;
}

#[tokio::test]
async fn the_blocked_pair_gets_a_longer_wait_with_each_further_failure() {
    let app = spawn_app_with(|s| {
        s.server.trusted_proxies = "127.0.0.1".to_owned();
        s.auth.login_delay_seconds = 1;
    })
    .await;
    fail_five_times(&app, ATTACKER, ADMIN_EMAIL).await;
    let first: u64 = retry_after(&login_from(&app, ATTACKER, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let sixth = login_from(&app, ATTACKER, ADMIN_EMAIL, "wrong password number x").await;
    expect_problem(sixth, 401, "invalid_credentials").await;
    let second = retry_after(&login_from(&app, ATTACKER, ADMIN_EMAIL, ADMIN_PASSWORD).await);

    assert_eq!((first, second), (1, 2));
}

fn retry_after(response: &Response) -> u64 {
    assert_eq!(response.status(), 429);
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn x_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    // The proxy named is not the peer (127.0.0.1): the headers are the client's own words.
    let app =
        spawn_app_with(|s| s.server.trusted_proxies = "192.0.2.1, 10.0.0.0/8".to_owned()).await;
    app.create_member(MARIA).await;
    fail_five_times(&app, ATTACKER, MARIA).await;

    let claiming_elsewhere = login_from(&app, HOME, MARIA, MEMBER_PASSWORD).await;

    expect_blocked(claiming_elsewhere).await;
}

#[tokio::test]
async fn only_the_header_the_proxy_writes_names_the_client() {
    let rfc_proxy = spawn_app_with(|s| {
        s.server.trusted_proxies = "127.0.0.1".to_owned();
        s.server.forwarded_header = "forwarded".to_owned();
    })
    .await;
    let xff_proxy = behind_proxy().await;
    let login_claiming_home = |app: &TestApp, xff: &str| {
        app.client
            .post(app.url("/auth/login"))
            .header("Forwarded", format!("for=\"{HOME}:4711\";proto=https"))
            .header("X-Forwarded-For", xff.to_owned())
            .json(&json!({"email": MARIA, "password": MEMBER_PASSWORD}))
            .send()
    };
    for app in [&rfc_proxy, &xff_proxy] {
        app.create_member(MARIA).await;
        fail_five_times(app, ATTACKER, MARIA).await;
    }

    let by_forwarded = login_claiming_home(&rfc_proxy, ATTACKER).await.unwrap();
    // The proxy appended the attacker to X-Forwarded-For and passed their Forwarded through.
    let forged = login_claiming_home(&xff_proxy, ATTACKER).await.unwrap();

    expect_json(by_forwarded, 200).await;
    expect_blocked(forged).await;
}

#[tokio::test]
async fn many_failures_from_one_address_across_accounts_block_that_address_only() {
    let app = behind_proxy().await;
    app.create_member(MARIA).await;
    for attempt in 1..=50 {
        let email = format!("sprayed{attempt}@example.com");
        let response = login_from(&app, ATTACKER, &email, "Verao2026!!ok").await;
        expect_problem(response, 401, "invalid_credentials").await;
    }

    let sprayer = login_from(&app, ATTACKER, MARIA, MEMBER_PASSWORD).await;
    let maria = login_from(&app, HOME, MARIA, MEMBER_PASSWORD).await;

    expect_blocked(sprayer).await;
    expect_json(maria, 200).await;
}

#[tokio::test]
async fn wrong_current_passwords_in_patch_me_are_throttled_like_logins() {
    let app = spawn_app().await;
    let (_, token) = app.create_member(MARIA).await;
    let body = json!({"password": "a brand new long password", "current_password": "a guess"});
    for _ in 1..=5 {
        let response = app.patch("/me", &token, &body).await;
        let problem = expect_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["current_password"]);
    }

    let sixth = app.patch("/me", &token, &body).await;
    let right =
        json!({"password": "a brand new long password", "current_password": MEMBER_PASSWORD});
    let with_the_right_one = app.patch("/me", &token, &right).await;
    let login = app.login(MARIA, MEMBER_PASSWORD).await;

    expect_blocked(sixth).await;
    expect_blocked(with_the_right_one).await;
    expect_blocked(login).await;
    assert_eq!(
        expect_json(app.get("/me", &token).await, 200).await["version"],
        1,
        "nothing changed"
    );
}

#[tokio::test]
async fn concurrent_wrong_passwords_for_a_new_pair_are_counted_never_a_500() {
    let app = behind_proxy().await;
    app.create_member(MARIA).await;

    let attempts = (0..12).map(|_| login_from(&app, ATTACKER, MARIA, "wrong password number x"));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();

    assert!(
        statuses.iter().all(|s| [401, 429, 503].contains(s)),
        "{statuses:?}"
    );
    expect_blocked(login_from(&app, ATTACKER, MARIA, MEMBER_PASSWORD).await).await;
}
