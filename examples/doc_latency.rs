//! Time to redact one small JSON document in-process, the proxy's unit of
//! work for a ticket: with the detector's automata warm in the CPU caches
//! (the same document again and again), and with 32 MiB of other memory
//! touched between documents, as a proxy's other work does. The gap between
//! the two is what locality costs.
//!
//! `cargo run --release --example doc_latency -- FILE.json`

use std::hint::black_box;
use std::time::Instant;

use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::{Redactor, json};

const DOCS: usize = 300;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: doc_latency FILE.json");
    let doc = std::fs::read_to_string(path).expect("readable file");
    let rules = packs::load(&PackSource::default()).expect("default packs load");
    let redactor = Redactor::new(rules, None).expect("detector builds");
    json::redact_json(&redactor, &doc).expect("the file is JSON");
    for _ in 0..200 {
        black_box(json::redact_json(&redactor, &doc).ok());
    }
    let mut other = vec![0u8; 32 << 20];
    for evict in [false, true] {
        let mut best = f64::MAX;
        for round in 0..5u8 {
            let mut spent = 0.0;
            for _ in 0..DOCS {
                if evict {
                    for byte in other.iter_mut().step_by(64) {
                        *byte = byte.wrapping_add(round);
                    }
                }
                let start = Instant::now();
                black_box(json::redact_json(&redactor, &doc).ok());
                spent += start.elapsed().as_secs_f64();
            }
            best = best.min(spent / DOCS as f64);
        }
        let label = if evict {
            "caches evicted"
        } else {
            "caches warm"
        };
        println!(
            "{label}: {:.0} µs per document (best of 5 × {DOCS})",
            best * 1e6
        );
    }
    black_box(&other);
}
