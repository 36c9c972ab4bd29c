//! The audit trail of verification: one JSON line per event, appended to a
//! file, and a Prometheus counter per event kind. A record says who, when
//! and which scope; never a code, a secret, a token or the contact itself
//! (only its opaque id).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use serde::Serialize;

use super::clock::rfc3339;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    EnrollmentCreated,
    EnrollmentImported,
    EnrollmentConfirmed,
    EnrollmentRevoked,
    ChallengeCreated,
    CheckSucceeded,
    CheckFailed,
    ReplayRefused,
    Lockout,
    LockedOutAttempt,
    GrantCreated,
    GrantRevoked,
    StoreUnavailable,
    /// The gate: account data masked for an agent, revealed after
    /// verification, an outbound message blocked, redacted or let through,
    /// a prompt posted, a contact that could not be resolved.
    AccountMasked,
    AccountRevealed,
    OutboundBlocked,
    OutboundRedacted,
    OutboundAllowed,
    PromptPosted,
    ContactUnresolved,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::EnrollmentCreated => "enrollment_created",
            Event::EnrollmentImported => "enrollment_imported",
            Event::EnrollmentConfirmed => "enrollment_confirmed",
            Event::EnrollmentRevoked => "enrollment_revoked",
            Event::ChallengeCreated => "challenge_created",
            Event::CheckSucceeded => "check_succeeded",
            Event::CheckFailed => "check_failed",
            Event::ReplayRefused => "replay_refused",
            Event::Lockout => "lockout",
            Event::LockedOutAttempt => "locked_out_attempt",
            Event::GrantCreated => "grant_created",
            Event::GrantRevoked => "grant_revoked",
            Event::StoreUnavailable => "store_unavailable",
            Event::AccountMasked => "account_masked",
            Event::AccountRevealed => "account_revealed",
            Event::OutboundBlocked => "outbound_blocked",
            Event::OutboundRedacted => "outbound_redacted",
            Event::OutboundAllowed => "outbound_allowed",
            Event::PromptPosted => "prompt_posted",
            Event::ContactUnresolved => "contact_unresolved",
        }
    }
}

/// What an audit line says besides the event and the time.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Record<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<IpAddr>,
    /// The challenge's public id (not its token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<&'a str>,
    /// For lockouts: how long, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_for_secs: Option<u64>,
    /// For gate decisions: how many values it concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

#[derive(Serialize)]
struct Line<'a> {
    time: String,
    event: &'static str,
    #[serde(flatten)]
    record: &'a Record<'a>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EventLabels {
    pub event: &'static str,
}

pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
    pub events: Family<EventLabels, Counter>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl AuditLog {
    /// Opens the log for appending, creating it (and its folder) if needed.
    ///
    /// # Errors
    /// When the file cannot be opened for appending.
    pub fn open(path: &Path) -> std::io::Result<AuditLog> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            events: Family::default(),
        })
    }

    /// Appends one line. A line that cannot be written is reported in the
    /// process log (without the record's contents) and counted; the
    /// decision it records has been made either way.
    pub fn record(&self, now_ms: u64, event: Event, record: &Record<'_>) {
        self.events
            .get_or_create(&EventLabels {
                event: event.name(),
            })
            .inc();
        let line = Line {
            time: rfc3339(now_ms),
            event: event.name(),
            record,
        };
        let mut text = serde_json::to_string(&line).expect("audit records serialise");
        text.push('\n');
        let written = self
            .file
            .lock()
            .map_err(|_| std::io::Error::other("audit log lock poisoned"))
            .and_then(|mut file| file.write_all(text.as_bytes()));
        if let Err(e) = written {
            tracing::error!(path = %self.path.display(), error = %e, event = event.name(), "cannot write the audit log");
        }
    }
}
