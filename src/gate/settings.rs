//! The `[gate]` table: scope mappings, contact adapters, the policy table
//! and field selectors. Raw serde structs here; [`super::Gate::new`]
//! compiles them once.

use std::time::Duration;

use serde::Deserialize;

use crate::redact::view::{PerClass, Treatment};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GateSettings {
    /// Request paths → conversation scopes, tried in order.
    pub scopes: Vec<ScopeMapping>,
    /// What a gated value becomes for the agent: `{class}`, `{value}` (the
    /// masked value) and `{action}` (the verification endpoint of the
    /// scope) are filled in.
    pub placeholder: String,
    /// How long a resolved contact is reused (per scope and credentials).
    #[serde(with = "humantime_serde")]
    pub contact_cache: Duration,
    pub zendesk: ZendeskSettings,
    /// The generic JSON API adapter.
    pub json: Option<JsonAdapterSettings>,
    pub policy: PolicyTable,
    /// JSON fields put into a class, wherever the response comes from.
    pub fields: Vec<FieldSetting>,
}

impl Default for GateSettings {
    fn default() -> Self {
        GateSettings {
            scopes: Vec::new(),
            placeholder: "[{class} {value} · verify the customer: POST {action}]".into(),
            contact_cache: Duration::from_secs(60),
            zendesk: ZendeskSettings::default(),
            json: None,
            policy: PolicyTable::default(),
            fields: Vec::new(),
        }
    }
}

/// `paths` (templates such as `/api/v2/tickets/{ticket:[0-9]+}/...`) name
/// the scope `scope` (`ticket:{ticket}`); `contact` says who the contact of
/// such a scope is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeMapping {
    pub paths: Vec<String>,
    pub scope: String,
    #[serde(default)]
    pub contact: ContactSource,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactSource {
    /// The agent names the contact in the challenge request.
    #[default]
    Explicit,
    /// Ticket → requester → e-mail / external id, from the upstream.
    Zendesk,
    /// `[gate.json]`: a URL and JSON pointers.
    Json,
}

/// Which of the requester's fields is the contact they enrolled under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    #[default]
    Email,
    ExternalId,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ZendeskSettings {
    pub identity: Identity,
    /// Post the verification prompt into the ticket as a public comment
    /// when an agent starts verification.
    pub post_prompt: bool,
}

impl Default for ZendeskSettings {
    fn default() -> Self {
        ZendeskSettings {
            identity: Identity::Email,
            post_prompt: true,
        }
    }
}

/// A tool without a built-in adapter: where its conversation lives on the
/// upstream and JSON pointers (RFC 6901) to the contact's fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonAdapterSettings {
    /// An upstream path with the scope's captures: `/api/conversations/{id}`.
    pub url: String,
    /// The contact they enrolled under.
    pub identity: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
}

/// class × direction × verification state → treatment.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyTable {
    /// Responses, to the agent.
    pub agent: Direction,
    /// Request bodies and chat messages the agent sends, to the contact.
    pub contact: Direction,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Direction {
    pub secret: Cell,
    pub pii: Cell,
    pub account: Cell,
}

/// A class's treatment before and after the contact verified.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    #[serde(deserialize_with = "treatment")]
    pub unverified: Treatment,
    #[serde(deserialize_with = "treatment")]
    pub verified: Treatment,
}

fn treatment<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Treatment, D::Error> {
    let name = String::deserialize(d)?;
    Treatment::parse(&name).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "unknown action `{name}`; one of reveal, mask, replace, remove, block, redact"
        ))
    })
}

const fn cell(unverified: Treatment, verified: Treatment) -> Cell {
    Cell {
        unverified,
        verified,
    }
}

impl Default for PolicyTable {
    /// Secrets never revealed; pii redacted for agents; account data
    /// masked for the agent and blocked outbound until verified.
    fn default() -> Self {
        use Treatment::{Block, Mask, Reveal};
        PolicyTable {
            agent: Direction {
                secret: cell(Treatment::Redact, Treatment::Redact),
                pii: cell(Treatment::Redact, Treatment::Redact),
                account: cell(Mask, Reveal),
            },
            contact: Direction {
                secret: cell(Treatment::Replace, Treatment::Replace),
                pii: cell(Block, Reveal),
                account: cell(Block, Reveal),
            },
        }
    }
}

impl Default for Direction {
    fn default() -> Self {
        PolicyTable::default().agent
    }
}

impl Direction {
    /// The treatments for one verification state.
    pub fn state(&self, verified: bool) -> PerClass<Treatment> {
        let pick = |c: Cell| if verified { c.verified } else { c.unverified };
        PerClass {
            secret: pick(self.secret),
            pii: pick(self.pii),
            account: pick(self.account),
        }
    }

    /// The classes whose values verification would reveal.
    pub fn gated(&self) -> PerClass<bool> {
        let opens = |c: Cell| c.unverified != Treatment::Reveal && c.verified == Treatment::Reveal;
        PerClass {
            secret: false,
            pii: opens(self.pii),
            account: opens(self.account),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSetting {
    /// A JSONPath query (RFC 9535): `$.user.phone`,
    /// `$.ticket.custom_fields[?@.id == 360001].value`.
    pub path: String,
    /// `pii`, `account` or `secret`.
    pub class: String,
}

impl GateSettings {
    /// Checks what serde cannot; the error names the key.
    ///
    /// # Errors
    /// `(key, problem)`.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let err = |key: String, problem: String| Err((format!("gate.{key}"), problem));
        if self.scopes.is_empty() {
            return err("scopes".into(), "list at least one scope mapping".into());
        }
        for (i, mapping) in self.scopes.iter().enumerate() {
            if mapping.paths.is_empty() {
                return err(
                    format!("scopes[{i}].paths"),
                    "list at least one path".into(),
                );
            }
            for (j, path) in mapping.paths.iter().enumerate() {
                let template = match super::scope::Template::new(path, &mapping.scope, i) {
                    Ok(t) => t,
                    Err(problem) => return err(format!("scopes[{i}].paths[{j}]"), problem),
                };
                let needs = match mapping.contact {
                    ContactSource::Zendesk => Some("ticket"),
                    _ => None,
                };
                if let Some(needed) = needs
                    && !template.captures().any(|c| c == needed)
                {
                    return err(
                        format!("scopes[{i}].paths[{j}]"),
                        format!("the zendesk adapter needs a `{{{needed}}}` capture"),
                    );
                }
            }
            if mapping.contact == ContactSource::Json && self.json.is_none() {
                return err(
                    format!("scopes[{i}].contact"),
                    "`json` needs a [gate.json] table".into(),
                );
            }
        }
        if !self.placeholder.contains("{action}") {
            return err(
                "placeholder".into(),
                "must contain `{action}`: the agent needs to know how to verify".into(),
            );
        }
        if self.contact_cache > Duration::from_secs(600) {
            return err(
                "contact_cache".into(),
                "at most 10m: a changed requester must not keep the old contact's grant".into(),
            );
        }
        for (direction, table) in [
            ("agent", self.policy.agent),
            ("contact", self.policy.contact),
        ] {
            for (state, t) in [
                ("unverified", table.secret.unverified),
                ("verified", table.secret.verified),
            ] {
                if t == Treatment::Reveal {
                    return err(
                        format!("policy.{direction}.secret.{state}"),
                        "secrets are never revealed".into(),
                    );
                }
            }
        }
        if let Some(json) = &self.json {
            if !json.url.starts_with('/') {
                return err(
                    "json.url".into(),
                    "must be an upstream path starting with `/`".into(),
                );
            }
            let pointers = [
                ("identity", Some(&json.identity)),
                ("name", json.name.as_ref()),
                ("email", json.email.as_ref()),
                ("phone", json.phone.as_ref()),
                ("external_id", json.external_id.as_ref()),
            ];
            for (key, pointer) in pointers {
                if let Some(p) = pointer
                    && !p.is_empty()
                    && !p.starts_with('/')
                {
                    return err(
                        format!("json.{key}"),
                        "a JSON pointer starts with `/`".into(),
                    );
                }
            }
        }
        for (i, field) in self.fields.iter().enumerate() {
            let Some(class) = crate::redact::Class::parse(&field.class) else {
                return err(
                    format!("fields[{i}].class"),
                    "one of pii, account, secret".into(),
                );
            };
            if let Err(problem) = crate::redact::select::FieldSelector::new(&field.path, class) {
                return err(format!("fields[{i}].path"), problem);
            }
        }
        Ok(())
    }
}
