//! The agent listener: HTTP/1.1 and HTTP/2 (ALPN with TLS, prior knowledge
//! without), plain or TLS from PEM files.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceBuilder;

use super::access_log::AccessLogLayer;
use super::{Connection, Proxy, ProxyService};

/// Binds the agent listener. Separate from [`run`] so that the caller can
/// report the bound address (port 0 picks a free one) before serving.
///
/// # Errors
/// When the address cannot be bound or the TLS files are unusable.
pub async fn bind(proxy: &Proxy) -> Result<(TcpListener, Option<TlsAcceptor>), String> {
    let listen = &proxy.config.listen;
    let listener = TcpListener::bind(listen.agent)
        .await
        .map_err(|e| format!("listen.agent: cannot listen on {}: {e}", listen.agent))?;
    let tls = match (&listen.tls_cert, &listen.tls_key) {
        (Some(cert), Some(key)) => Some(acceptor(cert, key)?),
        _ => None,
    };
    Ok((listener, tls))
}

/// Serves connections until the process ends.
pub async fn run(proxy: Arc<Proxy>, listener: TcpListener, tls: Option<TlsAcceptor>) {
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                continue;
            }
        };
        let _ = tcp.set_nodelay(true);
        let proxy = Arc::clone(&proxy);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => match acceptor.accept(tcp).await {
                    Ok(stream) => serve_connection(proxy, TokioIo::new(stream), peer, true).await,
                    Err(e) => tracing::debug!(error = %e, "TLS handshake failed"),
                },
                None => serve_connection(proxy, TokioIo::new(tcp), peer, false).await,
            }
        });
    }
}

async fn serve_connection<I>(proxy: Arc<Proxy>, io: TokioIo<I>, peer: SocketAddr, tls: bool)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = ServiceBuilder::new()
        .layer(AccessLogLayer::new(Arc::clone(proxy.redactor())))
        .map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(Connection { peer, tls });
            request
        })
        .service(ProxyService(proxy));
    if let Err(e) = auto::Builder::new(TokioExecutor::new())
        .serve_connection_with_upgrades(io, TowerToHyperService::new(service))
        .await
    {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}

fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, String> {
    let cert_pem = std::fs::read(cert).map_err(|e| format!("listen.tls_cert: {e}"))?;
    let certs = rustls_pemfile::certs(&mut cert_pem.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("listen.tls_cert: {e}"))?;
    if certs.is_empty() {
        return Err("listen.tls_cert: no PEM certificate in the file".into());
    }
    let key_pem = std::fs::read(key).map_err(|e| format!("listen.tls_key: {e}"))?;
    let key = rustls_pemfile::private_key(&mut key_pem.as_slice())
        .map_err(|e| format!("listen.tls_key: {e}"))?
        .ok_or("listen.tls_key: no PEM private key in the file")?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("listen.tls_key: {e}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
