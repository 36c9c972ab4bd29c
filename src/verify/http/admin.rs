//! The operators' listener: `/health`, `/metrics` (Prometheus text), and
//! under `/v1/` the admin API, which needs `Authorization: Bearer <token>`:
//!
//! - `POST /v1/enrollments` `{"contact", "secret"?, "replace"?}`: enroll
//!   (or import a base32 secret); the answer carries the `otpauth://` URI,
//!   the QR code and the enrollment link — the only time the secret is shown
//! - `GET /v1/enrollments`, `GET /v1/enrollments/{contact or id}`,
//!   `DELETE /v1/enrollments/{contact or id}`
//! - the agent routes ([`super::agent`]): challenges and grants
//! - `PUT /v1/testing/clock` `{"unix_ms"}`, only with
//!   `verification.testing_clock`

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Method, Request, StatusCode, header};
use hyper::body::Incoming;
use prometheus_client::encoding::text::encode;
use prometheus_client::registry::Registry;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::agent::shared_routes;
use super::{
    Reply, agent_actor, error_reply, json_reply, no_content, parse_json, read_body, segments,
    service_error,
};
use crate::verify::service::Verifier;

pub struct Admin {
    verifier: Arc<Verifier>,
    /// SHA-256 of the token: compared in constant time whatever the length
    /// of what is offered.
    token_digest: [u8; 32],
    registry: Registry,
}

impl Admin {
    pub fn new(verifier: Arc<Verifier>, token: &str) -> Admin {
        let mut registry = Registry::default();
        registry.register(
            "veilgate_verification_events",
            "Verification events by kind (enrollments, challenges, checks, lockouts, replays, grants)",
            verifier.audit().events.clone(),
        );
        Admin {
            token_digest: Sha256::digest(token.as_bytes()).into(),
            verifier,
            registry,
        }
    }

    fn authorised(&self, request: &Request<Incoming>) -> bool {
        let offered = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .unwrap_or("");
        let digest: [u8; 32] = Sha256::digest(offered.as_bytes()).into();
        bool::from(digest.ct_eq(&self.token_digest)) && !offered.is_empty()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnrollRequest {
    contact: String,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    replace: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockRequest {
    unix_ms: u64,
}

pub async fn handle(admin: Arc<Admin>, request: Request<Incoming>, peer: SocketAddr) -> Reply {
    let path = request.uri().path().to_string();
    match (request.method(), path.as_str()) {
        (&Method::GET, "/health") => return health(&admin.verifier).await,
        (&Method::GET, "/metrics") => return metrics(&admin),
        _ => {}
    }
    let Some(segments) = segments(&path, "/v1/") else {
        return error_reply(StatusCode::NOT_FOUND, "not_found", "no such admin endpoint");
    };
    if !admin.authorised(&request) {
        let mut reply = error_reply(
            StatusCode::UNAUTHORIZED,
            "unauthorised",
            "the admin API needs the admin bearer token",
        );
        reply
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return reply;
    }
    let (parts, body) = request.into_parts();
    let body = match read_body(body).await {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let verifier = &admin.verifier;
    let who = agent_actor(verifier, &parts.headers, peer);
    let segments_ref: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (&parts.method, segments_ref.as_slice()) {
        (&Method::POST, ["enrollments"]) => {
            let request: EnrollRequest = match parse_json(&parts.headers, &body) {
                Ok(request) => request,
                Err(reply) => return reply,
            };
            let result = match &request.secret {
                Some(secret) => {
                    verifier
                        .import(&request.contact, secret, request.replace, &who)
                        .await
                }
                None => {
                    verifier
                        .enroll(&request.contact, request.replace, &who)
                        .await
                }
            };
            match result {
                Ok(enrollment) => json_reply(StatusCode::CREATED, &enrollment),
                Err(e) => service_error(&e),
            }
        }
        (&Method::GET, ["enrollments"]) => match verifier.list_enrollments().await {
            Ok(list) => json_reply(StatusCode::OK, &serde_json::json!({ "enrollments": list })),
            Err(e) => service_error(&e),
        },
        (&Method::GET, ["enrollments", contact]) => match verifier.enrollment(contact).await {
            Ok(list) if list.is_empty() => error_reply(
                StatusCode::NOT_FOUND,
                "not_found",
                "no enrollment for that contact",
            ),
            Ok(list) => json_reply(StatusCode::OK, &serde_json::json!({ "enrollments": list })),
            Err(e) => service_error(&e),
        },
        (&Method::DELETE, ["enrollments", contact]) => {
            match verifier.revoke_enrollment(contact, &who).await {
                Ok(()) => no_content(),
                Err(e) => service_error(&e),
            }
        }
        (&Method::PUT, ["testing", "clock"]) if verifier.settings().testing_clock => {
            let request: ClockRequest = match parse_json(&parts.headers, &body) {
                Ok(request) => request,
                Err(reply) => return reply,
            };
            verifier.clock().set_ms(request.unix_ms);
            json_reply(
                StatusCode::OK,
                &serde_json::json!({ "unix_ms": verifier.now() }),
            )
        }
        _ => shared_routes(verifier, &parts, &segments, &body, &who)
            .await
            .unwrap_or_else(|| {
                error_reply(StatusCode::NOT_FOUND, "not_found", "no such admin endpoint")
            }),
    }
}

async fn health(verifier: &Verifier) -> Reply {
    match verifier.store().get("health", verifier.now()).await {
        Ok(_) => json_reply(
            StatusCode::OK,
            &serde_json::json!({ "status": "ok", "store": "ok" }),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: the store is unavailable");
            json_reply(
                StatusCode::SERVICE_UNAVAILABLE,
                &serde_json::json!({ "status": "degraded", "store": "unavailable" }),
            )
        }
    }
}

fn metrics(admin: &Admin) -> Reply {
    let mut text = String::new();
    if encode(&mut text, &admin.registry).is_err() {
        return error_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "metrics",
            "cannot encode metrics",
        );
    }
    let mut reply = Reply::new(Bytes::from(text));
    reply.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    reply
}
