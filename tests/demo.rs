//! `veilgate demo` end to end: the bundled Zendesk-shaped helpdesk serves its
//! fake customer data (tickets, comments with `body`/`html_body`/
//! `plain_body`, users, search, attachments, a chat transcript, HTML pages)
//! and veilgate in front of it. Every page is fetched both ways: through
//! veilgate no seeded value may arrive in any form, and everything that
//! holds no seeded value must arrive unchanged.

mod common;

use http::{StatusCode, header};
use serde_json::Value;
use veilgate::demo::helpdesk::Seed;

use common::{Veilgate, get, start_demo};

/// Every page the helpdesk serves for the bundled data.
fn pages(seed: &Seed) -> Vec<String> {
    let mut pages = vec![
        "/".to_string(),
        "/api/v2/tickets.json".into(),
        "/api/v2/users.json".into(),
        "/api/v2/search.json?query=error".into(),
        "/api/v2/chat/transcript.txt".into(),
    ];
    for t in &seed.tickets {
        pages.push(format!("/tickets/{}", t.id));
        pages.push(format!("/api/v2/tickets/{}.json", t.id));
        pages.push(format!("/api/v2/tickets/{}/comments.json", t.id));
        for a in t.comments.iter().flat_map(|c| &c.attachments) {
            pages.push(format!("/attachments/{}/{}", a.id, a.file_name));
        }
    }
    for u in &seed.users {
        pages.push(format!("/api/v2/users/{}.json", u.id));
    }
    pages
}

/// The forms a value can take in a page: as written, HTML- or
/// JSON-escaped, and with separators dropped.
fn forms(value: &str) -> Vec<String> {
    let mut forms = vec![
        value.to_string(),
        html_escape::encode_text(value).into_owned(),
        serde_json::to_string(value)
            .unwrap()
            .trim_matches('"')
            .to_string(),
    ];
    let compact: String = value.chars().filter(|c| c.is_alphanumeric()).collect();
    if compact.len() >= 8 {
        forms.push(compact);
    }
    forms
}

fn leaked<'a>(seed: &'a Seed, text: &str) -> Vec<&'a str> {
    seed.seeded
        .iter()
        .filter(|v| forms(v).iter().any(|f| text.contains(f.as_str())))
        .map(String::as_str)
        .collect()
}

fn holds_seeded(seed: &Seed, text: &str) -> bool {
    seed.seeded.iter().any(|v| text.contains(v.as_str()))
}

/// Walks the helpdesk's JSON and veilgate's side by side: same shape, same
/// numbers, and strings that held no seeded value are unchanged.
fn compare_json(seed: &Seed, path: &str, direct: &Value, proxied: &Value, at: &str) {
    match (direct, proxied) {
        (Value::Object(d), Value::Object(p)) => {
            assert_eq!(
                d.keys().collect::<Vec<_>>(),
                p.keys().collect::<Vec<_>>(),
                "{path} {at}"
            );
            for (k, dv) in d {
                compare_json(seed, path, dv, &p[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(d), Value::Array(p)) => {
            assert_eq!(d.len(), p.len(), "{path} {at}");
            for (i, (dv, pv)) in d.iter().zip(p).enumerate() {
                compare_json(seed, path, dv, pv, &format!("{at}[{i}]"));
            }
        }
        (Value::String(d), Value::String(p)) => {
            if holds_seeded(seed, d) {
                assert_ne!(d, p, "{path} {at}: not redacted");
            } else {
                assert_eq!(d, p, "{path} {at}: changed without a seeded value");
            }
        }
        (d, p) => assert_eq!(d, p, "{path} {at}"),
    }
}

/// Text and HTML line by line: every line that held no seeded value
/// arrives unchanged and in order (a redacted address may take two lines
/// into one placeholder, so lines are matched as a subsequence).
fn compare_lines(seed: &Seed, path: &str, direct: &str, proxied: &str) {
    let mut proxied_lines = proxied.lines();
    for line in direct.lines() {
        let decoded = html_escape::decode_html_entities(line);
        // A line of a multi-line value (a PEM block) counts as sensitive.
        let part_of_seeded = seed.seeded.iter().any(|v| {
            v.contains('\n')
                && v.lines()
                    .any(|l| !l.trim().is_empty() && decoded.contains(l.trim()))
        });
        if holds_seeded(seed, &decoded) || part_of_seeded {
            continue;
        }
        assert!(
            proxied_lines.any(|p| p == line),
            "{path}: a line without seeded values changed or went missing: {line:?}"
        );
    }
}

async fn fetch(addr: &str, path: &str) -> (http::HeaderMap, String) {
    let (status, headers, body) = get(addr, path, "GET").await;
    assert_eq!(status, StatusCode::OK, "{path}");
    (headers, String::from_utf8(body.unwrap().to_vec()).unwrap())
}

fn helpdesk(vg: &Veilgate) -> &str {
    vg.upstream.trim_start_matches("http://")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_the_demo_helpdesk_arrives_redacted_and_otherwise_unchanged() {
    let seed = Seed::bundled();
    assert!(seed.seeded.len() >= 50 && seed.tickets.len() >= 6);
    let vg = start_demo();
    let mut checked = 0;
    for path in pages(&seed) {
        let (_, direct) = fetch(helpdesk(&vg), &path).await;
        let (headers, proxied) = fetch(&vg.addr, &path).await;
        assert_eq!(leaked(&seed, &proxied), Vec::<&str>::new(), "{path}");
        assert!(headers.contains_key("veilgate-findings"), "{path}");
        for kept in seed.kept.iter().filter(|k| direct.contains(k.as_str())) {
            assert!(proxied.contains(kept.as_str()), "{path}: {kept} was lost");
        }
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.to_str().unwrap().starts_with("application/json"));
        if is_json {
            let d: Value = serde_json::from_str(&direct).unwrap();
            let p: Value = serde_json::from_str(&proxied).expect("still JSON");
            compare_json(&seed, &path, &d, &p, "");
        } else {
            compare_lines(&seed, &path, &direct, &proxied);
        }
        checked += 1;
    }
    // Every seeded value is somewhere in what the helpdesk serves.
    let mut everything = String::new();
    for path in pages(&seed) {
        let (_, direct) = fetch(helpdesk(&vg), &path).await;
        everything.push_str(&html_escape::decode_html_entities(&direct));
        if let Ok(json) = serde_json::from_str::<Value>(&direct) {
            everything.push_str(&json_strings(&json));
        }
    }
    let missing: Vec<_> = seed
        .seeded
        .iter()
        .filter(|v| !everything.contains(v.as_str()))
        .collect();
    assert!(missing.is_empty(), "seeded but never served: {missing:?}");
    assert!(checked > 30, "{checked}");
}

fn json_strings(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s}\n"),
        Value::Array(items) => items.iter().map(json_strings).collect(),
        Value::Object(members) => members.values().map(json_strings).collect(),
        _ => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn range_and_conditional_requests_never_bypass_redaction() {
    let seed = Seed::bundled();
    let vg = start_demo();
    let attachment = seed
        .tickets
        .iter()
        .flat_map(|t| &t.comments)
        .flat_map(|c| &c.attachments)
        .find(|a| holds_seeded(&seed, &a.content))
        .unwrap();
    let path = format!("/attachments/{}/{}", attachment.id, attachment.file_name);

    // The helpdesk honours Range; through veilgate the range is not
    // forwarded and the whole attachment arrives redacted.
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<bytes::Bytes>>();
    let ranged = |addr: String| {
        let request = http::Request::get(format!("http://{addr}{path}"))
            .header(header::RANGE, "bytes=0-99")
            .body(http_body_util::Full::new(bytes::Bytes::new()))
            .unwrap();
        client.request(request)
    };
    let direct = ranged(helpdesk(&vg).to_string()).await.unwrap();
    assert_eq!(direct.status(), StatusCode::PARTIAL_CONTENT);
    let proxied = ranged(vg.addr.clone()).await.unwrap();
    assert_eq!(proxied.status(), StatusCode::OK);
    assert_eq!(proxied.headers()[header::ACCEPT_RANGES], "none");
    let body = http_body_util::BodyExt::collect(proxied.into_body())
        .await
        .unwrap()
        .to_bytes();
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.len() > 100);
    assert_eq!(leaked(&seed, &text), Vec::<&str>::new());

    // The ETag veilgate hands out is weak; revalidating with it gets a 304
    // without a body, and the strong tag never reaches the agent.
    let (headers, _) = fetch(&vg.addr, "/api/v2/users.json").await;
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    let request = http::Request::get(format!("http://{}/api/v2/users.json", vg.addr))
        .header(header::IF_NONE_MATCH, &etag)
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .unwrap();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(body.is_empty());
}

#[test]
fn the_demo_prints_where_to_look() {
    let mut vg = start_demo();
    let banner: String = (0..3).map(|_| vg.next_line()).collect();
    assert!(banner.contains("helpdesk, unredacted:"), "{banner}");
    assert!(
        banner.contains(&format!("through veilgate:      http://{}/", vg.addr)),
        "{banner}"
    );
}
