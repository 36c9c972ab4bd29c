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
use crate::gate::{Admission, Gate, Screened};
use crate::redact::sniff::{self, Content};
use crate::redact::{Class, Finding, Redactor, Treatment};
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
    /// The account-data gate, when configured.
    gate: Option<Arc<Gate>>,
}

/// A request's gate decision, carried to its response.
struct Gated {
    gate: Arc<Gate>,
    admission: Admission,
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
            gate: None,
        })
    }

    /// Turns on the account-data gate.
    #[must_use]
    pub fn with_gate(mut self, gate: Arc<Gate>) -> Proxy {
        self.gate = Some(gate);
        self
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
        let (mut response, outcome) = result.unwrap_or_else(error_answer);
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
            let reply = match (&self.gate, &self.verifier) {
                (Some(gate), _) => match verify_http::read_body(body).await {
                    Ok(bytes) => crate::gate::http::handle(gate, &parts, bytes, peer).await,
                    Err(reply) => reply,
                },
                (None, Some(verifier)) => match verify_http::read_body(body).await {
                    Ok(bytes) => verify_http::agent::handle(verifier, &parts, bytes, peer).await,
                    Err(reply) => reply,
                },
                (None, None) => verify_http::error_reply(
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
        let gated = match &self.gate {
            Some(gate) => Some(Gated {
                admission: gate.admit(&parts, &route_path, peer).await,
                gate: Arc::clone(gate),
            }),
            None => None,
        };
        // With the gate on, the upstream gets the path veilgate judged.
        let path_and_query = match &gated {
            Some(_) => {
                let mut target = policy::encode_path(&route_path);
                if let Some(query) = parts.uri.query() {
                    target.push('?');
                    target.push_str(query);
                }
                Some(target.parse().map_err(|_| {
                    ProxyError::new(
                        StatusCode::BAD_REQUEST,
                        "bad_path",
                        "the request path cannot be forwarded",
                    )
                })?)
            }
            None => parts.uri.path_and_query().cloned(),
        };
        let target = self.upstream.target(path_and_query.as_ref()).map_err(|_| {
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
        let body = match &gated {
            Some(g) if g.admission.is_gated() && !websocket => {
                match self.screen_request(g, &mut parts.headers, body).await {
                    Ok(body) => body,
                    Err(reply) => {
                        let status = reply.status();
                        let mut reply = reply.map(body::full);
                        g.admission.describe(reply.headers_mut());
                        let outcome = Outcome {
                            status,
                            counts: None,
                            streamed: false,
                        };
                        return Ok((reply, outcome));
                    }
                }
            }
            _ => body.map_err(BoxError::from).boxed_unsync(),
        };
        let upstream_request = Request::from_parts(parts, body);

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
                self.switch_to_websocket(response, agent, gated)
            }
            // The upstream refused the upgrade: an ordinary response.
            _ => {
                let answer = self
                    .respond(response, &route_path, is_head, gated.as_ref())
                    .await;
                match &gated {
                    Some(g) => {
                        let (mut response, outcome) = answer.unwrap_or_else(error_answer);
                        g.admission.describe(response.headers_mut());
                        Ok((response, outcome))
                    }
                    None => answer,
                }
            }
        }
    }

    /// Reads a request body on a gated path whole and screens it; the
    /// error is the answer to send instead of forwarding.
    async fn screen_request(
        &self,
        gated: &Gated,
        headers: &mut HeaderMap,
        body: Incoming,
    ) -> Result<ProxyBody, verify_http::Reply> {
        let limit = self.config.limits.max_buffered_body;
        let bytes = verify_http::read_body_limited(
            body,
            limit,
            "a message on a gated conversation is checked whole, and this one is larger than limits.max_buffered_body",
        )
        .await?;
        let encoded = headers
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("identity"));
        if encoded && !bytes.is_empty() {
            return Err(verify_http::error_reply(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "encoded_body_refused",
                "messages on a gated conversation must be sent without Content-Encoding, so that veilgate can check them",
            ));
        }
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let gate = Arc::clone(&gated.gate);
        let redactor = Arc::clone(&self.redactor);
        let admission = gated.admission.clone();
        let screened = tokio::task::spawn_blocking(move || {
            gate.screen_outbound(&redactor, &admission, content_type.as_deref(), bytes)
        })
        .await
        .map_err(|_| {
            verify_http::error_reply(
                StatusCode::BAD_GATEWAY,
                "screening_failed",
                "the message could not be checked",
            )
        })?;
        match screened {
            Screened::Refuse(reply) => Err(reply),
            Screened::Forward { body, rewritten } => {
                if rewritten {
                    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
                }
                Ok(body::full(body))
            }
        }
    }

    /// Passes the upstream's `101` on and relays the WebSocket once both
    /// sides have switched.
    fn switch_to_websocket(
        &self,
        mut response: Response<Incoming>,
        agent: OnUpgrade,
        gated: Option<Gated>,
    ) -> Result<(Response<ProxyBody>, Outcome), ProxyError> {
        websocket::upstream_accepted(response.headers())
            .map_err(|why| ProxyError::bad_gateway("websocket_refused", why))?;
        let upstream = hyper::upgrade::on(&mut response);
        let (mut parts, _) = response.into_parts();
        let mut findings = Vec::new();
        headers::redact_user_data(&mut parts.headers, &self.redactor, &mut findings);
        if let Some(g) = &gated {
            g.admission.describe(&mut parts.headers);
        }
        let relay = websocket::Relay {
            redactor: Arc::clone(&self.redactor),
            gate: gated.map(|g| websocket::GateSide {
                gate: g.gate,
                admission: g.admission,
            }),
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
        gated: Option<&Gated>,
    ) -> Result<(Response<ProxyBody>, Outcome), ProxyError> {
        let (mut parts, body) = response.into_parts();
        let status = parts.status;
        // A conversation whose contact could not be resolved might show
        // their data where no pattern finds it: a successful answer is
        // refused rather than shown without the contact's known values.
        if let Some(g) = gated
            && g.admission.unresolved.is_some()
            && (status.is_success() || status.is_redirection())
        {
            return Err(ProxyError::bad_gateway(
                "contact_unresolved",
                "veilgate could not find out who this conversation's contact is, so it does not show it",
            ));
        }
        let redactor = match gated {
            Some(g) => Arc::new(self.redactor.with_view(g.gate.agent_view(&g.admission))),
            None => Arc::clone(&self.redactor),
        };
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let media = policy::media_type(content_type.as_deref());
        let decision = policy::decide(&self.config.policy, route_path, &media);
        let mut header_findings = Vec::new();
        headers::redact_user_data(&mut parts.headers, &redactor, &mut header_findings);
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
        let (mut head, mut ended) = (Vec::new(), false);
        // A generic type says nothing of what the body holds: its first
        // bytes do (see `redact::sniff`).
        let generic = kind == BodyKind::Unknown || matches!(media.as_str(), "" | "text/plain");
        if generic {
            (head, ended) = body::read_up_to(&mut reader, SNIFF_BYTES)
                .await
                .map_err(|e| body_error(&e))?;
        }
        let kind = if kind == BodyKind::Unknown {
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
        // What the body is read as when it arrives whole: a generic one
        // that holds JSON or HTML is buffered as those are; above that
        // limit it streams as text, as before (only a declared type is
        // refused for its size).
        let whole = if generic && kind == BodyKind::Text {
            match sniff::content(&head) {
                Content::Json => BodyKind::Json,
                Content::Html => BodyKind::Html,
                Content::Text => BodyKind::Text,
            }
        } else {
            kind
        };
        let limit = match whole {
            BodyKind::Json | BodyKind::Html | BodyKind::Form => {
                self.config.limits.max_buffered_body
            }
            BodyKind::EventStream => 0,
            _ => self.config.limits.whole_text_below,
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
                redact_whole_body(Arc::clone(&redactor), whole_kind(whole), head).await?;
            header_findings.extend(redacted.findings);
            if let Some(g) = gated {
                refuse_blocked(&redactor, &g.admission, &header_findings)?;
                g.gate
                    .record_response(&g.admission, Counts::of(&header_findings).account);
            }
            let body = match take_trailers(&upstream_trailers) {
                Some(trailers) => {
                    let trailers =
                        headers::trailers_for_agent(trailers, &redactor, &mut header_findings);
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
        let trailer_redactor = Arc::clone(&redactor);
        let gated = gated.map(|g| (Arc::clone(&g.gate), g.admission.clone()));
        let on_end: body::OnEnd = Box::new(move |mut counts| {
            let mut trailers = match take_trailers(&upstream_trailers) {
                Some(upstream) => {
                    headers::trailers_for_agent(upstream, &trailer_redactor, &mut header_findings)
                }
                None => HeaderMap::new(),
            };
            counts += Counts::of(&header_findings);
            if let Some((gate, admission)) = &gated {
                gate.record_response(admission, counts.account);
            }
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
            Arc::clone(&redactor),
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

/// The JSON answer for an error, and its outcome for the access log.
fn error_answer(e: ProxyError) -> (Response<ProxyBody>, Outcome) {
    let status = e.status;
    (
        e.response(),
        Outcome {
            status,
            counts: None,
            streamed: false,
        },
    )
}

/// A response holding a class the agent's policy blocks is refused whole.
fn refuse_blocked(
    redactor: &Redactor,
    admission: &Admission,
    findings: &[Finding],
) -> Result<(), ProxyError> {
    let blocked = findings
        .iter()
        .filter(|f| redactor.treatment(f.class) == Treatment::Block)
        .count();
    if blocked == 0 {
        return Ok(());
    }
    let action = admission.scope_name().map_or(String::new(), |scope| {
        format!("; verify the customer first: POST {}", Gate::action(scope))
    });
    Err(ProxyError::new(
        StatusCode::FORBIDDEN,
        "verification_required",
        format!("this response holds data the policy blocks until the customer verifies{action}"),
    ))
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

/// Bodies up to this size are redacted on the async thread that read them
/// (a few hundred microseconds at most). Handing them to the blocking pool
/// cost more than the redaction: a thread on the other core, whose caches
/// hold none of the detector's automata, ran it two to three times slower.
const REDACT_IN_PLACE_BELOW: usize = 16 * 1024;

/// Redacts a whole body: larger ones off the async threads.
async fn redact_whole_body(
    redactor: Arc<Redactor>,
    kind: Whole,
    bytes: Vec<u8>,
) -> Result<crate::redact::Redacted, ProxyError> {
    let redacted = if bytes.len() < REDACT_IN_PLACE_BELOW {
        body::redact_whole(&redactor, kind, bytes)
    } else {
        tokio::task::spawn_blocking(move || body::redact_whole(&redactor, kind, bytes))
            .await
            .map_err(|_| {
                ProxyError::bad_gateway("redaction_failed", "redaction did not complete")
            })?
    };
    redacted.map_err(|message| ProxyError::bad_gateway("not_text", message))
}

fn whole_kind(kind: BodyKind) -> Whole {
    match kind {
        BodyKind::Json => Whole::Json,
        BodyKind::Html => Whole::Html,
        BodyKind::Form => Whole::Form,
        _ => Whole::Text,
    }
}
