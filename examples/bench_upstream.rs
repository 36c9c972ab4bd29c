//! The upstream of `scripts/bench-proxy.sh`: serves ticket JSON of about
//! 2 KB (`…/2k.json`) and 64 KB (`…/64k.json`) built from the demo
//! helpdesk's comments, under any path prefix, as fast as it can; and
//! a 5 ms pause first under `…/slow/…`;
//! `…/big.log?mib=N`, N MiB of the demo's log attachments streamed as
//! `text/plain` (for `scripts/bench-proxy-memory.sh`).
//!
//! `cargo run --release --example bench_upstream -- 127.0.0.1:9001`

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http::{Response, header};
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::json;
use veilgate::demo::helpdesk::Seed;

/// A ticket whose description is the comments' text, cut to `size` bytes.
fn ticket_of_size(seed: &Seed, size: usize) -> String {
    let text: String = seed
        .tickets
        .iter()
        .flat_map(|t| &t.comments)
        .map(|c| c.body.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut cut = size.min(text.len());
    loop {
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let body = json!({ "ticket": {
            "id": 4101, "subject": "Checkout fails since this morning", "status": "open",
            "requester_id": 361001, "created_at": "2024-03-12T10:22:01Z",
            "description": &text[..cut],
        }})
        .to_string();
        if body.len() <= size || cut == 0 {
            return body;
        }
        cut -= body.len() - size;
    }
}

/// A comments page of at least `size` bytes, the seed's comments repeated.
fn comments_of_size(seed: &Seed, size: usize) -> String {
    let all: Vec<_> = seed.tickets.iter().flat_map(|t| &t.comments).collect();
    let (mut comments, mut total) = (Vec::new(), 0);
    for (i, c) in all.iter().cycle().enumerate() {
        if total >= size || all.is_empty() {
            break;
        }
        let comment = json!({
            "id": 90000 + i, "type": "Comment", "author_id": c.author_id,
            "body": c.body, "public": c.public, "created_at": c.created_at,
        });
        total += comment.to_string().len() + 1;
        comments.push(comment);
    }
    json!({ "comments": comments, "count": comments.len(), "next_page": null }).to_string()
}

/// The demo's attachments and comments as one block of log-like text.
fn log_block(seed: &Seed) -> Bytes {
    let mut text = String::new();
    for comment in seed.tickets.iter().flat_map(|t| &t.comments) {
        text.push_str(&comment.body);
        text.push('\n');
        for attachment in &comment.attachments {
            text.push_str(&attachment.content);
            text.push('\n');
        }
    }
    Bytes::from(text)
}

/// `mib` MiB of `block` repeated, in chunks as they would come off a socket.
fn streamed_log(block: Bytes, mib: usize) -> BenchBody {
    let total = mib << 20;
    let chunks = futures_util::stream::unfold(0usize, move |sent| {
        let block = block.clone();
        async move {
            if sent >= total || block.is_empty() {
                return None;
            }
            let n = block.len().min(total - sent);
            Some((Ok::<_, Infallible>(Frame::data(block.slice(..n))), sent + n))
        }
    });
    StreamBody::new(chunks).boxed()
}

type BenchBody = http_body_util::combinators::BoxBody<Bytes, Infallible>;

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or("127.0.0.1:9001".into());
    let seed = Seed::bundled();
    let small = Bytes::from(ticket_of_size(&seed, 2048));
    let large = Bytes::from(comments_of_size(&seed, 64 * 1024));
    eprintln!(
        "bench upstream on {addr}: 2k.json {} B, 64k.json {} B",
        small.len(),
        large.len()
    );
    let bodies = Arc::new((small, large, log_block(&seed)));
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let bodies = Arc::clone(&bodies);
        tokio::spawn(async move {
            let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                let path = request.uri().path();
                let (content_type, body) = if path.ends_with("/big.log") {
                    let mib = request
                        .uri()
                        .query()
                        .and_then(|q| q.strip_prefix("mib="))
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(1024);
                    (
                        "text/plain; charset=utf-8",
                        streamed_log(bodies.2.clone(), mib),
                    )
                } else {
                    let json = if path.ends_with("/64k.json") {
                        bodies.1.clone()
                    } else {
                        bodies.0.clone()
                    };
                    ("application/json; charset=utf-8", Full::new(json).boxed())
                };
                // `…/slow/…`: a tool that takes 5 ms to answer, as real ones
                // (and more) do.
                let think = path.contains("/slow/");
                async move {
                    if think {
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    }
                    Ok::<_, Infallible>(
                        Response::builder()
                            .header(header::CONTENT_TYPE, content_type)
                            .body(body)
                            .unwrap(),
                    )
                }
            });
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tcp), service)
                .await;
        });
    }
}
