//! WebSocket chat through the real binary: a loopback chat upstream sends
//! personal data to the agent and records what the agent sends; both
//! directions must arrive redacted, and binary messages follow policy.

mod common;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use common::chat::{CARD, EMAIL, PNG, start_chat_upstream};
use common::{Veilgate, start_veilgate};

const IBAN: &str = "NL91 ABNA 0417 1643 00";

type AgentSide =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A chat through veilgate (its configuration extended by `extra`): the
/// process, the agent's side of the WebSocket once the handshake has
/// succeeded, and what the chat upstream receives.
async fn open_chat(extra: &str) -> (Veilgate, AgentSide, mpsc::UnboundedReceiver<Message>) {
    let (seen_tx, seen) = mpsc::unbounded_channel();
    let upstream = start_chat_upstream(seen_tx).await;
    let vg = start_veilgate(upstream, extra);
    let (ws, response) = tokio_tungstenite::connect_async(format!("ws://{}/chat", vg.addr))
        .await
        .expect("veilgate completes the WebSocket handshake");
    assert_eq!(response.status(), http::StatusCode::SWITCHING_PROTOCOLS);
    (vg, ws, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_messages_are_redacted_in_both_directions() {
    let (_vg, mut ws, mut seen) = open_chat("").await;

    // Upstream to agent: JSON stays JSON, the values are gone, the rest kept.
    let Some(Ok(Message::Text(text))) = ws.next().await else {
        panic!("expected the greeting")
    };
    assert!(
        !text.contains(CARD) && !text.contains("4111111111111111"),
        "{text}"
    );
    assert!(!text.contains(EMAIL), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
    assert_eq!(json["id"], "msg-000417");
    assert_eq!(json["type"], "message");
    assert!(json["text"].as_str().unwrap().starts_with("Hi, my card "));
    // Binary passes byte for byte by default.
    let Some(Ok(Message::Binary(bytes))) = ws.next().await else {
        panic!("expected the binary message")
    };
    assert_eq!(&bytes[..], PNG);

    // Agent to upstream: a reply pasting the customer's IBAN.
    ws.send(Message::text(format!(
        "Refund goes to {IBAN} today, order ORD-2024-000123"
    )))
    .await
    .unwrap();
    let Some(Message::Text(received)) = seen.recv().await else {
        panic!("the upstream got no text")
    };
    assert!(
        !received.contains(IBAN) && !received.contains("NL91ABNA"),
        "{received}"
    );
    assert!(received.starts_with("Refund goes to "), "{received}");
    assert!(
        received.ends_with(" today, order ORD-2024-000123"),
        "{received}"
    );

    // A close from the agent reaches the upstream.
    ws.close(None).await.unwrap();
    let closing = tokio::time::timeout(std::time::Duration::from_secs(5), seen.recv())
        .await
        .expect("the close is relayed");
    assert!(matches!(closing, Some(Message::Close(_))), "{closing:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_message_is_redacted_whole() {
    // A message far larger than a chat line (a pasted log) is redacted
    // whole, with the text around its values kept.
    let (_vg, mut ws, mut seen) = open_chat("").await;
    let line = format!("2024-03-12 10:22:01 refund to {IBAN} queued\n");
    let message = line.repeat(1000);
    assert!(message.len() > 40_000);
    ws.send(Message::text(message)).await.unwrap();
    let Some(Message::Text(received)) = seen.recv().await else {
        panic!("the upstream got no text")
    };
    assert!(
        !received.contains(IBAN) && !received.contains("NL91ABNA"),
        "an IBAN reached the upstream"
    );
    assert_eq!(received.lines().count(), 1000);
    assert!(
        received
            .lines()
            .all(|l| l.starts_with("2024-03-12 10:22:01 refund to ") && l.ends_with(" queued")),
        "the text around the values changed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_binary_message_closes_the_chat_with_a_policy_code() {
    let (_vg, mut ws, _seen) = open_chat("[policy]\nwebsocket_binary = \"block\"\n").await;
    let mut got_close = None;
    while let Some(message) = ws.next().await {
        match message {
            Ok(Message::Binary(_)) => panic!("a blocked binary message was delivered"),
            Ok(Message::Close(frame)) => {
                got_close = frame;
                break;
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let frame = got_close.expect("a close frame with a reason");
    assert_eq!(frame.code, CloseCode::Policy);
    assert!(
        frame.reason.contains("blocked by policy"),
        "{}",
        frame.reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_refuses_the_upgrade_answers_normally() {
    // An HTTP upstream without WebSocket support: the 404 comes back as an
    // ordinary (redacted) response, not a broken connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = [0u8; 4096];
                let _ = tcp.read(&mut buf).await;
                let body = format!("no chat here, ask {EMAIL}");
                let reply = format!(
                    "HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tcp.write_all(reply.as_bytes()).await;
            });
        }
    });
    let vg = start_veilgate(addr, "");
    let err = tokio_tungstenite::connect_async(format!("ws://{}/chat", vg.addr))
        .await
        .expect_err("the handshake fails");
    let tokio_tungstenite::tungstenite::Error::Http(response) = err else {
        panic!("expected an HTTP error, got {err:?}")
    };
    assert_eq!(response.status(), http::StatusCode::NOT_FOUND);
    let body = String::from_utf8(response.body().clone().unwrap_or_default()).unwrap();
    assert!(!body.contains(EMAIL), "{body}");
    assert!(body.starts_with("no chat here, ask "), "{body}");
}
