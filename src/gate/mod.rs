//! The account-data gate: which conversation a request belongs to, whether
//! its contact has verified, and what that means for each class of data in
//! both directions.
//!
//! The proxy calls it in three phases: [`Gate::admit`] when a request
//! arrives (scope, contact, grant), [`Gate::screen_outbound`] on a request
//! body before anything is forwarded, and [`Gate::agent_view`] for the
//! response. Refusals are well-formed JSON answers that say what to do.

pub mod contact;
pub mod http;
pub mod scope;
pub mod settings;

use std::sync::Arc;

use ::http::request::Parts;
use ::http::{HeaderMap, HeaderValue, StatusCode};
use bytes::Bytes;
use serde_json::json;

use crate::config::Config;
use crate::proxy::policy::{self, BodyKind};
use crate::proxy::upstream;
use crate::redact::select::FieldSelector;
use crate::redact::view::{PerClass, Treatment, View};
use crate::redact::{Class, Finding, Redactor, form};
use crate::verify::Verifier;
use crate::verify::audit::Event;
use crate::verify::http::{Reply, agent_actor, json_reply};
use crate::verify::service::Actor;
use contact::{Adapter, Contact, ContactError, Resolver};
use scope::{Scoping, Template, Templates};
use settings::{ContactSource, GateSettings, PolicyTable};

/// The response header naming a request's scope.
pub const SCOPE_HEADER: &str = "veilgate-scope";
/// The response header saying whether the scope's contact has verified.
pub const STATE_HEADER: &str = "veilgate-verification";

/// The gate, built once from the configuration.
pub struct Gate {
    settings: GateSettings,
    templates: Templates,
    adapters: Vec<Adapter>,
    policy: PolicyTable,
    fields: Arc<[FieldSelector]>,
    verifier: Arc<Verifier>,
    resolver: Resolver,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("templates", &self.templates.0.len())
            .finish_non_exhaustive()
    }
}

/// What the gate decided about one request.
#[derive(Debug, Clone)]
pub struct Admission {
    pub scoping: Scoping,
    pub contact: Option<Arc<Contact>>,
    /// Why the scope's contact is not known, when it should be.
    pub unresolved: Option<ContactError>,
    pub verified: bool,
    pub actor: Actor,
}

impl Admission {
    /// Whether the request belongs to a conversation (or looks like it):
    /// its bodies are screened and its data gated.
    pub fn is_gated(&self) -> bool {
        !matches!(self.scoping, Scoping::None)
    }

    pub fn scope_name(&self) -> Option<&str> {
        match &self.scoping {
            Scoping::Scope(scope) => Some(&scope.name),
            _ => None,
        }
    }

    /// `verified`, `unverified`, `unresolved` or `unknown-scope`.
    pub fn state(&self) -> &'static str {
        match (&self.scoping, &self.unresolved, self.verified) {
            (Scoping::Unknown, _, _) => "unknown-scope",
            (_, Some(_), _) => "unresolved",
            (_, None, true) => "verified",
            (_, None, false) => "unverified",
        }
    }

    /// Adds the scope and state headers to a response.
    pub fn describe(&self, headers: &mut HeaderMap) {
        if !self.is_gated() {
            return;
        }
        if let Some(name) = self.scope_name()
            && let Ok(value) = HeaderValue::from_str(name)
        {
            headers.insert(SCOPE_HEADER, value);
        }
        headers.insert(STATE_HEADER, HeaderValue::from_static(self.state()));
    }
}

/// A request body after screening.
#[derive(Debug)]
pub enum Screened {
    /// Forward these bytes: the original when nothing had to change.
    Forward { body: Bytes, rewritten: bool },
    /// Forward nothing; answer this.
    Refuse(Reply),
}

impl Gate {
    /// # Errors
    /// When the gate's settings do not compile or the upstream is unusable.
    pub fn new(config: &Config, verifier: Arc<Verifier>) -> Result<Gate, String> {
        let settings = config.gate.clone().ok_or("the gate needs a [gate] table")?;
        let mut templates = Vec::new();
        for (i, mapping) in settings.scopes.iter().enumerate() {
            for path in &mapping.paths {
                templates.push(Template::new(path, &mapping.scope, i)?);
            }
        }
        let adapters = settings
            .scopes
            .iter()
            .map(|m| match m.contact {
                ContactSource::Explicit => Ok(Adapter::Explicit),
                ContactSource::Zendesk => Ok(Adapter::Zendesk {
                    identity: settings.zendesk.identity,
                }),
                ContactSource::Json => settings
                    .json
                    .clone()
                    .map(Adapter::Json)
                    .ok_or_else(|| "gate.json is missing".to_string()),
            })
            .collect::<Result<Vec<_>, String>>()?;
        let fields = settings
            .fields
            .iter()
            .map(|f| {
                let class = Class::parse(&f.class).ok_or("gate.fields: unknown class")?;
                FieldSelector::new(&f.path, class)
            })
            .collect::<Result<Vec<_>, String>>()?;
        let resolver = Resolver::new(
            upstream::Upstream::new(&config.upstream)?,
            upstream::client(&config.upstream, upstream::Versions::Any)?,
            config.upstream.response_timeout,
            settings.contact_cache,
        );
        Ok(Gate {
            policy: settings.policy,
            templates: Templates(templates),
            adapters,
            fields: Arc::from(fields),
            verifier,
            resolver,
            settings,
        })
    }

    pub fn verifier(&self) -> &Arc<Verifier> {
        &self.verifier
    }

    /// Where an agent starts verification for `scope`.
    pub fn action(scope: &str) -> String {
        format!("/_veilgate/scopes/{scope}/verify")
    }

    /// The scope of a request, its contact and whether they have verified.
    /// Any doubt (an upstream error while resolving the contact, a store
    /// that does not answer) leaves the gate closed.
    pub async fn admit(
        &self,
        parts: &Parts,
        route_path: &str,
        peer: std::net::SocketAddr,
    ) -> Admission {
        let actor = agent_actor(&self.verifier, &parts.headers, peer);
        let admission = self
            .judge(self.templates.scope_of(route_path), &parts.headers, actor)
            .await;
        if let (Some(e), Some(scope)) = (&admission.unresolved, admission.scope_name()) {
            tracing::info!(scope = %scope, error = %e, "contact unresolved; the gate stays closed");
            self.verifier
                .record_gate(Event::ContactUnresolved, Some(scope), &admission.actor, 0);
        }
        admission
    }

    /// The contact of a scope (through its adapter, with the agent's
    /// credentials) and whether they hold a live grant for it.
    pub async fn judge(&self, scoping: Scoping, agent: &HeaderMap, actor: Actor) -> Admission {
        let mut admission = Admission {
            scoping,
            contact: None,
            unresolved: None,
            verified: false,
            actor,
        };
        let Scoping::Scope(scope) = &admission.scoping else {
            return admission;
        };
        match self
            .resolver
            .resolve(&self.adapters[scope.mapping], scope, agent)
            .await
        {
            Ok(contact) => admission.contact = contact,
            Err(e) => {
                admission.unresolved = Some(e);
                return admission;
            }
        }
        admission.verified = self.grant_open(&admission).await;
        admission
    }

    /// The same admission with its grant looked up again (a long-lived
    /// connection: the grant may have expired or been revoked since).
    pub async fn refresh(&self, admission: &Admission) -> Admission {
        let mut fresh = admission.clone();
        if admission.unresolved.is_none() {
            fresh.verified = self.grant_open(admission).await;
        }
        fresh
    }

    /// Whether the admission's scope has a live grant for its contact; a
    /// store that does not answer leaves the gate closed.
    async fn grant_open(&self, admission: &Admission) -> bool {
        let Some(scope) = admission.scope_name() else {
            return false;
        };
        let identity = admission.contact.as_ref().map(|c| c.identity.as_str());
        match self.verifier.grant_open(scope, identity).await {
            Ok(open) => open,
            Err(e) => {
                tracing::warn!(error = %e, "grant lookup failed; the gate stays closed");
                false
            }
        }
    }

    /// What the agent sees of a response to this request.
    pub fn agent_view(&self, admission: &Admission) -> Arc<View> {
        let table = self.policy.agent;
        self.view(admission, table.state(admission.verified), table.gated())
    }

    /// What goes out to the contact in a request body or chat message.
    pub fn contact_view(&self, admission: &Admission) -> Arc<View> {
        let table = self.policy.contact;
        self.view(
            admission,
            table.state(admission.verified),
            PerClass::default(),
        )
    }

    fn view(
        &self,
        admission: &Admission,
        treatments: PerClass<Treatment>,
        gated: PerClass<bool>,
    ) -> Arc<View> {
        // Only a scope whose contact can verify gets the hint; verified
        // scopes have nothing left to open.
        let hint_scope = admission
            .scope_name()
            .filter(|_| !admission.verified && admission.unresolved.is_none());
        let (gated, hint) = match hint_scope {
            Some(scope) => (
                gated,
                self.settings
                    .placeholder
                    .replace("{action}", &Gate::action(scope)),
            ),
            None => (PerClass::default(), String::new()),
        };
        Arc::new(View {
            treatments,
            gated,
            hint,
            known: admission.contact.as_ref().map(|c| Arc::clone(&c.known)),
            fields: Arc::clone(&self.fields),
        })
    }

    /// Screens a request body the agent sends on a gated path. Blocked
    /// classes refuse the request with 422; others are rewritten per the
    /// policy; a body with nothing to change is forwarded byte for byte.
    pub fn screen_outbound(
        &self,
        redactor: &Redactor,
        admission: &Admission,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Screened {
        if body.is_empty() {
            return Screened::Forward {
                body,
                rewritten: false,
            };
        }
        let media = policy::media_type(content_type);
        let kind = policy::kind_of(&media);
        if kind == BodyKind::Binary
            || (kind == BodyKind::Unknown && !policy::looks_like_text(&body))
        {
            return Screened::Forward {
                body,
                rewritten: false,
            };
        }
        let Ok(text) = std::str::from_utf8(&body) else {
            return Screened::Refuse(crate::verify::http::error_reply(
                StatusCode::BAD_REQUEST,
                "body_not_utf8",
                "the request body is text but not UTF-8, so veilgate cannot check it",
            ));
        };
        let view = redactor.with_view(self.contact_view(admission));
        let redacted = match kind {
            BodyKind::Form => form::redact_form(&view, text),
            BodyKind::Json => crate::proxy::body::redact_json_or_text(&view, text),
            _ => view.redact_text(text),
        };
        let treatments = self.policy.contact.state(admission.verified);
        let blocked = count_where(&redacted.findings, |c| {
            treatments.get(c) == Treatment::Block
        });
        let scope = admission.scope_name();
        if blocked.secret + blocked.pii + blocked.account > 0 {
            self.verifier.record_gate(
                Event::OutboundBlocked,
                scope,
                &admission.actor,
                blocked.total(),
            );
            return Screened::Refuse(self.refusal(admission, blocked));
        }
        let changed = count_where(&redacted.findings, |c| {
            treatments.get(c) != Treatment::Reveal
        });
        let revealed = redacted.findings.len() - changed.total();
        if changed.total() > 0 {
            self.verifier.record_gate(
                Event::OutboundRedacted,
                scope,
                &admission.actor,
                changed.total(),
            );
            return Screened::Forward {
                body: Bytes::from(redacted.output),
                rewritten: true,
            };
        }
        if revealed > 0 {
            self.verifier
                .record_gate(Event::OutboundAllowed, scope, &admission.actor, revealed);
        }
        Screened::Forward {
            body,
            rewritten: false,
        }
    }

    /// The 422 an agent's tool can show: what was found (counts only) and
    /// how to open the gate.
    fn refusal(&self, admission: &Admission, blocked: Tally) -> Reply {
        let verify = admission
            .scope_name()
            .filter(|_| blocked.secret == 0)
            .map(|scope| json!({ "method": "POST", "path": Gate::action(scope) }));
        let (code, message) = if blocked.secret > 0 {
            (
                "secret_in_message",
                "this message contains a secret; remove it before sending".to_string(),
            )
        } else if verify.is_none() {
            (
                "verification_required",
                "this message contains account data and its conversation cannot be verified"
                    .to_string(),
            )
        } else {
            let what = if blocked.account > 0 {
                "account data"
            } else {
                "personal data"
            };
            (
                "verification_required",
                format!("this reply contains {what}; verify the customer first"),
            )
        };
        json_reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({
                "error": { "code": code, "message": message, "by": "veilgate" },
                "scope": admission.scope_name(),
                "state": admission.state(),
                "found": { "secret": blocked.secret, "pii": blocked.pii, "account": blocked.account },
                "verify": verify,
            }),
        )
    }

    /// Records what a response showed of the contact's account data.
    pub fn record_response(&self, admission: &Admission, account: usize) {
        if account == 0 || !admission.is_gated() {
            return;
        }
        let revealed = self.policy.agent.state(admission.verified).account == Treatment::Reveal;
        let event = if revealed {
            Event::AccountRevealed
        } else {
            Event::AccountMasked
        };
        self.verifier
            .record_gate(event, admission.scope_name(), &admission.actor, account);
    }
}

/// Findings per class that meet a condition.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    secret: usize,
    pii: usize,
    account: usize,
}

impl Tally {
    fn total(self) -> usize {
        self.secret + self.pii + self.account
    }
}

fn count_where(findings: &[Finding], pick: impl Fn(Class) -> bool) -> Tally {
    let mut tally = Tally::default();
    for f in findings.iter().filter(|f| pick(f.class)) {
        match f.class {
            Class::Secret => tally.secret += 1,
            Class::Pii => tally.pii += 1,
            Class::Account => tally.account += 1,
        }
    }
    tally
}
