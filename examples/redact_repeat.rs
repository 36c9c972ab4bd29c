//! Redacts one file several times in one process, for counting the steady
//! state (lazy DFAs built, as in a long-running proxy) with callgrind: the
//! instructions of 3 repetitions minus those of 1, halved, are the cost of
//! one more redaction. JSON when the name ends in `.json`, text otherwise.
//!
//! `valgrind --tool=callgrind target/release/examples/redact_repeat FILE 3`

use std::hint::black_box;

use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::{Redactor, json};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: redact_repeat FILE [TIMES]");
    let times: usize = args.next().map_or(3, |n| n.parse().expect("a count"));
    let input = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let rules = packs::load(&PackSource::default()).expect("default packs load");
    let redactor = Redactor::new(rules, None).expect("detector builds");
    for _ in 0..times {
        if path.ends_with(".json") {
            black_box(json::redact_json(&redactor, &input).expect("the file is JSON"));
        } else {
            black_box(redactor.find_in_text(&input));
        }
    }
}
