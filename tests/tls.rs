//! TLS on both sides and HTTP/2 on the agent side, through the real binary:
//! a loopback HTTPS upstream signed by a test CA that only `upstream.ca_file`
//! trusts, and a TLS agent listener offering h2 and HTTP/1.1 by ALPN.

mod common;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response, StatusCode, Version, header};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

use common::{Veilgate, start_with_config};

const EMAIL: &str = "mikko.virtanen@example.fi";

/// A test CA and a certificate it signed for `localhost` and 127.0.0.1.
struct Pki {
    ca_pem: String,
    cert_pem: String,
    key_pem: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "veilgate test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::from_params(&ca_params, &ca_key);
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    Pki {
        ca_pem: ca.pem(),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    }
}

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn server_config(pki: &Pki) -> rustls::ServerConfig {
    let certs = rustls_pemfile::certs(&mut pki.cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls_pemfile::private_key(&mut pki.key_pem.as_bytes())
        .unwrap()
        .unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    config
}

/// An HTTPS upstream answering every request with a small ticket.
async fn start_tls_upstream(pki: &Pki) -> SocketAddr {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config(pki)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = service_fn(|_request: Request<Incoming>| async {
                    let body = serde_json::json!({
                        "ticket": { "id": 4711, "description": format!("Reach me at {EMAIL}") }
                    });
                    Ok::<_, hyper::Error>(
                        Response::builder()
                            .header(header::CONTENT_TYPE, "application/json")
                            .body(Full::new(Bytes::from(body.to_string())))
                            .unwrap(),
                    )
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    addr
}

/// veilgate with a TLS listener in front of the HTTPS upstream; the CA
/// file is given only when `trust_ca`.
fn start_tls_veilgate(
    pki: &Pki,
    upstream: SocketAddr,
    trust_ca: bool,
) -> (Veilgate, Vec<tempfile::NamedTempFile>) {
    let (cert, key, ca) = (file(&pki.cert_pem), file(&pki.key_pem), file(&pki.ca_pem));
    let ca_line = if trust_ca {
        format!("ca_file = {:?}\n", ca.path())
    } else {
        String::new()
    };
    let config = file(&format!(
        "[listen]\nagent = \"127.0.0.1:0\"\ntls_cert = {:?}\ntls_key = {:?}\n\
         [upstream]\nurl = \"https://localhost:{}\"\nresponse_timeout = \"2s\"\n{ca_line}",
        cert.path(),
        key.path(),
        upstream.port()
    ));
    (start_with_config(config), vec![cert, key, ca])
}

/// A client trusting only the test CA; `h2` offers HTTP/2 by ALPN.
fn tls_client(
    pki: &Pki,
    h2: bool,
) -> Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut pki.ca_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_only()
        .enable_http1();
    let connector = if h2 {
        builder.enable_http2().build()
    } else {
        builder.build()
    };
    Client::builder(TokioExecutor::new()).build(connector)
}

async fn fetch<C>(client: &Client<C, Full<Bytes>>, url: &str) -> (Version, StatusCode, String)
where
    C: hyper_util::client::legacy::connect::Connect + Clone + Send + Sync + 'static,
{
    let response = client
        .request(Request::get(url).body(Full::new(Bytes::new())).unwrap())
        .await
        .unwrap();
    let (version, status) = (response.version(), response.status());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (version, status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_on_both_sides_with_http2_and_http1_agents() {
    let pki = pki();
    let upstream = start_tls_upstream(&pki).await;
    let (vg, _files) = start_tls_veilgate(&pki, upstream, true);
    let url = format!("https://{}/api/v2/tickets/4711.json", vg.addr);
    for (h2, version) in [(true, Version::HTTP_2), (false, Version::HTTP_11)] {
        let (got, status, body) = fetch(&tls_client(&pki, h2), &url).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(got, version);
        assert!(!body.contains(EMAIL), "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["ticket"]["id"], 4711);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_certificate_nobody_trusts_is_a_bad_gateway() {
    let pki = pki();
    let upstream = start_tls_upstream(&pki).await;
    let (vg, _files) = start_tls_veilgate(&pki, upstream, false);
    let url = format!("https://{}/api/v2/tickets/4711.json", vg.addr);
    let (_, status, body) = fetch(&tls_client(&pki, true), &url).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(body.contains("upstream_unreachable"), "{body}");
    assert!(!body.contains(EMAIL), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http2_with_prior_knowledge() {
    let pki = pki();
    let upstream = start_tls_upstream(&pki).await;
    let ca = file(&pki.ca_pem);
    let config = file(&format!(
        "[listen]\nagent = \"127.0.0.1:0\"\n[upstream]\nurl = \"https://localhost:{}\"\nca_file = {:?}\n",
        upstream.port(),
        ca.path()
    ));
    let vg = start_with_config(config);
    let client = Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http::<Full<Bytes>>();
    let (version, status, body) = fetch(&client, &format!("http://{}/t.json", vg.addr)).await;
    assert_eq!((version, status), (Version::HTTP_2, StatusCode::OK));
    assert!(!body.contains(EMAIL), "{body}");
}
