//! The verification service over HTTP: the customers' listener
//! ([`public`]: the verification and enrollment pages and their JSON twin),
//! the operators' listener ([`admin`]: enrollments, grants, metrics) and the
//! agents' endpoints under `/_veilgate/` on the proxy's listener
//! ([`agent`]). Shared here: request reading, JSON answers, the listener
//! loop.

pub mod admin;
pub mod agent;
pub mod page;
pub mod public;

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use serde::Serialize;
use tokio::net::TcpListener;

use super::service::{Actor, Verifier, VerifyError};

pub type Reply = Response<Bytes>;

/// Requests to these endpoints are small; anything bigger is refused.
const MAX_REQUEST_BODY: usize = 16 * 1024;

/// A JSON answer; never cached, since they hold tokens and states.
pub fn json_reply(status: StatusCode, value: &impl Serialize) -> Reply {
    let body = serde_json::to_vec(value).expect("answers serialise");
    let mut response = Response::new(Bytes::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// 204, for a deletion that worked.
pub fn no_content() -> Reply {
    let mut response = Response::new(Bytes::new());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// `{"error": {"code": …, "message": …, "by": "veilgate"}}`, the shape of
/// the proxy's own errors.
pub fn error_reply(status: StatusCode, code: &str, message: &str) -> Reply {
    json_reply(
        status,
        &serde_json::json!({ "error": { "code": code, "message": message, "by": "veilgate" } }),
    )
}

/// The answer for a service error on the JSON APIs.
pub fn service_error(e: &VerifyError) -> Reply {
    let (status, code) = match e {
        VerifyError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
        VerifyError::AlreadyEnrolled => (StatusCode::CONFLICT, "already_enrolled"),
        VerifyError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        VerifyError::InvalidLink => (StatusCode::NOT_FOUND, "invalid_link"),
        VerifyError::CheckFailed => (StatusCode::UNPROCESSABLE_ENTITY, "check_failed"),
        VerifyError::Locked { .. } => (StatusCode::TOO_MANY_REQUESTS, "locked"),
        VerifyError::Unavailable(inner) => {
            tracing::error!(error = %inner, "verification store failed");
            (StatusCode::SERVICE_UNAVAILABLE, "verification_unavailable")
        }
    };
    let mut reply = error_reply(status, code, &e.to_string());
    if let VerifyError::Locked { retry_after } = e {
        reply.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(retry_after.as_secs().max(1)),
        );
    }
    reply
}

// The error of these two is the response to send; it is made once per
// request, so its size costs nothing worth boxing for.

/// Reads a request body up to [`MAX_REQUEST_BODY`].
///
/// # Errors
/// An answer to send back: 413 when too large, 400 when it breaks off.
#[allow(clippy::result_large_err)]
pub async fn read_body<B>(body: B) -> Result<Bytes, Reply>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    read_body_limited(
        body,
        MAX_REQUEST_BODY,
        "the request body is larger than veilgate accepts here",
    )
    .await
}

/// Reads a request body up to `limit` bytes; `too_large` says why a larger
/// one is refused.
///
/// # Errors
/// An answer to send back: 413 when too large, 400 when it breaks off.
#[allow(clippy::result_large_err)]
pub async fn read_body_limited<B>(body: B, limit: usize, too_large: &str) -> Result<Bytes, Reply>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(error_reply(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            too_large,
        )),
        Err(_) => Err(error_reply(
            StatusCode::BAD_REQUEST,
            "body_unreadable",
            "the request body could not be read",
        )),
    }
}

/// Parses a JSON request body into `T`.
///
/// # Errors
/// A 400 answer naming the problem (the body itself is never echoed).
#[allow(clippy::result_large_err)]
pub fn parse_json<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Reply> {
    if !is_json(headers) {
        return Err(error_reply(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "json_expected",
            "send the request as application/json",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        let message = match e.classify() {
            serde_json::error::Category::Data => {
                // serde's data messages name fields and types, not values.
                format!("the JSON body does not fit: {e}")
            }
            _ => "the body is not valid JSON".to_string(),
        };
        error_reply(StatusCode::BAD_REQUEST, "bad_json", &message)
    })
}

pub fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers, header::CONTENT_TYPE).is_some_and(|m| m == "application/json")
}

/// The media type of a header, lower-cased, without parameters.
pub fn media_type(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

/// The path's segments after `prefix`, percent-decoded; `None` when a
/// segment does not decode to UTF-8 or the path is not under `prefix`.
pub fn segments(path: &str, prefix: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix(prefix)?;
    rest.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|c| c.into_owned())
        })
        .collect()
}

/// The address a client connects from: the peer, or the `hops`-th address
/// from the right of `X-Forwarded-For` when veilgate sits behind that many
/// trusted proxies.
pub fn client_ip(headers: &HeaderMap, peer: SocketAddr, hops: u8) -> IpAddr {
    if hops == 0 {
        return peer.ip();
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded
        .len()
        .checked_sub(usize::from(hops))
        .and_then(|i| forwarded.get(i).copied())
        .unwrap_or(peer.ip())
}

/// Who is asking on the agent and admin APIs, for the audit log: the
/// configured agent header, else the user name of Basic credentials.
pub fn actor(headers: &HeaderMap, agent_header: Option<&str>, ip: IpAddr) -> Actor {
    let from_header = agent_header
        .and_then(|name| headers.get(name))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .map(str::to_string);
    let from_basic = || {
        use base64::Engine as _;
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, credentials) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(credentials.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        // The user name only: the password never leaves this function.
        let user = text.split_once(':').map_or(text.as_str(), |(u, _)| u);
        (!user.is_empty() && user.len() <= 200).then(|| user.to_string())
    };
    Actor {
        agent: from_header.or_else(from_basic),
        client_ip: Some(ip),
    }
}

/// The agent or operator behind a request on the agent or admin listener
/// (their peer address is the client: no proxies of ours in between).
pub fn agent_actor(verifier: &Verifier, headers: &HeaderMap, peer: SocketAddr) -> Actor {
    actor(
        headers,
        verifier.settings().agent_header.as_deref(),
        client_ip(headers, peer, 0),
    )
}

/// Serves a listener with `handle` until the process ends.
pub async fn serve<H, F>(listener: TcpListener, handle: H)
where
    H: Fn(Request<Incoming>, SocketAddr) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Reply> + Send + 'static,
{
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                continue;
            }
        };
        let handle = handle.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let reply = handle(request, peer);
                async move { Ok::<_, Infallible>(reply.await.map(Full::new)) }
            });
            if let Err(e) = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tcp), service)
                .await
            {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
}

/// Shared state of the listeners.
pub type Shared = Arc<super::service::Verifier>;
