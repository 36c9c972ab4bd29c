//! The agents' verification endpoints when the gate is on, under the
//! reserved prefix on the agent listener:
//!
//! - `POST /_veilgate/scopes/{scope}/verify` `{"language"?, "post"?}`:
//!   finds the scope's contact through its adapter, starts a challenge and,
//!   with the Zendesk adapter, posts the prompt into the ticket.
//! - `POST /_veilgate/challenges` `{"contact", "scope"}`: for a scope whose
//!   contact an adapter knows, the named contact must be that contact.
//!
//! Everything else goes to the verification API ([`agent::handle`]).

use std::net::SocketAddr;

use bytes::Bytes;
use http::request::Parts;
use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Gate;
use super::contact::Adapter;
use super::scope::{Scope, Scoping};
use crate::verify::http::agent::{self, PREFIX};
use crate::verify::http::{
    Reply, agent_actor, error_reply, json_reply, parse_json, segments, service_error,
};
use crate::verify::service::Actor;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    language: Option<String>,
    /// Post the prompt into the conversation (Zendesk; default: as
    /// configured).
    #[serde(default)]
    post: Option<bool>,
}

/// Answers a request under the reserved prefix.
pub async fn handle(gate: &Gate, parts: &Parts, body: Bytes, peer: SocketAddr) -> Reply {
    let verifier = gate.verifier();
    let segments = segments(parts.uri.path(), PREFIX).unwrap_or_default();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let who = agent_actor(verifier, &parts.headers, peer);
    match (&parts.method, segments.as_slice()) {
        (&Method::POST, ["scopes", scope, "verify"]) => {
            let request: VerifyRequest = if body.is_empty() {
                VerifyRequest::default()
            } else {
                match parse_json(&parts.headers, &body) {
                    Ok(request) => request,
                    Err(reply) => return reply,
                }
            };
            if request.scope.as_deref().is_some_and(|s| s != *scope) {
                return error_reply(
                    StatusCode::BAD_REQUEST,
                    "scope_mismatch",
                    "the body names another scope than the path",
                );
            }
            start(gate, parts, scope, request, &who).await
        }
        (&Method::POST, ["challenges"]) => {
            let request: VerifyRequest = match parse_json(&parts.headers, &body) {
                Ok(request) => request,
                Err(reply) => return reply,
            };
            let scope = request.scope.clone().unwrap_or_default();
            // A scope the gate maps goes through its adapter; any other
            // keeps the plain API (explicit contact).
            if gate.templates.parse_scope(&scope).is_some() {
                let request = VerifyRequest {
                    post: Some(request.post.unwrap_or(false)),
                    ..request
                };
                return start(gate, parts, &scope, request, &who).await;
            }
            agent::handle(verifier, parts, body, peer).await
        }
        (&Method::GET | &Method::HEAD, ["scopes", scope]) => status(gate, parts, scope, &who).await,
        _ => agent::handle(verifier, parts, body, peer).await,
    }
}

/// Starts verification for `scope`: its contact from the adapter (an
/// explicit contact must agree), a challenge, and the prompt posted.
async fn start(
    gate: &Gate,
    parts: &Parts,
    scope_name: &str,
    request: VerifyRequest,
    who: &Actor,
) -> Reply {
    let verifier = gate.verifier();
    let scope = match mapped_scope(gate, scope_name) {
        Ok(scope) => scope,
        Err(reply) => return reply,
    };
    let language = match agent::parse_language(request.language.as_deref()) {
        Ok(language) => language,
        Err(reply) => return reply,
    };
    let adapter = &gate.adapters[scope.mapping];
    let contact = match gate.resolver.resolve(adapter, &scope, &parts.headers).await {
        Ok(Some(contact)) => {
            // The adapter says who the contact is; a request cannot say
            // otherwise.
            if let Some(named) = &request.contact
                && verifier.keyring().contact_id(named)
                    != verifier.keyring().contact_id(&contact.identity)
            {
                return error_reply(
                    StatusCode::CONFLICT,
                    "contact_mismatch",
                    "this conversation's contact is not the one named; veilgate asks the tool who it is",
                );
            }
            contact.identity.clone()
        }
        Ok(None) => match request.contact {
            Some(contact) => contact,
            None => {
                return error_reply(
                    StatusCode::BAD_REQUEST,
                    "contact_required",
                    "this scope has no contact adapter: name the `contact`",
                );
            }
        },
        Err(e) => {
            verifier.record_gate(
                crate::verify::audit::Event::ContactUnresolved,
                Some(&scope.name),
                who,
                0,
            );
            return error_reply(
                StatusCode::BAD_GATEWAY,
                "contact_unresolved",
                &e.to_string(),
            );
        }
    };
    let challenge = match verifier
        .create_challenge(&contact, &scope.name, language, who)
        .await
    {
        Ok(challenge) => challenge,
        Err(e) => return service_error(&e),
    };
    let mut answer = serde_json::to_value(&challenge).expect("challenges serialise");
    let wants_post = request.post.unwrap_or(gate.settings.zendesk.post_prompt);
    if let (Adapter::Zendesk { .. }, true) = (adapter, wants_post) {
        let posted = post_prompt(gate, parts, &scope, &challenge.prompt).await;
        if posted.is_ok() {
            verifier.record_gate(
                crate::verify::audit::Event::PromptPosted,
                Some(&scope.name),
                who,
                1,
            );
        }
        answer["posted"] = Value::Bool(posted.is_ok());
        if let Err(why) = posted {
            answer["post_error"] = Value::String(why);
        }
    }
    json_reply(StatusCode::CREATED, &answer)
}

/// The scope an agent names, as one of the gate's mappings produces it.
#[allow(clippy::result_large_err)]
fn mapped_scope(gate: &Gate, name: &str) -> Result<Scope, Reply> {
    gate.templates.parse_scope(name).ok_or_else(|| {
        error_reply(
            StatusCode::NOT_FOUND,
            "unknown_scope",
            "no scope mapping of this veilgate produces that scope",
        )
    })
}

/// Adds the prompt to the ticket as a public comment, as the agent.
async fn post_prompt(
    gate: &Gate,
    parts: &Parts,
    scope: &Scope,
    prompt: &str,
) -> Result<(), String> {
    let ticket = scope.capture("ticket").ok_or("the scope names no ticket")?;
    let body = json!({ "ticket": { "comment": { "body": prompt, "public": true } } });
    let path = format!("/api/v2/tickets/{ticket}.json");
    match gate
        .resolver
        .call(Method::PUT, &path, &parts.headers, Some(body))
        .await
    {
        Ok((status, _)) if status.is_success() => Ok(()),
        Ok((status, _)) => Err(format!("the tool answered {status} to the comment")),
        Err(e) => Err(e.to_string()),
    }
}

/// The state of a scope as the gate sees it for this agent.
async fn status(gate: &Gate, parts: &Parts, scope_name: &str, who: &Actor) -> Reply {
    let scope = match mapped_scope(gate, scope_name) {
        Ok(scope) => scope,
        Err(reply) => return reply,
    };
    let action = Gate::action(&scope.name);
    let admission = gate
        .judge(Scoping::Scope(scope), &parts.headers, who.clone())
        .await;
    json_reply(
        StatusCode::OK,
        &json!({
            "scope": admission.scope_name(),
            "contact": if admission.unresolved.is_some() { "unresolved" } else { "resolved" },
            "verified": admission.verified,
            "verify": { "method": "POST", "path": action },
        }),
    )
}
