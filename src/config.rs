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
}

impl Default for Listen {
    fn default() -> Self {
        Listen {
            agent: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tls_cert: None,
            tls_key: None,
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
    }

    #[test]
    fn quick_start_takes_any_upstream_url() {
        let c = Config::for_upstream("https://acme.zendesk.com", None).unwrap();
        assert_eq!(c.upstream.url, "https://acme.zendesk.com");
        assert!(Config::for_upstream("acme.zendesk.com", None).is_err());
    }
}
