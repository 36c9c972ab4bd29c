//! Every text-bearing content type through the real binary: NDJSON, CSV,
//! XML, form bodies, problem+json and server-sent events each carry seeded
//! values (as written, entity- or percent-encoded); none may arrive, and the
//! rest must. Events must arrive as they are sent, not when the stream ends.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, header};
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::sync::Notify;

use common::{get, start_veilgate};

const EMAIL: &str = "jane.doe@example.com";
const CARD: &str = "4242 4242 4242 4242";
const IBAN: &str = "NL91ABNA0417164300";

type Body = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

fn full(text: String) -> Body {
    Full::new(Bytes::from(text)).map_err(|e| match e {}).boxed()
}

/// (path, content type, body)
fn documents() -> Vec<(&'static str, &'static str, String)> {
    vec![
        (
            "/export.ndjson",
            "application/x-ndjson",
            format!(
                "{{\"id\":1,\"email\":\"{EMAIL}\",\"order\":\"ORD-1\"}}\n{{\"id\":2,\"note\":\"card {CARD}\",\"order\":\"ORD-2\"}}\n"
            ),
        ),
        (
            "/export.csv",
            "text/csv; charset=utf-8",
            format!("id,email,iban,order\n1,{EMAIL},{IBAN},ORD-1\n"),
        ),
        (
            "/ticket.xml",
            "application/xml",
            "<ticket id=\"7\"><requester>jane.doe&#64;example.com</requester><order>ORD-7</order></ticket>\n"
                .to_string(),
        ),
        (
            "/form",
            "application/x-www-form-urlencoded",
            "email=jane.doe%40example.com&card=4242+4242+4242+4242&order=ORD-9".to_string(),
        ),
        (
            "/problem",
            "application/problem+json",
            format!("{{\"title\":\"Payment failed\",\"detail\":\"IBAN {IBAN} rejected\",\"status\":402}}"),
        ),
    ]
}

async fn handler(
    request: Request<Incoming>,
    second_event: Arc<Notify>,
) -> Result<Response<Body>, hyper::Error> {
    let path = request.uri().path();
    if path == "/events" {
        // The second event is only sent once the test has seen the first.
        let first = Bytes::from(format!("event: message\ndata: from {EMAIL}\n\n"));
        let frames = futures_util::stream::unfold(0, move |step| {
            let second_event = Arc::clone(&second_event);
            let first = first.clone();
            async move {
                match step {
                    0 => Some((Ok(Frame::data(first)), 1)),
                    1 => {
                        second_event.notified().await;
                        let second = format!("event: message\ndata: card {CARD}\n\n");
                        Some((Ok(Frame::data(Bytes::from(second))), 2))
                    }
                    _ => None,
                }
            }
        });
        return Ok(Response::builder()
            .header(header::CONTENT_TYPE, "text/event-stream")
            .body(StreamBody::new(frames).boxed())
            .unwrap());
    }
    let (_, content_type, body) = documents()
        .into_iter()
        .find(|(p, _, _)| *p == path)
        .expect("a known path");
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(full(body))
        .unwrap())
}

async fn start_upstream(second_event: Arc<Notify>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let notify = Arc::clone(&second_event);
            tokio::spawn(async move {
                let service = service_fn(move |r| handler(r, Arc::clone(&notify)));
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tcp), service)
                    .await;
            });
        }
    });
    addr
}

fn assert_clean(path: &str, text: &str) {
    for value in [EMAIL, CARD, IBAN] {
        let compact: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
        for form in [
            value.to_string(),
            compact,
            value.replace('@', "%40"),
            value.replace('@', "&#64;"),
            value.replace(' ', "+"),
        ] {
            assert!(!text.contains(&form), "{path}: {form} arrived in {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_text_type_is_redacted_and_keeps_the_rest() {
    let upstream = start_upstream(Arc::new(Notify::new())).await;
    let vg = start_veilgate(upstream, "");
    for (path, _, original) in documents() {
        let (status, headers, body) = get(&vg.addr, path, "GET").await;
        assert_eq!(status, http::StatusCode::OK, "{path}");
        let text = String::from_utf8(body.unwrap().to_vec()).unwrap();
        assert_clean(path, &text);
        assert!(headers.contains_key("veilgate-findings"), "{path}");
        assert_ne!(text, original, "{path}");
        match path {
            "/export.ndjson" => {
                for line in text.lines() {
                    let v: serde_json::Value = serde_json::from_str(line).expect("each line JSON");
                    assert!(v["order"].as_str().unwrap().starts_with("ORD-"));
                }
            }
            "/export.csv" => {
                assert!(text.starts_with("id,email,iban,order\n1,"), "{text}");
                assert!(text.ends_with(",ORD-1\n"), "{text}");
            }
            "/ticket.xml" => {
                assert!(text.starts_with("<ticket id=\"7\"><requester>"), "{text}");
                assert!(
                    text.ends_with("</requester><order>ORD-7</order></ticket>\n"),
                    "{text}"
                );
            }
            "/form" => assert!(
                text.starts_with("email=") && text.ends_with("&order=ORD-9"),
                "{text}"
            ),
            "/problem" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["title"], "Payment failed");
                assert_eq!(v["status"], 402);
            }
            _ => unreachable!(),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_sent_events_arrive_redacted_as_they_are_sent() {
    let second_event = Arc::new(Notify::new());
    let upstream = start_upstream(Arc::clone(&second_event)).await;
    let vg = start_veilgate(upstream, "");
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let response = client
        .request(
            Request::get(format!("http://{}/events", vg.addr))
                .body(Full::new(Bytes::new()))
                .unwrap(),
        )
        .await
        .unwrap();
    let mut body = response.into_body();
    let mut seen = String::new();
    // The first event must arrive while the upstream still holds the second:
    // a proxy that waited for the end would never deliver it.
    while !seen.contains("\n\n") {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("the first event arrives before the stream ends")
            .unwrap()
            .unwrap();
        if let Ok(data) = frame.into_data() {
            seen.push_str(std::str::from_utf8(&data).unwrap());
        }
    }
    assert_eq!(seen, "event: message\ndata: from [email]\n\n");
    second_event.notify_one();
    let rest = body.collect().await.unwrap().to_bytes();
    let rest = String::from_utf8(rest.to_vec()).unwrap();
    assert!(rest.starts_with("event: message\ndata: card "), "{rest}");
    assert_clean("/events", &rest);
}
