//! Where detection spends its time on a file, for tuning packs: the speed of
//! each keyword-less regex alone and of their union, of the keyword pass,
//! of the trigger scan and of full detection, how often each trigger fires,
//! and (with PER_RULE=1) the most expensive rules (TOP=N of them, 40 by
//! default); RULES=1 lists how each
//! keyword rule is confirmed; TRIGGERS=N lists the N most frequent triggers
//! (25 by default). Scans and detection run twice: first with empty lazy-DFA
//! caches, then again with them built. Reads the packs in `./patterns`.
//!
//! `cargo run --release --example profile -- FILE`

use regex_automata::meta::Regex;
use std::time::Instant;
use veilgate::redact::Redactor;
use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::rules::Finder;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mb = text.len() as f64 / 1e6;
    let rules = packs::load(&PackSource {
        dir: Some(std::path::Path::new("patterns")),
        no_defaults: false,
    })
    .unwrap();
    let r = Redactor::new(rules, None).unwrap();
    let mut hirs = vec![];
    let mut kws = vec![];
    for rule in &r.rules().rules {
        if let Finder::Regex {
            scan_hir, keywords, ..
        } = &rule.finder
        {
            if let Some(hir) = scan_hir {
                let re = Regex::builder().build_from_hir(hir).unwrap();
                let t = Instant::now();
                let n = re.find_iter(&text).count();
                println!(
                    "{:6.0} MB/s {:6} {}",
                    mb / t.elapsed().as_secs_f64(),
                    n,
                    rule.id
                );
                hirs.push(hir.clone());
            } else {
                kws.extend(keywords.iter().cloned());
                // RULES=1: how each keyword rule is confirmed.
                if std::env::var_os("RULES").is_some()
                    && let Finder::Regex {
                        max_len,
                        max_line_breaks,
                        starts_with_keyword,
                        ..
                    } = &rule.finder
                {
                    println!(
                        "{} anchored={starts_with_keyword} max_len={max_len} lines={max_line_breaks}",
                        rule.id
                    );
                }
            }
        }
    }
    let re = Regex::builder().build_many_from_hir(&hirs).unwrap();
    let t = Instant::now();
    let n = re.find_iter(&text).count();
    println!(
        "union of keyword-less: {:.0} MB/s {}",
        mb / t.elapsed().as_secs_f64(),
        n
    );
    let ac = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&kws)
        .unwrap();
    let t = Instant::now();
    let n = ac.find_overlapping_iter(&text).count();
    println!(
        "aho-corasick of {} keywords: {:.0} MB/s {}",
        kws.len(),
        mb / t.elapsed().as_secs_f64(),
        n
    );
    let mut counts = Vec::new();
    for pass in ["", " again"] {
        let t = Instant::now();
        counts = r.detector().trigger_counts(&text);
        println!(
            "trigger scan{pass} {:.0} MB/s",
            mb / t.elapsed().as_secs_f64()
        );
    }
    let shown = std::env::var("TRIGGERS").map_or(25, |v| v.parse().unwrap_or(25));
    for (name, n) in counts.iter().take(shown) {
        println!("{n:8} {name}");
    }
    for pass in ["", " again"] {
        let t = Instant::now();
        let f = r.find_in_text(&text);
        println!(
            "find_in_text{pass} {:.0} MB/s ({} findings)",
            mb / t.elapsed().as_secs_f64(),
            f.len()
        );
    }
    // Timing every rule alone takes minutes on a large file: on request.
    if std::env::var_os("PER_RULE").is_none() {
        return;
    }
    let mut per_rule = vec![];
    for i in 0..r.rules().rules.len() {
        let d =
            veilgate::redact::Detector::new(veilgate::redact::RuleSet::single_from(r.rules(), i))
                .unwrap();
        // The second pass: lazy DFAs built, as on a long-running stream.
        d.detect(&text);
        let t = Instant::now();
        let n = d.detect(&text).len();
        per_rule.push((t.elapsed().as_secs_f64(), n, r.rules().rules[i].id.clone()));
    }
    per_rule.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    for (secs, n, id) in per_rule.iter().take(
        std::env::var("TOP")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(40),
    ) {
        println!("{:8.1} ms {:6} {}", secs * 1e3, n, id);
    }
}
