//! The customers' listener: `/verify/{token}` (the check) and
//! `/enroll/{token}` (the first code of a new enrollment), each a
//! server-rendered form and its JSON twin for chat widgets (`Accept:
//! application/json` on GET, `Content-Type: application/json` on POST).
//!
//! Forms carry a CSRF token bound to a cookie and to the link (HMAC over
//! both with a key every replica derives from the keyring); a POST from
//! another site (`Origin`, `Sec-Fetch-Site`) is refused. The JSON twin
//! needs no token: a cross-site page cannot send `application/json` without
//! a CORS preflight, which this listener never grants.

use std::net::SocketAddr;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use rand::RngCore;
use serde::Deserialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::page::{Notice, Speaker, security_headers};
use super::{Reply, client_ip, is_json, json_reply, media_type, read_body};
use crate::verify::i18n::Language;
use crate::verify::service::{Actor, ChallengeState, Verifier, VerifyError};

pub struct Public {
    verifier: Arc<Verifier>,
    csrf_key: Zeroizing<[u8; 32]>,
    https: bool,
    cookie: &'static str,
}

impl Public {
    pub fn new(verifier: Arc<Verifier>, https: bool) -> Public {
        Public {
            csrf_key: verifier.keyring().derived_key("csrf"),
            verifier,
            https,
            // `__Host-` cookies are bound to this host and need Secure.
            cookie: if https { "__Host-vg_csrf" } else { "vg_csrf" },
        }
    }

    fn csrf_token(&self, cookie: &str, link: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.csrf_key.as_ref()).expect("any key length");
        mac.update(cookie.as_bytes());
        mac.update(b"|");
        mac.update(link.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    fn cookie_value(&self, headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == self.cookie && value.len() == 22)
            .map(|(_, value)| value.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Verify,
    Enroll,
}

#[derive(Deserialize)]
struct CodeRequest {
    code: String,
}

pub async fn handle(public: Arc<Public>, request: Request<Incoming>, peer: SocketAddr) -> Reply {
    let mut reply = route(&public, request, peer).await;
    security_headers(reply.headers_mut(), public.https);
    reply
}

async fn route(public: &Public, request: Request<Incoming>, peer: SocketAddr) -> Reply {
    let path = request.uri().path().to_string();
    if path == "/health" {
        return json_reply(StatusCode::OK, &serde_json::json!({ "status": "ok" }));
    }
    let mut parts = path.trim_start_matches('/').splitn(3, '/');
    let (flow, token) = match (parts.next(), parts.next(), parts.next()) {
        (Some("verify"), Some(token), None) => (Flow::Verify, token.to_string()),
        (Some("enroll"), Some(token), None) => (Flow::Enroll, token.to_string()),
        _ => return plain(StatusCode::NOT_FOUND, "not found"),
    };
    let verifier = &public.verifier;
    let hops = verifier.settings().forwarded_hops;
    let actor = Actor {
        agent: None,
        client_ip: Some(client_ip(request.headers(), peer, hops)),
    };
    let query_language = request.uri().query().and_then(|q| {
        form_pairs(q)
            .into_iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Language::parse(&v))
    });
    let browser_language = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::negotiate);
    // The link's own language (the agent's choice) comes after what the
    // customer's browser or their click on the switch says.
    let link_language = match flow {
        Flow::Verify => verifier.link(&token).await.ok().map(|view| view.language),
        Flow::Enroll => None,
    };
    let mut language = query_language
        .or(browser_language)
        .or(link_language)
        .unwrap_or_else(|| verifier.default_language());
    let method = request.method().clone();
    let headers = request.headers().clone();
    match method {
        Method::GET | Method::HEAD => {
            let json = wants_json(&headers);
            get(public, flow, &token, language, json, &headers).await
        }
        Method::POST => {
            let json = is_json(&headers);
            let body = match read_body(request.into_body()).await {
                Ok(body) => body,
                Err(reply) => return reply,
            };
            if json {
                let code = match serde_json::from_slice::<CodeRequest>(&body) {
                    Ok(request) => request.code,
                    Err(_) => {
                        return json_reply(
                            StatusCode::BAD_REQUEST,
                            &serde_json::json!({ "status": "bad_request", "message": "send {\"code\": \"123456\"}" }),
                        );
                    }
                };
                return post_json(public, flow, &token, &code, language, &actor).await;
            }
            let fields = form_pairs(std::str::from_utf8(&body).unwrap_or(""));
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            };
            if let Some(chosen) = field("lang").and_then(Language::parse) {
                language = query_language.unwrap_or(chosen);
            }
            let code = field("code").unwrap_or("").to_string();
            let csrf = field("csrf").unwrap_or("").to_string();
            post_form(
                public, flow, &token, &code, &csrf, language, &headers, &actor,
            )
            .await
        }
        _ => {
            let mut reply = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
            reply
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, POST"));
            reply
        }
    }
}

fn speaker<'a>(verifier: &'a Verifier, language: Language) -> Speaker<'a> {
    let settings = verifier.settings();
    Speaker {
        messages: verifier.messages(),
        language,
        issuer: &settings.issuer,
        digits: settings.totp.digits,
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    media_type(headers, header::ACCEPT).is_some_and(|m| m == "application/json")
}

async fn get(
    public: &Public,
    flow: Flow,
    token: &str,
    language: Language,
    json: bool,
    headers: &HeaderMap,
) -> Reply {
    let verifier = &public.verifier;
    let say = speaker(verifier, language);
    let (cookie, fresh) = match public.cookie_value(headers) {
        Some(cookie) => (cookie, false),
        None => (new_cookie(), true),
    };
    let csrf = public.csrf_token(&cookie, token);
    let mut reply = match flow {
        Flow::Verify => match verifier.link(token).await {
            Ok(view) if json => json_reply(
                StatusCode::OK,
                &serde_json::json!({
                    "status": view.state,
                    "language": language,
                    "digits": verifier.settings().totp.digits,
                    "expires_at": crate::verify::clock::rfc3339(view.expires_ms),
                }),
            ),
            Ok(view) if view.state == ChallengeState::Verified => {
                html(StatusCode::OK, say.verified())
            }
            Ok(_) => html(StatusCode::OK, say.verify_form(token, &csrf, Notice::None)),
            Err(e) => error_page(&say, &e, json, flow, token, &csrf),
        },
        Flow::Enroll => match verifier.enrollment_page(token).await {
            Ok(_) if json => json_reply(
                StatusCode::OK,
                &serde_json::json!({ "status": "pending", "language": language, "digits": verifier.settings().totp.digits }),
            ),
            Ok(page) => html(
                StatusCode::OK,
                say.enroll_form(token, &csrf, &page.qr_png, &page.manual_key, Notice::None),
            ),
            Err(e) => error_page(&say, &e, json, flow, token, &csrf),
        },
    };
    if fresh && !json {
        set_cookie(public, &mut reply, &cookie);
    }
    reply
}

async fn post_json(
    public: &Public,
    flow: Flow,
    token: &str,
    code: &str,
    language: Language,
    actor: &Actor,
) -> Reply {
    let verifier = &public.verifier;
    let result = match flow {
        Flow::Verify => verifier.check(token, code, actor).await.map(|_| ()),
        Flow::Enroll => verifier.confirm_enrollment(token, code, actor).await,
    };
    let say = speaker(verifier, language);
    match result {
        Ok(()) => json_reply(
            StatusCode::OK,
            &serde_json::json!({
                "status": "verified",
                "message": verifier.messages().get(language, match flow {
                    Flow::Verify => "success_heading",
                    Flow::Enroll => "enroll_success",
                }, &[]),
            }),
        ),
        Err(e) => error_page(&say, &e, true, flow, token, ""),
    }
}

#[allow(clippy::too_many_arguments)]
async fn post_form(
    public: &Public,
    flow: Flow,
    token: &str,
    code: &str,
    csrf: &str,
    language: Language,
    headers: &HeaderMap,
    actor: &Actor,
) -> Reply {
    let verifier = &public.verifier;
    let say = speaker(verifier, language);
    let cookie = public.cookie_value(headers);
    let expected = cookie.as_deref().map(|c| public.csrf_token(c, token));
    let token_ok = expected
        .as_deref()
        .is_some_and(|e| bool::from(e.as_bytes().ct_eq(csrf.as_bytes())));
    if !token_ok || cross_site(headers) {
        // A fresh cookie and form: a customer whose page sat open too long
        // simply types the code again.
        let cookie = new_cookie();
        let csrf = public.csrf_token(&cookie, token);
        let mut reply = match flow {
            Flow::Verify => html(
                StatusCode::FORBIDDEN,
                say.verify_form(token, &csrf, Notice::Stale),
            ),
            Flow::Enroll => match verifier.enrollment_page(token).await {
                Ok(page) => html(
                    StatusCode::FORBIDDEN,
                    say.enroll_form(token, &csrf, &page.qr_png, &page.manual_key, Notice::Stale),
                ),
                Err(e) => return error_page(&say, &e, false, flow, token, &csrf),
            },
        };
        set_cookie(public, &mut reply, &cookie);
        return reply;
    }
    let result = match flow {
        Flow::Verify => verifier.check(token, code, actor).await.map(|_| ()),
        Flow::Enroll => verifier.confirm_enrollment(token, code, actor).await,
    };
    let csrf = csrf.to_string();
    match result {
        Ok(()) => match flow {
            Flow::Verify => html(StatusCode::OK, say.verified()),
            Flow::Enroll => html(StatusCode::OK, say.enrolled()),
        },
        Err(e) => match (flow, &e) {
            (Flow::Enroll, VerifyError::CheckFailed | VerifyError::Locked { .. }) => {
                match verifier.enrollment_page(token).await {
                    Ok(page) => {
                        let (status, notice) = notice_for(&e);
                        html(
                            status,
                            say.enroll_form(token, &csrf, &page.qr_png, &page.manual_key, notice),
                        )
                    }
                    Err(other) => error_page(&say, &other, false, flow, token, &csrf),
                }
            }
            _ => error_page(&say, &e, false, flow, token, &csrf),
        },
    }
}

fn notice_for(e: &VerifyError) -> (StatusCode, Notice) {
    match e {
        VerifyError::Locked { retry_after } => (
            StatusCode::TOO_MANY_REQUESTS,
            Notice::Locked {
                minutes: retry_after.as_secs().div_ceil(60).max(1),
            },
        ),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, Notice::Failed),
    }
}

/// The answer for a failure: the same words whatever failed inside.
fn error_page(
    say: &Speaker<'_>,
    e: &VerifyError,
    json: bool,
    flow: Flow,
    token: &str,
    csrf: &str,
) -> Reply {
    let (status, key) = match e {
        VerifyError::InvalidLink | VerifyError::NotFound => (StatusCode::NOT_FOUND, "invalid_text"),
        VerifyError::Locked { .. } => (StatusCode::TOO_MANY_REQUESTS, "locked"),
        VerifyError::Unavailable(inner) => {
            tracing::error!(error = %inner, "verification store failed");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
        VerifyError::CheckFailed | VerifyError::BadRequest(_) | VerifyError::AlreadyEnrolled => {
            (StatusCode::UNPROCESSABLE_ENTITY, "failed")
        }
    };
    let mut reply = if json {
        let minutes = match e {
            VerifyError::Locked { retry_after } => retry_after.as_secs().div_ceil(60).max(1),
            _ => 0,
        };
        let mut body = serde_json::json!({
            "status": match status {
                StatusCode::NOT_FOUND => "invalid",
                StatusCode::TOO_MANY_REQUESTS => "locked",
                StatusCode::SERVICE_UNAVAILABLE => "unavailable",
                _ => "failed",
            },
            "message": say.messages.get(say.language, key, &[("minutes", &minutes.to_string())]),
        });
        if let VerifyError::Locked { retry_after } = e {
            body["retry_after"] = retry_after.as_secs().max(1).into();
        }
        json_reply(status, &body)
    } else {
        match e {
            VerifyError::InvalidLink | VerifyError::NotFound => html(status, say.invalid()),
            VerifyError::Unavailable(_) => html(status, say.unavailable()),
            _ => {
                let (status, notice) = notice_for(e);
                match flow {
                    Flow::Verify => html(status, say.verify_form(token, csrf, notice)),
                    // The enrollment form needs its QR code; the caller
                    // renders it, this is the fallback.
                    Flow::Enroll => html(status, say.invalid()),
                }
            }
        }
    };
    if let VerifyError::Locked { retry_after } = e {
        reply.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(retry_after.as_secs().max(1)),
        );
    }
    reply
}

/// A POST sent by another site's page.
fn cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("same-origin");
    if !matches!(fetch_site, "same-origin" | "none") {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // Browsers send `Origin: null` on a form POST from a page whose
        // referrer policy is `no-referrer`, as ours is: the token and
        // Sec-Fetch-Site decide then.
        None | Some("null") => false,
        Some(origin) => {
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            origin_host.is_none() || origin_host != host
        }
    }
}

fn new_cookie() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn set_cookie(public: &Public, reply: &mut Reply, value: &str) {
    let secure = if public.https { "; Secure" } else { "" };
    let cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict{secure}",
        public.cookie
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        reply.headers_mut().insert(header::SET_COOKIE, value);
    }
}

fn html(status: StatusCode, page: String) -> Reply {
    let mut reply = Response::new(Bytes::from(page));
    *reply.status_mut() = status;
    reply.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    reply
}

fn plain(status: StatusCode, message: &'static str) -> Reply {
    let mut reply = Response::new(Bytes::from_static(message.as_bytes()));
    *reply.status_mut() = status;
    reply.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    reply
}

/// `application/x-www-form-urlencoded` pairs (also a query string).
fn form_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(key), decode(value))
        })
        .collect()
}
