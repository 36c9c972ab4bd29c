//! The one TOML file that configures `veilgate serve`. Every key has a
//! default except `upstream.url`; unknown keys are errors, and every error
//! names the key it is about (`upstream.connect_timeout: invalid value…`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub listen: Listen,
    pub upstream: Upstream,
    #[serde(default)]
    pub redact: Redact,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub policy: Policy,
    /// Customer verification with TOTP; the table's presence turns it on.
    #[serde(default)]
    pub verification: Option<Verification>,
    /// The account-data gate; needs `[verification]`.
    #[serde(default)]
    pub gate: Option<crate::gate::settings::GateSettings>,
}

/// Where agents connect.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Listen {
    /// Address of the agent listener (default `127.0.0.1:8080`).
    pub agent: SocketAddr,
    /// PEM certificate chain; with `tls_key`, the listener speaks TLS.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// In verification mode: the customer-facing listener that serves
    /// `/verify/{token}` and `/enroll/{token}` (default `127.0.0.1:8082`).
    /// Put it behind your TLS front end; it is the only one meant for the
    /// internet.
    pub public: SocketAddr,
    /// In verification mode: the operators' listener (enrollments, grants,
    /// `/metrics`, `/health`; default `127.0.0.1:8083`).
    pub admin: SocketAddr,
}

impl Default for Listen {
    fn default() -> Self {
        Listen {
            agent: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tls_cert: None,
            tls_key: None,
            public: SocketAddr::from(([127, 0, 0, 1], 8082)),
            admin: SocketAddr::from(([127, 0, 0, 1], 8083)),
        }
    }
}

/// Customer verification: keys, state, timings and lockout.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Verification {
    /// The keyring written by `veilgate keys generate`; without it, the
    /// keyring is read from the variable named by `keyring_env`.
    pub keyring_file: Option<PathBuf>,
    pub keyring_env: String,
    /// A file holding the admin API's bearer token; without it, the token
    /// is read from the variable named by `admin_token_env`.
    pub admin_token_file: Option<PathBuf>,
    pub admin_token_env: String,
    /// The base of the links customers get (`https://verify.example.com`);
    /// default: `http://` and the public listener's address.
    pub public_url: Option<String>,
    /// `embedded` (a file, default) or `redis` (several replicas).
    pub store: StoreKind,
    /// The embedded store's file.
    pub store_path: PathBuf,
    pub redis_url: String,
    /// Put before every Redis key, so that several deployments can share one
    /// Redis.
    pub redis_prefix: String,
    /// The append-only audit log (JSON lines).
    pub audit_log: PathBuf,
    /// The name customers see in their authenticator app.
    pub issuer: String,
    /// The language of prompts and pages when nothing else says
    /// (`en`, `nl`, `fr`, `de`, `da` or `fi`).
    pub default_language: String,
    #[serde(with = "humantime_serde")]
    pub challenge_ttl: Duration,
    #[serde(with = "humantime_serde")]
    pub grant_ttl: Duration,
    #[serde(with = "humantime_serde")]
    pub enrollment_ttl: Duration,
    /// A request header that names the agent, for the audit log (for
    /// example one set by your SSO proxy); otherwise the user name of HTTP
    /// Basic credentials, otherwise `unknown`.
    pub agent_header: Option<String>,
    /// How many proxies of yours stand before the public listener: the
    /// client address that failures are counted against is then taken that
    /// many places from the right of `X-Forwarded-For` (default 0: the
    /// connecting address).
    pub forwarded_hops: u8,
    pub totp: TotpSettings,
    pub lockout: Lockout,
    /// Tests only: a clock set through the admin API. Never in production.
    pub testing_clock: bool,
}

impl Default for Verification {
    fn default() -> Self {
        Verification {
            keyring_file: None,
            keyring_env: "VEILGATE_KEYRING".into(),
            admin_token_file: None,
            admin_token_env: "VEILGATE_ADMIN_TOKEN".into(),
            public_url: None,
            store: StoreKind::Embedded,
            store_path: PathBuf::from("veilgate-data/store.redb"),
            redis_url: "redis://127.0.0.1:6379".into(),
            redis_prefix: "veilgate:".into(),
            audit_log: PathBuf::from("veilgate-data/audit.jsonl"),
            issuer: "veilgate".into(),
            default_language: "en".into(),
            challenge_ttl: Duration::from_secs(10 * 60),
            grant_ttl: Duration::from_secs(30 * 60),
            enrollment_ttl: Duration::from_secs(24 * 3600),
            agent_header: None,
            forwarded_hops: 0,
            totp: TotpSettings::default(),
            lockout: Lockout::default(),
            testing_clock: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    Embedded,
    Redis,
}

/// RFC 6238 parameters. Authenticator apps mostly ignore anything but the
/// defaults: change them only if your customers' apps honour them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TotpSettings {
    /// `sha1` (default), `sha256` or `sha512`.
    pub algorithm: TotpAlgorithm,
    pub digits: u8,
    #[serde(with = "humantime_serde")]
    pub step: Duration,
    /// Steps accepted either side of now.
    pub skew: u8,
}

impl Default for TotpSettings {
    fn default() -> Self {
        TotpSettings {
            algorithm: TotpAlgorithm::Sha1,
            digits: 6,
            step: Duration::from_secs(30),
            skew: 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TotpAlgorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// Failed codes lock a contact (and a client address) out for a while;
/// each lockout within `remember` lasts `escalation` times longer than the
/// one before, up to `max_lock`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Lockout {
    pub max_failures: u32,
    pub max_failures_per_ip: u32,
    #[serde(with = "humantime_serde")]
    pub window: Duration,
    #[serde(with = "humantime_serde")]
    pub lock_for: Duration,
    pub escalation: u32,
    #[serde(with = "humantime_serde")]
    pub max_lock: Duration,
    #[serde(with = "humantime_serde")]
    pub remember: Duration,
}

impl Default for Lockout {
    fn default() -> Self {
        Lockout {
            max_failures: 5,
            max_failures_per_ip: 20,
            window: Duration::from_secs(15 * 60),
            lock_for: Duration::from_secs(15 * 60),
            escalation: 2,
            max_lock: Duration::from_secs(24 * 3600),
            remember: Duration::from_secs(24 * 3600),
        }
    }
}

/// The tool behind veilgate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    /// `http://` or `https://` base URL; a path is prefixed to every request.
    pub url: String,
    /// Extra PEM CA certificates trusted besides the system roots.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// The Host header sent upstream: `upstream` (the URL's host, default),
    /// `client` (as the agent sent it) or a literal host name.
    #[serde(default = "defaults::host_header")]
    pub host_header: String,
    #[serde(default = "defaults::connect_timeout", with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// Time allowed until the upstream's response headers arrive.
    #[serde(default = "defaults::response_timeout", with = "humantime_serde")]
    pub response_timeout: Duration,
    /// Longest silence allowed inside a response body.
    #[serde(default = "defaults::idle_timeout", with = "humantime_serde")]
    pub idle_timeout: Duration,
    /// How long an unused pooled connection is kept.
    #[serde(default = "defaults::pool_idle_timeout", with = "humantime_serde")]
    pub pool_idle_timeout: Duration,
}

/// Which packs redact, and the key for `[email:3f9a1c]` tags.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Redact {
    pub patterns: Option<PathBuf>,
    pub no_default_patterns: bool,
    pub hash_key_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// JSON and HTML are redacted whole: a larger body is refused (502),
    /// never passed raw. Default 32 MiB.
    pub max_buffered_body: usize,
    /// Text bodies up to this size are redacted whole, so the response
    /// carries its finding counts in a header; larger ones stream with
    /// bounded memory and report counts in a trailer. Default 1 MiB.
    pub whole_text_below: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_buffered_body: 32 << 20,
            whole_text_below: 1 << 20,
        }
    }
}

/// What happens to a response, by path and content type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Responses of a type that carries no text (images, archives, PDFs):
    /// `pass` (default) or `block`.
    pub binary: Action,
    /// Binary WebSocket messages: `pass` (default), `block` (the connection
    /// closes with code 1008) or `redact` (read as UTF-8 text and redacted;
    /// one that is not text closes the connection). Text messages are
    /// always redacted.
    pub websocket_binary: Action,
    /// Checked in order; the first that matches decides. A text type that
    /// no route passes is always redacted.
    pub routes: Vec<Route>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            binary: Action::Pass,
            websocket_binary: Action::Pass,
            routes: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Request paths that begin with this (after normalising `//` and
    /// percent-encoding); any path when absent.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Media types that begin with this (`image/`, `text/csv`); any when
    /// absent.
    #[serde(default)]
    pub content_type: Option<String>,
    pub action: Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Redact,
    Pass,
    Block,
}

mod defaults {
    use std::time::Duration;

    pub fn host_header() -> String {
        "upstream".into()
    }
    pub fn connect_timeout() -> Duration {
        Duration::from_secs(5)
    }
    pub fn response_timeout() -> Duration {
        Duration::from_secs(60)
    }
    pub fn idle_timeout() -> Duration {
        Duration::from_secs(30)
    }
    pub fn pool_idle_timeout() -> Duration {
        Duration::from_secs(90)
    }
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

impl ConfigError {
    fn new(key: &str, problem: impl Into<String>) -> ConfigError {
        ConfigError {
            key: key.to_string(),
            problem: problem.into(),
        }
    }
}

impl Config {
    /// Reads and validates a file.
    ///
    /// # Errors
    /// When the file cannot be read, is not TOML, or a key is unknown,
    /// mistyped or inconsistent.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::new(&path.display().to_string(), e.to_string()))?;
        Config::parse(&text)
    }

    /// Parses and validates TOML text.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let deserializer = toml::Deserializer::parse(text)
            .map_err(|e| ConfigError::new("(file)", e.message().to_string()))?;
        let config: Config = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let message = e.inner().message().to_string();
            // A missing key is reported at its table: name the key itself.
            let missing = message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split('`').next());
            let key = match (path.as_str(), missing) {
                (".", Some(field)) => field.to_string(),
                (_, Some(field)) => format!("{path}.{field}"),
                (".", None) => "(top level)".to_string(),
                _ => path,
            };
            ConfigError::new(&key, message)
        })?;
        config.validate()?;
        Ok(config)
    }

    /// The quick-start configuration: everything defaulted but the upstream.
    ///
    /// # Errors
    /// When the URL is not a usable upstream.
    pub fn for_upstream(url: &str, listen: Option<SocketAddr>) -> Result<Config, ConfigError> {
        let mut text = format!("[upstream]\nurl = {}\n", toml_string(url));
        if let Some(addr) = listen {
            text.push_str(&format!("[listen]\nagent = \"{addr}\"\n"));
        }
        Config::parse(&text)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let uri: http::Uri = self
            .upstream
            .url
            .parse()
            .map_err(|e| ConfigError::new("upstream.url", format!("not a URL: {e}")))?;
        match uri.scheme_str() {
            Some("http" | "https") => {}
            _ => {
                return Err(ConfigError::new(
                    "upstream.url",
                    "must start with http:// or https://",
                ));
            }
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(ConfigError::new("upstream.url", "has no host"));
        }
        if uri.query().is_some() {
            return Err(ConfigError::new(
                "upstream.url",
                "must not have a query string",
            ));
        }
        if self.listen.tls_cert.is_some() != self.listen.tls_key.is_some() {
            return Err(ConfigError::new(
                if self.listen.tls_cert.is_some() {
                    "listen.tls_key"
                } else {
                    "listen.tls_cert"
                },
                "TLS needs both tls_cert and tls_key",
            ));
        }
        if self.upstream.host_header.trim().is_empty()
            || http::HeaderValue::from_str(&self.upstream.host_header).is_err()
        {
            return Err(ConfigError::new(
                "upstream.host_header",
                "must be `upstream`, `client` or a host name",
            ));
        }
        for (key, value) in [
            ("upstream.connect_timeout", self.upstream.connect_timeout),
            ("upstream.response_timeout", self.upstream.response_timeout),
            ("upstream.idle_timeout", self.upstream.idle_timeout),
        ] {
            if value.is_zero() {
                return Err(ConfigError::new(key, "must be longer than zero"));
            }
        }
        if self.limits.max_buffered_body == 0 {
            return Err(ConfigError::new(
                "limits.max_buffered_body",
                "must be at least 1",
            ));
        }
        if let Some(verification) = &self.verification {
            verification.validate()?;
        }
        if let Some(gate) = &self.gate {
            if self.verification.is_none() {
                return Err(ConfigError::new(
                    "gate",
                    "the gate needs a [verification] table: customers verify to open it",
                ));
            }
            gate.validate()
                .map_err(|(key, problem)| ConfigError::new(&key, problem))?;
        }
        for (i, route) in self.policy.routes.iter().enumerate() {
            if route
                .path_prefix
                .as_deref()
                .is_some_and(|p| !p.starts_with('/'))
            {
                return Err(ConfigError::new(
                    &format!("policy.routes[{i}].path_prefix"),
                    "must start with `/`",
                ));
            }
        }
        Ok(())
    }
}

/// The languages of the verification page and prompts.
pub const LANGUAGES: [&str; 6] = ["en", "nl", "fr", "de", "da", "fi"];

impl Verification {
    fn validate(&self) -> Result<(), ConfigError> {
        let key = |k: &str| format!("verification.{k}");
        if let Some(url) = &self.public_url {
            let uri: http::Uri = url
                .parse()
                .map_err(|e| ConfigError::new(&key("public_url"), format!("not a URL: {e}")))?;
            if !matches!(uri.scheme_str(), Some("http" | "https"))
                || uri.host().is_none()
                || uri.query().is_some()
            {
                return Err(ConfigError::new(
                    &key("public_url"),
                    "must be an http:// or https:// base URL without a query",
                ));
            }
        }
        if !LANGUAGES.contains(&self.default_language.as_str()) {
            return Err(ConfigError::new(
                &key("default_language"),
                format!("must be one of {}", LANGUAGES.join(", ")),
            ));
        }
        if let Some(name) = &self.agent_header
            && http::HeaderName::from_bytes(name.as_bytes()).is_err()
        {
            return Err(ConfigError::new(&key("agent_header"), "not a header name"));
        }
        if !self.redis_url.starts_with("redis://") && !self.redis_url.starts_with("rediss://") {
            return Err(ConfigError::new(
                &key("redis_url"),
                "must start with redis:// or rediss://",
            ));
        }
        for (name, value) in [
            ("challenge_ttl", self.challenge_ttl),
            ("grant_ttl", self.grant_ttl),
            ("enrollment_ttl", self.enrollment_ttl),
            ("lockout.window", self.lockout.window),
            ("lockout.lock_for", self.lockout.lock_for),
            ("lockout.remember", self.lockout.remember),
        ] {
            if value.as_secs() == 0 {
                return Err(ConfigError::new(&key(name), "must be at least one second"));
            }
        }
        if self.lockout.max_lock < self.lockout.lock_for {
            return Err(ConfigError::new(
                &key("lockout.max_lock"),
                "must be at least lockout.lock_for",
            ));
        }
        for (name, value) in [
            ("lockout.max_failures", self.lockout.max_failures),
            (
                "lockout.max_failures_per_ip",
                self.lockout.max_failures_per_ip,
            ),
            ("lockout.escalation", self.lockout.escalation),
        ] {
            if value == 0 {
                return Err(ConfigError::new(&key(name), "must be at least 1"));
            }
        }
        if !(6..=8).contains(&self.totp.digits) {
            return Err(ConfigError::new(&key("totp.digits"), "must be 6, 7 or 8"));
        }
        if self.totp.step.as_secs() == 0 || self.totp.step.subsec_nanos() != 0 {
            return Err(ConfigError::new(
                &key("totp.step"),
                "must be a whole number of seconds, at least one",
            ));
        }
        if self.totp.skew > 10 {
            return Err(ConfigError::new(&key("totp.skew"), "must be at most 10"));
        }
        if self.issuer.is_empty() || self.issuer.contains(':') {
            return Err(ConfigError::new(
                &key("issuer"),
                "must be a non-empty name without `:`",
            ));
        }
        Ok(())
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        Config::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn defaults_fill_everything_but_the_upstream() {
        let c = Config::parse("[upstream]\nurl = \"http://127.0.0.1:9000\"\n").unwrap();
        assert_eq!(c.listen.agent.to_string(), "127.0.0.1:8080");
        assert_eq!(c.upstream.connect_timeout, Duration::from_secs(5));
        assert_eq!(c.upstream.host_header, "upstream");
        assert_eq!(c.policy.binary, Action::Pass);
        assert!(c.policy.routes.is_empty());
    }

    #[test]
    fn errors_name_the_key() {
        assert!(error("").starts_with("upstream:"), "{}", error(""));
        let e = error("[upstream]\nhost_header = \"x\"\n");
        assert!(e.starts_with("upstream.url:"), "{e}");
        let e = error("[upstream]\nurl = \"ftp://x\"\n");
        assert!(e.starts_with("upstream.url:"), "{e}");
        let e = error("[upstream]\nurl = \"http://x\"\nconnect_timeout = \"soon\"\n");
        assert!(e.starts_with("upstream.connect_timeout:"), "{e}");
        let e = error("[upstream]\nurl = \"http://x\"\n[listen]\nagnet = \"1.2.3.4:1\"\n");
        assert!(e.starts_with("listen.agnet:"), "{e}");
        let e = error(
            "[upstream]\nurl = \"http://x\"\n[[policy.routes]]\npath_prefix = \"/a\"\naction = \"drop\"\n",
        );
        assert!(e.starts_with("policy.routes[0].action:"), "{e}");
        let e = error("[upstream]\nurl = \"http://x\"\n[listen]\ntls_cert = \"c.pem\"\n");
        assert!(e.starts_with("listen.tls_key:"), "{e}");
        let e = error("[upstream]\nurl = \"http://x\"\n[verification.lockout]\nmax_failures = 0\n");
        assert!(e.starts_with("verification.lockout.max_failures:"), "{e}");
        let e =
            error("[upstream]\nurl = \"http://x\"\n[verification]\ndefault_language = \"sv\"\n");
        assert!(e.starts_with("verification.default_language:"), "{e}");
        let e = error("[upstream]\nurl = \"http://x\"\n[verification.totp]\nstep = \"1500ms\"\n");
        assert!(e.starts_with("verification.totp.step:"), "{e}");
    }

    #[test]
    fn gate_errors_name_the_key() {
        let base = "[upstream]\nurl = \"http://x\"\n[verification]\n";
        let scope = "[[gate.scopes]]\npaths = [\"/api/v2/tickets/{ticket:[0-9]+}/...\"]\nscope = \"ticket:{ticket}\"\ncontact = \"zendesk\"\n";
        assert!(Config::parse(&format!("{base}{scope}")).is_ok());
        let cases = [
            ("[upstream]\nurl = \"http://x\"\n[gate]\n", "gate:"),
            (&format!("{base}[gate]\n") as &str, "gate.scopes:"),
            (
                &format!(
                    "{base}[[gate.scopes]]\npaths = [\"/t/{{id}}\"]\nscope = \"t:{{id}}\"\ncontact = \"zendesk\"\n"
                ),
                "gate.scopes[0].paths[0]:",
            ),
            (
                &format!(
                    "{base}[[gate.scopes]]\npaths = [\"/t/{{id:.*}}\"]\nscope = \"t:{{id}}\"\n"
                ),
                "gate.scopes[0].paths[0]:",
            ),
            (
                &format!(
                    "{base}{scope}[gate.policy.agent]\nsecret = {{ unverified = \"redact\", verified = \"reveal\" }}\npii = {{ unverified = \"redact\", verified = \"redact\" }}\naccount = {{ unverified = \"mask\", verified = \"reveal\" }}\n"
                ),
                "gate.policy.agent.secret.verified:",
            ),
            (
                &format!(
                    "{base}{scope}[gate.policy.contact]\nsecret = {{ unverified = \"hide\", verified = \"block\" }}\n"
                ),
                "gate.policy.contact.secret.unverified:",
            ),
            (
                &format!("{base}{scope}[[gate.fields]]\npath = \"$.user[\"\nclass = \"account\"\n"),
                "gate.fields[0].path:",
            ),
            (
                &format!("{base}{scope}[gate]\nplaceholder = \"[hidden]\"\n"),
                "gate.placeholder:",
            ),
        ];
        for (text, key) in cases {
            let e = error(text);
            assert!(e.starts_with(key), "{key} ← {e}");
        }
    }

    #[test]
    fn quick_start_takes_any_upstream_url() {
        let c = Config::for_upstream("https://acme.zendesk.com", None).unwrap();
        assert_eq!(c.upstream.url, "https://acme.zendesk.com");
        assert!(Config::for_upstream("acme.zendesk.com", None).is_err());
    }
}
