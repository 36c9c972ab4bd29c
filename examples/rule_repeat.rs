//! Runs one rule's detection over a text file several times in one process,
//! for profiling a single expensive rule with perf or callgrind.
//!
//! `cargo run --release --example rule_repeat -- RULE_ID FILE [TIMES]`

use std::hint::black_box;

use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::{Detector, RuleSet};

fn main() {
    let mut args = std::env::args().skip(1);
    let id = args
        .next()
        .expect("usage: rule_repeat RULE_ID FILE [TIMES]");
    let path = args
        .next()
        .expect("usage: rule_repeat RULE_ID FILE [TIMES]");
    let times: usize = args.next().map_or(3, |n| n.parse().expect("a count"));
    let text = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let rules = packs::load(&PackSource::default()).expect("default packs load");
    let index = rules
        .rules
        .iter()
        .position(|r| r.id == id)
        .expect("a rule of the default packs");
    let detector = Detector::new(RuleSet::single_from(&rules, index)).expect("detector builds");
    for _ in 0..times {
        black_box(detector.detect(&text));
    }
}
