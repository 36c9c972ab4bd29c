//! Customer verification with TOTP (RFC 6238): enrollment, challenges,
//! checks with replay protection and lockout, grants, the audit trail, and
//! the state behind them.
//!
//! - [`service`]: the domain — what enrolling, challenging and checking do.
//! - [`keyring`]: AEAD keys that seal secrets at rest, and opaque contact
//!   ids.
//! - [`store`]: one interface, an embedded file and Redis behind it.
//! - [`totp`], [`clock`], [`i18n`], [`audit`]: codes, time, languages,
//!   the audit log and its metrics.
//! - [`http`]: the public pages, the admin API and the agents' endpoints.

pub mod audit;
pub mod clock;
pub mod http;
pub mod i18n;
pub mod keyring;
pub mod service;
pub mod setup;
pub mod store;
pub mod totp;

pub use service::{Actor, Verifier, VerifyError};
