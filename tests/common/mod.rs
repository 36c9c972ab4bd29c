//! Shared by the end-to-end tests: the real binary on loopback, killed on
//! drop, and a plain HTTP client.
#![allow(dead_code)]

pub mod chat;
pub mod verify;

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};

use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// `veilgate serve` in front of `upstream`; killed on drop.
pub struct Veilgate {
    child: Child,
    pub addr: String,
    /// What the first line said veilgate forwards to.
    pub upstream: String,
    stdout: BufReader<ChildStdout>,
    _config: Option<tempfile::NamedTempFile>,
    /// Where stderr (the logs) went, when captured.
    log: Option<tempfile::NamedTempFile>,
}

impl Drop for Veilgate {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_veilgate(upstream: SocketAddr, extra: &str) -> Veilgate {
    start_with_config(config_for(upstream, extra))
}

/// A configuration file: a free loopback port in front of `upstream`, a
/// 1 s response timeout, then `extra`.
fn config_for(upstream: SocketAddr, extra: &str) -> tempfile::NamedTempFile {
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(
        config,
        "[listen]\nagent = \"127.0.0.1:0\"\n[upstream]\nurl = \"http://{upstream}\"\nresponse_timeout = \"1s\"\n{extra}"
    )
    .unwrap();
    config
}

/// `veilgate serve` with a whole configuration file.
pub fn start_with_config(config: tempfile::NamedTempFile) -> Veilgate {
    serve(config, None, None)
}

/// `veilgate serve` with a whole configuration file, logging at `level` to
/// a file that [`Veilgate::logs`] reads.
pub fn start_with_config_logged(config: tempfile::NamedTempFile, level: &str) -> Veilgate {
    let log = tempfile::NamedTempFile::new().unwrap();
    serve(config, Some(level), Some(log))
}

/// `veilgate serve` in front of `upstream` logging at `level` to a file
/// that [`Veilgate::logs`] reads.
pub fn start_logged(upstream: SocketAddr, level: &str) -> Veilgate {
    let log = tempfile::NamedTempFile::new().unwrap();
    serve(config_for(upstream, ""), Some(level), Some(log))
}

fn serve(
    config: tempfile::NamedTempFile,
    log_level: Option<&str>,
    log: Option<tempfile::NamedTempFile>,
) -> Veilgate {
    let mut command = Command::new(env!("CARGO_BIN_EXE_veilgate"));
    command.args(["serve", "--config"]).arg(config.path());
    if let Some(level) = log_level {
        command.env("RUST_LOG", level);
    }
    let mut vg = spawn(command, log);
    vg._config = Some(config);
    vg
}

/// `veilgate demo` on free ports: `upstream` is the demo helpdesk.
pub fn start_demo() -> Veilgate {
    let mut command = Command::new(env!("CARGO_BIN_EXE_veilgate"));
    command.args([
        "demo",
        "--listen",
        "127.0.0.1:0",
        "--helpdesk",
        "127.0.0.1:0",
    ]);
    spawn(command, None)
}

/// Starts the binary and reads the first stdout line, which says
/// `veilgate: agents connect to SCHEME://ADDR, forwarding to URL`.
fn spawn(mut command: Command, log: Option<tempfile::NamedTempFile>) -> Veilgate {
    if !command.get_envs().any(|(name, _)| name == "RUST_LOG") {
        command.env("RUST_LOG", "info");
    }
    let stderr = match &log {
        Some(file) => Stdio::from(file.reopen().unwrap()),
        None => Stdio::null(),
    };
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let (addr, upstream) = line
        .trim_end()
        .strip_prefix("veilgate: agents connect to ")
        .and_then(|rest| rest.split_once(", forwarding to "))
        .and_then(|(agent, upstream)| Some((agent.split_once("://")?.1, upstream)))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Veilgate {
        addr: addr.to_string(),
        upstream: upstream.to_string(),
        child,
        stdout,
        _config: None,
        log,
    }
}

impl Veilgate {
    /// Everything logged so far (with [`start_logged`]).
    pub fn logs(&self) -> String {
        let path = self.log.as_ref().expect("started with start_logged").path();
        std::fs::read_to_string(path).unwrap()
    }

    /// The next line veilgate printed on stdout.
    pub fn next_line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line
    }
}

pub async fn get(
    addr: &str,
    path: &str,
    method: &str,
) -> (StatusCode, http::HeaderMap, Result<Bytes, String>) {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"))
        .header("x-test", "1")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = client.request(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .map_err(|e| e.to_string());
    (status, headers, body)
}
