//! The reverse proxy: agents talk to veilgate, veilgate talks to the one
//! configured upstream, and every response body and user-data header is
//! redacted on the way back. Failures answer with a JSON error, never with
//! unredacted data.

pub mod access_log;
pub mod body;
pub mod error;
pub mod headers;
pub mod policy;
pub mod server;
pub mod upstream;
pub mod websocket;

use std::net::SocketAddr;
use std::sync::Arc;

use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, Version, header};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::upgrade::OnUpgrade;

use crate::config::Config;
use crate::redact::{Class, Finding, Redactor};
use crate::verify::Verifier;
use crate::verify::http as verify_http;
use body::{BoxError, ProxyBody, Whole};
use error::ProxyError;
use policy::{BodyKind, Decision};

/// Everything a request needs, shared by all connections.
pub struct Proxy {
    config: Config,
    redactor: Arc<Redactor>,
    upstream: upstream::Upstream,
    client: upstream::HttpsClient,
    /// HTTP/1.1 only, for WebSocket upgrades.
    upgrade_client: upstream::HttpsClient,
    /// In verification mode: answers the agents' `/_veilgate/` endpoints.
    verifier: Option<Arc<Verifier>>,
}

/// Counts of findings per class, for the response header and the log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub secret: usize,
    pub pii: usize,
    pub account: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            match f.class {
                Class::Secret => counts.secret += 1,
                Class::Pii => counts.pii += 1,
                Class::Account => counts.account += 1,
            }
        }
        counts
    }

    /// `secret=0, pii=3, account=0`: a structured-field dictionary.
    pub fn header_value(&self) -> HeaderValue {
        HeaderValue::from_str(&format!(
            "secret={}, pii={}, account={}",
            self.secret, self.pii, self.account
        ))
        .expect("digits and ASCII")
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.secret += other.secret;
        self.pii += other.pii;
        self.account += other.account;
    }
}

/// Bytes looked at to tell text from binary in a generic body.
const SNIFF_BYTES: usize = 8 * 1024;

/// Who sent a request: put into its extensions by the listener.
#[derive(Debug, Clone, Copy)]
pub struct Connection {
    pub peer: SocketAddr,
    /// Whether the agent connected over TLS.
    pub tls: bool,
}

/// How a request ended, for the access log: a response extension.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub status: StatusCode,
    /// Findings per class when the response was redacted whole; streamed
    /// bodies report theirs when they end.
    pub counts: Option<Counts>,
    pub streamed: bool,
}

/// [`Proxy::handle`] as a tower service, so that proxy concerns (the
/// access log today) are layers around it.
#[derive(Clone)]
pub struct ProxyService(pub Arc<Proxy>);

impl tower::Service<Request<Incoming>> for ProxyService {
    type Response = Response<ProxyBody>;
    type Error = std::convert::Infallible;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Incoming>) -> Self::Future {
        let proxy = Arc::clone(&self.0);
        Box::pin(async move { Ok(proxy.handle(request).await) })
    }
}

impl Proxy {
    /// # Errors
    /// When the upstream URL or CA file is unusable.
    pub fn new(config: Config, redactor: Arc<Redactor>) -> Result<Proxy, String> {
        let upstream = upstream::Upstream::new(&config.upstream)?;
        let client = upstream::client(&config.upstream, upstream::Versions::Any)?;
        let upgrade_client = upstream::client(&config.upstream, upstream::Versions::Http1Only)?;
        redactor.warm_up();
        Ok(Proxy {
            config,
            redactor,
            upstream,
            client,
            upgrade_client,
            verifier: None,
        })
    }

    /// Turns on the agents' verification endpoints under `/_veilgate/`.
    #[must_use]
    pub fn with_verifier(mut self, verifier: Arc<Verifier>) -> Proxy {
        self.verifier = Some(verifier);
        self
    }

    /// The redactor every body and header goes through.
    pub fn redactor(&self) -> &Arc<Redactor> {
        &self.redactor
    }

    /// Answers one agent request. Never fails: errors become JSON responses.
    /// The response carries an [`Outcome`] extension for the access log.
    pub async fn handle(self: Arc<Self>, request: Request<Incoming>) -> Response<ProxyBody> {
        let connection = request.extensions().get::<Connection>().copied();
        let result = match connection {
            Some(Connection { peer, tls }) => self.forward(request, peer, tls).await,
            // The listener always says who is asking; without it, no guess.
            None => Err(ProxyError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "no_connection_info",
                "the request reached the proxy without its connection details",
            )),
        };
        let (mut response, outcome) = result.unwrap_or_else(|e| {
            let status = e.status;
            (
                e.response(),
                Outcome {
                    status,
                    counts: None,
                    streamed: false,
                },
            )
        });
        response.extensions_mut().insert(outcome);
        response
    }

    async fn forward(
        &self,
        request: Request<Incoming>,
        peer: SocketAddr,
        tls: bool,
    ) -> Result<(Response<ProxyBody>, Outcome), ProxyError> {
        let (mut parts, body) = request.into_parts();
        if parts.method == Method::CONNECT {
            return Err(ProxyError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "connect_refused",
                "veilgate is a reverse proxy for one upstream, not a tunnel",
            ));
        }
        // HTTP/1 absolute-form (`GET http://elsewhere/ HTTP/1.1`) is how an
        // open proxy is used: refused. HTTP/2 always carries an authority;
        // it is ignored, as is Host: the target is pinned below.
        if parts.version < Version::HTTP_2 && parts.uri.authority().is_some() {
            return Err(ProxyError::new(
                StatusCode::BAD_REQUEST,
                "absolute_target_refused",
                "request targets must be paths; veilgate forwards only to its configured upstream",
            ));
        }
        let route_path = policy::normalise_path(parts.uri.path()).ok_or_else(|| {
            ProxyError::new(
                StatusCode::BAD_REQUEST,
                "bad_path",
                "the request path does not decode to a valid path",
            )
        })?;
        // veilgate's own endpoints: answered here, never forwarded, whatever
        // the case or encoding of the path.
        if policy::is_reserved(&route_path) {
            let reply = match &self.verifier {
                Some(verifier) => match verify_http::read_body(body).await {
                    Ok(bytes) => verify_http::agent::handle(verifier, &parts, bytes, peer).await,
                    Err(reply) => reply,
                },
                None => verify_http::error_reply(
                    StatusCode::NOT_FOUND,
                    "verification_off",
                    "verification is not enabled on this veilgate",
                ),
            };
            let status = reply.status();
            return Ok((
                reply.map(body::full),
                Outcome {
                    status,
                    counts: None,
                    streamed: false,
                },
            ));
        }
        let is_head = parts.method == Method::HEAD;
        let websocket = parts.version == Version::HTTP_11 && websocket::is_upgrade(&parts.headers);
        let target = self
            .upstream
            .target(parts.uri.path_and_query())
            .map_err(|_| {
                ProxyError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_path",
                    "the request path cannot be forwarded",
                )
            })?;
        let client_host = parts.headers.get(header::HOST).cloned().or_else(|| {
            parts
                .uri
                .authority()
                .and_then(|a| HeaderValue::from_str(a.as_str()).ok())
        });
        headers::request_for_upstream(
            &mut parts.headers,
            self.upstream.host_header(client_host.as_ref()),
            &headers::Forwarded {
                client: peer.ip(),
                proto: if tls { "https" } else { "http" },
                host: client_host.as_ref(),
            },
        );
        parts.uri = target;
        parts.version = Version::HTTP_11;
        let agent_upgrade = if websocket {
            websocket::request_for_upstream(&mut parts.headers);
            parts.extensions.remove::<OnUpgrade>()
        } else {
            None
        };
        let upstream_request =
            Request::from_parts(parts, body.map_err(BoxError::from).boxed_unsync());

        let timeout = self.config.upstream.response_timeout;
        let client = if websocket {
            &self.upgrade_client
        } else {
            &self.client
        };
        let response = match tokio::time::timeout(timeout, client.request(upstream_request)).await {
            Err(_) => {
                return Err(ProxyError::new(
                    StatusCode::GATEWAY_TIMEOUT,
                    "upstream_timeout",
                    format!("the upstream sent no response within {timeout:?}"),
                ));
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "upstream request failed");
                return Err(ProxyError::bad_gateway(
                    "upstream_unreachable",
                    "the upstream could not be reached or closed the connection",
                ));
            }
            Ok(Ok(response)) => response,
        };
        match agent_upgrade {
            Some(agent) if response.status() == StatusCode::SWITCHING_PROTOCOLS => {
                self.switch_to_websocket(response, agent)
            }
            // The upstream refused the upgrade: an ordinary response.
            _ => self.respond(response, &route_path, is_head).await,
        }
    }

    /// Passes the upstream's `101` on and relays the WebSocket once both
    /// sides have switched.
    fn switch_to_websocket(
        &self,
        mut response: Response<Incoming>,
        agent: OnUpgrade,
    ) -> Result<(Response<ProxyBody>, Outcome), ProxyError> {
        websocket::upstream_accepted(response.headers())
            .map_err(|why| ProxyError::bad_gateway("websocket_refused", why))?;
        let upstream = hyper::upgrade::on(&mut response);
        let (mut parts, _) = response.into_parts();
        let mut findings = Vec::new();
        headers::redact_user_data(&mut parts.headers, &self.redactor, &mut findings);
        let relay = websocket::Relay {
            redactor: Arc::clone(&self.redactor),
            binary: self.config.policy.websocket_binary,
            max_message: self.config.limits.max_buffered_body,
        };
        tokio::spawn(websocket::relay(relay, agent, upstream));
        Ok(whole_response(parts, &findings, body::empty()))
    }

    async fn respond(
        &self,
        response: Response<Incoming>,
        route_path: &str,
        is_head: bool,
    ) -> Result<(Response<ProxyBody>, Outcome), ProxyError> {
        let (mut parts, body) = response.into_parts();
        let status = parts.status;
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let media = policy::media_type(content_type.as_deref());
        let decision = policy::decide(&self.config.policy, route_path, &media);
        let mut header_findings = Vec::new();
        headers::redact_user_data(&mut parts.headers, &self.redactor, &mut header_findings);
        let declared_trailers = headers::declared_trailers(&parts.headers);

        let no_body = is_head
            || status.is_informational()
            || status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_MODIFIED;
        let kind = match decision {
            Decision::Block => {
                return Err(ProxyError::new(
                    StatusCode::FORBIDDEN,
                    "blocked_by_policy",
                    format!("responses of type `{media}` on this path are blocked by policy"),
                ));
            }
            Decision::Pass => {
                headers::strip_hop_by_hop(&mut parts.headers);
                parts.headers.insert(
                    headers::FINDINGS,
                    Counts::of(&header_findings).header_value(),
                );
                let outcome = Outcome {
                    status,
                    counts: None,
                    streamed: true,
                };
                return Ok((
                    Response::from_parts(parts, body::passthrough(body)),
                    outcome,
                ));
            }
            Decision::Redact(kind) => kind,
        };
        // The upstream's encoding is undone here; one veilgate cannot undo
        // is refused, never passed on.
        let codings = body::codings(&parts.headers).map_err(|what| {
            ProxyError::bad_gateway(
                "unsupported_encoding",
                format!("the upstream sent {what}, which veilgate cannot decode"),
            )
        })?;
        headers::response_for_rewritten_body(&mut parts.headers);
        if no_body {
            return Ok(whole_response(parts, &header_findings, body::empty()));
        }
        if let Some(charset) = policy::charset(content_type.as_deref())
            && !matches!(charset.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii")
        {
            return Err(ProxyError::bad_gateway(
                "unsupported_charset",
                format!("the response is in charset `{charset}`, which veilgate cannot redact"),
            ));
        }
        let upstream_trailers = body::TrailerSlot::default();
        let mut reader = body::decoded(
            body,
            &codings,
            self.config.upstream.idle_timeout,
            Arc::clone(&upstream_trailers),
        );
        let limit = match kind {
            BodyKind::Json | BodyKind::Html | BodyKind::Form => {
                self.config.limits.max_buffered_body
            }
            BodyKind::EventStream => 0,
            _ => self.config.limits.whole_text_below,
        };
        let (mut head, mut ended) = (Vec::new(), false);
        let kind = if kind == BodyKind::Unknown {
            (head, ended) = body::read_up_to(&mut reader, SNIFF_BYTES)
                .await
                .map_err(|e| body_error(&e))?;
            if !policy::looks_like_text(&head) {
                // Bytes, not text: passed on as they are (decoded).
                let outcome = Outcome {
                    status,
                    counts: None,
                    streamed: true,
                };
                let bytes = body::raw(head, reader);
                return Ok((Response::from_parts(parts, bytes), outcome));
            }
            BodyKind::Text
        } else {
            kind
        };
        if kind != BodyKind::EventStream && !ended {
            let (more, more_ended) =
                body::read_up_to(&mut reader, limit.saturating_sub(head.len()))
                    .await
                    .map_err(|e| body_error(&e))?;
            head.extend_from_slice(&more);
            ended = more_ended;
        }
        if ended {
            let redacted =
                redact_whole_blocking(Arc::clone(&self.redactor), whole_kind(kind), head).await?;
            header_findings.extend(redacted.findings);
            let body = match take_trailers(&upstream_trailers) {
                Some(trailers) => {
                    let trailers =
                        headers::trailers_for_agent(trailers, &self.redactor, &mut header_findings);
                    headers::declare_trailers(&mut parts.headers, trailers.keys());
                    body::full_with_trailers(redacted.output, trailers)
                }
                None => body::full(redacted.output),
            };
            return Ok(whole_response(parts, &header_findings, body));
        }
        if matches!(kind, BodyKind::Json | BodyKind::Html | BodyKind::Form) {
            return Err(ProxyError::bad_gateway(
                "too_large_to_redact",
                format!(
                    "the response is larger than limits.max_buffered_body ({} bytes) and is redacted whole, so it was refused",
                    self.config.limits.max_buffered_body
                ),
            ));
        }
        // Large text and event streams: counts arrive in a trailer, after
        // the upstream's own (redacted).
        headers::declare_trailers(
            &mut parts.headers,
            std::iter::once(&headers::FINDINGS).chain(&declared_trailers),
        );
        let redactor = Arc::clone(&self.redactor);
        let on_end: body::OnEnd = Box::new(move |mut counts| {
            let mut trailers = match take_trailers(&upstream_trailers) {
                Some(upstream) => {
                    headers::trailers_for_agent(upstream, &redactor, &mut header_findings)
                }
                None => HeaderMap::new(),
            };
            counts += Counts::of(&header_findings);
            tracing::info!(
                secret = counts.secret,
                pii = counts.pii,
                account = counts.account,
                "streamed response finished"
            );
            trailers.insert(headers::FINDINGS, counts.header_value());
            trailers
        });
        let streamed = body::stream_text(
            Arc::clone(&self.redactor),
            head,
            reader,
            kind == BodyKind::EventStream,
            on_end,
        );
        let outcome = Outcome {
            status,
            counts: None,
            streamed: true,
        };
        Ok((Response::from_parts(parts, streamed), outcome))
    }
}

/// A response whose body veilgate holds whole (or that has none): its
/// findings, headers' and body's, are counted in the header and the log.
fn whole_response(
    mut parts: http::response::Parts,
    findings: &[Finding],
    body: ProxyBody,
) -> (Response<ProxyBody>, Outcome) {
    let counts = Counts::of(findings);
    parts
        .headers
        .insert(headers::FINDINGS, counts.header_value());
    let outcome = Outcome {
        status: parts.status,
        counts: Some(counts),
        streamed: false,
    };
    (Response::from_parts(parts, body), outcome)
}

fn take_trailers(slot: &body::TrailerSlot) -> Option<HeaderMap> {
    slot.lock().ok().and_then(|mut trailers| trailers.take())
}

/// A body that failed while being read: timed out, reset, or corrupt.
fn body_error(e: &std::io::Error) -> ProxyError {
    if e.kind() == std::io::ErrorKind::TimedOut {
        ProxyError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "upstream_timeout",
            "the upstream stopped sending the response body",
        )
    } else {
        ProxyError::bad_gateway(
            "upstream_body_failed",
            "the upstream response body was cut off or could not be decoded",
        )
    }
}

/// Redacts a whole body off the async threads.
async fn redact_whole_blocking(
    redactor: Arc<Redactor>,
    kind: Whole,
    bytes: Vec<u8>,
) -> Result<crate::redact::Redacted, ProxyError> {
    tokio::task::spawn_blocking(move || body::redact_whole(&redactor, kind, bytes))
        .await
        .map_err(|_| ProxyError::bad_gateway("redaction_failed", "redaction did not complete"))?
        .map_err(|message| ProxyError::bad_gateway("not_text", message))
}

fn whole_kind(kind: BodyKind) -> Whole {
    match kind {
        BodyKind::Json => Whole::Json,
        BodyKind::Html => Whole::Html,
        BodyKind::Form => Whole::Form,
        _ => Whole::Text,
    }
}
