//! Who the contact of a scope is: fetched from the upstream with the
//! agent's own credentials (so an agent learns nothing the tool would not
//! show them) and cached briefly per scope and credentials. Any failure
//! leaves the contact unresolved, and the gate closed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Limited};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::scope::Scope;
use super::settings::{Identity, JsonAdapterSettings};
use crate::proxy::body::{self, BoxError};
use crate::proxy::upstream::{HttpsClient, Upstream};
use crate::redact::known::{ContactFacts, KnownValues};

/// Upstream answers larger than this are not read for a contact.
const MAX_ANSWER: usize = 1 << 20;

/// The agent's request headers passed on when veilgate asks the upstream
/// on their behalf.
const CREDENTIAL_HEADERS: [header::HeaderName; 2] = [header::AUTHORIZATION, header::COOKIE];

/// A resolved contact: who they enrolled as, and what is known about them.
#[derive(Debug)]
pub struct Contact {
    /// The contact identity verification uses (an e-mail or external id).
    pub identity: String,
    pub known: Arc<KnownValues>,
}

/// Why a contact could not be resolved. Never holds upstream data.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ContactError {
    #[error("the upstream answered {0} while veilgate looked up the contact")]
    Status(StatusCode),
    #[error("the upstream could not be reached to look up the contact")]
    Unreachable,
    #[error("the upstream's answer did not say who the contact is")]
    Malformed,
}

/// How contacts of one mapping are found.
#[derive(Debug, Clone)]
pub enum Adapter {
    /// The agent names the contact; nothing is looked up.
    Explicit,
    Zendesk {
        identity: Identity,
    },
    Json(JsonAdapterSettings),
}

/// A scope and the digest of the credentials it was looked up with.
type CacheKey = (String, [u8; 32]);

/// Asks the upstream about contacts, with the agent's credentials.
pub struct Resolver {
    upstream: Upstream,
    client: HttpsClient,
    timeout: Duration,
    ttl: Duration,
    cache: Mutex<HashMap<CacheKey, (Instant, Arc<Contact>)>>,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl Resolver {
    pub fn new(upstream: Upstream, client: HttpsClient, timeout: Duration, ttl: Duration) -> Self {
        Resolver {
            upstream,
            client,
            timeout,
            ttl,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The contact of `scope` as `adapter` finds it; `None` for explicit
    /// scopes.
    ///
    /// # Errors
    /// [`ContactError`] when the upstream fails or does not say.
    pub async fn resolve(
        &self,
        adapter: &Adapter,
        scope: &Scope,
        agent: &HeaderMap,
    ) -> Result<Option<Arc<Contact>>, ContactError> {
        if matches!(adapter, Adapter::Explicit) {
            return Ok(None);
        }
        let key = (scope.name.clone(), credentials_digest(agent));
        if let Some(contact) = self.cached(&key) {
            return Ok(Some(contact));
        }
        let facts = match adapter {
            Adapter::Explicit => unreachable!("handled above"),
            Adapter::Zendesk { identity } => self.zendesk(scope, agent, *identity).await?,
            Adapter::Json(settings) => self.json(scope, agent, settings).await?,
        };
        let (identity, facts) = facts;
        let known = KnownValues::new(&facts).map_err(|_| ContactError::Malformed)?;
        let contact = Arc::new(Contact {
            identity,
            known: Arc::new(known),
        });
        if let Ok(mut cache) = self.cache.lock() {
            let now = Instant::now();
            cache.retain(|_, (at, _)| now.duration_since(*at) < self.ttl);
            cache.insert(key, (now, Arc::clone(&contact)));
        }
        Ok(Some(contact))
    }

    fn cached(&self, key: &CacheKey) -> Option<Arc<Contact>> {
        let cache = self.cache.lock().ok()?;
        let (at, contact) = cache.get(key)?;
        (at.elapsed() < self.ttl).then(|| Arc::clone(contact))
    }

    /// Ticket → requester id → user: e-mail, external id, name, phone.
    async fn zendesk(
        &self,
        scope: &Scope,
        agent: &HeaderMap,
        identity: Identity,
    ) -> Result<(String, ContactFacts), ContactError> {
        let ticket = scope.capture("ticket").ok_or(ContactError::Malformed)?;
        let answer = self
            .get_json(&format!("/api/v2/tickets/{}.json", encode(ticket)), agent)
            .await?;
        let requester = answer
            .pointer("/ticket/requester_id")
            .and_then(Value::as_u64)
            .ok_or(ContactError::Malformed)?;
        let user = self
            .get_json(&format!("/api/v2/users/{requester}.json"), agent)
            .await?;
        let text = |field: &str| {
            user.pointer(&format!("/user/{field}"))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let facts = ContactFacts {
            name: text("name"),
            email: text("email"),
            phone: text("phone"),
            external_id: text("external_id"),
        };
        let id = match identity {
            Identity::Email => facts.email.clone(),
            Identity::ExternalId => facts.external_id.clone(),
        };
        Ok((id.ok_or(ContactError::Malformed)?, facts))
    }

    /// The configured URL, then the configured pointers.
    async fn json(
        &self,
        scope: &Scope,
        agent: &HeaderMap,
        settings: &JsonAdapterSettings,
    ) -> Result<(String, ContactFacts), ContactError> {
        let mut path = settings.url.clone();
        for (name, value) in &scope.captures {
            path = path.replace(&format!("{{{name}}}"), &encode(value));
        }
        let answer = self.get_json(&path, agent).await?;
        let at = |pointer: Option<&String>| {
            let value = answer.pointer(pointer?)?;
            let text = match value {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            (!text.is_empty()).then_some(text)
        };
        let facts = ContactFacts {
            name: at(settings.name.as_ref()),
            email: at(settings.email.as_ref()),
            phone: at(settings.phone.as_ref()),
            external_id: at(settings.external_id.as_ref()),
        };
        let identity = at(Some(&settings.identity)).ok_or(ContactError::Malformed)?;
        Ok((identity, facts))
    }

    async fn get_json(&self, path: &str, agent: &HeaderMap) -> Result<Value, ContactError> {
        let (status, bytes) = self.call(Method::GET, path, agent, None).await?;
        if !status.is_success() {
            return Err(ContactError::Status(status));
        }
        serde_json::from_slice(&bytes).map_err(|_| ContactError::Malformed)
    }

    /// One request to the upstream on the agent's behalf.
    ///
    /// # Errors
    /// [`ContactError::Unreachable`] when it fails or times out.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        agent: &HeaderMap,
        json_body: Option<Value>,
    ) -> Result<(StatusCode, Bytes), ContactError> {
        let path_and_query = path.parse().map_err(|_| ContactError::Malformed)?;
        let uri = self
            .upstream
            .target(Some(&path_and_query))
            .map_err(|_| ContactError::Malformed)?;
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, self.upstream.host_header(None))
            .header(header::ACCEPT, "application/json");
        for name in CREDENTIAL_HEADERS {
            for value in agent.get_all(&name) {
                request = request.header(&name, value);
            }
        }
        let body = match json_body {
            Some(value) => {
                request = request.header(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                body::full(serde_json::to_vec(&value).expect("JSON values serialise"))
            }
            None => body::empty(),
        };
        let request = request.body(body).map_err(|_| ContactError::Malformed)?;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|_| ContactError::Unreachable)?;
            let status = response.status();
            let bytes = Limited::new(response.into_body(), MAX_ANSWER)
                .collect()
                .await
                .map_err(|_: BoxError| ContactError::Unreachable)?
                .to_bytes();
            Ok((status, bytes))
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| ContactError::Unreachable)?
    }
}

/// The agent's credentials, digested: one agent's lookup is never reused
/// for another, and the cache holds no credential.
fn credentials_digest(agent: &HeaderMap) -> [u8; 32] {
    let mut digest = Sha256::new();
    for name in CREDENTIAL_HEADERS {
        for value in agent.get_all(&name) {
            digest.update(name.as_str().as_bytes());
            digest.update([0]);
            digest.update(value.as_bytes());
            digest.update([0]);
        }
    }
    digest.finalize().into()
}

/// A capture as a path segment (captures are identifiers already; this
/// keeps it so whatever a template allows).
fn encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}
