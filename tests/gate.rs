//! The account-data gate end to end: the real binary in front of the
//! Zendesk-shaped demo helpdesk (which wants the agent's API token), with
//! verification state in a real Redis, and the attacks that must fail.

mod common;

use common::verify::{self, Redis, T0, Verifying, call, code, json};
use futures_util::{SinkExt, StreamExt};
use http::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use veilgate::demo::helpdesk::{Helpdesk, Seed};

/// The agent's API token; the helpdesk refuses its API without it.
const TOKEN: &str = "agent-token-5f1c";
const AUTH: &str = "Bearer agent-token-5f1c";

const EMILY: &str = "emily.carter@example.com";
/// A secret the customer pasted into ticket 4101.
const PASTED_TOKEN: &str = "ghp_R8pQ3sVx0bLm2NcT7yWk9ZaE4dHf1Ju6Gi5o";

const GATE: &str = r#"
[gate]
contact_cache = "0s"
[[gate.scopes]]
paths = ["/api/v2/tickets/{ticket:[0-9]+}.json", "/api/v2/tickets/{ticket:[0-9]+}/..."]
scope = "ticket:{ticket}"
contact = "zendesk"
[[gate.fields]]
path = "$.ticket.custom_fields[?@.id == 360001].value"
class = "account"
"#;

struct Desk {
    addr: std::net::SocketAddr,
}

impl Desk {
    async fn start() -> Desk {
        let helpdesk = Helpdesk::new(Seed::bundled(), Some(TOKEN.to_string()));
        let addr = veilgate::demo::helpdesk::start_with("127.0.0.1:0".parse().unwrap(), helpdesk)
            .await
            .unwrap();
        Desk { addr }
    }

    /// Straight to the helpdesk, as its own UI would.
    async fn comments(&self, ticket: u64) -> Vec<String> {
        let (status, _, text) = call(
            "GET",
            &format!("http://{}/api/v2/tickets/{ticket}/comments.json", self.addr),
            &[("authorization", AUTH)],
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        json(&text)["comments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["body"].as_str().unwrap().to_string())
            .collect()
    }

    async fn writes(&self) -> u64 {
        let (_, _, text) = call(
            "GET",
            &format!("http://{}/_helpdesk/stats", self.addr),
            &[],
            None,
        )
        .await;
        json(&text)["writes"].as_u64().unwrap()
    }

    /// A comment added directly, as the customer's e-mail would.
    async fn add_comment(&self, ticket: u64, body: &str) {
        let (status, _, text) = call(
            "PUT",
            &format!("http://{}/api/v2/tickets/{ticket}.json", self.addr),
            &[
                ("authorization", AUTH),
                ("content-type", "application/json"),
            ],
            Some(json!({ "ticket": { "comment": { "body": body, "public": true } } }).to_string()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
    }

    async fn users_fault(&self, status: u16) {
        let (answer, _, _) = call(
            "PUT",
            &format!("http://{}/_helpdesk/users-fault", self.addr),
            &[],
            Some(status.to_string()),
        )
        .await;
        assert_eq!(answer, StatusCode::NO_CONTENT);
    }
}

/// An agent request through veilgate: status, verification state, body.
async fn agent(
    v: &Verifying,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, String, String) {
    let (status, headers, text) = call(
        method,
        &format!("http://{}{path}", v.agent),
        &[
            ("authorization", AUTH),
            ("content-type", "application/json"),
            ("x-agent", "agent-7"),
        ],
        body.map(|b| b.to_string()),
    )
    .await;
    let state = headers
        .get("veilgate-verification")
        .map_or("", |h| h.to_str().unwrap())
        .to_string();
    (status, state, text)
}

fn reply(body: &str) -> Value {
    json!({ "ticket": { "comment": { "body": body, "public": true } } })
}

fn audit_events(dir: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("audit.jsonl"))
        .unwrap()
        .lines()
        .map(json)
        .collect()
}

fn count(events: &[Value], event: &str, scope: &str) -> usize {
    events
        .iter()
        .filter(|e| e["event"] == event && e["scope"] == scope)
        .count()
}

async fn start(redis: Option<&Redis>) -> (Verifying, Desk, tempfile::TempDir) {
    let desk = Desk::start().await;
    let dir = tempfile::tempdir().unwrap();
    let keyring = verify::keyring(dir.path());
    let store = match redis {
        Some(redis) => format!("store = \"redis\"\nredis_url = \"{}\"\n", redis.url()),
        None => String::new(),
    };
    let config = verify::config(desk.addr, dir.path(), &keyring, &format!("{store}{GATE}"));
    let v = verify::start(config);
    v.set_clock(T0).await;
    (v, desk, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn account_data_opens_only_for_the_verified_conversation_and_only_while_the_grant_lives() {
    let redis = Redis::start();
    let (v, desk, dir) = start(Some(&redis)).await;
    let uri = v.enroll_and_confirm(EMILY, T0).await;
    desk.add_comment(
        4101,
        &format!("My config, in case it helps:\ngithub_token: {PASTED_TOKEN}\nReach me on +1 415 555 0132."),
    )
    .await;

    // Unverified: the customer's own data is masked, with what to do.
    let (status, state, text) = agent(&v, "GET", "/api/v2/tickets/4101/comments.json", None).await;
    assert_eq!(
        (status, state.as_str()),
        (StatusCode::OK, "unverified"),
        "{text}"
    );
    for value in [
        "Emily Carter",
        "(415) 555-0132",
        "+1 415 555 0132",
        PASTED_TOKEN,
        "d.morgan@example.net",
    ] {
        assert!(!text.contains(value), "{value} leaked: {text}");
    }
    assert!(text.contains("verify the customer: POST /_veilgate/scopes/ticket:4101/verify"));
    let (_, _, ticket) = agent(&v, "GET", "/api/v2/tickets/4101.json", None).await;
    assert!(!ticket.contains("ACC-361001"), "{ticket}");
    assert!(
        json(&ticket)["ticket"]["custom_fields"][0]["value"]
            .as_str()
            .unwrap()
            .contains("•••• 1001")
    );

    // A reply carrying the customer's data is refused; nothing goes out.
    let answer = "Hi Emily Carter, your account ACC-361001 is linked to emily.carter@example.com.";
    let writes = desk.writes().await;
    let (status, _, text) =
        agent(&v, "PUT", "/api/v2/tickets/4101.json", Some(reply(answer))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let refusal = json(&text);
    assert_eq!(refusal["error"]["code"], "verification_required");
    assert_eq!(
        refusal["verify"]["path"],
        "/_veilgate/scopes/ticket:4101/verify"
    );
    assert!(refusal["found"]["account"].as_u64().unwrap() >= 2);
    assert!(!text.contains("Emily"));
    assert_eq!(desk.writes().await, writes, "nothing reached the upstream");

    // The agent starts verification: the prompt lands in the ticket.
    let (status, _, text) = agent(&v, "POST", "/_veilgate/scopes/ticket:4101/verify", None).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let challenge = json(&text);
    assert_eq!(challenge["posted"], true, "{text}");
    let link = challenge["link"].as_str().unwrap().to_string();
    assert!(desk.comments(4101).await.iter().any(|c| c.contains(&link)));

    // The customer answers; the same read now shows their data, while
    // secrets and other people's data stay redacted.
    let (status, body) = v.answer(&link, &code(&uri, T0 + 30_000)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, state, text) = agent(&v, "GET", "/api/v2/tickets/4101/comments.json", None).await;
    assert_eq!((status, state.as_str()), (StatusCode::OK, "verified"));
    for value in ["Emily Carter", "(415) 555-0132", "+1 415 555 0132"] {
        assert!(text.contains(value), "{value} not revealed: {text}");
    }
    for value in [PASTED_TOKEN, "d.morgan@example.net", "4539 1488 0343 6467"] {
        assert!(!text.contains(value), "{value} leaked after verification");
    }
    assert!(!text.contains("verify the customer"), "no gated hints left");
    let (_, _, ticket) = agent(&v, "GET", "/api/v2/tickets/4101.json", None).await;
    assert_eq!(
        json(&ticket)["ticket"]["custom_fields"][0]["value"],
        "ACC-361001"
    );

    // The same reply goes through, unchanged.
    let (status, _, text) =
        agent(&v, "PUT", "/api/v2/tickets/4101.json", Some(reply(answer))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(desk.comments(4101).await.iter().any(|c| c == answer));

    // Another ticket stays closed throughout.
    let (_, state, text) = agent(&v, "GET", "/api/v2/tickets/4102/comments.json", None).await;
    assert_eq!(state, "unverified");
    assert!(!text.contains("Sanne Bakker"));
    let (status, _, _) = agent(
        &v,
        "PUT",
        "/api/v2/tickets/4102.json",
        Some(reply("Dag Sanne Bakker")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // After the grant's 30 minutes, both directions close again.
    v.set_clock(T0 + 31 * 60_000).await;
    let (_, state, text) = agent(&v, "GET", "/api/v2/tickets/4101/comments.json", None).await;
    assert_eq!(state, "unverified");
    assert!(!text.contains("(415) 555-0132"));
    let writes = desk.writes().await;
    let (status, _, _) = agent(&v, "PUT", "/api/v2/tickets/4101.json", Some(reply(answer))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(desk.writes().await, writes);

    // Every step is in the audit log, without the data.
    let events = audit_events(dir.path());
    for event in [
        "account_masked",
        "outbound_blocked",
        "challenge_created",
        "prompt_posted",
        "check_succeeded",
        "grant_created",
        "account_revealed",
        "outbound_allowed",
    ] {
        assert!(
            count(&events, event, "ticket:4101") >= 1,
            "no {event} in the audit log"
        );
    }
    assert!(
        count(&events, "account_masked", "ticket:4101") >= 2,
        "the closed gate after expiry"
    );
    let log = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    // The phone number's subscriber part in each form it could take (every
    // longer form holds one); a bare `555` also turns up in times and random
    // challenge ids, which are no leak.
    for value in [
        "Emily",
        "emily.carter",
        "555 0132",
        "555-0132",
        "5550132",
        "ACC-361001",
        PASTED_TOKEN,
    ] {
        assert!(!log.contains(value), "{value} in the audit log");
    }
    assert!(!v.vg.logs().contains("ACC-361001"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_grant_cannot_be_stretched_to_another_ticket_or_contact() {
    let (v, desk, _dir) = start(None).await;
    let uri = v.enroll_and_confirm(EMILY, T0).await;
    let (status, _, text) = agent(
        &v,
        "POST",
        "/_veilgate/scopes/ticket:4101/verify",
        Some(json!({ "post": false })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let link = json(&text)["link"].as_str().unwrap().to_string();
    assert_eq!(
        v.answer(&link, &code(&uri, T0 + 30_000)).await.0,
        StatusCode::OK
    );
    let (_, state, _) = agent(&v, "GET", "/api/v2/tickets/4101/comments.json", None).await;
    assert_eq!(state, "verified");

    // Ticket 4102 however its path is spelled: never opened by 4101's grant.
    let writes = desk.writes().await;
    for path in [
        "/api/v2/tickets/4102/comments.json",
        "/API/V2/TICKETS/4102/comments.json",
        "/api/v2/tickets/%34%31%30%32/comments.json",
        "/api/v2/tickets/4102/comments.json/",
        "/api/v2//tickets/./4102/comments.json",
        "/api/v2/tickets/4101/../4102/comments.json",
        "/api/v2/tickets/4101%2F..%2F4102/comments.json",
        "/api/v2/tickets/4102/comments.json?ticket=4101&scope=ticket:4101",
        "/api/v2/tickets/4102;4101/comments.json",
    ] {
        let (_, state, text) = agent(&v, "GET", path, None).await;
        assert_ne!(state, "verified", "{path}");
        assert!(!text.contains("Sanne Bakker"), "{path}: {text}");
        for method in ["PUT", "POST", "PATCH", "DELETE"] {
            let (status, _, text) = agent(
                &v,
                method,
                path,
                Some(reply("Dag Sanne Bakker, sanne.bakker@example.nl")),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {path}: {text}"
            );
        }
    }
    assert_eq!(desk.writes().await, writes, "nothing reached the upstream");

    // The contact of a ticket comes from the tool, not from the request.
    for (path, body) in [
        (
            "/_veilgate/challenges",
            json!({ "contact": "mallory@evil.example", "scope": "ticket:4102" }),
        ),
        (
            "/_veilgate/scopes/ticket:4102/verify",
            json!({ "contact": "mallory@evil.example" }),
        ),
    ] {
        let (status, _, text) = agent(&v, "POST", path, Some(body)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{path}: {text}");
        assert_eq!(json(&text)["error"]["code"], "contact_mismatch");
    }
    // An impostor who verifies themselves under a look-alike scope opens
    // nothing.
    let mallory = v.enroll_and_confirm("mallory@evil.example", T0).await;
    let mut now = T0 + 30_000;
    for (scope, expected) in [
        ("TICKET:4102", StatusCode::CREATED),
        ("ticket:4102x", StatusCode::CREATED),
        ("ticket:04102", StatusCode::CONFLICT),
    ] {
        let (status, _, text) = agent(
            &v,
            "POST",
            "/_veilgate/challenges",
            Some(json!({ "contact": "mallory@evil.example", "scope": scope })),
        )
        .await;
        assert_eq!(status, expected, "{scope}: {text}");
        if status == StatusCode::CREATED {
            let link = json(&text)["link"].as_str().unwrap().to_string();
            now += 60_000;
            v.set_clock(now).await;
            let (status, body) = v.answer(&link, &code(&mallory, now)).await;
            assert_eq!(status, StatusCode::OK, "{scope}: {body}");
        }
    }
    let (_, state, text) = agent(&v, "GET", "/api/v2/tickets/4102/comments.json", None).await;
    assert_eq!(state, "unverified");
    assert!(!text.contains("Sanne Bakker"));

    // The tool fails while veilgate asks who the contact is: closed, even
    // for the ticket that has a grant.
    desk.users_fault(503).await;
    for ticket in [4101, 4103] {
        let path = format!("/api/v2/tickets/{ticket}/comments.json");
        let (status, state, text) = agent(&v, "GET", &path, None).await;
        assert_eq!(
            (status, state.as_str()),
            (StatusCode::BAD_GATEWAY, "unresolved"),
            "{text}"
        );
        assert!(
            !text.contains("Emily") && !text.contains("Camille"),
            "{text}"
        );
        let (status, _, _) = agent(
            &v,
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            Some(reply("mail emily.carter@example.com")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _, text) = agent(
            &v,
            "POST",
            &format!("/_veilgate/scopes/ticket:{ticket}/verify"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{text}");
    }
    assert_eq!(desk.writes().await, writes);
    desk.users_fault(0).await;
    let (_, state, _) = agent(&v, "GET", "/api/v2/tickets/4101/comments.json", None).await;
    assert_eq!(
        state, "verified",
        "the gate opens again once the tool answers"
    );

    // Without the agent's credentials veilgate learns nothing either.
    let (status, headers, _) = call(
        "GET",
        &format!("http://{}/api/v2/tickets/4101/comments.json", v.agent),
        &[],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["veilgate-verification"], "unresolved");
}

/// The code of the close frame veilgate ends a chat with.
async fn close_code<S>(ws: &mut S) -> CloseCode
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        match ws.next().await {
            Some(Ok(Message::Close(frame))) => {
                return frame.expect("a close frame with a code").code;
            }
            Some(Ok(_)) => continue,
            other => panic!("expected a close, got {other:?}"),
        }
    }
}

/// A chat conversation whose contact the agent names: messages to the
/// customer carrying personal data wait for verification, and close again
/// when the grant expires mid-chat.
#[tokio::test(flavor = "multi_thread")]
async fn chat_messages_wait_for_verification_and_close_with_the_grant() {
    let (seen_tx, mut seen) = tokio::sync::mpsc::unbounded_channel();
    let upstream = common::chat::start_chat_upstream(seen_tx).await;
    let dir = tempfile::tempdir().unwrap();
    let keyring = verify::keyring(dir.path());
    let gate = "[gate]\n[[gate.scopes]]\npaths = [\"/chat/{conversation}/...\"]\nscope = \"chat:{conversation}\"\n";
    let v = verify::start(verify::config(upstream, dir.path(), &keyring, gate));
    v.set_clock(T0).await;
    let customer = "sanne.de.vries@example.nl";
    let uri = v.enroll_and_confirm(customer, T0).await;
    let message = "Your refund goes to NL91 ABNA 0417 1643 00, Sanne.";
    let url = format!("ws://{}/chat/c-77/socket", v.agent);

    // Unverified: the message is not forwarded; the chat closes with 1008.
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let _greeting = ws.next().await;
    ws.send(Message::text(message)).await.unwrap();
    assert_eq!(close_code(&mut ws).await, CloseCode::Policy);
    while let Ok(received) = seen.try_recv() {
        assert!(
            !received.to_string().contains("NL91"),
            "forwarded: {received}"
        );
    }

    // Verified for this conversation: the same message goes out unchanged.
    let challenge = v.challenge(customer, "chat:c-77").await;
    let link = challenge["link"].as_str().unwrap();
    assert_eq!(
        v.answer(link, &code(&uri, T0 + 30_000)).await.0,
        StatusCode::OK
    );
    let (mut ws, response) = tokio_tungstenite::connect_async(&url).await.unwrap();
    assert_eq!(response.headers()["veilgate-verification"], "verified");
    let _greeting = ws.next().await;
    ws.send(Message::text(message)).await.unwrap();
    let received = loop {
        match seen.recv().await {
            Some(Message::Text(text)) => break text,
            Some(_) => continue,
            None => panic!("the upstream got nothing"),
        }
    };
    assert_eq!(received.as_str(), message);

    // The grant expires while the chat is open: the next message waits again.
    v.set_clock(T0 + 31 * 60_000).await;
    ws.send(Message::text(message)).await.unwrap();
    assert_eq!(close_code(&mut ws).await, CloseCode::Policy);
    while let Ok(received) = seen.try_recv() {
        assert!(
            !received.to_string().contains("NL91"),
            "forwarded after expiry: {received}"
        );
    }
}

/// The generic JSON adapter (pointers into the tool's own answer), form
/// replies, secrets in an allowed reply, and revocation.
#[tokio::test(flavor = "multi_thread")]
async fn json_adapter_forms_secrets_and_revocation() {
    let desk = Desk::start().await;
    let dir = tempfile::tempdir().unwrap();
    let keyring = verify::keyring(dir.path());
    let gate = r#"
[gate]
[[gate.scopes]]
paths = ["/api/v2/tickets/{ticket:[0-9]+}.json", "/api/v2/tickets/{ticket:[0-9]+}/..."]
scope = "ticket:{ticket}"
contact = "json"
[gate.json]
url = "/api/v2/tickets/{ticket}.json"
identity = "/ticket/requester_id"
"#;
    let v = verify::start(verify::config(desk.addr, dir.path(), &keyring, gate));
    v.set_clock(T0).await;
    // The customer enrolled under the tool's id for them.
    let uri = v.enroll_and_confirm("361002", T0).await;

    // A form reply with the customer's e-mail waits for verification.
    let form = |text: &str| {
        format!(
            "comment%5Bbody%5D={}",
            text.replace(' ', "+").replace('@', "%40")
        )
    };
    let (status, _, text) = call(
        "POST",
        &format!("http://{}/api/v2/tickets/4102.json", v.agent),
        &[
            ("authorization", AUTH),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        Some(form("Hoi, mail sanne.bakker@example.nl")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");

    // Verification through the adapter; a named contact must match it.
    let (status, _, _) = agent(
        &v,
        "POST",
        "/_veilgate/scopes/ticket:4102/verify",
        Some(json!({ "contact": "361001" })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, text) = agent(&v, "POST", "/_veilgate/scopes/ticket:4102/verify", None).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    assert!(
        json(&text).get("posted").is_none(),
        "only Zendesk posts prompts"
    );
    let link = json(&text)["link"].as_str().unwrap().to_string();
    assert_eq!(
        v.answer(&link, &code(&uri, T0 + 30_000)).await.0,
        StatusCode::OK
    );
    let (_, state, _) = agent(&v, "GET", "/api/v2/tickets/4102/comments.json", None).await;
    assert_eq!(state, "verified");

    // Verified: personal data goes out, a secret in the same reply never.
    let answer = format!("Mail sanne.bakker@example.nl; the key was {PASTED_TOKEN}");
    let (status, _, text) =
        agent(&v, "PUT", "/api/v2/tickets/4102.json", Some(reply(&answer))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let sent = desk.comments(4102).await.pop().unwrap();
    assert!(
        sent.starts_with("Mail sanne.bakker@example.nl; the key was "),
        "{sent}"
    );
    assert!(!sent.contains(PASTED_TOKEN), "{sent}");

    // Revoked: closed on the next request.
    let (status, _, _) = agent(&v, "DELETE", "/_veilgate/grants/ticket:4102", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, state, _) = agent(&v, "GET", "/api/v2/tickets/4102/comments.json", None).await;
    assert_eq!(state, "unverified");
    let (status, _, _) = agent(
        &v,
        "PUT",
        "/api/v2/tickets/4102.json",
        Some(reply("Mail sanne.bakker@example.nl")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A policy that blocks account data for the agent refuses the whole
/// response until the customer verifies, and says how to verify.
#[tokio::test(flavor = "multi_thread")]
async fn a_blocking_agent_policy_refuses_the_response_whole() {
    let desk = Desk::start().await;
    let dir = tempfile::tempdir().unwrap();
    let keyring = verify::keyring(dir.path());
    let gate = format!(
        "{GATE}[gate.policy.agent]\nsecret = {{ unverified = \"redact\", verified = \"redact\" }}\n\
         pii = {{ unverified = \"redact\", verified = \"redact\" }}\n\
         account = {{ unverified = \"block\", verified = \"reveal\" }}\n"
    );
    let v = verify::start(verify::config(desk.addr, dir.path(), &keyring, &gate));
    let (status, state, text) = agent(&v, "GET", "/api/v2/tickets/4101/comments.json", None).await;
    assert_eq!(
        (status, state.as_str()),
        (StatusCode::FORBIDDEN, "unverified"),
        "{text}"
    );
    assert_eq!(json(&text)["error"]["code"], "verification_required");
    assert!(
        text.contains("/_veilgate/scopes/ticket:4101/verify"),
        "{text}"
    );
    assert!(!text.contains("Emily"));
    let (status, _, text) = agent(&v, "GET", "/_veilgate/scopes/ticket:4101", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&text)["verified"], false, "{text}");
}
