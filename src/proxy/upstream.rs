//! The one upstream veilgate forwards to: a pooled HTTP/1.1 and HTTP/2
//! client over plain TCP or rustls (system roots plus an optional CA file),
//! and the rule that every request goes there and nowhere else.

use std::sync::Arc;

use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderValue, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::body::ProxyBody;
use crate::config::Upstream as UpstreamConfig;

pub type HttpsClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, ProxyBody>;

/// The configured upstream, parsed once.
#[derive(Debug, Clone)]
pub struct Upstream {
    scheme: Scheme,
    authority: Authority,
    /// The URL's path without its trailing `/`, prefixed to every request.
    base_path: String,
    /// The Host header sent, unless `client` is configured (`None`).
    host: Option<HeaderValue>,
}

impl Upstream {
    /// # Errors
    /// When the URL is unusable (the config check catches this first).
    pub fn new(config: &UpstreamConfig) -> Result<Upstream, String> {
        let uri: Uri = config
            .url
            .parse()
            .map_err(|e| format!("upstream.url: {e}"))?;
        let scheme = uri.scheme().cloned().ok_or("upstream.url: no scheme")?;
        let authority = uri.authority().cloned().ok_or("upstream.url: no host")?;
        let host = match config.host_header.as_str() {
            "client" => None,
            "upstream" => Some(
                HeaderValue::from_str(authority.as_str())
                    .map_err(|e| format!("upstream.url: {e}"))?,
            ),
            other => Some(
                HeaderValue::from_str(other).map_err(|e| format!("upstream.host_header: {e}"))?,
            ),
        };
        Ok(Upstream {
            scheme,
            authority,
            base_path: uri.path().trim_end_matches('/').to_string(),
            host,
        })
    }

    /// The upstream URI for a request target: always the configured scheme
    /// and host, whatever the request named.
    ///
    /// # Errors
    /// When the joined path is not a valid URI path.
    pub fn target(&self, path_and_query: Option<&PathAndQuery>) -> Result<Uri, http::Error> {
        let pq = path_and_query.map_or("/", PathAndQuery::as_str);
        let joined = format!("{}{}", self.base_path, pq);
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(joined)
            .build()
    }

    /// The Host header for the upstream: configured, or the agent's own.
    pub fn host_header(&self, from_client: Option<&HeaderValue>) -> HeaderValue {
        match (&self.host, from_client) {
            (Some(host), _) => host.clone(),
            (None, Some(client)) => client.clone(),
            (None, None) => HeaderValue::from_str(self.authority.as_str())
                .unwrap_or_else(|_| HeaderValue::from_static("localhost")),
        }
    }
}

/// Which HTTP versions the client may negotiate with a TLS upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    /// HTTP/1.1 or HTTP/2, by ALPN.
    Any,
    /// HTTP/1.1 only: a WebSocket upgrade exists only there.
    Http1Only,
}

/// Builds a pooled client.
///
/// # Errors
/// When the CA file cannot be read or holds no certificate.
pub fn client(config: &UpstreamConfig, versions: Versions) -> Result<HttpsClient, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = &config.ca_file {
        let pem = std::fs::read(path).map_err(|e| format!("upstream.ca_file: {e}"))?;
        let mut added = 0;
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            let cert = cert.map_err(|e| format!("upstream.ca_file: {e}"))?;
            roots
                .add(cert)
                .map_err(|e| format!("upstream.ca_file: {e}"))?;
            added += 1;
        }
        if added == 0 {
            return Err("upstream.ca_file: no PEM certificate in the file".into());
        }
    }
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(Some(config.connect_timeout));
    let builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1();
    let connector = match versions {
        Versions::Any => builder.enable_http2().wrap_connector(http),
        Versions::Http1Only => builder.wrap_connector(http),
    };
    Ok(Client::builder(TokioExecutor::new())
        .pool_idle_timeout(config.pool_idle_timeout)
        .build(connector))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream(url: &str, host: &str) -> Upstream {
        let config = crate::config::Config::parse(&format!(
            "[upstream]\nurl = \"{url}\"\nhost_header = \"{host}\"\n"
        ))
        .unwrap();
        Upstream::new(&config.upstream).unwrap()
    }

    #[test]
    fn targets_are_pinned_to_the_upstream() {
        let u = upstream("https://acme.example/base/", "upstream");
        let pq: PathAndQuery = "/api/x?q=1".parse().unwrap();
        assert_eq!(
            u.target(Some(&pq)).unwrap().to_string(),
            "https://acme.example/base/api/x?q=1"
        );
        assert_eq!(u.host_header(None), "acme.example");
        let evil = HeaderValue::from_static("evil.example");
        assert_eq!(u.host_header(Some(&evil)), "acme.example");
    }

    #[test]
    fn host_header_can_be_the_clients_or_fixed() {
        let agent = HeaderValue::from_static("helpdesk.internal");
        assert_eq!(
            upstream("http://10.0.0.1:8000", "client").host_header(Some(&agent)),
            "helpdesk.internal"
        );
        assert_eq!(
            upstream("http://10.0.0.1:8000", "acme.zendesk.com").host_header(Some(&agent)),
            "acme.zendesk.com"
        );
    }
}
