//! WebSocket connections (chat tools): the upgrade is forwarded to the
//! upstream, then every text message is redacted in both directions like a
//! body (JSON string by string, anything else as text). Binary messages
//! pass, close the connection, or are read as UTF-8 text and redacted, per
//! `policy.websocket_binary`.
//!
//! With the gate on and the connection on a conversation's path, messages
//! to the agent are redacted with the agent's view and messages from the
//! agent are screened like request bodies; the grant is looked up again
//! for every message, so an expired grant closes the gate mid-chat. A
//! message the policy blocks is not forwarded: the connection closes with
//! 1008 and a reason saying to verify the customer.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use http::{HeaderMap, HeaderValue, header};
use hyper::upgrade::{OnUpgrade, Upgraded};
use hyper_util::rt::TokioIo;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};

use super::Counts;
use super::body;
use crate::config::Action;
use crate::gate::{Admission, Gate, Screened};
use crate::redact::Redactor;

type Socket = WebSocketStream<TokioIo<Upgraded>>;

/// True for an HTTP/1.1 request to switch to the WebSocket protocol.
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    let has_token = |name: header::HeaderName, token: &str| {
        super::headers::tokens(headers, &name).any(|t| t.eq_ignore_ascii_case(token))
    };
    has_token(header::CONNECTION, "upgrade") && has_token(header::UPGRADE, "websocket")
}

/// Restores the upgrade headers that hop-by-hop stripping removed, and
/// refuses compression: a compressed frame cannot be redacted.
pub fn request_for_upstream(headers: &mut HeaderMap) {
    headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.remove(header::SEC_WEBSOCKET_EXTENSIONS);
    headers.remove(header::ACCEPT_ENCODING);
}

/// The upstream's `101` is only usable for plain WebSocket frames.
pub fn upstream_accepted(headers: &HeaderMap) -> Result<(), &'static str> {
    if !headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("websocket"))
    {
        return Err("the upstream switched to a protocol other than WebSocket");
    }
    if headers.contains_key(header::SEC_WEBSOCKET_EXTENSIONS) {
        return Err("the upstream negotiated a WebSocket extension veilgate did not offer");
    }
    Ok(())
}

/// The gate's side of a relayed connection.
#[derive(Debug, Clone)]
pub struct GateSide {
    pub gate: Arc<Gate>,
    pub admission: Admission,
}

/// Which way a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    ToAgent,
    ToUpstream,
}

/// How the relay treats messages.
#[derive(Debug, Clone)]
pub struct Relay {
    pub redactor: Arc<Redactor>,
    pub gate: Option<GateSide>,
    pub binary: Action,
    /// The largest message accepted from either side.
    pub max_message: usize,
}

/// Waits for both sides to finish their upgrade, then relays messages
/// until either side closes. Runs as its own task.
pub async fn relay(relay: Relay, agent: OnUpgrade, upstream: OnUpgrade) {
    let (agent, upstream) = match tokio::try_join!(agent, upstream) {
        Ok(both) => both,
        Err(e) => {
            tracing::debug!(error = %e, "WebSocket upgrade did not complete");
            return;
        }
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(relay.max_message))
        .max_frame_size(Some(relay.max_message));
    let agent =
        WebSocketStream::from_raw_socket(TokioIo::new(agent), Role::Server, Some(config)).await;
    let upstream =
        WebSocketStream::from_raw_socket(TokioIo::new(upstream), Role::Client, Some(config)).await;
    let counts = relay.run(agent, upstream).await;
    tracing::info!(
        secret = counts.secret,
        pii = counts.pii,
        account = counts.account,
        "WebSocket closed"
    );
}

/// Why one direction stopped.
#[derive(Debug)]
enum End {
    /// The sender closed; its frame goes on to the other side.
    Closed(Option<CloseFrame>),
    /// A binary message met a `block` policy, or a `redact` one and was
    /// not text: the connection closes with 1008 and this reason.
    Refused(&'static str),
    /// The sender broke the protocol, vanished or sent too much.
    Failed,
}

impl Relay {
    async fn run(&self, agent: Socket, upstream: Socket) -> Counts {
        let (mut to_agent, mut from_agent) = agent.split();
        let (mut to_upstream, mut from_upstream) = upstream.split();
        let mut counts = Counts::default();
        let mut upstream_counts = Counts::default();
        // Whichever direction ends first ends the connection.
        let (end, agent_side_ended) = tokio::select! {
            end = self.pump(&mut from_agent, &mut to_upstream, &mut counts, Direction::ToUpstream) => (end, true),
            end = self.pump(&mut from_upstream, &mut to_agent, &mut upstream_counts, Direction::ToAgent) => (end, false),
        };
        let (frame_to_agent, frame_to_upstream) = match end {
            End::Closed(frame) if agent_side_ended => (None, frame),
            End::Closed(frame) => (frame, None),
            End::Refused(reason) => {
                let frame = close(CloseCode::Policy, reason);
                (Some(frame.clone()), Some(frame))
            }
            End::Failed => {
                let frame = close(CloseCode::Error, "the other side failed");
                (Some(frame.clone()), Some(frame))
            }
        };
        if !agent_side_ended || frame_to_agent.is_some() {
            let _ = to_agent.send(Message::Close(frame_to_agent)).await;
        }
        if agent_side_ended || frame_to_upstream.is_some() {
            let _ = to_upstream.send(Message::Close(frame_to_upstream)).await;
        }
        counts += upstream_counts;
        counts
    }

    /// Relays messages from one side to the other until the sender stops.
    async fn pump<R, W>(
        &self,
        from: &mut R,
        to: &mut W,
        counts: &mut Counts,
        direction: Direction,
    ) -> End
    where
        R: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>>
            + Unpin,
        W: futures_util::Sink<Message> + Unpin,
    {
        while let Some(message) = from.next().await {
            let forward = match message {
                Ok(Message::Text(text)) => {
                    match self.redact(text.as_str(), counts, direction).await {
                        Ok(text) => Message::text(text),
                        Err(end) => return end,
                    }
                }
                Ok(Message::Binary(bytes)) => match self.binary {
                    Action::Pass => Message::Binary(bytes),
                    Action::Block => return End::Refused("binary messages are blocked by policy"),
                    Action::Redact => match std::str::from_utf8(&bytes) {
                        Ok(text) => match self.redact(text, counts, direction).await {
                            Ok(text) => Message::Binary(text.into_bytes().into()),
                            Err(end) => return end,
                        },
                        Err(_) => return End::Refused("a binary message was not text"),
                    },
                },
                Ok(Message::Close(frame)) => {
                    return End::Closed(frame.map(|f| self.redact_close(f)));
                }
                // Each side answers its own pings (tungstenite does so on
                // the next read or write); raw frames are never read.
                Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_)) => continue,
                Err(e) => {
                    tracing::debug!(error = %e, "WebSocket side failed");
                    return End::Failed;
                }
            };
            if to.send(forward).await.is_err() {
                return End::Failed;
            }
        }
        End::Closed(None)
    }

    /// A message redacted whole: JSON string by string when it parses,
    /// text otherwise; on a gated conversation, through the gate.
    async fn redact(
        &self,
        text: &str,
        counts: &mut Counts,
        direction: Direction,
    ) -> Result<String, End> {
        let Some(side) = self.gate.as_ref().filter(|s| s.admission.is_gated()) else {
            let redacted =
                tokio::task::block_in_place(|| body::redact_json_or_text(&self.redactor, text));
            *counts += Counts::of(&redacted.findings);
            return Ok(redacted.output);
        };
        let admission = side.gate.refresh(&side.admission).await;
        match direction {
            Direction::ToAgent => {
                let view = self.redactor.with_view(side.gate.agent_view(&admission));
                let redacted =
                    tokio::task::block_in_place(|| body::redact_json_or_text(&view, text));
                let found = Counts::of(&redacted.findings);
                side.gate.record_response(&admission, found.account);
                *counts += found;
                Ok(redacted.output)
            }
            Direction::ToUpstream => {
                let screened = tokio::task::block_in_place(|| {
                    side.gate.screen_outbound(
                        &self.redactor,
                        &admission,
                        Some("application/json"),
                        bytes::Bytes::copy_from_slice(text.as_bytes()),
                    )
                });
                match screened {
                    Screened::Forward { body, .. } => {
                        Ok(String::from_utf8(body.to_vec()).map_err(|_| End::Failed)?)
                    }
                    Screened::Refuse(_) => Err(End::Refused(
                        "the message held data the policy blocks; verify the customer first",
                    )),
                }
            }
        }
    }

    fn redact_close(&self, frame: CloseFrame) -> CloseFrame {
        let reason = self.redactor.redact_text(frame.reason.as_str()).output;
        CloseFrame {
            code: frame.code,
            reason: reason.into(),
        }
    }
}

fn close(code: CloseCode, reason: &'static str) -> CloseFrame {
    CloseFrame {
        code,
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrade_needs_both_tokens_in_any_case_and_list_position() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONNECTION, "keep-alive, Upgrade".parse().unwrap());
        assert!(!is_upgrade(&headers));
        headers.insert(header::UPGRADE, "WebSocket".parse().unwrap());
        assert!(is_upgrade(&headers));
        headers.insert(header::CONNECTION, "keep-alive".parse().unwrap());
        assert!(!is_upgrade(&headers));
    }

    #[test]
    fn an_upstream_that_negotiates_compression_is_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::UPGRADE, "websocket".parse().unwrap());
        assert!(upstream_accepted(&headers).is_ok());
        headers.insert(
            header::SEC_WEBSOCKET_EXTENSIONS,
            "permessage-deflate".parse().unwrap(),
        );
        assert!(upstream_accepted(&headers).is_err());
    }
}
