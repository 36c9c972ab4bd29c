//! End to end through the real binary: a Zendesk-shaped test upstream on
//! loopback serves seeded personal data in several content types and
//! encodings; `veilgate serve` sits in front; the tests assert that no
//! seeded value reaches the client and the rest arrives unchanged.

mod common;

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::AsyncReadExt;

use common::{get, start_logged, start_veilgate};

/// Personal data and secrets the upstream plants; none may come through.
const SEEDED: &[&str] = &[
    "jane.doe@example.com",
    "+44 20 7946 0958",
    "4242 4242 4242 4242",
    "NL91ABNA0417164300",
    "ghp_R8nT3kLm2QwXy7VbZ4pJ9sHd6FgA1cE5uK0o",
    // A password only its key (`Pwd=`) gives away.
    "Xk9.vQ2mZr7TbW4p",
];

fn ticket_json() -> String {
    serde_json::json!({
        "ticket": {
            "id": 35436,
            "subject": "Checkout fails",
            "status": "open",
            "description": format!(
                "Hi, I am {} and my card {} fails. IBAN {}. Call {}. Token in log: {}",
                SEEDED[0], SEEDED[2], SEEDED[3], SEEDED[1], SEEDED[4]
            ),
            "created_at": "2024-03-12T10:22:01Z",
        }
    })
    .to_string()
}

/// A log of about `bytes`, each line holding an e-mail, an order number and
/// a password under its key, on lines of varying length so that the
/// stream's cuts fall in and around the values.
fn big_log(bytes: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "2024-03-12T10:22:{:02}Z INFO order=ORD-{i:06} customer={} status=paid{} db=\"Server=db01;Uid=app;Pwd={};\"\n",
            i % 60,
            SEEDED[0],
            " ".repeat(i % 7),
            SEEDED[5]
        ));
        i += 1;
    }
    out
}

async fn compress(coding: &str, data: &[u8]) -> Vec<u8> {
    use async_compression::tokio::bufread::{BrotliEncoder, GzipEncoder, ZstdEncoder};
    let mut out = Vec::new();
    match coding {
        "gzip" => GzipEncoder::new(data).read_to_end(&mut out).await,
        "br" => BrotliEncoder::new(data).read_to_end(&mut out).await,
        "zstd" => ZstdEncoder::new(data).read_to_end(&mut out).await,
        _ => unreachable!(),
    }
    .unwrap();
    out
}

type TestBody = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

fn full(bytes: impl Into<Bytes>) -> TestBody {
    Full::new(bytes.into()).map_err(|e| match e {}).boxed()
}

async fn upstream_handler(request: Request<Incoming>) -> Result<Response<TestBody>, hyper::Error> {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let builder = Response::builder();
    let response = match path.as_str() {
        "/api/v2/tickets/35436.json" => {
            let json = ticket_json();
            let builder = builder
                .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
                .header(header::ETAG, "\"abc\"");
            match query.strip_prefix("enc=") {
                Some(coding) => builder
                    .header(header::CONTENT_ENCODING, coding)
                    .body(full(compress(coding, json.as_bytes()).await)),
                None => builder.body(full(json)),
            }
        }
        "/echo-headers" => {
            let seen: serde_json::Map<String, serde_json::Value> = request
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").into()))
                .collect();
            builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(full(serde_json::Value::Object(seen).to_string()))
        }
        "/attachments/app.log" => {
            // Chunked, in pieces that cut lines (and values) anywhere.
            let log = Bytes::from(big_log(3 << 20));
            let pieces: Vec<Result<Frame<Bytes>, std::io::Error>> = log
                .chunks(7919)
                .map(|c| Ok(Frame::data(Bytes::copy_from_slice(c))))
                .collect();
            builder
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(StreamBody::new(futures_util::stream::iter(pieces)).boxed())
        }
        "/trailers" => {
            // A chunked log whose trailers carry a value and a digest.
            let mut trailers = http::HeaderMap::new();
            trailers.insert(
                "x-note",
                format!("escalated by {}", SEEDED[0]).parse().unwrap(),
            );
            trailers.insert("content-digest", "sha-256=:AAAA:".parse().unwrap());
            let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
                Ok(Frame::data(Bytes::from(format!(
                    "ERROR login failed for {}\n",
                    SEEDED[0]
                )))),
                Ok(Frame::trailers(trailers)),
            ];
            builder
                .header(header::CONTENT_TYPE, "text/plain")
                .header(header::TRAILER, "x-note, content-digest")
                .body(StreamBody::new(futures_util::stream::iter(frames)).boxed())
        }
        // Attachments of a generic type whose bytes say what they are.
        "/attachments/session.har" => builder
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(full(har())),
        "/attachments/export.json" => builder
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(full(har())),
        "/attachments/big.har" => builder
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(full(big_har())),
        "/attachments/page.html" => builder
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(full(
                "<!DOCTYPE html><p>Mail jane.doe&#64;example&#46;com today</p>",
            )),
        "/logo.png" => builder
            .header(header::CONTENT_TYPE, "image/png")
            .body(full(png_bytes())),
        "/compress" => builder
            .header(header::CONTENT_TYPE, "text/plain")
            .header(header::CONTENT_ENCODING, "compress")
            .body(full(format!("mail {}", SEEDED[0]))),
        "/redirect" => builder
            .status(StatusCode::FOUND)
            .header(
                header::LOCATION,
                format!("/users/search?query={}", SEEDED[0]),
            )
            .body(full("")),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            builder.body(full("late"))
        }
        "/cut" => {
            // Half a body, then the connection breaks.
            let frames = futures_util::stream::iter(vec![
                Ok(Frame::data(Bytes::from(format!(
                    "first line {}\n",
                    SEEDED[0]
                )))),
                Err(std::io::Error::other("reset")),
            ]);
            builder
                .header(header::CONTENT_TYPE, "text/plain")
                .header(header::CONTENT_LENGTH, "100000")
                .body(StreamBody::new(frames).boxed())
        }
        _ => builder.status(StatusCode::NOT_FOUND).body(full("")),
    };
    Ok(response.unwrap())
}

/// A HAR as browsers save it: the values are named by a sibling.
fn har() -> String {
    format!(
        r#"{{"log":{{"entries":[{{"request":{{"url":"https://app.example.com/login","postData":{{"params":[{{"name":"email","value":"{}"}},{{"name":"Pwd","value":"{}"}}]}},"cookies":[{{"name":"sid","value":"s%3AkP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0.Xy7Qw"}}]}}}}]}}}}"#,
        SEEDED[0], SEEDED[5]
    )
}

/// A HAR over `limits.whole_text_below` (1 MiB): buffered as JSON all the
/// same, up to `limits.max_buffered_body`.
fn big_har() -> String {
    let entry = format!(
        r#"{{"request":{{"url":"https://app.example.com/api/orders","postData":{{"params":[{{"name":"Pwd","value":"{}"}}]}}}}}}"#,
        SEEDED[5]
    );
    let entries = vec![entry; (2 << 20) / 120];
    format!(r#"{{"log":{{"entries":[{}]}}}}"#, entries.join(","))
}

fn png_bytes() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
    png
}

async fn start_upstream() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tcp), service_fn(upstream_handler))
                    .await;
            });
        }
    });
    addr
}

fn assert_no_seeded_value(text: &str) {
    for value in SEEDED {
        assert!(!text.contains(value), "{value} leaked");
        let digits: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
        assert!(!text.contains(&digits), "{value} leaked compacted");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_is_redacted_in_every_encoding() {
    let upstream = start_upstream().await;
    let vg = start_veilgate(upstream, "");
    for query in ["", "?enc=gzip", "?enc=br", "?enc=zstd"] {
        let (status, headers, body) = get(
            &vg.addr,
            &format!("/api/v2/tickets/35436.json{query}"),
            "GET",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let text = String::from_utf8(body.unwrap().to_vec()).unwrap();
        assert_no_seeded_value(&text);
        let json: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(json["ticket"]["subject"], "Checkout fails");
        assert_eq!(json["ticket"]["created_at"], "2024-03-12T10:22:01Z");
        assert!(headers.get(header::CONTENT_ENCODING).is_none(), "{query}");
        assert_eq!(headers[header::ETAG], "W/\"abc\"");
        assert_eq!(headers[header::ACCEPT_RANGES], "none");
        let counts = headers["veilgate-findings"].to_str().unwrap();
        assert!(counts.contains("secret=1"), "{counts}");
        assert!(!counts.contains("pii=0"), "{counts}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_text_attachment_streams_redacted() {
    let upstream = start_upstream().await;
    let vg = start_veilgate(upstream, "");
    let (status, _, body) = get(&vg.addr, "/attachments/app.log", "GET").await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(body.unwrap().to_vec()).unwrap();
    assert_no_seeded_value(&text);
    let expected = big_log(3 << 20)
        .replace(SEEDED[0], "[email]")
        .replace(SEEDED[5], "[password]");
    assert_eq!(text.len(), expected.len());
    assert!(text == expected, "non-sensitive content changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_har_or_a_page_of_a_generic_type_is_read_as_what_it_is() {
    // As text, the HAR's `{"name": "Pwd", "value": …}` kept its password
    // and the page its entity-encoded address.
    let upstream = start_upstream().await;
    let vg = start_veilgate(upstream, "");
    for path in ["/attachments/session.har", "/attachments/export.json"] {
        let (status, _, body) = get(&vg.addr, path, "GET").await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let text = String::from_utf8(body.unwrap().to_vec()).unwrap();
        assert_no_seeded_value(&text);
        assert!(!text.contains("kP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0"), "{text}");
        let expected = har()
            .replace(SEEDED[0], "[email]")
            .replace(SEEDED[5], "[password]")
            .replace("s%3AkP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0.Xy7Qw", "[cookie]");
        assert_eq!(text, expected, "{path}");
    }
    let (status, _, body) = get(&vg.addr, "/attachments/big.har", "GET").await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(body.unwrap().to_vec()).unwrap();
    assert!(text.len() > 1 << 20, "{}", text.len());
    assert!(
        text == big_har().replace(SEEDED[5], "[password]"),
        "big HAR"
    );
    let (status, _, body) = get(&vg.addr, "/attachments/page.html", "GET").await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(body.unwrap().to_vec()).unwrap();
    assert_eq!(text, "<!DOCTYPE html><p>Mail [email] today</p>");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_passes_byte_for_byte_and_headers_are_redacted() {
    let upstream = start_upstream().await;
    let vg = start_veilgate(upstream, "");
    let (status, _, body) = get(&vg.addr, "/logo.png", "GET").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.unwrap().to_vec(), png_bytes());

    let (status, headers, _) = get(&vg.addr, "/redirect", "GET").await;
    assert_eq!(status, StatusCode::FOUND);
    let location = headers[header::LOCATION].to_str().unwrap();
    assert!(location.starts_with("/users/search?query="), "{location}");
    assert_no_seeded_value(location);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_json_errors_never_raw_data() {
    let upstream = start_upstream().await;
    let vg = start_veilgate(upstream, "");
    let (status, _, body) = get(&vg.addr, "/compress", "GET").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let body = String::from_utf8(body.unwrap().to_vec()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"]["code"], "unsupported_encoding");
    assert_no_seeded_value(&body);

    let (status, _, body) = get(&vg.addr, "/slow", "GET").await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    let json: serde_json::Value = serde_json::from_slice(&body.unwrap()).unwrap();
    assert_eq!(json["error"]["code"], "upstream_timeout");

    let (status, _, body) = get(&vg.addr, "/cut", "GET").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let body = String::from_utf8(body.unwrap().to_vec()).unwrap();
    assert_no_seeded_value(&body);

    // Nothing listens there: a clean 502.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let vg_dead = start_veilgate(dead, "");
    let (status, _, _) = get(&vg_dead.addr, "/", "GET").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_forwarded_only_to_the_upstream() {
    let upstream = start_upstream().await;
    let vg = start_veilgate(upstream, "");
    // Absolute-form target: refused, not fetched.
    let mut tcp = std::net::TcpStream::connect(&vg.addr).unwrap();
    tcp.write_all(b"GET http://169.254.169.254/latest/meta-data HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    tcp.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    assert!(reply.contains("absolute_target_refused"), "{reply}");

    // A foreign Host is not followed; the upstream sees its own name and
    // the forwarding headers; Range is not forwarded.
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = Request::builder()
        .uri(format!("http://{}/echo-headers", vg.addr))
        .header(header::HOST, "evil.example")
        .header(header::RANGE, "bytes=0-10")
        .header(header::CONNECTION, "x-hop")
        .header("x-hop", "1")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = client.request(request).await.unwrap();
    let seen: serde_json::Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(seen["host"], upstream.to_string());
    assert_eq!(seen["x-forwarded-host"], "evil.example");
    assert_eq!(seen["x-forwarded-for"], "127.0.0.1");
    assert_eq!(seen["x-forwarded-proto"], "http");
    assert!(seen.get("range").is_none(), "{seen}");
    assert!(seen.get("x-hop").is_none(), "{seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_has_no_body_and_blocked_types_are_refused() {
    let upstream = start_upstream().await;
    let vg = start_veilgate(
        upstream,
        "[[policy.routes]]\ncontent_type = \"image/\"\naction = \"block\"\n",
    );
    let (status, headers, body) = get(&vg.addr, "/api/v2/tickets/35436.json", "HEAD").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.unwrap().is_empty());
    assert!(headers.get(header::CONTENT_LENGTH).is_none_or(|v| v == "0"));
    let (status, _, body) = get(&vg.addr, "/logo.png", "GET").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let json: serde_json::Value = serde_json::from_slice(&body.unwrap()).unwrap();
    assert_eq!(json["error"]["code"], "blocked_by_policy");
}

#[test]
fn config_check_names_the_wrong_key() {
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(
        config,
        "[upstream]\nurl = \"http://127.0.0.1:1\"\nconnect_timeout = \"forever\"\n"
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_veilgate"))
        .args(["config", "check"])
        .arg(config.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("upstream.connect_timeout"), "{err}");
}

#[test]
fn shipped_example_configs_are_valid() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/config");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let out = Command::new(env!("CARGO_BIN_EXE_veilgate"))
            .args(["config", "check"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        checked += 1;
    }
    assert!(checked >= 4);
}

/// GET with `TE: trailers`; returns the headers, body and trailers.
async fn get_with_trailers(addr: &str, path: &str) -> (http::HeaderMap, String, http::HeaderMap) {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = Request::get(format!("http://{addr}{path}"))
        .header(header::TE, "trailers")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = client.request(request).await.unwrap();
    let headers = response.headers().clone();
    let collected = response.into_body().collect().await.unwrap();
    let trailers = collected.trailers().cloned().unwrap_or_default();
    let body = String::from_utf8(collected.to_bytes().to_vec()).unwrap();
    (headers, body, trailers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_trailers_pass_redacted_and_streamed_counts_arrive_as_trailers() {
    let upstream = start_upstream().await;
    let vg = start_veilgate(upstream, "");
    let (headers, body, trailers) = get_with_trailers(&vg.addr, "/trailers").await;
    assert_eq!(body, "ERROR login failed for [email]\n");
    assert_eq!(trailers["x-note"], "escalated by [email]");
    // A digest of the upstream's bytes does not describe the redacted body.
    assert!(trailers.get("content-digest").is_none(), "{trailers:?}");
    let counts = headers["veilgate-findings"].to_str().unwrap();
    assert!(counts.contains("pii=2"), "{counts}");

    let (headers, body, trailers) = get_with_trailers(&vg.addr, "/attachments/app.log").await;
    assert!(headers.get("veilgate-findings").is_none());
    assert_no_seeded_value(&body);
    let counts = trailers["veilgate-findings"].to_str().unwrap();
    // One password and one e-mail address on every line of the log.
    let lines = big_log(3 << 20).lines().count();
    assert_eq!(
        counts,
        format!("secret={lines}, pii={lines}, account=0"),
        "{counts}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_never_hold_a_body_or_a_value_even_at_trace_level() {
    let upstream = start_upstream().await;
    let vg = start_logged(upstream, "trace");
    let paths = [
        "/api/v2/tickets/35436.json?enc=gzip".to_string(),
        "/attachments/app.log".to_string(),
        "/trailers".to_string(),
        "/redirect".to_string(),
        "/cut".to_string(),
        "/compress".to_string(),
        // Values in the path and query of the request itself.
        format!("/users/{}/tickets.json", SEEDED[0]),
        format!(
            "/search?q={}&card={}",
            SEEDED[0].replace('@', "%40"),
            SEEDED[2].replace(' ', "+")
        ),
    ];
    for path in &paths {
        let _ = get(&vg.addr, path, "GET").await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let logs = vg.logs();
    assert!(logs.contains("request"), "nothing was logged: {logs}");
    assert_no_seeded_value(&logs);
    for fragment in [
        "jane.doe",
        "jane.doe%40",
        "4242+4242",
        "Checkout fails",
        "customer=",
    ] {
        assert!(!logs.contains(fragment), "{fragment} in the logs");
    }
}
