//! The agents' endpoints, under the reserved prefix `/_veilgate/` on the
//! proxy's listener (never forwarded upstream), and shared with the admin
//! API: start a challenge, poll it, look up and revoke a scope's grant.
//!
//! - `POST /_veilgate/challenges` `{"contact", "scope", "language"?}` → 201
//!   with the customer link and a prompt to paste
//! - `GET /_veilgate/challenges/{id}` → its status
//! - `GET /_veilgate/grants/{scope}`, `DELETE /_veilgate/grants/{scope}`

use std::net::SocketAddr;

use bytes::Bytes;
use http::request::Parts;
use http::{Method, StatusCode};
use serde::Deserialize;

use super::{
    Reply, agent_actor, error_reply, json_reply, no_content, parse_json, segments, service_error,
};
use crate::verify::i18n::Language;
use crate::verify::service::{Actor, Verifier};

/// The reserved prefix on the agent listener.
pub const PREFIX: &str = "/_veilgate/";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChallengeRequest {
    contact: String,
    scope: String,
    #[serde(default)]
    language: Option<String>,
}

/// Answers a request under [`PREFIX`] on the agent listener.
pub async fn handle(verifier: &Verifier, parts: &Parts, body: Bytes, peer: SocketAddr) -> Reply {
    let who = agent_actor(verifier, &parts.headers, peer);
    let Some(segments) = segments(parts.uri.path(), PREFIX) else {
        return not_found();
    };
    shared_routes(verifier, parts, &segments, &body, &who)
        .await
        .unwrap_or_else(not_found)
}

/// The `language` of a challenge request, if it names one.
///
/// # Errors
/// A 400 answer for a language veilgate does not speak.
#[allow(clippy::result_large_err)]
pub fn parse_language(tag: Option<&str>) -> Result<Option<Language>, Reply> {
    match tag {
        None => Ok(None),
        Some(tag) => Language::parse(tag).map(Some).ok_or_else(|| {
            error_reply(
                StatusCode::BAD_REQUEST,
                "bad_language",
                "`language` must be one of en, nl, fr, de, da, fi",
            )
        }),
    }
}

fn not_found() -> Reply {
    error_reply(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such veilgate endpoint",
    )
}

/// The routes the agent and admin APIs share; `None` when none matches.
pub async fn shared_routes(
    verifier: &Verifier,
    parts: &Parts,
    segments: &[String],
    body: &[u8],
    who: &Actor,
) -> Option<Reply> {
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let reply = match (&parts.method, segments.as_slice()) {
        (&Method::POST, ["challenges"]) => {
            let request: ChallengeRequest = match parse_json(&parts.headers, body) {
                Ok(request) => request,
                Err(reply) => return Some(reply),
            };
            let language = match parse_language(request.language.as_deref()) {
                Ok(language) => language,
                Err(reply) => return Some(reply),
            };
            match verifier
                .create_challenge(&request.contact, &request.scope, language, who)
                .await
            {
                Ok(challenge) => json_reply(StatusCode::CREATED, &challenge),
                Err(e) => service_error(&e),
            }
        }
        (&Method::GET, ["challenges", id]) => match verifier.challenge_status(id).await {
            Ok(status) => json_reply(StatusCode::OK, &status),
            Err(e) => service_error(&e),
        },
        (&Method::GET, ["grants", scope]) => match verifier.grant(scope).await {
            Ok(status) => json_reply(StatusCode::OK, &status),
            Err(e) => service_error(&e),
        },
        (&Method::DELETE, ["grants", scope]) => match verifier.revoke_grant(scope, who).await {
            Ok(()) => no_content(),
            Err(e) => service_error(&e),
        },
        (_, ["challenges"] | ["challenges", _] | ["grants", _]) => error_reply(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this endpoint does not take that method",
        ),
        _ => return None,
    };
    Some(reply)
}
