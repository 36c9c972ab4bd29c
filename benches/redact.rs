//! Throughput of the redaction core over large, realistic inputs with every
//! default pack on: log-like text through the streaming redactor (dense with
//! values, and quiet: a chunk with values every few hundred lines), and ticket JSON
//! through the structure-aware path. One thread, so the figures are per
//! core. Run: `cargo bench --bench redact`.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::{Redactor, StreamRedactor, json};

#[path = "../tests/corpus/mod.rs"]
mod corpus;

/// At least 100 MB of each kind of input.
const INPUT_BYTES: usize = 100 << 20;
const CHUNK: usize = 64 * 1024;

fn redactor() -> Arc<Redactor> {
    let rules = packs::load(&PackSource::default()).expect("default packs load");
    Arc::new(Redactor::new(rules, None).expect("detector builds"))
}

fn stream_all(redactor: &Arc<Redactor>, input: &[u8]) -> usize {
    let mut stream = StreamRedactor::new(Arc::clone(redactor));
    let (mut out, mut findings) = (String::with_capacity(2 * CHUNK), Vec::new());
    let mut written = 0;
    for chunk in input.chunks(CHUNK) {
        stream
            .push(chunk, &mut out, &mut findings)
            .expect("corpus is UTF-8");
        written += out.len();
        out.clear();
    }
    stream
        .finish(&mut out, &mut findings)
        .expect("corpus is UTF-8");
    written + out.len() + findings.len()
}

fn bench(c: &mut Criterion) {
    let redactor = redactor();
    let text = corpus::log_text(1, INPUT_BYTES);
    let quiet = corpus::quiet_log_text(3, INPUT_BYTES);
    let ticket = corpus::ticket_json(2, INPUT_BYTES);

    let mut group = c.benchmark_group("redact");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .warm_up_time(Duration::from_secs(3));

    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("log_text_stream", |b| {
        b.iter(|| stream_all(&redactor, text.as_bytes()))
    });

    // The same kinds of lines, but with a chunk of values every few hundred
    // lines rather than a value every few: what most of a real log looks
    // like.
    group.throughput(Throughput::Bytes(quiet.len() as u64));
    group.bench_function("quiet_log_text_stream", |b| {
        b.iter(|| stream_all(&redactor, quiet.as_bytes()))
    });

    group.throughput(Throughput::Bytes(ticket.len() as u64));
    group.bench_function("ticket_json", |b| {
        b.iter(|| {
            json::redact_json(&redactor, &ticket)
                .expect("corpus JSON is valid")
                .output
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
