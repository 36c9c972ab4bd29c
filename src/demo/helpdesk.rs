//! A small Zendesk-shaped helpdesk serving the bundled fake tickets: the
//! upstream of `veilgate demo` and of the end-to-end tests. It serves its
//! data unredacted, as a real tool would; veilgate in front does the rest.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// The seed data, embedded so that the demo runs from any folder.
pub const SEED_JSON: &str = include_str!("helpdesk.json");

#[derive(Debug, Deserialize)]
pub struct Seed {
    pub users: Vec<User>,
    pub tickets: Vec<Ticket>,
    pub chat: Vec<ChatMessage>,
    /// Every sensitive value in the data, as written: none may reach an
    /// agent through veilgate.
    pub seeded: Vec<String>,
    /// Non-sensitive tokens that must arrive unchanged.
    pub kept: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub external_id: String,
    pub role: String,
    pub locale: String,
    pub time_zone: String,
    pub created_at: String,
}

#[derive(Debug, Deserialize)]
pub struct Ticket {
    pub id: u64,
    pub subject: String,
    pub status: String,
    pub priority: String,
    pub requester_id: u64,
    pub assignee_id: u64,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Deserialize)]
pub struct Comment {
    pub id: u64,
    pub author_id: u64,
    pub public: bool,
    pub created_at: String,
    pub body: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Deserialize)]
pub struct Attachment {
    pub id: u64,
    pub file_name: String,
    pub content_type: String,
    pub content: String,
}

#[derive(Debug, Deserialize)]
pub struct ChatMessage {
    pub from: String,
    pub text: String,
}

impl Seed {
    /// The bundled data.
    ///
    /// # Panics
    /// Never for the shipped file; a test parses it.
    pub fn bundled() -> Seed {
        serde_json::from_str(SEED_JSON).expect("the bundled helpdesk.json is valid")
    }

    fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    fn ticket(&self, id: u64) -> Option<&Ticket> {
        self.tickets.iter().find(|t| t.id == id)
    }

    fn attachment(&self, id: u64) -> Option<&Attachment> {
        self.tickets
            .iter()
            .flat_map(|t| &t.comments)
            .flat_map(|c| &c.attachments)
            .find(|a| a.id == id)
    }
}

/// The helpdesk: the seed data, the comments agents added, and the knobs
/// tests turn.
#[derive(Debug)]
pub struct Helpdesk {
    seed: Seed,
    /// With a token, the API (`/api/…`) answers 401 without
    /// `Authorization: Bearer <token>`, as a real tool does.
    token: Option<String>,
    added: Mutex<HashMap<u64, Vec<Comment>>>,
    /// When not 0, the users API answers with this status (an outage).
    users_fault: AtomicU16,
    /// Requests that changed something (PUT, POST).
    writes: AtomicUsize,
}

impl Helpdesk {
    pub fn new(seed: Seed, token: Option<String>) -> Helpdesk {
        Helpdesk {
            seed,
            token,
            added: Mutex::new(HashMap::new()),
            users_fault: AtomicU16::new(0),
            writes: AtomicUsize::new(0),
        }
    }

    async fn answer(&self, request: Request<Incoming>) -> Reply {
        let (parts, body) = request.into_parts();
        let body = match Limited::new(body, 1 << 20).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => return status_reply(StatusCode::BAD_REQUEST),
        };
        let request = Request::from_parts(parts, body);
        let api = request.uri().path().starts_with("/api/");
        if api && !self.authorised(request.headers()) {
            return status_reply(StatusCode::UNAUTHORIZED);
        }
        if request.uri().path().starts_with("/_helpdesk/") {
            return self.control(&request);
        }
        if request.method() == Method::PUT || request.method() == Method::POST {
            self.writes.fetch_add(1, Ordering::SeqCst);
            return self.write(&request);
        }
        conditional(&request, self.read(&request))
    }

    fn authorised(&self, headers: &http::HeaderMap) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == format!("Bearer {token}"))
    }

    /// `/_helpdesk/stats` (writes received) and `/_helpdesk/users-fault`
    /// (`PUT` a status code, 0 for none): for tests.
    fn control(&self, request: &Request<Bytes>) -> Reply {
        match (request.method(), request.uri().path()) {
            (&Method::GET, "/_helpdesk/stats") => json_reply(&json!({
                "writes": self.writes.load(Ordering::SeqCst),
            })),
            (&Method::PUT, "/_helpdesk/users-fault") => {
                let code = std::str::from_utf8(request.body())
                    .ok()
                    .and_then(|t| t.trim().parse::<u16>().ok());
                match code {
                    Some(code) => {
                        self.users_fault.store(code, Ordering::SeqCst);
                        status_reply(StatusCode::NO_CONTENT)
                    }
                    None => status_reply(StatusCode::BAD_REQUEST),
                }
            }
            _ => not_found(),
        }
    }

    /// Zendesk's way of replying: `PUT /api/v2/tickets/{id}.json` with
    /// `{"ticket": {"comment": {"body": …, "public": …}}}`.
    fn write(&self, request: &Request<Bytes>) -> Reply {
        let segments: Vec<&str> = request.uri().path().trim_matches('/').split('/').collect();
        let ["api", "v2", "tickets", file] = segments.as_slice() else {
            return not_found();
        };
        let Some(ticket) = json_id(file)
            .or_else(|| id_of(file))
            .and_then(|id| self.seed.ticket(id))
        else {
            return not_found();
        };
        let Ok(update) = serde_json::from_slice::<Value>(request.body()) else {
            return status_reply(StatusCode::BAD_REQUEST);
        };
        let Some(body) = update
            .pointer("/ticket/comment/body")
            .and_then(Value::as_str)
        else {
            return status_reply(StatusCode::UNPROCESSABLE_ENTITY);
        };
        let public = update
            .pointer("/ticket/comment/public")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let Ok(mut added) = self.added.lock() else {
            return status_reply(StatusCode::INTERNAL_SERVER_ERROR);
        };
        let list = added.entry(ticket.id).or_default();
        list.push(Comment {
            id: ticket.id * 1000 + 900 + list.len() as u64,
            author_id: ticket.assignee_id,
            public,
            created_at: "2024-03-14T09:00:00Z".into(),
            body: body.to_string(),
            attachments: Vec::new(),
        });
        json_reply(&json!({ "ticket": ticket_json(ticket) }))
    }

    fn read(&self, request: &Request<Bytes>) -> Reply {
        if request.method() != Method::GET && request.method() != Method::HEAD {
            return not_found();
        }
        let seed = &self.seed;
        let segments: Vec<&str> = request.uri().path().trim_matches('/').split('/').collect();
        match segments.as_slice() {
            ["api", "v2", "tickets", id, "comments.json"] => id_of(id)
                .and_then(|id| seed.ticket(id))
                .map_or_else(not_found, |t| {
                    let mut comments: Vec<Value> = t.comments.iter().map(comment_json).collect();
                    if let Ok(added) = self.added.lock() {
                        comments.extend(added.get(&t.id).into_iter().flatten().map(comment_json));
                    }
                    json_reply(
                        &json!({ "comments": comments, "count": comments.len(), "next_page": null }),
                    )
                }),
            ["api", "v2", "users", _] | ["api", "v2", "users.json"]
                if self.users_fault.load(Ordering::SeqCst) != 0 =>
            {
                let code = self.users_fault.load(Ordering::SeqCst);
                status_reply(StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE))
            }
            _ => route(seed, request),
        }
    }
}

/// Serves the helpdesk on `listener` until the process ends.
pub async fn serve(listener: TcpListener, helpdesk: Arc<Helpdesk>) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let helpdesk = Arc::clone(&helpdesk);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let helpdesk = Arc::clone(&helpdesk);
                async move { Ok::<_, Infallible>(helpdesk.answer(request).await.map(Full::new)) }
            });
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tcp), service)
                .await;
        });
    }
}

/// Binds `addr` (port 0 picks a free one) and serves the bundled data.
///
/// # Errors
/// When the address cannot be bound.
pub async fn start(addr: SocketAddr) -> std::io::Result<SocketAddr> {
    start_with(addr, Helpdesk::new(Seed::bundled(), None)).await
}

/// As [`start`], with a helpdesk of the caller's.
///
/// # Errors
/// When the address cannot be bound.
pub async fn start_with(addr: SocketAddr, helpdesk: Helpdesk) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(serve(listener, Arc::new(helpdesk)));
    Ok(bound)
}

/// A page whole; wrapped in a body type only when served.
type Reply = Response<Bytes>;

fn route(seed: &Seed, request: &Request<Bytes>) -> Reply {
    let path = request.uri().path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => html(index_page(seed)),
        ["tickets", id] => id_of(id)
            .and_then(|id| seed.ticket(id))
            .map_or_else(not_found, |t| html(ticket_page(seed, t))),
        ["attachments", id, _name] => id_of(id)
            .and_then(|id| seed.attachment(id))
            .map_or_else(not_found, |a| {
                respond(&a.content_type, a.content.clone().into())
            }),
        ["api", "v2", "tickets.json"] => json_reply(&json!({
            "tickets": seed.tickets.iter().map(ticket_json).collect::<Vec<_>>(),
            "count": seed.tickets.len(),
            "next_page": null,
        })),
        ["api", "v2", "tickets", file] => json_id(file)
            .and_then(|id| seed.ticket(id))
            .map_or_else(not_found, |t| {
                json_reply(&json!({ "ticket": ticket_json(t) }))
            }),
        ["api", "v2", "tickets", id, "comments.json"] => id_of(id)
            .and_then(|id| seed.ticket(id))
            .map_or_else(not_found, |t| {
                let comments: Vec<Value> = t.comments.iter().map(comment_json).collect();
                json_reply(
                    &json!({ "comments": comments, "count": comments.len(), "next_page": null }),
                )
            }),
        ["api", "v2", "users.json"] => json_reply(&json!({
            "users": seed.users.iter().map(user_json).collect::<Vec<_>>(),
            "count": seed.users.len(),
        })),
        ["api", "v2", "users", file] => json_id(file)
            .and_then(|id| seed.user(id))
            .map_or_else(not_found, |u| json_reply(&json!({ "user": user_json(u) }))),
        ["api", "v2", "search.json"] => json_reply(&search(seed, request.uri().query())),
        ["api", "v2", "chat", "transcript.txt"] => respond(
            "text/plain; charset=utf-8",
            seed.chat
                .iter()
                .map(|m| format!("{}: {}\n", m.from, m.text))
                .collect::<String>()
                .into(),
        ),
        _ => not_found(),
    }
}

/// What a real tool does with caching and partial requests: a strong ETag
/// on every page, `304` for a matching `If-None-Match`, `206` for a single
/// `Range` of bytes.
fn conditional(request: &Request<Bytes>, mut response: Reply) -> Reply {
    if response.status() != StatusCode::OK {
        return response;
    }
    let body = response.body().clone();
    let etag = format!("\"{:016x}\"", fnv1a(&body));
    if let Ok(value) = etag.parse() {
        response.headers_mut().insert(header::ETAG, value);
    }
    let headers = request.headers();
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim().trim_start_matches("W/") == etag)
        });
    if matches {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        *response.body_mut() = Bytes::new();
        return response;
    }
    response.headers_mut().insert(
        header::ACCEPT_RANGES,
        http::HeaderValue::from_static("bytes"),
    );
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("bytes="))
        .and_then(|v| v.split_once('-'))
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)));
    if let Some((first, last)) = range
        && first <= last
        && last < body.len()
    {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        let content_range = format!("bytes {first}-{last}/{}", body.len());
        if let Ok(value) = content_range.parse() {
            response.headers_mut().insert(header::CONTENT_RANGE, value);
        }
        *response.body_mut() = body.slice(first..=last);
    }
    response
}

/// A stable fingerprint for ETags (FNV-1a, 64 bits).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The id of the tickets' "Account number" custom field.
pub const ACCOUNT_FIELD: u64 = 360_001;

fn status_reply(status: StatusCode) -> Reply {
    let mut reply = json_reply(&json!({ "error": status.canonical_reason().unwrap_or("error") }));
    *reply.status_mut() = status;
    reply
}

fn id_of(segment: &str) -> Option<u64> {
    segment.parse().ok()
}

fn json_id(file: &str) -> Option<u64> {
    file.strip_suffix(".json").and_then(id_of)
}

fn ticket_json(t: &Ticket) -> Value {
    json!({
        "id": t.id,
        "url": format!("/api/v2/tickets/{}.json", t.id),
        "subject": t.subject,
        "raw_subject": t.subject,
        "description": t.comments.first().map_or("", |c| c.body.as_str()),
        "status": t.status,
        "priority": t.priority,
        "requester_id": t.requester_id,
        "submitter_id": t.requester_id,
        // The customer's account number, as a custom field holds it.
        "custom_fields": [
            { "id": ACCOUNT_FIELD, "value": format!("ACC-{}", t.requester_id) },
        ],
        "assignee_id": t.assignee_id,
        "tags": t.tags,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    })
}

fn comment_json(c: &Comment) -> Value {
    json!({
        "id": c.id,
        "type": "Comment",
        "author_id": c.author_id,
        "body": c.body,
        "html_body": html_body(&c.body),
        "plain_body": c.body,
        "public": c.public,
        "created_at": c.created_at,
        "attachments": c.attachments.iter().map(|a| json!({
            "id": a.id,
            "file_name": a.file_name,
            "content_url": attachment_url(a),
            "content_type": a.content_type,
            "size": a.content.len(),
        })).collect::<Vec<_>>(),
    })
}

fn user_json(u: &User) -> Value {
    json!({
        "id": u.id,
        "url": format!("/api/v2/users/{}.json", u.id),
        "name": u.name,
        "email": u.email,
        "phone": u.phone,
        "external_id": u.external_id,
        "role": u.role,
        "locale": u.locale,
        "time_zone": u.time_zone,
        "created_at": u.created_at,
    })
}

/// Relative, so that links keep going through veilgate.
fn attachment_url(a: &Attachment) -> String {
    format!("/attachments/{}/{}", a.id, a.file_name)
}

/// Zendesk's `html_body`: paragraphs, line breaks kept.
fn html_body(body: &str) -> String {
    let paragraphs: Vec<String> = body
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect();
    format!(
        "<div class=\"zd-comment\" dir=\"auto\">{}</div>",
        paragraphs.concat()
    )
}

/// Tickets whose subject or comments contain every word of `query=`.
fn search(seed: &Seed, query: Option<&str>) -> Value {
    let wanted: String = query
        .into_iter()
        .flat_map(url_decoded_pairs)
        .filter(|(k, _)| k == "query")
        .map(|(_, v)| v.to_lowercase())
        .collect();
    let words: Vec<&str> = wanted.split_whitespace().collect();
    let results: Vec<Value> = seed
        .tickets
        .iter()
        .filter(|t| {
            let text = std::iter::once(t.subject.as_str())
                .chain(t.comments.iter().map(|c| c.body.as_str()))
                .collect::<Vec<_>>()
                .join("\n")
                .to_lowercase();
            words.iter().all(|w| text.contains(w))
        })
        .map(|t| {
            let mut v = ticket_json(t);
            v["result_type"] = "ticket".into();
            v
        })
        .collect();
    json!({ "results": results, "count": results.len(), "next_page": null })
}

fn url_decoded_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .ok()
                .map(|c| c.into_owned())
        };
        Some((decode(k)?, decode(v)?))
    })
}

fn index_page(seed: &Seed) -> String {
    let rows: String = seed
        .tickets
        .iter()
        .map(|t| {
            let requester = seed.user(t.requester_id);
            format!(
                "<tr><td><a href=\"/tickets/{id}\">#{id}</a></td><td>{subject}</td><td>{name} &lt;{email}&gt;</td><td>{status}</td></tr>\n",
                id = t.id,
                subject = escape(&t.subject),
                name = escape(requester.map_or("", |u| u.name.as_str())),
                email = escape(requester.map_or("", |u| u.email.as_str())),
                status = escape(&t.status),
            )
        })
        .collect();
    page(
        "Demo Helpdesk",
        &format!(
            "<h1>Demo Helpdesk</h1>\n<p>Fake tickets with fake customer data. Through veilgate, personal data and secrets are redacted.</p>\n<table>\n<tr><th>Ticket</th><th>Subject</th><th>Requester</th><th>Status</th></tr>\n{rows}</table>\n<p>API: <a href=\"/api/v2/tickets.json\">tickets</a>, <a href=\"/api/v2/users.json\">users</a>, <a href=\"/api/v2/chat/transcript.txt\">chat transcript</a></p>"
        ),
    )
}

fn ticket_page(seed: &Seed, t: &Ticket) -> String {
    let comments: String = t
        .comments
        .iter()
        .map(|c| {
            // Shown as a mailbox, `Name <address>`, as mail-based tools do.
            let author = seed
                .user(c.author_id)
                .map_or(String::new(), |u| format!("{} <{}>", u.name, u.email));
            let files: String = c
                .attachments
                .iter()
                .map(|a| {
                    format!(
                        "<li><a href=\"{}\">{}</a></li>",
                        escape(&attachment_url(a)),
                        escape(&a.file_name)
                    )
                })
                .collect();
            format!(
                "<article><h3>{} <small>{}</small></h3><pre>{}</pre><ul>{files}</ul></article>\n",
                escape(&author),
                escape(&c.created_at),
                escape(&c.body)
            )
        })
        .collect();
    page(
        &format!("#{} {}", t.id, t.subject),
        &format!(
            "<p><a href=\"/\">All tickets</a> · <a href=\"/api/v2/tickets/{id}/comments.json\">JSON</a></p>\n<h1>#{id} {subject}</h1>\n{comments}",
            id = t.id,
            subject = escape(&t.subject)
        ),
    )
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}pre{{white-space:pre-wrap;background:#f4f4f4;padding:1rem}}td,th{{padding:.3rem .6rem;text-align:left}}</style></head>\n<body>\n{body}\n</body></html>\n",
        escape(title)
    )
}

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn html(body: String) -> Reply {
    respond("text/html; charset=utf-8", body.into())
}

fn json_reply(value: &Value) -> Reply {
    respond("application/json; charset=utf-8", value.to_string().into())
}

fn respond(content_type: &str, body: Bytes) -> Reply {
    let mut response = Response::new(body);
    if let Ok(value) = content_type.parse() {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

fn not_found() -> Reply {
    let mut response =
        json_reply(&json!({ "error": "RecordNotFound", "description": "Not found" }));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}
