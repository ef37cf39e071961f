//! Password hashing runs a bounded number of hashes at once; a login that cannot get a turn in
//! time is told to come back (issue 12, point 2).

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_login_flood_beyond_the_hashing_turns_gets_503_busy_with_retry_after_and_never_500() {
    // One turn, a short queue, and a hash slow enough that the others cannot wait for it.
    let app = spawn_app_with(|s| {
        s.auth.max_concurrent_hashes = 1;
        s.auth.hash_queue_ms = 30;
        s.auth.argon2_memory_kib = 32 * 1024;
        s.auth.argon2_iterations = 3;
    })
    .await;
    let body = json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD});

    let responses =
        join_all((0..16).map(|_| app.client.post(app.url("/auth/login")).json(&body).send())).await;

    let (mut ok, mut busy) = (0, 0);
    for response in responses {
        let response = response.unwrap();
        match response.status().as_u16() {
            200 => ok += 1,
            503 => {
                let retry_after = response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .to_owned();
                assert!(retry_after.parse::<u64>().unwrap() >= 1, "{retry_after}");
                let problem = expect_problem(response, 503, "busy").await;
                assert!(
                    problem["detail"].as_str().unwrap().contains("try again"),
                    "{problem}"
                );
                busy += 1;
            }
            other => panic!(
                "unexpected status {other}: {}",
                response.text().await.unwrap()
            ),
        }
    }
    assert!(ok >= 1 && busy >= 1, "{ok} logged in, {busy} told to retry");
    app.login_ok(ADMIN_EMAIL, ADMIN_PASSWORD).await;
}
