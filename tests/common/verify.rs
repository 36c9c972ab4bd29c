//! Verification mode for the end-to-end tests: a keyring made by the CLI,
//! veilgate with its three listeners and a settable clock, an HTTP helper
//! for the JSON APIs and codes computed from the enrolled secret.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

use super::{Veilgate, start_with_config_logged};

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef-0123456789";

/// A fixed moment (2027-01-15T08:00:00Z), so codes and expiries repeat.
pub const T0: u64 = 1_800_000_000_000;

/// `veilgate keys generate --out DIR/keys.toml`.
pub fn keyring(dir: &Path) -> PathBuf {
    let path = dir.join("keys.toml");
    let status = Command::new(env!("CARGO_BIN_EXE_veilgate"))
        .args(["keys", "generate", "--out"])
        .arg(&path)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    path
}

/// The demo helpdesk, as the upstream of a verifying veilgate.
pub async fn helpdesk() -> SocketAddr {
    veilgate::demo::helpdesk::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// veilgate in verification mode; the addresses of its listeners.
pub struct Verifying {
    pub vg: Veilgate,
    pub agent: String,
    pub public: String,
    pub admin: String,
}

/// The configuration of a verifying veilgate whose state lives in `dir`;
/// `extra` goes inside `[verification]` (and may open its sub-tables).
pub fn config(
    upstream: SocketAddr,
    dir: &Path,
    keyring: &Path,
    extra: &str,
) -> tempfile::NamedTempFile {
    let token_file = dir.join("admin-token");
    std::fs::write(&token_file, ADMIN_TOKEN).unwrap();
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(
        config,
        "[listen]\nagent = \"127.0.0.1:0\"\npublic = \"127.0.0.1:0\"\nadmin = \"127.0.0.1:0\"\n\
         [upstream]\nurl = \"http://{upstream}\"\nresponse_timeout = \"2s\"\n\
         [verification]\nkeyring_file = {keyring:?}\nadmin_token_file = {token_file:?}\n\
         store_path = {store:?}\naudit_log = {audit:?}\ntesting_clock = true\n{extra}\n",
        store = dir.join("store.redb"),
        audit = dir.join("audit.jsonl"),
    )
    .unwrap();
    config
}

pub fn start(config: tempfile::NamedTempFile) -> Verifying {
    let mut vg = start_with_config_logged(config, "debug");
    let public = vg.next_line();
    let admin = vg.next_line();
    let public = public
        .trim()
        .strip_prefix("veilgate: customers verify at http://")
        .and_then(|rest| rest.strip_suffix("/verify/…"))
        .unwrap_or_else(|| panic!("no public address in {public:?}"))
        .to_string();
    let admin = admin
        .trim()
        .strip_prefix("veilgate: admin API at http://")
        .unwrap_or_else(|| panic!("no admin address in {admin:?}"))
        .to_string();
    Verifying {
        agent: vg.addr.clone(),
        vg,
        public,
        admin,
    }
}

/// One HTTP request; the body as text.
pub async fn call(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> (StatusCode, HeaderMap, String) {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut request = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap();
    let response = client.request(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

impl Verifying {
    pub async fn admin(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, String) {
        let auth = format!("Bearer {ADMIN_TOKEN}");
        let (status, _, text) = call(
            method,
            &format!("http://{}{path}", self.admin),
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            body.map(|b| b.to_string()),
        )
        .await;
        (status, text)
    }

    pub async fn set_clock(&self, unix_ms: u64) {
        let (status, text) = self
            .admin(
                "PUT",
                "/v1/testing/clock",
                Some(serde_json::json!({ "unix_ms": unix_ms })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{text}");
    }

    /// Enrolls through the admin API and confirms with a first code at
    /// `now`; returns the otpauth URI the customer's app holds.
    pub async fn enroll_and_confirm(&self, contact: &str, now: u64) -> String {
        let (status, text) = self
            .admin(
                "POST",
                "/v1/enrollments",
                Some(serde_json::json!({ "contact": contact })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        let enrollment = json(&text);
        let uri = enrollment["otpauth_uri"].as_str().unwrap().to_string();
        let url = enrollment["enrollment_url"].as_str().unwrap();
        let (status, _, text) = call(
            "POST",
            url,
            &[("content-type", "application/json")],
            Some(serde_json::json!({ "code": code(&uri, now) }).to_string()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        uri
    }

    /// A challenge through the agents' endpoint; returns its JSON.
    pub async fn challenge(&self, contact: &str, scope: &str) -> Value {
        let (status, _, text) = call(
            "POST",
            &format!("http://{}/_veilgate/challenges", self.agent),
            &[("content-type", "application/json"), ("x-agent", "agent-7")],
            Some(serde_json::json!({ "contact": contact, "scope": scope }).to_string()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        json(&text)
    }

    /// A code typed into the JSON twin of the verification page.
    pub async fn answer(&self, link: &str, code: &str) -> (StatusCode, Value) {
        let (status, _, text) = call(
            "POST",
            link,
            &[("content-type", "application/json")],
            Some(serde_json::json!({ "code": code }).to_string()),
        )
        .await;
        (status, json(&text))
    }

    /// Redaction works beside verification: a page of the demo helpdesk
    /// arrives with its finding counts.
    pub async fn assert_redacting(&self) {
        let (status, headers, _) = call(
            "GET",
            &format!("http://{}/api/v2/users.json", self.agent),
            &[],
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers.get("veilgate-findings").is_some(),
            "redaction keeps working"
        );
    }

    pub async fn grant_active(&self, scope: &str) -> bool {
        let (status, _, text) = call(
            "GET",
            &format!("http://{}/_veilgate/grants/{scope}", self.agent),
            &[],
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        json(&text)["active"].as_bool().unwrap()
    }
}

/// The code the customer's app shows at `unix_ms`.
pub fn code(otpauth_uri: &str, unix_ms: u64) -> String {
    totp_rs::Totp::from_url(otpauth_uri)
        .unwrap()
        .generate(unix_ms / 1000)
        .to_string()
}

/// The base32 secret inside an otpauth URI, to look for leaks.
pub fn secret_of(otpauth_uri: &str) -> String {
    otpauth_uri
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("secret="))
        .unwrap()
        .to_string()
}

/// A real Redis server on a free loopback port, stopped on drop. The
/// project's `scripts/install-test-services.sh` installs it.
pub struct Redis {
    child: std::process::Child,
    pub port: u16,
}

impl Redis {
    pub fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Redis::start_on(port)
    }

    pub fn start_on(port: u16) -> Redis {
        let child = Command::new("redis-server")
            .args([
                "--bind",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start redis-server ({e}); run scripts/install-test-services.sh")
            });
        // Dropped (and so stopped) on every path, the panic below included.
        let redis = Redis { child, port };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return redis;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("redis-server did not start on port {port}");
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
