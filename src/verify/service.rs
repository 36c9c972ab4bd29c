//! The verification service: enrollment, challenges, checks with replay
//! protection and lockout, and grants. It speaks in domain terms; the
//! listeners in [`super::http`] turn its answers into responses.
//!
//! What the store holds, by key (`cid` is the contact's opaque id, token
//! keys are SHA-256 hashes of the token, never the token):
//!
//! | key | record |
//! |---|---|
//! | `enrollment:{cid}` | the active enrollment: its sealed secret |
//! | `pending:{cid}` | an enrollment waiting for its first code |
//! | `enroll-token:{hash}` | the enrollment link → `cid` |
//! | `challenge:{id}` | a challenge: scope, agent, status |
//! | `challenge-token:{hash}` | the customer link → challenge id |
//! | `step:{cid}` | the last accepted TOTP time step |
//! | `fail:{contact,ip}:{…}` | recent failures (sliding window) |
//! | `lock:{contact,ip}:{…}` | a lockout, until it expires |
//! | `lockouts:{contact,ip}:{…}` | recent lockouts, for escalation |
//! | `grant:{scope}` | a grant: who verified, until when |

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::audit::{AuditLog, Event, Record};
use super::clock::{Clock, rfc3339};
use super::i18n::{Language, Messages};
use super::keyring::{Keyring, Sealed};
use super::store::{Store, StoreError};
use super::totp::{SECRET_LEN, normalise_code, totp};
use crate::config::Verification;

/// Why a request to the service did not succeed. Messages are safe to show:
/// they never say whether a contact exists or which check failed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{0}")]
    BadRequest(String),
    #[error("this contact is already enrolled; revoke the enrollment or ask to replace it")]
    AlreadyEnrolled,
    #[error("not found")]
    NotFound,
    /// The link is unknown, expired or already used.
    #[error("this link is not valid any more")]
    InvalidLink,
    /// Wrong code, replayed code, malformed code, or no enrollment: all the
    /// same to the one asking.
    #[error("that code did not work")]
    CheckFailed,
    #[error("too many attempts; try again later")]
    Locked { retry_after: Duration },
    #[error("verification is unavailable right now")]
    Unavailable(#[from] StoreError),
}

pub struct Verifier {
    settings: Verification,
    keyring: Keyring,
    store: Store,
    clock: Clock,
    audit: AuditLog,
    messages: Messages,
    public_base: String,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("store", &self.store)
            .field("public_base", &self.public_base)
            .finish_non_exhaustive()
    }
}

/// Who asked, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub agent: Option<String>,
    pub client_ip: Option<IpAddr>,
}

/// The secret and the app's label, sealed together so that the store holds
/// neither in the clear.
#[derive(Serialize, Deserialize)]
struct SecretBox {
    #[serde(with = "super::keyring::base64_bytes")]
    secret: Vec<u8>,
    label: String,
}

impl Drop for SecretBox {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct EnrollmentRecord {
    contact_id: String,
    sealed: Sealed,
    created_ms: u64,
    confirmed_ms: Option<u64>,
    imported: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct ChallengeRecord {
    id: String,
    contact_id: String,
    scope: String,
    agent: Option<String>,
    language: Language,
    created_ms: u64,
    expires_ms: u64,
    verified_ms: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct GrantRecord {
    scope: String,
    contact_id: String,
    challenge: String,
    created_ms: u64,
    expires_ms: u64,
}

/// A new enrollment, for the operator to pass to the customer. The only
/// answer that ever carries the secret (inside the URI and the QR code).
#[derive(Debug, Serialize)]
pub struct NewEnrollment {
    pub contact_id: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub otpauth_uri: Option<String>,
    /// PNG, base64.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qr_png: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrollment_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// An enrollment as listed: never its secret.
#[derive(Debug, Serialize)]
pub struct EnrollmentSummary {
    pub contact_id: String,
    pub status: &'static str,
    pub key_id: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<String>,
    pub imported: bool,
}

/// What the enrollment page shows the customer.
pub struct EnrollmentPage {
    pub qr_png: String,
    pub manual_key: Zeroizing<String>,
    pub issuer: String,
}

#[derive(Debug, Serialize)]
pub struct NewChallenge {
    pub id: String,
    pub token: String,
    pub link: String,
    pub prompt: String,
    pub language: Language,
    pub scope: String,
    pub expires_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChallengeState {
    Pending,
    Verified,
}

#[derive(Debug, Serialize)]
pub struct ChallengeStatus {
    pub id: String,
    pub scope: String,
    pub status: ChallengeState,
    pub expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
}

/// What the verification page needs about a live link.
#[derive(Debug, Clone)]
pub struct LinkView {
    pub state: ChallengeState,
    pub language: Language,
    pub expires_ms: u64,
}

#[derive(Debug, Serialize)]
pub struct GrantStatus {
    pub scope: String,
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// An audit record of `actor` acting on a contact.
fn actor_record<'a>(contact_id: &'a str, actor: &'a Actor) -> Record<'a> {
    Record {
        contact_id: Some(contact_id),
        agent: actor.agent.as_deref(),
        client_ip: actor.client_ip,
        ..Record::default()
    }
}

/// Contacts and scopes are identifiers, not prose: bounded and printable.
fn check_identifier(what: &str, value: &str, max: usize) -> Result<(), VerifyError> {
    if value.trim().is_empty() || value.len() > max || value.chars().any(char::is_control) {
        return Err(VerifyError::BadRequest(format!(
            "`{what}` must be 1 to {max} printable characters"
        )));
    }
    Ok(())
}

fn random_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn token_key(kind: &str, token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{hex}")
}

/// Tokens are 22 base64url characters; anything else is not worth a lookup.
fn plausible_token(token: &str) -> bool {
    token.len() == 22
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("records serialise")
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8], what: &str) -> Result<T, VerifyError> {
    serde_json::from_slice(bytes)
        .map_err(|e| VerifyError::Unavailable(StoreError::Corrupt(format!("{what}: {e}"))))
}

/// Which failure counter, lock and escalation history a check touches.
struct Subjects {
    keys: Vec<(String, u32)>,
}

impl Verifier {
    /// # Errors
    /// When the audit log cannot be opened.
    pub fn new(
        settings: Verification,
        keyring: Keyring,
        store: Store,
        clock: Clock,
        public_base: String,
    ) -> Result<Verifier, String> {
        let audit = AuditLog::open(&settings.audit_log).map_err(|e| {
            format!(
                "verification.audit_log: {}: {e}",
                settings.audit_log.display()
            )
        })?;
        Ok(Verifier {
            settings,
            keyring,
            store,
            clock,
            audit,
            messages: Messages::bundled(),
            public_base: public_base.trim_end_matches('/').to_string(),
        })
    }

    pub fn settings(&self) -> &Verification {
        &self.settings
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }

    pub fn messages(&self) -> &Messages {
        &self.messages
    }

    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> u64 {
        self.clock.now_ms()
    }

    fn record(&self, event: Event, record: &Record<'_>) {
        self.audit.record(self.now(), event, record);
    }

    fn build_totp(&self, secret: &[u8], label: &str) -> Result<totp_rs::Totp, VerifyError> {
        totp(&self.settings.totp, &self.settings.issuer, label, secret)
            .map_err(VerifyError::BadRequest)
    }

    fn open_box(&self, contact_id: &str, sealed: &Sealed) -> Result<SecretBox, VerifyError> {
        let plain = self.keyring.open(contact_id, sealed).map_err(|e| {
            tracing::error!(error = %e, "a stored TOTP secret does not open");
            VerifyError::Unavailable(StoreError::Corrupt("a sealed secret".into()))
        })?;
        parse(&plain, "a sealed secret")
    }

    fn seal_box(&self, contact_id: &str, secret: &[u8], label: &str) -> Sealed {
        let plain = Zeroizing::new(json(&SecretBox {
            secret: secret.to_vec(),
            label: label.to_string(),
        }));
        self.keyring.seal(contact_id, &plain)
    }

    // ---- enrollment ----

    /// Starts an enrollment: a fresh 160-bit secret, pending until the
    /// customer's first code checks out on the enrollment page.
    ///
    /// # Errors
    /// Bad contact, an active enrollment without `replace`, the store.
    pub async fn enroll(
        &self,
        contact: &str,
        replace: bool,
        actor: &Actor,
    ) -> Result<NewEnrollment, VerifyError> {
        check_identifier("contact", contact, 320)?;
        let now = self.now();
        let cid = self.keyring.contact_id(contact);
        if !replace
            && self
                .store
                .get(&format!("enrollment:{cid}"), now)
                .await?
                .is_some()
        {
            return Err(VerifyError::AlreadyEnrolled);
        }
        let mut secret = Zeroizing::new([0u8; SECRET_LEN]);
        rand::rng().fill_bytes(secret.as_mut());
        let label = contact.trim();
        let totp = self.build_totp(secret.as_ref(), label)?;
        let expires = now + millis(self.settings.enrollment_ttl);
        let record = EnrollmentRecord {
            contact_id: cid.clone(),
            sealed: self.seal_box(&cid, secret.as_ref(), label),
            created_ms: now,
            confirmed_ms: None,
            imported: false,
        };
        let token = random_token();
        self.put_with_token(
            &format!("pending:{cid}"),
            &json(&record),
            ("enroll-token", &token, cid.as_bytes()),
            expires,
            now,
        )
        .await?;
        self.record(Event::EnrollmentCreated, &actor_record(&cid, actor));
        Ok(NewEnrollment {
            contact_id: cid,
            status: "pending",
            otpauth_uri: Some(
                totp.to_url()
                    .map_err(|e| VerifyError::BadRequest(e.to_string()))?,
            ),
            qr_png: Some(
                totp.to_qr_base64()
                    .map_err(|e| VerifyError::BadRequest(e.to_string()))?,
            ),
            enrollment_url: Some(format!("{}/enroll/{token}", self.public_base)),
            expires_at: Some(rfc3339(expires)),
        })
    }

    /// Imports a secret the customer already has in their app (base32);
    /// active at once.
    ///
    /// # Errors
    /// Bad contact or secret, an active enrollment without `replace`.
    pub async fn import(
        &self,
        contact: &str,
        base32_secret: &str,
        replace: bool,
        actor: &Actor,
    ) -> Result<NewEnrollment, VerifyError> {
        check_identifier("contact", contact, 320)?;
        let cleaned: String = base32_secret
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=')
            .collect::<String>()
            .to_ascii_uppercase();
        let secret = totp_rs::Secret::try_from_base32(&cleaned)
            .map_err(|_| VerifyError::BadRequest("`secret` is not base32".into()))?;
        let secret = Zeroizing::new(secret.as_ref().to_vec());
        self.build_totp(&secret, contact.trim())
            .map_err(|_| VerifyError::BadRequest("`secret` must be at least 128 bits".into()))?;
        let now = self.now();
        let cid = self.keyring.contact_id(contact);
        let record = EnrollmentRecord {
            contact_id: cid.clone(),
            sealed: self.seal_box(&cid, &secret, contact.trim()),
            created_ms: now,
            confirmed_ms: Some(now),
            imported: true,
        };
        let key = format!("enrollment:{cid}");
        let stored = if replace {
            self.store.put(&key, &json(&record), None, now).await?;
            true
        } else {
            self.store
                .insert_new(&key, &json(&record), None, now)
                .await?
        };
        if !stored {
            return Err(VerifyError::AlreadyEnrolled);
        }
        self.record(Event::EnrollmentImported, &actor_record(&cid, actor));
        Ok(NewEnrollment {
            contact_id: cid,
            status: "active",
            otpauth_uri: None,
            qr_png: None,
            enrollment_url: None,
            expires_at: None,
        })
    }

    async fn pending_for_token(
        &self,
        token: &str,
    ) -> Result<(String, EnrollmentRecord), VerifyError> {
        let (cid, record) = self.follow_link("enroll-token", "pending", token).await?;
        Ok((cid, parse(&record, "a pending enrollment")?))
    }

    /// A link's token leads to an id (`{token_kind}:{hash}` → id), the id
    /// to a record (`{record_kind}:{id}`); an unknown or expired step on the
    /// way makes the link invalid.
    async fn follow_link(
        &self,
        token_kind: &str,
        record_kind: &str,
        token: &str,
    ) -> Result<(String, Vec<u8>), VerifyError> {
        if !plausible_token(token) {
            return Err(VerifyError::InvalidLink);
        }
        let now = self.now();
        let id = self
            .store
            .get(&token_key(token_kind, token), now)
            .await?
            .ok_or(VerifyError::InvalidLink)?;
        let id = String::from_utf8(id).map_err(|_| VerifyError::InvalidLink)?;
        let record = self
            .store
            .get(&format!("{record_kind}:{id}"), now)
            .await?
            .ok_or(VerifyError::InvalidLink)?;
        Ok((id, record))
    }

    /// The QR code and manual key for the enrollment page.
    ///
    /// # Errors
    /// An unknown, expired or used link; the store.
    pub async fn enrollment_page(&self, token: &str) -> Result<EnrollmentPage, VerifyError> {
        let (cid, record) = self.pending_for_token(token).await?;
        let secret_box = self.open_box(&cid, &record.sealed)?;
        let totp = self.build_totp(&secret_box.secret, &secret_box.label)?;
        Ok(EnrollmentPage {
            qr_png: totp
                .to_qr_base64()
                .map_err(|e| VerifyError::BadRequest(e.to_string()))?,
            manual_key: Zeroizing::new(totp.secret().to_base32()),
            issuer: self.settings.issuer.clone(),
        })
    }

    /// The customer's first code: on success the enrollment becomes active
    /// (replacing any earlier one) and the link dies.
    ///
    /// # Errors
    /// As [`Verifier::check`].
    pub async fn confirm_enrollment(
        &self,
        token: &str,
        typed: &str,
        actor: &Actor,
    ) -> Result<(), VerifyError> {
        let (cid, record) = self.pending_for_token(token).await?;
        let subjects = self.subjects(&cid, actor.client_ip);
        self.refuse_if_locked(&subjects, &cid, None, actor).await?;
        let secret_box = self.open_box(&cid, &record.sealed)?;
        let now = self.now();
        let accepted = match self.matching_step(&secret_box, typed)? {
            Some(step) => self.accept_step(&cid, step, None, None, actor).await?,
            None => false,
        };
        if !accepted {
            return Err(self.fail(&subjects, &cid, None, None, actor).await);
        }
        let active = EnrollmentRecord {
            confirmed_ms: Some(now),
            ..record
        };
        self.store
            .put(&format!("enrollment:{cid}"), &json(&active), None, now)
            .await?;
        self.store.delete(&format!("pending:{cid}"), now).await?;
        self.store
            .delete(&token_key("enroll-token", token), now)
            .await?;
        self.forget_failures(&subjects, now).await;
        self.record(
            Event::EnrollmentConfirmed,
            &Record {
                contact_id: Some(&cid),
                client_ip: actor.client_ip,
                ..Record::default()
            },
        );
        Ok(())
    }

    /// Every enrollment, active and pending, without secrets.
    ///
    /// # Errors
    /// The store.
    pub async fn list_enrollments(&self) -> Result<Vec<EnrollmentSummary>, VerifyError> {
        let now = self.now();
        let mut out = Vec::new();
        for (prefix, status) in [("enrollment:", "active"), ("pending:", "pending")] {
            for key in self.store.keys(prefix, now).await? {
                let Some(bytes) = self.store.get(&key, now).await? else {
                    continue;
                };
                let record: EnrollmentRecord = parse(&bytes, "an enrollment")?;
                out.push(EnrollmentSummary {
                    contact_id: record.contact_id,
                    status,
                    key_id: record.sealed.key_id,
                    created_at: rfc3339(record.created_ms),
                    confirmed_at: record.confirmed_ms.map(rfc3339),
                    imported: record.imported,
                });
            }
        }
        Ok(out)
    }

    /// The enrollment of a contact, given as the contact or its id.
    ///
    /// # Errors
    /// None known; the store.
    pub async fn enrollment(
        &self,
        contact_or_id: &str,
    ) -> Result<Vec<EnrollmentSummary>, VerifyError> {
        let ids = self.candidate_ids(contact_or_id);
        Ok(self
            .list_enrollments()
            .await?
            .into_iter()
            .filter(|e| ids.contains(&e.contact_id))
            .collect())
    }

    fn candidate_ids(&self, contact_or_id: &str) -> Vec<String> {
        let mut ids = vec![self.keyring.contact_id(contact_or_id)];
        if contact_or_id.len() == 32 && contact_or_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            ids.push(contact_or_id.to_ascii_lowercase());
        }
        ids
    }

    /// Revokes a contact's enrollment (active and pending).
    ///
    /// # Errors
    /// `NotFound` when there was none; the store.
    pub async fn revoke_enrollment(
        &self,
        contact_or_id: &str,
        actor: &Actor,
    ) -> Result<(), VerifyError> {
        let now = self.now();
        let mut found = None;
        for cid in self.candidate_ids(contact_or_id) {
            let active = self.store.delete(&format!("enrollment:{cid}"), now).await?;
            let pending = self.store.delete(&format!("pending:{cid}"), now).await?;
            if active || pending {
                found = Some(cid);
            }
        }
        let cid = found.ok_or(VerifyError::NotFound)?;
        self.record(Event::EnrollmentRevoked, &actor_record(&cid, actor));
        Ok(())
    }

    /// Seals every stored secret again with the keyring's active key; for
    /// `veilgate keys rotate`. Returns how many were re-sealed.
    ///
    /// # Errors
    /// A secret that does not open with any key; the store.
    pub async fn reseal_all(&self) -> Result<usize, VerifyError> {
        let now = self.now();
        let mut count = 0;
        for prefix in ["enrollment:", "pending:"] {
            for key in self.store.keys(prefix, now).await? {
                let Some(bytes) = self.store.get(&key, now).await? else {
                    continue;
                };
                let mut record: EnrollmentRecord = parse(&bytes, "an enrollment")?;
                if record.sealed.key_id == self.keyring.active_key_id() {
                    continue;
                }
                let plain = self
                    .keyring
                    .open(&record.contact_id, &record.sealed)
                    .map_err(|e| VerifyError::Unavailable(StoreError::Corrupt(e.to_string())))?;
                record.sealed = self.keyring.seal(&record.contact_id, &plain);
                let expires =
                    (prefix == "pending:").then(|| now + millis(self.settings.enrollment_ttl));
                if self
                    .store
                    .replace_if(&key, &bytes, &json(&record), expires, now)
                    .await?
                {
                    count += 1;
                }
            }
        }
        Ok(count)
    }

    /// Stores a record and, under the hash of its single-use `token` of
    /// `kind`, the `target` the token leads to; both live until `expires`.
    async fn put_with_token(
        &self,
        key: &str,
        record: &[u8],
        (kind, token, target): (&str, &str, &[u8]),
        expires: u64,
        now: u64,
    ) -> Result<(), VerifyError> {
        self.store.put(key, record, Some(expires), now).await?;
        self.store
            .put(&token_key(kind, token), target, Some(expires), now)
            .await?;
        Ok(())
    }

    // ---- challenges ----

    /// A challenge for the contact of a conversation scope: a single-use
    /// link for the customer and a prompt for the agent to paste.
    ///
    /// The answer is the same whether or not the contact is enrolled.
    ///
    /// # Errors
    /// Bad contact or scope; the store.
    pub async fn create_challenge(
        &self,
        contact: &str,
        scope: &str,
        language: Option<Language>,
        actor: &Actor,
    ) -> Result<NewChallenge, VerifyError> {
        check_identifier("contact", contact, 320)?;
        check_identifier("scope", scope, 200)?;
        if scope.chars().any(char::is_whitespace) {
            return Err(VerifyError::BadRequest(
                "`scope` must not contain spaces".into(),
            ));
        }
        let now = self.now();
        let cid = self.keyring.contact_id(contact);
        let language = language.unwrap_or_else(|| self.default_language());
        let expires = now + millis(self.settings.challenge_ttl);
        let record = ChallengeRecord {
            id: random_id(),
            contact_id: cid.clone(),
            scope: scope.to_string(),
            agent: actor.agent.clone(),
            language,
            created_ms: now,
            expires_ms: expires,
            verified_ms: None,
        };
        let token = random_token();
        self.put_with_token(
            &format!("challenge:{}", record.id),
            &json(&record),
            ("challenge-token", &token, record.id.as_bytes()),
            expires,
            now,
        )
        .await?;
        self.record(
            Event::ChallengeCreated,
            &Record {
                contact_id: Some(&cid),
                scope: Some(scope),
                agent: actor.agent.as_deref(),
                client_ip: actor.client_ip,
                challenge: Some(&record.id),
                ..Record::default()
            },
        );
        let link = format!("{}/verify/{token}", self.public_base);
        let minutes = self.settings.challenge_ttl.as_secs().div_ceil(60);
        Ok(NewChallenge {
            prompt: self.messages.prompt(language, &link, minutes),
            id: record.id,
            token,
            link,
            language,
            scope: record.scope,
            expires_at: rfc3339(expires),
        })
    }

    pub fn default_language(&self) -> Language {
        Language::parse(&self.settings.default_language).unwrap_or_default()
    }

    /// # Errors
    /// `NotFound` for an unknown or expired challenge; the store.
    pub async fn challenge_status(&self, id: &str) -> Result<ChallengeStatus, VerifyError> {
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VerifyError::NotFound);
        }
        let now = self.now();
        let bytes = self
            .store
            .get(&format!("challenge:{id}"), now)
            .await?
            .ok_or(VerifyError::NotFound)?;
        let record: ChallengeRecord = parse(&bytes, "a challenge")?;
        Ok(ChallengeStatus {
            status: if record.verified_ms.is_some() {
                ChallengeState::Verified
            } else {
                ChallengeState::Pending
            },
            id: record.id,
            scope: record.scope,
            expires_at: rfc3339(record.expires_ms),
            verified_at: record.verified_ms.map(rfc3339),
        })
    }

    async fn challenge_for_token(
        &self,
        token: &str,
    ) -> Result<(Vec<u8>, ChallengeRecord), VerifyError> {
        let (_, bytes) = self
            .follow_link("challenge-token", "challenge", token)
            .await?;
        let record = parse(&bytes, "a challenge")?;
        Ok((bytes, record))
    }

    /// What the verification page shows for a link.
    ///
    /// # Errors
    /// `InvalidLink`; the store.
    pub async fn link(&self, token: &str) -> Result<LinkView, VerifyError> {
        let (_, record) = self.challenge_for_token(token).await?;
        Ok(LinkView {
            state: if record.verified_ms.is_some() {
                ChallengeState::Verified
            } else {
                ChallengeState::Pending
            },
            language: record.language,
            expires_ms: record.expires_ms,
        })
    }

    /// Checks a code typed on the verification page. On success the
    /// challenge is spent and its scope gets a grant.
    ///
    /// # Errors
    /// `InvalidLink` (unknown, expired or spent link), `Locked`,
    /// `CheckFailed` (for every other reason), `Unavailable` (the store:
    /// nothing is granted).
    pub async fn check(
        &self,
        token: &str,
        typed: &str,
        actor: &Actor,
    ) -> Result<GrantStatus, VerifyError> {
        let (bytes, challenge) = self.challenge_for_token(token).await?;
        if challenge.verified_ms.is_some() {
            return Err(VerifyError::InvalidLink);
        }
        let cid = challenge.contact_id.clone();
        let scope = Some(challenge.scope.as_str());
        let id = Some(challenge.id.as_str());
        let subjects = self.subjects(&cid, actor.client_ip);
        self.refuse_if_locked(&subjects, &cid, scope, actor).await?;
        let now = self.now();
        let enrollment = self.store.get(&format!("enrollment:{cid}"), now).await?;
        let step = match enrollment {
            Some(bytes) => {
                let record: EnrollmentRecord = parse(&bytes, "an enrollment")?;
                let secret_box = self.open_box(&cid, &record.sealed)?;
                self.matching_step(&secret_box, typed)?
            }
            None => {
                // The same work as a real check, so that timing does not
                // tell an unenrolled contact from a wrong code.
                let mut decoy = [0u8; SECRET_LEN];
                rand::rng().fill_bytes(&mut decoy);
                let decoy = SecretBox {
                    secret: decoy.to_vec(),
                    label: "decoy".into(),
                };
                self.matching_step(&decoy, typed)?;
                None
            }
        };
        let accepted = match step {
            Some(step) => self.accept_step(&cid, step, scope, id, actor).await?,
            None => false,
        };
        if !accepted {
            return Err(self.fail(&subjects, &cid, scope, id, actor).await);
        }
        let spent = ChallengeRecord {
            verified_ms: Some(now),
            ..challenge.clone()
        };
        // Single use: of two racing checks of one link, one spends it.
        if !self
            .store
            .replace_if(
                &format!("challenge:{}", challenge.id),
                &bytes,
                &json(&spent),
                Some(challenge.expires_ms),
                now,
            )
            .await?
        {
            return Err(VerifyError::InvalidLink);
        }
        let record = Record {
            contact_id: Some(&cid),
            scope,
            agent: challenge.agent.as_deref(),
            client_ip: actor.client_ip,
            challenge: id,
            ..Record::default()
        };
        self.record(Event::CheckSucceeded, &record);
        let expires = now + millis(self.settings.grant_ttl);
        let grant = GrantRecord {
            scope: challenge.scope.clone(),
            contact_id: cid.clone(),
            challenge: challenge.id.clone(),
            created_ms: now,
            expires_ms: expires,
        };
        self.store
            .put(
                &format!("grant:{}", challenge.scope),
                &json(&grant),
                Some(expires),
                now,
            )
            .await?;
        self.record(Event::GrantCreated, &record);
        self.forget_failures(&subjects, now).await;
        Ok(GrantStatus {
            scope: challenge.scope,
            active: true,
            expires_at: Some(rfc3339(expires)),
        })
    }

    /// The step a typed code matches, if any. Malformed input matches none.
    fn matching_step(
        &self,
        secret_box: &SecretBox,
        typed: &str,
    ) -> Result<Option<u64>, VerifyError> {
        let totp = self.build_totp(&secret_box.secret, &secret_box.label)?;
        let code = normalise_code(typed, self.settings.totp.digits);
        // Always run the check, also for malformed input, for even timing.
        let probe = code.as_deref().unwrap_or("000000000");
        let step = totp.check(probe, self.clock.now_secs());
        Ok(step.filter(|_| code.is_some()))
    }

    /// Records the matched step atomically; `false` for a replay.
    async fn accept_step(
        &self,
        cid: &str,
        step: u64,
        scope: Option<&str>,
        challenge: Option<&str>,
        actor: &Actor,
    ) -> Result<bool, VerifyError> {
        let now = self.now();
        let step_ms = millis(self.settings.totp.step);
        let keep = step_ms * (2 * u64::from(self.settings.totp.skew) + 2);
        if self
            .store
            .advance(&format!("step:{cid}"), step, Some(now + keep), now)
            .await?
        {
            return Ok(true);
        }
        self.record(
            Event::ReplayRefused,
            &Record {
                contact_id: Some(cid),
                scope,
                client_ip: actor.client_ip,
                challenge,
                ..Record::default()
            },
        );
        Ok(false)
    }

    fn subjects(&self, cid: &str, ip: Option<IpAddr>) -> Subjects {
        let lockout = &self.settings.lockout;
        let mut keys = vec![(format!("contact:{cid}"), lockout.max_failures)];
        if let Some(ip) = ip {
            keys.push((format!("ip:{ip}"), lockout.max_failures_per_ip));
        }
        Subjects { keys }
    }

    async fn refuse_if_locked(
        &self,
        subjects: &Subjects,
        cid: &str,
        scope: Option<&str>,
        actor: &Actor,
    ) -> Result<(), VerifyError> {
        let now = self.now();
        for (subject, _) in &subjects.keys {
            if let Some(until) = self.store.get(&format!("lock:{subject}"), now).await? {
                let until = std::str::from_utf8(&until)
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok())
                    .unwrap_or(now);
                self.record(
                    Event::LockedOutAttempt,
                    &Record {
                        contact_id: Some(cid),
                        scope,
                        client_ip: actor.client_ip,
                        ..Record::default()
                    },
                );
                return Err(VerifyError::Locked {
                    retry_after: Duration::from_millis(until.saturating_sub(now)),
                });
            }
        }
        Ok(())
    }

    /// Counts a failure against the contact and the client address and
    /// locks either out when it reaches its limit. Returns the error to
    /// answer with.
    async fn fail(
        &self,
        subjects: &Subjects,
        cid: &str,
        scope: Option<&str>,
        challenge: Option<&str>,
        actor: &Actor,
    ) -> VerifyError {
        let now = self.now();
        let record = Record {
            contact_id: Some(cid),
            scope,
            client_ip: actor.client_ip,
            challenge,
            ..Record::default()
        };
        self.record(Event::CheckFailed, &record);
        let lockout = &self.settings.lockout;
        let window = millis(lockout.window);
        let mut locked_for = None;
        for (subject, limit) in &subjects.keys {
            let keep = usize::try_from(*limit).unwrap_or(usize::MAX);
            let count = match self
                .store
                .count_event(&format!("fail:{subject}"), window, keep, now)
                .await
            {
                Ok(count) => count,
                Err(e) => return VerifyError::Unavailable(e),
            };
            if count < *limit {
                continue;
            }
            match self.lock(subject, now).await {
                Ok(duration) => {
                    locked_for = Some(locked_for.map_or(duration, |d: Duration| d.max(duration)));
                }
                Err(e) => return e,
            }
        }
        match locked_for {
            Some(duration) => {
                self.record(
                    Event::Lockout,
                    &Record {
                        locked_for_secs: Some(duration.as_secs()),
                        ..record
                    },
                );
                VerifyError::Locked {
                    retry_after: duration,
                }
            }
            None => VerifyError::CheckFailed,
        }
    }

    /// Locks a subject; each lockout within `remember` lasts `escalation`
    /// times longer than the last, up to `max_lock`.
    async fn lock(&self, subject: &str, now: u64) -> Result<Duration, VerifyError> {
        let lockout = &self.settings.lockout;
        let level = self
            .store
            .count_event(
                &format!("lockouts:{subject}"),
                millis(lockout.remember),
                64,
                now,
            )
            .await?;
        let factor = u64::from(lockout.escalation).saturating_pow(level.saturating_sub(1));
        let duration = Duration::from_millis(millis(lockout.lock_for).saturating_mul(factor))
            .min(lockout.max_lock);
        let until = now + millis(duration);
        self.store
            .put(
                &format!("lock:{subject}"),
                until.to_string().as_bytes(),
                Some(until),
                now,
            )
            .await?;
        // A fresh count once the lock ends.
        self.store.delete(&format!("fail:{subject}"), now).await?;
        Ok(duration)
    }

    /// After a success, the contact's failures no longer count (an address
    /// that failed for other contacts keeps its count). Best effort: if the
    /// store fails here, old failures merely count a while longer.
    async fn forget_failures(&self, subjects: &Subjects, now: u64) {
        if let Some((subject, _)) = subjects.keys.first()
            && let Err(e) = self.store.delete(&format!("fail:{subject}"), now).await
        {
            tracing::warn!(error = %e, "could not reset a failure count");
        }
    }

    // ---- grants ----

    /// # Errors
    /// The store.
    pub async fn grant(&self, scope: &str) -> Result<GrantStatus, VerifyError> {
        check_identifier("scope", scope, 200)?;
        let now = self.now();
        let grant = match self.store.get(&format!("grant:{scope}"), now).await? {
            Some(bytes) => Some(parse::<GrantRecord>(&bytes, "a grant")?),
            None => None,
        };
        Ok(GrantStatus {
            scope: scope.to_string(),
            active: grant.is_some(),
            expires_at: grant.map(|g| rfc3339(g.expires_ms)),
        })
    }

    /// Whether `scope` has a live grant, and for `contact` when the gate
    /// knows who the contact of the scope is now: a grant earned by one
    /// contact never opens a conversation that has since changed hands.
    ///
    /// # Errors
    /// The store.
    pub async fn grant_open(
        &self,
        scope: &str,
        contact: Option<&str>,
    ) -> Result<bool, VerifyError> {
        check_identifier("scope", scope, 200)?;
        let now = self.now();
        let Some(bytes) = self.store.get(&format!("grant:{scope}"), now).await? else {
            return Ok(false);
        };
        let grant = parse::<GrantRecord>(&bytes, "a grant")?;
        Ok(contact.is_none_or(|c| {
            let id = self.keyring.contact_id(c);
            bool::from(subtle::ConstantTimeEq::ct_eq(
                id.as_bytes(),
                grant.contact_id.as_bytes(),
            ))
        }))
    }

    /// Records a gate decision in the audit log.
    pub fn record_gate(&self, event: Event, scope: Option<&str>, actor: &Actor, count: usize) {
        self.record(
            event,
            &Record {
                scope,
                agent: actor.agent.as_deref(),
                client_ip: actor.client_ip,
                count: Some(count),
                ..Record::default()
            },
        );
    }

    /// # Errors
    /// `NotFound` when the scope had no live grant; the store.
    pub async fn revoke_grant(&self, scope: &str, actor: &Actor) -> Result<(), VerifyError> {
        check_identifier("scope", scope, 200)?;
        let now = self.now();
        let key = format!("grant:{scope}");
        let grant = match self.store.get(&key, now).await? {
            Some(bytes) => parse::<GrantRecord>(&bytes, "a grant")?,
            None => return Err(VerifyError::NotFound),
        };
        if !self.store.delete(&key, now).await? {
            return Err(VerifyError::NotFound);
        }
        self.record(
            Event::GrantRevoked,
            &Record {
                contact_id: Some(&grant.contact_id),
                scope: Some(scope),
                agent: actor.agent.as_deref(),
                client_ip: actor.client_ip,
                challenge: Some(&grant.challenge),
                ..Record::default()
            },
        );
        Ok(())
    }
}
