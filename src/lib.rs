//! veilgate: a reverse proxy for support tools that redacts personal data and
//! secrets in transit and gates account data behind customer verification.
//!
//! # Layout
//!
//! - [`redact`]: the redaction core. Pattern packs ([`redact::pack`]) are
//!   compiled into rules ([`redact::rules`]); a [`redact::Detector`] finds
//!   values with one shared trigger automaton and per-rule confirmation
//!   (regex, [`redact::validate`] checksums, context words); a
//!   [`redact::Redactor`] rewrites text, JSON ([`redact::json`]), HTML
//!   ([`redact::html`]) and streams ([`redact::stream`]). No HTTP in here.
//! - [`scan`]: the `veilgate scan` command over files and stdin.
//! - [`proxy`]: the reverse proxy (`veilgate serve`): request rewriting
//!   ([`proxy::headers`], [`proxy::upstream`]), the response policy
//!   ([`proxy::policy`]), decoding and redacting bodies ([`proxy::body`]),
//!   WebSocket messages ([`proxy::websocket`]); proxy concerns are tower
//!   layers around [`proxy::ProxyService`] ([`proxy::access_log`]).
//! - [`gate`]: the account-data gate: conversation scopes from paths
//!   ([`gate::scope`]), the contact of a scope from the tool
//!   ([`gate::contact`]), the class × direction × verification policy
//!   ([`gate::settings`]); it screens agents' outgoing messages and picks
//!   the redactor view each response is redacted with.
//! - [`verify`]: customer verification with TOTP: enrollment, challenges,
//!   the customer page, grants, the store and the audit log.
//! - [`demo`]: `veilgate demo`, a bundled Zendesk-shaped helpdesk of fake
//!   customer data with veilgate in front; also the end-to-end tests'
//!   upstream.
//! - [`config`]: the TOML file `serve` reads; errors name the key.
//! - [`cli`]: argument parsing and exit codes; `main.rs` only calls it.
#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod demo;
pub mod gate;
pub mod proxy;
pub mod redact;
pub mod scan;
pub mod verify;
