//! A loopback chat server for the WebSocket tests.

use std::net::SocketAddr;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

pub const CARD: &str = "4111 1111 1111 1111";
pub const EMAIL: &str = "sanne.de.vries@example.nl";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\x01\x02\x03";

/// A chat server: greets with a customer message holding a card number, then
/// a binary message, then reports every message it receives on `seen`.
pub async fn start_chat_upstream(seen: mpsc::UnboundedSender<Message>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                let greeting = serde_json::json!({
                    "type": "message",
                    "author": "customer",
                    "id": "msg-000417",
                    "text": format!("Hi, my card {CARD} was charged twice, mail me at {EMAIL}"),
                });
                ws.send(Message::text(greeting.to_string())).await.unwrap();
                ws.send(Message::binary(PNG.to_vec())).await.unwrap();
                while let Some(Ok(message)) = ws.next().await {
                    let closing = message.is_close();
                    let _ = seen.send(message);
                    if closing {
                        break;
                    }
                }
            });
        }
    });
    addr
}
