//! Writes the benchmark's generated inputs to stdout, so the profiler and
//! load scripts can use the same bytes: `log` text (dense with values),
//! `quiet-log` text (a chunk with values every few hundred lines) or `ticket` JSON.
//!
//! `cargo run --release --example corpus -- log|quiet-log|ticket MEGABYTES > FILE`

#[path = "../tests/corpus/mod.rs"]
mod corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_default();
    let megabytes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let bytes = megabytes << 20;
    let text = match kind.as_str() {
        "log" => corpus::log_text(1, bytes),
        "quiet-log" => corpus::quiet_log_text(3, bytes),
        "ticket" => corpus::ticket_json(2, bytes),
        _ => {
            eprintln!("usage: corpus log|quiet-log|ticket MEGABYTES");
            std::process::exit(2);
        }
    };
    print!("{text}");
}
