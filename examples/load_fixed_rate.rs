//! An open-loop load generator for `scripts/bench-proxy.sh`: sends GET
//! requests to one URL at a fixed rate over keep-alive HTTP/1.1 connections
//! and reports latency percentiles, measured from the moment each request
//! was due, not from when a connection was free to send it. A closed-loop
//! tool such as wrk runs at saturation, where latency is mostly queueing;
//! this measures what a proxy adds at a given load, and a server that falls
//! behind the schedule is charged for the wait (no coordinated omission).
//!
//! Prints one line: `sent rate p50_ms p90_ms p99_ms p999_ms max_ms errors`.
//!
//! `cargo run --release --example load_fixed_rate -- URL RATE SECONDS [CONNECTIONS]`

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::{Mutex, mpsc};

struct Args {
    url: http::Uri,
    rate: f64,
    seconds: f64,
    connections: usize,
}

fn args() -> Result<Args, String> {
    let usage = "usage: load_fixed_rate URL RATE SECONDS [CONNECTIONS]";
    let mut args = std::env::args().skip(1);
    let mut next = |what: &str| args.next().ok_or(format!("{usage} (no {what})"));
    let url: http::Uri = next("URL")?.parse().map_err(|e| format!("URL: {e}"))?;
    let rate: f64 = next("RATE")?.parse().map_err(|e| format!("RATE: {e}"))?;
    let seconds: f64 = next("SECONDS")?
        .parse()
        .map_err(|e| format!("SECONDS: {e}"))?;
    let connections = match next("CONNECTIONS") {
        Ok(n) => n.parse().map_err(|e| format!("CONNECTIONS: {e}"))?,
        Err(_) => 32,
    };
    if url.scheme_str() != Some("http") || url.host().is_none() {
        return Err(format!("{usage} (URL must be http://HOST:PORT/PATH)"));
    }
    if !(rate > 0.0 && seconds > 0.0 && connections > 0) {
        return Err(format!("{usage} (RATE, SECONDS, CONNECTIONS must be > 0)"));
    }
    Ok(Args {
        url,
        rate,
        seconds,
        connections,
    })
}

/// One keep-alive connection: takes the next due time off the schedule,
/// sends, and records how long after that time the whole body was in.
async fn connection(
    args: &Args,
    schedule: &Mutex<mpsc::UnboundedReceiver<Instant>>,
) -> Result<(Vec<Duration>, usize), String> {
    let host = args.url.host().expect("checked in args");
    let port = args.url.port_u16().unwrap_or(80);
    let stream = TcpStream::connect((host, port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(conn);
    let authority = args.url.authority().expect("checked in args").to_string();
    // Origin-form, as a browser sends to a server (a proxy refuses the
    // absolute form).
    let target = args
        .url
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let (mut latencies, mut errors) = (Vec::new(), 0);
    loop {
        let Some(due) = schedule.lock().await.recv().await else {
            return Ok((latencies, errors));
        };
        let request = http::Request::get(target.as_str())
            .header(http::header::HOST, &authority)
            .body(Empty::<Bytes>::new())
            .map_err(|e| e.to_string())?;
        sender.ready().await.map_err(|e| format!("send: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("send: {e}"))?;
        let ok = response.status().is_success();
        response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("body: {e}"))?;
        latencies.push(due.elapsed());
        errors += usize::from(!ok);
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

fn main() {
    let args = match args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let total = (args.rate * args.seconds).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / args.rate);
    let (due_tx, due_rx) = mpsc::unbounded_channel();
    let schedule = Mutex::new(due_rx);
    // The schedule is kept by a thread of its own with the OS's sleep,
    // finer than the async runtime's millisecond timer.
    let start = Instant::now() + Duration::from_millis(200);
    let pacer = std::thread::spawn(move || {
        for i in 0..total {
            let due = start + interval * u32::try_from(i).expect("fewer than 2^32 requests");
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            if due_tx.send(due).is_err() {
                return;
            }
        }
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let results = runtime.block_on(async {
        let connections = (0..args.connections).map(|_| connection(&args, &schedule));
        futures_util::future::join_all(connections).await
    });
    pacer.join().expect("the pacer thread");
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for result in results {
        match result {
            Ok((l, e)) => {
                latencies.extend(l);
                errors += e;
            }
            Err(e) => {
                eprintln!("load_fixed_rate: {e}");
                std::process::exit(1);
            }
        }
    }
    if latencies.is_empty() {
        eprintln!("load_fixed_rate: no request completed");
        std::process::exit(1);
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    println!(
        "{} {:.0} {:.2} {:.2} {:.2} {:.2} {:.2} {}",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.90),
        percentile(&latencies, 0.99),
        percentile(&latencies, 0.999),
        percentile(&latencies, 1.0),
        errors,
    );
}
