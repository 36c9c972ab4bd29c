//! Customer verification end to end through the real binary: enrollment,
//! challenges, checks, replay, lockout and expiry over HTTP on loopback,
//! with the embedded store and a clock the tests set (no sleeps).

mod common;

use common::verify::{
    ADMIN_TOKEN, T0, Verifying, call, code, config, helpdesk, json, keyring, secret_of, start,
};
use http::StatusCode;
use serde_json::json;

const MINUTE: u64 = 60_000;

async fn verifying(dir: &tempfile::TempDir, extra: &str) -> Verifying {
    let keys = keyring(dir.path());
    let extra = format!("agent_header = \"x-agent\"\n{extra}");
    let vg = start(config(helpdesk().await, dir.path(), &keys, &extra));
    vg.set_clock(T0).await;
    vg
}

fn audit_events(dir: &tempfile::TempDir) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.path().join("audit.jsonl"))
        .unwrap()
        .lines()
        .map(json)
        .collect()
}

fn count(events: &[serde_json::Value], event: &str) -> usize {
    events.iter().filter(|e| e["event"] == event).count()
}

#[tokio::test]
async fn enroll_confirm_challenge_and_verify_once() {
    let dir = tempfile::tempdir().unwrap();
    let vg = verifying(&dir, "").await;

    // The admin API wants its token, compared whole.
    for auth in [
        "",
        "Bearer nope",
        &format!("Bearer {}", &ADMIN_TOKEN[..20]),
        &format!("Basic {ADMIN_TOKEN}"),
    ] {
        let (status, _, _) = call(
            "GET",
            &format!("http://{}/v1/enrollments", vg.admin),
            &[("authorization", auth)],
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth}");
    }

    let (status, text) = vg
        .admin(
            "POST",
            "/v1/enrollments",
            Some(json!({ "contact": "Ann.Jansen@example.com" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let enrollment = json(&text);
    let uri = enrollment["otpauth_uri"].as_str().unwrap().to_string();
    assert!(uri.starts_with("otpauth://totp/veilgate:"), "{uri}");
    let secret = secret_of(&uri);
    assert_eq!(secret.len(), 32, "160 bits of base32");
    let png = base64_decode(enrollment["qr_png"].as_str().unwrap());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    // Pending: the secret does not verify anyone yet.
    let challenge = vg.challenge("ann.jansen@example.com", "ticket:1").await;
    let link = challenge["link"].as_str().unwrap();
    let (status, body) = vg.answer(link, &code(&uri, T0)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // The enrollment page shows the QR code; the first code activates.
    let url = enrollment["enrollment_url"].as_str().unwrap();
    let (status, headers, page) = call("GET", url, &[], None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data:image/png;base64,"));
    assert!(headers.get("set-cookie").is_some());
    let (status, _, text) = call(
        "POST",
        url,
        &[("content-type", "application/json")],
        Some(json!({ "code": code(&uri, T0 + 30_000) }).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    // The enrollment link is spent.
    assert_eq!(call("GET", url, &[], None).await.0, StatusCode::NOT_FOUND);

    // Listed without its secret, under an opaque id, not the address.
    let (_, listed) = vg.admin("GET", "/v1/enrollments", None).await;
    let listed_json = json(&listed);
    assert_eq!(listed_json["enrollments"][0]["status"], "active");
    assert!(
        !listed.contains(&secret) && !listed.to_lowercase().contains("ann.jansen"),
        "{listed}"
    );
    let (status, one) = vg
        .admin("GET", "/v1/enrollments/ANN.JANSEN@example.com", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{one}");

    // A challenge, a wrong code, then the right one a step later.
    vg.set_clock(T0 + 2 * MINUTE).await;
    let challenge = vg.challenge("ann.jansen@example.com", "ticket:1").await;
    let link = challenge["link"].as_str().unwrap().to_string();
    assert!(challenge["prompt"].as_str().unwrap().contains(&link));
    assert_eq!(challenge["expires_at"], "2027-01-15T08:12:00.000Z");
    let (status, _, text) = call("GET", &link, &[("accept", "application/json")], None).await;
    assert_eq!(
        (status, json(&text)["status"].clone()),
        (StatusCode::OK, json!("pending"))
    );
    assert!(!vg.grant_active("ticket:1").await);

    let right = code(&uri, T0 + 2 * MINUTE);
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    let (status, body) = vg.answer(&link, &wrong).await;
    assert_eq!(
        (status, body["status"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("failed"))
    );
    // Spaces and dashes are fine.
    let typed = format!("{} {}-", &right[..3], &right[3..]);
    let (status, body) = vg.answer(&link, &typed).await;
    assert_eq!(
        (status, body["status"].clone()),
        (StatusCode::OK, json!("verified")),
        "{body}"
    );
    assert!(vg.grant_active("ticket:1").await);
    assert!(
        !vg.grant_active("ticket:2").await,
        "a grant opens its own scope only"
    );

    let (status, _, text) = call(
        "GET",
        &format!(
            "http://{}/_veilgate/challenges/{}",
            vg.agent,
            challenge["id"].as_str().unwrap()
        ),
        &[],
        None,
    )
    .await;
    assert_eq!(
        (status, json(&text)["status"].clone()),
        (StatusCode::OK, json!("verified"))
    );

    // The link is single use, and the same code on a fresh link is a
    // replay: refused like any wrong code.
    let (status, body) = vg.answer(&link, &right).await;
    assert_eq!(
        (status, body["status"].clone()),
        (StatusCode::NOT_FOUND, json!("invalid"))
    );
    let again = vg.challenge("ann.jansen@example.com", "ticket:3").await;
    let (status, replay) = vg.answer(again["link"].as_str().unwrap(), &right).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        replay,
        body_of_wrong_code(&vg, "ann.jansen@example.com").await
    );
    assert!(!vg.grant_active("ticket:3").await);

    // Revocation closes the grant at once.
    let (status, _, _) = call(
        "DELETE",
        &format!("http://{}/_veilgate/grants/ticket:1", vg.agent),
        &[],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!vg.grant_active("ticket:1").await);

    let events = audit_events(&dir);
    for (event, n) in [
        ("enrollment_created", 1),
        ("enrollment_confirmed", 1),
        ("challenge_created", 4),
        ("check_succeeded", 1),
        ("grant_created", 1),
        ("replay_refused", 1),
        ("grant_revoked", 1),
    ] {
        assert_eq!(count(&events, event), n, "{event}: {events:?}");
    }
    let created = events
        .iter()
        .find(|e| e["event"] == "challenge_created")
        .unwrap();
    assert_eq!(created["agent"], "agent-7");
    assert_eq!(created["scope"], "ticket:1");
    assert_eq!(created["time"], "2027-01-15T08:00:00.000Z");

    // Nothing secret in the audit log, the process log or the store file.
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let logs = vg.vg.logs();
    let store = String::from_utf8_lossy(&std::fs::read(dir.path().join("store.redb")).unwrap())
        .into_owned();
    for (name, text) in [("audit", &audit), ("logs", &logs), ("store", &store)] {
        assert!(!text.contains(&secret), "{name} holds the secret");
        assert!(
            !contains_word(text, &right) || name == "store",
            "{name} holds a code"
        );
        assert!(
            !text.to_lowercase().contains("ann.jansen"),
            "{name} holds the contact"
        );
        assert!(
            !text.contains(link.rsplit('/').next().unwrap()),
            "{name} holds a link token"
        );
    }

    // Metrics count the same events.
    let (_, _, metrics) = call("GET", &format!("http://{}/metrics", vg.admin), &[], None).await;
    assert!(
        metrics.contains("veilgate_verification_events_total{event=\"check_succeeded\"} 1"),
        "{metrics}"
    );
}

/// What a plainly wrong code gets, on a fresh challenge of the contact.
async fn body_of_wrong_code(vg: &Verifying, contact: &str) -> serde_json::Value {
    let challenge = vg.challenge(contact, "ticket:probe").await;
    let (status, body) = vg
        .answer(challenge["link"].as_str().unwrap(), "000000")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    body
}

#[tokio::test]
async fn lockout_after_five_failures_escalates_and_expires() {
    let dir = tempfile::tempdir().unwrap();
    let vg = verifying(&dir, "").await;
    let uri = vg.enroll_and_confirm("+31 6 1234 5678", T0).await;

    let mut now = T0 + MINUTE;
    vg.set_clock(now).await;
    let challenge = vg.challenge("+31 6 1234 5678", "ticket:9").await;
    let link = challenge["link"].as_str().unwrap();
    for attempt in 1..=5 {
        let (status, body) = vg.answer(link, "000000").await;
        let expected = if attempt < 5 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, expected, "attempt {attempt}: {body}");
    }
    // Locked: even the right code is refused, and says when to come back.
    let (status, body) = vg.answer(link, &code(&uri, now)).await;
    assert_eq!(
        (status, body["status"].clone()),
        (StatusCode::TOO_MANY_REQUESTS, json!("locked"))
    );
    assert!(body["retry_after"].as_u64().unwrap() <= 15 * 60);

    // Fifteen minutes later the lock is gone (the link too: 10 minutes).
    now += 16 * MINUTE;
    vg.set_clock(now).await;
    let (status, _) = vg.answer(link, &code(&uri, now)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the link expired");
    let challenge = vg.challenge("+31 6 1234 5678", "ticket:9").await;
    let link = challenge["link"].as_str().unwrap().to_string();

    // A second lockout lasts twice as long.
    for _ in 0..5 {
        vg.answer(&link, "999999").await;
    }
    now += 16 * MINUTE;
    vg.set_clock(now).await;
    let fresh = vg.challenge("+31 6 1234 5678", "ticket:9").await;
    let fresh_link = fresh["link"].as_str().unwrap().to_string();
    let (status, _) = vg.answer(&fresh_link, &code(&uri, now)).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "still locked after 16 of 30 minutes"
    );
    now += 15 * MINUTE;
    vg.set_clock(now).await;
    let fresh = vg.challenge("+31 6 1234 5678", "ticket:9").await;
    let (status, body) = vg
        .answer(fresh["link"].as_str().unwrap(), &code(&uri, now))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(vg.grant_active("ticket:9").await);

    // The grant expires after 30 minutes.
    now += 29 * MINUTE;
    vg.set_clock(now).await;
    assert!(vg.grant_active("ticket:9").await);
    now += 2 * MINUTE;
    vg.set_clock(now).await;
    assert!(!vg.grant_active("ticket:9").await);

    let events = audit_events(&dir);
    assert_eq!(count(&events, "lockout"), 2, "{events:?}");
    let lockouts: Vec<u64> = events
        .iter()
        .filter(|e| e["event"] == "lockout")
        .map(|e| e["locked_for_secs"].as_u64().unwrap())
        .collect();
    assert_eq!(lockouts, [900, 1800]);
    assert!(count(&events, "locked_out_attempt") >= 2);
}

#[tokio::test]
async fn an_unenrolled_contact_looks_like_a_wrong_code_and_locks_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let vg = verifying(&dir, "").await;
    vg.enroll_and_confirm("known@example.com", T0).await;

    let known = vg.challenge("known@example.com", "ticket:1").await;
    let unknown = vg.challenge("nobody@example.com", "ticket:2").await;
    // The agent's answers have the same shape either way.
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&known), keys(&unknown));

    let (status_a, body_a) = vg.answer(known["link"].as_str().unwrap(), "123456").await;
    let (status_b, body_b) = vg.answer(unknown["link"].as_str().unwrap(), "123456").await;
    assert_eq!((status_a, &body_a), (status_b, &body_b));
    let (status_a, body_a) = vg.answer(known["link"].as_str().unwrap(), "12x").await;
    let (status_b, body_b) = vg.answer(unknown["link"].as_str().unwrap(), "12x").await;
    assert_eq!((status_a, &body_a), (status_b, &body_b));
    for _ in 0..3 {
        vg.answer(unknown["link"].as_str().unwrap(), "123456").await;
    }
    let (status, _) = vg.answer(unknown["link"].as_str().unwrap(), "123456").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "unknown contacts lock out too"
    );
}

#[tokio::test]
async fn failures_from_one_address_lock_that_address_across_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let vg = verifying(&dir, "[verification.lockout]\nmax_failures_per_ip = 4\n").await;
    let uri = vg.enroll_and_confirm("victim@example.com", T0).await;
    for n in 0..4 {
        let challenge = vg
            .challenge(&format!("guess{n}@example.com"), "ticket:1")
            .await;
        vg.answer(challenge["link"].as_str().unwrap(), "111111")
            .await;
    }
    vg.set_clock(T0 + MINUTE).await;
    let challenge = vg.challenge("victim@example.com", "ticket:1").await;
    let (status, _) = vg
        .answer(
            challenge["link"].as_str().unwrap(),
            &code(&uri, T0 + MINUTE),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the address is locked, whatever the contact"
    );
}

#[tokio::test]
async fn the_page_is_accessible_translated_and_guarded() {
    let dir = tempfile::tempdir().unwrap();
    let vg = verifying(&dir, "").await;
    let uri = vg.enroll_and_confirm("page@example.com", T0).await;
    vg.set_clock(T0 + MINUTE).await;
    let challenge = vg.challenge("page@example.com", "ticket:5").await;
    let link = challenge["link"].as_str().unwrap().to_string();

    let (status, headers, page) = call(
        "GET",
        &link,
        &[("accept-language", "fi-FI, en;q=0.5")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<html lang="fi">"#) && page.contains("Vahvista henkilöllisyytesi"));
    for needle in [
        r#"<label for="code">"#,
        r#"autocomplete="one-time-code""#,
        r#"inputmode="numeric""#,
        r#"name="viewport""#,
        ":focus-visible",
        r#"hreflang="nl""#,
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    assert!(!page.contains("<script"));
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_string();
    let csrf = page
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();

    // The switch wins over the browser.
    let (_, _, german) = call(
        "GET",
        &format!("{link}?lang=de"),
        &[("accept-language", "fi")],
        None,
    )
    .await;
    assert!(german.contains(r#"<html lang="de">"#) && german.contains("Bestätigen Sie"));

    let right = code(&uri, T0 + MINUTE);
    let form = |csrf: &str, code: &str| format!("csrf={csrf}&lang=en&code={code}");
    // Without the cookie, with a forged token, or from another site: refused
    // before any check, so no failure is counted and nothing is granted.
    for (headers, body) in [
        (
            vec![("content-type", "application/x-www-form-urlencoded")],
            form(&csrf, &right),
        ),
        (
            vec![
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", cookie.as_str()),
            ],
            form("forged", &right),
        ),
        (
            vec![
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", cookie.as_str()),
                ("origin", "https://evil.example"),
            ],
            form(&csrf, &right),
        ),
        (
            vec![
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", cookie.as_str()),
                ("sec-fetch-site", "cross-site"),
            ],
            form(&csrf, &right),
        ),
    ] {
        let (status, _, _) = call("POST", &link, &headers, Some(body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    assert!(!vg.grant_active("ticket:5").await);

    // The real form: a wrong code re-renders with an alert, then the right
    // one (typed with a space) verifies.
    let headers = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("cookie", cookie.as_str()),
    ];
    let (status, _, page) = call("POST", &link, &headers, Some(form(&csrf, "000000"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"role="alert""#) && page.contains(r#"aria-invalid="true""#));
    let spaced = format!("{}+{}", &right[..3], &right[3..]);
    let (status, _, page) = call("POST", &link, &headers, Some(form(&csrf, &spaced))).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("you&#x27;re verified") || page.contains("you're verified"),
        "{page}"
    );
    assert!(vg.grant_active("ticket:5").await);

    // An unknown link: a plain "not valid" page, in the asked language.
    let (status, _, page) = call(
        "GET",
        &format!("http://{}/verify/AAAAAAAAAAAAAAAAAAAAAA?lang=nl", vg.public),
        &[],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Deze link is niet geldig"));
}

#[tokio::test]
async fn agent_endpoints_are_never_forwarded_and_reject_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let vg = verifying(&dir, "").await;
    for path in [
        "/_veilgate/nothing",
        "/_VEILGATE/challenges",
        "/%5Fveilgate/grants/x/y",
        "/a/../_veilgate/x",
    ] {
        let (status, _, body) = call("GET", &format!("http://{}{path}", vg.agent), &[], None).await;
        assert!(
            body.contains("\"by\":\"veilgate\""),
            "{path} went upstream: {status} {body}"
        );
    }
    for body in [
        json!({ "contact": "", "scope": "ticket:1" }),
        json!({ "contact": "a@example.com", "scope": "ticket 1" }),
        json!({ "contact": "a@example.com" }),
        json!({ "contact": "a@example.com", "scope": "t:1", "language": "sv" }),
        json!({ "contact": "a@example.com", "scope": "t:1", "extra": true }),
    ] {
        let (status, _, text) = call(
            "POST",
            &format!("http://{}/_veilgate/challenges", vg.agent),
            &[("content-type", "application/json")],
            Some(body.to_string()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {text}");
    }
    let (status, _, _) = call(
        "POST",
        &format!("http://{}/_veilgate/challenges", vg.agent),
        &[("content-type", "application/json")],
        Some("x".repeat(100_000)),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Redaction goes on as before beside it.
    vg.assert_redacting().await;
}

/// `word` in `text` with no letter or digit right before or after it.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}
