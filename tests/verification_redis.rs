//! Two veilgate replicas on one real Redis: challenges, replay steps and
//! lockout counts are shared; with Redis gone, verification fails closed
//! and redaction goes on.

mod common;

use common::verify::{Redis, T0, Verifying, call, code, config, helpdesk, json, keyring, start};
use http::StatusCode;

fn redis_extra(url: &str) -> String {
    format!("store = \"redis\"\nredis_url = \"{url}\"\nredis_prefix = \"test:\"\n")
}

/// The same link path on another replica's public listener.
fn on(replica: &Verifying, link: &str) -> String {
    let path = &link[link.find("/verify/").unwrap()..];
    format!("http://{}{path}", replica.public)
}

#[tokio::test]
async fn two_replicas_share_challenges_replay_steps_and_lockouts() {
    let redis = Redis::start();
    let shared = tempfile::tempdir().unwrap();
    let keys = keyring(shared.path());
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let upstream = helpdesk().await;
    let a = start(config(
        upstream,
        dir_a.path(),
        &keys,
        &redis_extra(&redis.url()),
    ));
    let b = start(config(
        upstream,
        dir_b.path(),
        &keys,
        &redis_extra(&redis.url()),
    ));
    a.set_clock(T0).await;
    b.set_clock(T0).await;

    let uri = a.enroll_and_confirm("shared@example.com", T0).await;
    let (_, listed) = b.admin("GET", "/v1/enrollments", None).await;
    assert_eq!(
        json(&listed)["enrollments"][0]["status"],
        "active",
        "{listed}"
    );

    // Created on A, answered on B; the grant is seen by both.
    let now = T0 + 60_000;
    a.set_clock(now).await;
    b.set_clock(now).await;
    let challenge = a.challenge("shared@example.com", "ticket:42").await;
    let link = challenge["link"].as_str().unwrap();
    let (status, body) = b.answer(&on(&b, link), &code(&uri, now)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(a.grant_active("ticket:42").await && b.grant_active("ticket:42").await);

    // The code used on B is refused on A.
    let again = b.challenge("shared@example.com", "ticket:43").await;
    let (status, _) = a
        .answer(&on(&a, again["link"].as_str().unwrap()), &code(&uri, now))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!a.grant_active("ticket:43").await);

    // One fresh code sent to both replicas at once: exactly one wins.
    let now = now + 60_000;
    a.set_clock(now).await;
    b.set_clock(now).await;
    let first = a.challenge("shared@example.com", "ticket:44").await;
    let second = b.challenge("shared@example.com", "ticket:45").await;
    let fresh = code(&uri, now);
    let (link_a, link_b) = (
        on(&a, first["link"].as_str().unwrap()),
        on(&b, second["link"].as_str().unwrap()),
    );
    let ((status_a, _), (status_b, _)) =
        tokio::join!(a.answer(&link_a, &fresh), b.answer(&link_b, &fresh));
    let wins = [status_a, status_b]
        .iter()
        .filter(|s| **s == StatusCode::OK)
        .count();
    assert_eq!(wins, 1, "{status_a} {status_b}");

    // Failures add up across replicas: 3 on A and 2 on B lock the contact.
    // (Another contact: the race above left a failure of its own, the
    // loser's replay, or not, depending on which answer landed last.)
    let uri = b.enroll_and_confirm("second@example.com", now).await;
    let now = now + 60_000;
    a.set_clock(now).await;
    b.set_clock(now).await;
    let challenge = a.challenge("second@example.com", "ticket:46").await;
    let link = challenge["link"].as_str().unwrap();
    for replica in [&a, &a, &a, &b] {
        let (status, _) = replica.answer(&on(replica, link), "000000").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, _) = b.answer(&on(&b, link), "000000").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, _) = a.answer(&on(&a, link), &code(&uri, now)).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked on the other replica too"
    );
}

#[tokio::test]
async fn without_redis_verification_fails_closed_and_redaction_goes_on() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("redis://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let keys = keyring(dir.path());
    // veilgate starts although Redis is not there yet.
    let vg = start(config(
        helpdesk().await,
        dir.path(),
        &keys,
        &redis_extra(&url),
    ));

    let (status, _, text) = call(
        "POST",
        &format!("http://{}/_veilgate/challenges", vg.agent),
        &[("content-type", "application/json")],
        Some(serde_json::json!({ "contact": "a@example.com", "scope": "ticket:1" }).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    assert_eq!(json(&text)["error"]["code"], "verification_unavailable");
    let (status, _, text) = call(
        "GET",
        &format!("http://{}/_veilgate/grants/ticket:1", vg.agent),
        &[],
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "no grant is assumed: {text}"
    );
    let (status, _, _) = call("GET", &format!("http://{}/health", vg.admin), &[], None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    vg.assert_redacting().await;

    // Redis arrives: verification works without a restart.
    let _redis = Redis::start_on(port);
    let mut last = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..40 {
        let (status, _, _) = call("GET", &format!("http://{}/health", vg.admin), &[], None).await;
        last = status;
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(last, StatusCode::OK);
    vg.set_clock(T0).await;
    let uri = vg.enroll_and_confirm("a@example.com", T0).await;
    let challenge = vg.challenge("a@example.com", "ticket:1").await;
    let (status, _) = vg
        .answer(
            challenge["link"].as_str().unwrap(),
            &code(&uri, T0 + 30_000),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}
