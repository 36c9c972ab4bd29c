//! Accuracy of the default pattern packs on a generated, labelled corpus of
//! support payloads (`tests/corpus/`): recall per kind of personal data and
//! secret, and how many look-alikes (timestamps, ids, hashes, placeholders)
//! survive untouched.
//!
//! A positive counts as redacted when the findings cover every byte of its
//! span except ASCII whitespace (a name redacted as two words, or a card as
//! four groups, leaves only the spaces between), and its raw value no longer
//! occurs in the output (beyond the occurrences that were not planted). A
//! negative counts as kept when no finding overlaps its span.
//!
//! Run: `cargo test --release --test accuracy -- --nocapture` for the tables.

mod corpus;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use corpus::{Doc, Format, Planted};
use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::{Finding, Redacted, Redactor, html, json};

const SEED: u64 = 0x5eed_0a11_c0de;
/// Documents in the corpus. Unoptimised builds (plain `cargo test`, as in
/// `scripts/test.sh`) run the detector many times slower and get a third;
/// the release figures are the ones to quote.
const DOCS: usize = if cfg!(debug_assertions) { 1000 } else { 3000 };

/// Recall targets, per kind.
const STRUCTURED_RECALL: f64 = 99.0;
const FUZZY_RECALL: f64 = 85.0;
const FUZZY_KINDS: &[&str] = &["person_name", "postal_address"];

/// Kinds that do not meet their target yet, with the rate (%) they must not
/// fall below meanwhile (recall for values, share kept for negatives),
/// measured on the full release corpus less a margin for the smaller debug
/// corpus. Each is an open gap of issue #2, listed in the README; a kind
/// leaves this list once it meets its target.
const KNOWN_GAPS: &[(&str, f64)] = &[];

/// Checks a rate against its target, or against its floor for a known gap.
fn check_rate(kind: &str, what: &str, rate: f64, target: f64, failures: &mut Vec<String>) {
    match KNOWN_GAPS.iter().find(|(k, _)| *k == kind) {
        Some(_) if rate >= target => {
            println!(
                "known gap closed: {what} of {kind} {rate:.1}% meets {target}%; remove it from KNOWN_GAPS"
            )
        }
        Some((_, floor)) => {
            println!("known gap: {what} of {kind} {rate:.1}% (target {target}%, floor {floor}%)");
            if rate < *floor {
                failures.push(format!(
                    "{what} of {kind}: {rate:.1}% fell below its floor {floor}%"
                ));
            }
        }
        None if rate < target => failures.push(format!("{what} of {kind}: {rate:.1}% < {target}%")),
        None => {}
    }
}
/// Share of negatives kept, overall and per kind.
const KEPT_OVERALL: f64 = 99.0;
const KEPT_PER_KIND: f64 = 97.0;
/// Fewest planted values of a kind for its figure to mean something.
const MIN_PER_KIND: usize = DOCS / 75;

/// How many misses to show for each of the worst kinds.
const SHOW_MISSES: usize = 6;

#[derive(Default)]
struct Tally {
    planted: usize,
    ok: usize,
    misses: Vec<String>,
    /// Misses per template and per shape of the value.
    where_missed: BTreeMap<String, usize>,
    shapes_missed: BTreeMap<String, usize>,
}

impl Tally {
    fn rate(&self) -> f64 {
        if self.planted == 0 {
            100.0
        } else {
            100.0 * self.ok as f64 / self.planted as f64
        }
    }
}

fn redactor() -> Redactor {
    let rules = packs::load(&PackSource::default()).expect("default packs load");
    Redactor::new(rules, None).expect("detector builds")
}

/// Bytes covered by any finding.
fn coverage(len: usize, findings: &[Finding]) -> Vec<bool> {
    let mut covered = vec![false; len];
    for f in findings {
        let end = f.span.end.min(len);
        covered[f.span.start.min(end)..end].fill(true);
    }
    covered
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Where the text around a planted value can be shown: the value itself as
/// «…», every other positive as «kind», newlines as ⏎.
fn snippet(doc: &Doc, span: &std::ops::Range<usize>) -> String {
    let text = &doc.text;
    let mut start = span.start.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end + 40).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut out = String::new();
    let mut i = start;
    let mut masks: Vec<(std::ops::Range<usize>, String)> = doc
        .positives
        .iter()
        .filter(|p| p.span.end > start && p.span.start < end && p.span != *span)
        .map(|p| (p.span.clone(), format!("«{}»", p.kind)))
        .collect();
    masks.push((span.clone(), "«…»".to_string()));
    masks.sort_by_key(|(s, _)| s.start);
    for (s, label) in masks {
        if s.start > i {
            out.push_str(&text[i..s.start]);
        }
        if s.end > i {
            out.push_str(&label);
            i = s.end;
        }
    }
    if i < end {
        out.push_str(&text[i..end]);
    }
    out.replace('\n', "⏎").replace('\t', "⇥")
}

/// The form of a value without the value: digits as 9, letters as A or a,
/// anything else as it is; long values cut short.
fn shape(value: &str) -> String {
    let mut out: String = value
        .chars()
        .take(32)
        .map(|c| match c {
            '0'..='9' => '9',
            c if c.is_uppercase() => 'A',
            c if c.is_alphabetic() => 'a',
            c => c,
        })
        .collect();
    if value.chars().count() > 32 {
        out.push('…');
    }
    format!("«{out}»")
}

/// The most frequent entries of a count, "name ×n" each.
fn top(counts: &BTreeMap<String, usize>, n: usize) -> String {
    let mut v: Vec<(&String, &usize)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut s: Vec<String> = v.iter().take(n).map(|(k, c)| format!("{k} ×{c}")).collect();
    if v.len() > n {
        s.push(format!("… {} more", v.len() - n));
    }
    s.join(", ")
}

/// Names of the start and end tags, in order (comments, doctypes and text
/// left out): what must be the same after redaction.
fn tag_sequence(html: &str) -> Vec<String> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        let mut j = i + 1;
        let close = j < b.len() && b[j] == b'/';
        if close {
            j += 1;
        }
        let name_start = j;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j > name_start && b[name_start].is_ascii_alphabetic() {
            let name = html[name_start..j].to_ascii_lowercase();
            tags.push(if close { format!("/{name}") } else { name });
        }
        i = j.max(i + 1);
    }
    tags
}

#[derive(Default)]
struct Run {
    positives: BTreeMap<&'static str, Tally>,
    negatives: BTreeMap<&'static str, Tally>,
    structure_errors: Vec<String>,
    bytes: usize,
    /// Time spent in the redaction calls alone, summed over threads.
    redacting: Duration,
    /// Bytes and redaction time per template.
    by_template: BTreeMap<String, (usize, Duration)>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.planted += other.planted;
        self.ok += other.ok;
        self.misses.extend(other.misses);
        for (k, n) in other.where_missed {
            *self.where_missed.entry(k).or_default() += n;
        }
        for (k, n) in other.shapes_missed {
            *self.shapes_missed.entry(k).or_default() += n;
        }
    }
}

impl Run {
    fn merge(&mut self, other: Run) {
        for (k, t) in other.positives {
            self.positives.entry(k).or_default().merge(t);
        }
        for (k, t) in other.negatives {
            self.negatives.entry(k).or_default().merge(t);
        }
        self.structure_errors.extend(other.structure_errors);
        self.bytes += other.bytes;
        self.redacting += other.redacting;
        for (k, (b, t)) in other.by_template {
            let e = self.by_template.entry(k).or_default();
            e.0 += b;
            e.1 += t;
        }
    }
}

/// [`measure`] on a few threads, the documents split in order.
fn measure_parallel(redactor: &Redactor, docs: &[Doc]) -> Run {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let per = docs.len().div_ceil(threads).max(1);
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = docs
            .chunks(per)
            .enumerate()
            .map(|(i, chunk)| scope.spawn(move || measure(redactor, chunk, i * per)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("measuring thread"))
            .collect()
    });
    let mut run = Run::default();
    for r in runs {
        run.merge(r);
    }
    run
}

/// Redacts `docs` (numbered from `first`) and scores every planted value.
fn measure(redactor: &Redactor, docs: &[Doc], first: usize) -> Run {
    let mut run = Run::default();
    for (n, doc) in docs.iter().enumerate() {
        let n = first + n;
        run.bytes += doc.text.len();
        let started = Instant::now();
        let redacted: Redacted = match doc.format {
            Format::Text => redactor.redact_text(&doc.text),
            Format::Json => match json::redact_json(redactor, &doc.text) {
                Ok(r) => r,
                Err(e) => {
                    run.structure_errors.push(format!(
                        "doc {n} ({}): JSON not redacted: {e}",
                        doc.template
                    ));
                    Redacted {
                        output: doc.text.clone(),
                        findings: Vec::new(),
                    }
                }
            },
            Format::Html => html::redact_html(redactor, &doc.text),
        };
        let took = started.elapsed();
        run.redacting += took;
        let e = run
            .by_template
            .entry(format!("{} {:?}", doc.template, doc.format))
            .or_default();
        e.0 += doc.text.len();
        e.1 += took;
        match doc.format {
            Format::Json => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&redacted.output) {
                    run.structure_errors.push(format!(
                        "doc {n} ({}): output is not valid JSON: {e}",
                        doc.template
                    ));
                }
            }
            Format::Html => {
                if tag_sequence(&doc.text) != tag_sequence(&redacted.output) {
                    run.structure_errors
                        .push(format!("doc {n} ({}): tag sequence changed", doc.template));
                }
            }
            Format::Text => {}
        }
        let covered = coverage(doc.text.len(), &redacted.findings);
        let bytes = doc.text.as_bytes();
        for p in &doc.positives {
            let uncovered = p
                .span
                .clone()
                .filter(|&i| !covered[i] && !bytes[i].is_ascii_whitespace())
                .count();
            // Occurrences that are not this value planted: those may remain.
            let planted_here = doc.positives.iter().filter(|q| q.value == p.value).count();
            let background = count(&doc.text, &p.value).saturating_sub(planted_here);
            let leaked = count(&redacted.output, &p.value) > background;
            let t = run.positives.entry(p.kind).or_default();
            t.planted += 1;
            if uncovered == 0 && !leaked {
                t.ok += 1;
            } else {
                let visible = bytes[p.span.clone()]
                    .iter()
                    .filter(|b| !b.is_ascii_whitespace())
                    .count();
                let why = if uncovered == visible {
                    "not found".to_string()
                } else if uncovered > 0 {
                    let mut rules: Vec<&str> = redacted
                        .findings
                        .iter()
                        .filter(|f| f.span.start < p.span.end && p.span.start < f.span.end)
                        .map(|f| redactor.detector().rule(f.rule).id.as_str())
                        .collect();
                    rules.dedup();
                    format!(
                        "{uncovered} of {visible} bytes left by {}",
                        rules.join(", ")
                    )
                } else {
                    "covered, but still in the output".to_string()
                };
                t.misses.push(format!(
                    "[{} {:?}] {why}: {}",
                    doc.template,
                    doc.format,
                    snippet(doc, &p.span)
                ));
                *t.where_missed
                    .entry(format!("{} {:?}", doc.template, doc.format))
                    .or_default() += 1;
                *t.shapes_missed.entry(shape(&p.value)).or_default() += 1;
            }
        }
        for q in &doc.negatives {
            let hit = redacted
                .findings
                .iter()
                .find(|f| f.span.start < q.span.end && q.span.start < f.span.end);
            let t = run.negatives.entry(q.kind).or_default();
            t.planted += 1;
            match hit {
                None => t.ok += 1,
                Some(f) => {
                    let rule = &redactor.detector().rule(f.rule).id;
                    t.misses.push(format!(
                        "[{} {:?}] hit by {rule}: {}",
                        doc.template,
                        doc.format,
                        snippet(doc, &q.span)
                    ));
                    *t.where_missed
                        .entry(format!("{} {:?}", doc.template, doc.format))
                        .or_default() += 1;
                    *t.shapes_missed.entry(shape(&q.value)).or_default() += 1;
                }
            }
        }
    }
    run
}

fn print_table(title: &str, tallies: &BTreeMap<&'static str, Tally>, kinds: &[&str], what: &str) {
    println!("\n{title}");
    println!("{:<22} {:>8} {:>9} {:>8}", "kind", "planted", what, "%");
    for kind in kinds {
        if let Some(t) = tallies.get(kind) {
            println!(
                "{:<22} {:>8} {:>9} {:>7.1}%",
                kind,
                t.planted,
                t.ok,
                t.rate()
            );
        } else {
            println!("{kind:<22} {:>8}", 0);
        }
    }
    let planted: usize = kinds
        .iter()
        .filter_map(|k| tallies.get(k))
        .map(|t| t.planted)
        .sum();
    let ok: usize = kinds
        .iter()
        .filter_map(|k| tallies.get(k))
        .map(|t| t.ok)
        .sum();
    println!(
        "{:<22} {:>8} {:>9} {:>7.1}%",
        "(all)",
        planted,
        ok,
        100.0 * ok as f64 / planted.max(1) as f64
    );
}

#[test]
fn accuracy_on_generated_corpus() {
    let started = Instant::now();
    let docs = corpus::corpus(SEED, DOCS);
    let generated = started.elapsed();
    let redactor = redactor();
    let started = Instant::now();
    let run = measure_parallel(&redactor, &docs);
    let redacted = started.elapsed();

    let by_format = |f: Format| docs.iter().filter(|d| d.format == f).count();
    let n_pos: usize = docs.iter().map(|d| d.positives.len()).sum();
    let n_neg: usize = docs.iter().map(|d| d.negatives.len()).sum();
    println!(
        "\ncorpus: seed {SEED:#x}, {} docs ({} text, {} JSON, {} HTML), {:.1} MB, {n_pos} positives, {n_neg} negatives",
        docs.len(),
        by_format(Format::Text),
        by_format(Format::Json),
        by_format(Format::Html),
        run.bytes as f64 / 1e6,
    );
    let mbps = |bytes: usize, t: Duration| bytes as f64 / 1e6 / t.as_secs_f64().max(1e-9);
    println!(
        "generated in {generated:.2?}; redacted and scored in {redacted:.2?} (redaction calls {:.2?} summed over threads, {:.2} MB/s)",
        run.redacting,
        mbps(run.bytes, run.redacting)
    );
    let mut slow: Vec<_> = run.by_template.iter().collect();
    slow.sort_by(|a, b| mbps(a.1.0, a.1.1).total_cmp(&mbps(b.1.0, b.1.1)));
    let slow: Vec<String> = slow
        .iter()
        .take(5)
        .map(|(k, (b, t))| format!("{k} {:.2} MB/s", mbps(*b, *t)))
        .collect();
    println!("slowest templates: {}", slow.join(", "));

    print_table(
        "personal data",
        &run.positives,
        corpus::PII_KINDS,
        "redacted",
    );
    print_table("national ids", &run.positives, corpus::ID_KINDS, "redacted");
    print_table("secrets", &run.positives, corpus::SECRET_KINDS, "redacted");
    print_table(
        "hard negatives",
        &run.negatives,
        corpus::NEGATIVE_KINDS,
        "kept",
    );

    let mut failures = Vec::new();
    failures.extend(run.structure_errors.iter().take(20).cloned());
    if run.structure_errors.len() > 20 {
        failures.push(format!(
            "… and {} more structure errors",
            run.structure_errors.len() - 20
        ));
    }
    let positive_kinds = corpus::PII_KINDS
        .iter()
        .chain(corpus::ID_KINDS)
        .chain(corpus::SECRET_KINDS);
    for kind in positive_kinds {
        let t = run.positives.get(kind);
        let planted = t.map_or(0, |t| t.planted);
        if planted < MIN_PER_KIND {
            failures.push(format!(
                "corpus: only {planted} {kind} planted (want {MIN_PER_KIND})"
            ));
            continue;
        }
        let target = if FUZZY_KINDS.contains(kind) {
            FUZZY_RECALL
        } else {
            STRUCTURED_RECALL
        };
        let rate = t.map_or(0.0, Tally::rate);
        check_rate(kind, "recall", rate, target, &mut failures);
    }
    for kind in corpus::NEGATIVE_KINDS {
        let t = run.negatives.get(kind);
        let planted = t.map_or(0, |t| t.planted);
        if planted < MIN_PER_KIND {
            failures.push(format!(
                "corpus: only {planted} {kind} negatives planted (want {MIN_PER_KIND})"
            ));
            continue;
        }
        let rate = t.map_or(0.0, Tally::rate);
        check_rate(kind, "negatives kept", rate, KEPT_PER_KIND, &mut failures);
    }
    let neg_ok: usize = run.negatives.values().map(|t| t.ok).sum();
    let neg_all: usize = run.negatives.values().map(|t| t.planted).sum();
    let kept = 100.0 * neg_ok as f64 / neg_all.max(1) as f64;
    if kept < KEPT_OVERALL {
        failures.push(format!(
            "negatives kept overall: {kept:.1}% < {KEPT_OVERALL}%"
        ));
    }

    // The misses of the ten worst kinds, to tune the packs by.
    let mut worst: Vec<(&str, &str, &Tally)> = run
        .positives
        .iter()
        .map(|(k, t)| ("missed", *k, t))
        .chain(
            run.negatives
                .iter()
                .map(|(k, t)| ("redacted by mistake", *k, t)),
        )
        .filter(|(_, _, t)| t.ok < t.planted)
        .collect();
    worst.sort_by(|a, b| a.2.rate().total_cmp(&b.2.rate()));
    println!("\nwhere and in what shape values were missed (digits as 9, letters as A/a):");
    for (what, kind, t) in &worst {
        println!(
            "  {kind} ({} {what}): in {}; shapes {}",
            t.planted - t.ok,
            top(&t.where_missed, 4),
            top(&t.shapes_missed, 4)
        );
    }
    if !worst.is_empty() {
        println!(
            "\nmisses of the {} worst kinds (value shown as «…», other positives as «kind»):",
            worst.len().min(10)
        );
    }
    for (what, kind, t) in worst.iter().take(10) {
        println!(
            "\n{kind}: {} of {} {what} ({:.1}%)",
            t.planted - t.ok,
            t.planted,
            t.rate()
        );
        // Spread the examples over the misses rather than the first few.
        let step = (t.misses.len() / SHOW_MISSES).max(1);
        for m in t.misses.iter().step_by(step).take(SHOW_MISSES) {
            println!("  {m}");
        }
    }

    if !failures.is_empty() {
        println!("\n{} target(s) not met:", failures.len());
        for f in &failures {
            println!("  {f}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} accuracy target(s) not met (run with --nocapture for the tables)",
        failures.len()
    );
}

/// The generator's checksums against published example numbers, so that a
/// planted value is valid because the definition says so, not because the
/// crate's validator agrees.
#[test]
fn generator_checksums_match_published_examples() {
    use corpus::values::{
        be_ok, bsn_ok, cf_check, hetu_ok, iban_ok, iso7064_mod11_10, luhn_ok, nir_ok, pesel_ok,
        rvnr_ok, steuer_id_ok,
    };
    // Luhn: a Visa test number and the ISO/IEC 7812 example.
    assert!(luhn_ok("4111111111111111"));
    assert!(luhn_ok("79927398713"));
    assert!(!luhn_ok("79927398710"));
    // IBAN: the examples of ISO 13616 / the ECBS register.
    assert!(iban_ok("GB82 WEST 1234 5698 7654 32"));
    assert!(iban_ok("NL91ABNA0417164300"));
    assert!(iban_ok("DE89370400440532013000"));
    assert!(iban_ok("FR1420041010050500013M02606"));
    assert!(!iban_ok("NL91ABNA0417164301"));
    // NL BSN: the example of the Dutch government's test set.
    assert!(bsn_ok("111222333"));
    assert!(bsn_ok("123456782"));
    assert!(!bsn_ok("123456789"));
    // FI HETU: the example of the Digital and Population Data Services Agency.
    assert!(hetu_ok("131052-308T"));
    assert!(!hetu_ok("131052-308U"));
    // DE Steuer-ID: the published example number.
    assert!(steuer_id_ok("86095742719"));
    assert_eq!(iso7064_mod11_10("8609574271"), 9);
    assert!(!steuer_id_ok("86095742718"));
    // DE RVNR: the example of the Deutsche Rentenversicherung.
    assert!(rvnr_ok("15070649C103"));
    assert!(!rvnr_ok("15070649C104"));
    // IT codice fiscale: Mario Rossi, the usual worked example.
    assert_eq!(cf_check("RSSMRA85T10A562"), 'S');
    // PL PESEL: the example of the Polish ministry.
    assert!(pesel_ok("44051401359"));
    assert!(!pesel_ok("44051401358"));
    // FR NIR: a key computed by hand: 97 − (1850375116238 mod 97).
    assert!(nir_ok(&format!(
        "1850375116238{:02}",
        97 - 1_850_375_116_238u64 % 97
    )));
    // BE national number: 85.07.30-033.28 (a key computed as 97 − 850730033 mod 97).
    assert!(be_ok(&format!("850730033{:02}", 97 - 850_730_033u64 % 97)));
    assert!(be_ok(&format!(
        "050730033{:02}",
        97 - 2_050_730_033u64 % 97
    )));
}

/// Every phone number the generator writes is valid for libphonenumber in
/// the region it was written for (a "(0)" trunk written after the country
/// code is dropped first, as a dialler would).
#[test]
fn generated_phone_numbers_are_valid() {
    let mut invalid = Vec::new();
    for (text, region) in corpus::phone_samples(7, 5000) {
        let id: phonenumber::country::Id = region.parse().expect("known region");
        let dialled = text.replace("(0)", "");
        let ok = phonenumber::parse(Some(id), &dialled).is_ok_and(|n| phonenumber::is_valid(&n));
        if !ok {
            invalid.push(format!("{region} {text}"));
        }
    }
    assert!(
        invalid.is_empty(),
        "{} invalid numbers, e.g. {:?}",
        invalid.len(),
        &invalid[..invalid.len().min(20)]
    );
}

/// Same seed, same corpus; every planted span holds its value; JSON
/// documents are valid JSON; the benchmark inputs are what they claim.
#[test]
fn corpus_is_deterministic_and_well_formed() {
    let a = corpus::corpus(11, 300);
    let b = corpus::corpus(11, 300);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.text, y.text);
        assert_eq!(x.positives, y.positives);
        x.check();
        if x.format == Format::Json {
            serde_json::from_str::<serde_json::Value>(&x.text)
                .expect("JSON documents are valid JSON");
        }
        let mut planted = x.positives.iter().chain(&x.negatives);
        assert!(planted.all(|p: &Planted| x.text[p.span.clone()] == p.value));
    }
    let tickets = corpus::ticket_json(3, 200_000);
    let v: serde_json::Value = serde_json::from_str(&tickets).expect("ticket_json is valid JSON");
    assert!(v.as_array().is_some_and(|a| a.len() > 5));
    let logs = corpus::log_text(3, 200_000);
    assert!(logs.len() >= 200_000 && logs.lines().count() > 1000);
    assert_eq!(corpus::log_text(3, 50_000), corpus::log_text(3, 50_000));
}

/// Writes a few documents of each template to `$VEILGATE_CORPUS_DUMP` (or
/// `target/corpus-samples`), to see what the corpus looks like:
/// `cargo test --release --test accuracy -- --ignored dump`.
#[test]
#[ignore]
fn dump_corpus_samples() {
    let dir =
        std::env::var("VEILGATE_CORPUS_DUMP").unwrap_or_else(|_| "target/corpus-samples".into());
    std::fs::create_dir_all(&dir).expect("dump directory");
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, doc) in corpus::corpus(SEED, 400).iter().enumerate() {
        let n = seen.entry(doc.template).or_default();
        if *n >= 3 {
            continue;
        }
        *n += 1;
        let ext = match doc.format {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Html => "html",
        };
        let path = format!("{dir}/{i:04}-{}.{ext}", doc.template);
        std::fs::write(path, &doc.text).expect("write sample");
    }
    println!("samples written to {dir}");
}

/// Undoes the escapes a planted value may be written with, for checking it.
fn unescaped(value: &str) -> String {
    let v = value
        .replace("\\u0040", "@")
        .replace("&#64;", "@")
        .replace("&#x40;", "@")
        .replace("&commat;", "@")
        .replace("\\/", "/")
        .replace("\\n", "\n");
    // Percent-escapes (the generator writes them for ASCII only).
    let b = v.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = String::with_capacity(v.len());
    let mut i = 0;
    while i < b.len() {
        let escape = if b[i] == b'%' && i + 2 < b.len() {
            hex(b[i + 1]).zip(hex(b[i + 2]))
        } else {
            None
        };
        if let Some((h, l)) = escape {
            out.push(char::from((h * 16 + l) as u8));
            i += 3;
            continue;
        }
        let c = v[i..].chars().next().expect("in bounds");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A valid calendar date from two-digit day and month and a full year.
fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Why a planted positive is not a valid value of its kind, if it is not.
/// Checksums are re-checked here; the shapes without one (CPR dates and
/// centuries, NINO prefixes, SSN areas, DNI letters, codice fiscale, phone
/// numbers) with checks written independently of the generator.
fn invalid_because(kind: &str, raw: &str) -> Option<&'static str> {
    use corpus::values::{
        be_ok, bsn_ok, cf_check, hetu_ok, iban_ok, luhn_ok, nir_ok, pesel_ok, rvnr_ok, steuer_id_ok,
    };
    let v = unescaped(raw);
    let d = digits_of(&v);
    let compact: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
        .collect();
    let ok = match kind {
        "card" => (13..=19).contains(&d.len()) && luhn_ok(&d),
        "iban" => iban_ok(&v),
        "nl_bsn" => bsn_ok(&d),
        "fi_hetu" => hetu_ok(&v),
        "fr_nir" => nir_ok(&v),
        "de_steuer_id" => steuer_id_ok(&d),
        "de_rvnr" => rvnr_ok(&v),
        "pl_pesel" => pesel_ok(&d),
        "be_national_number" => be_ok(&v),
        "se_personnummer" => d.len() >= 10 && luhn_ok(&d[d.len() - 10..]),
        "it_codice_fiscale" => v.len() == 16 && cf_check(&v[..15]) == v.as_bytes()[15] as char,
        "es_dni" | "es_nie" => {
            // NIE: X, Y, Z stand for 0, 1, 2 in the number (not in the letter).
            let n = match compact.chars().next() {
                Some(c @ ('X' | 'Y' | 'Z')) => format!("{}{}", c as u8 - b'X', &compact[1..]),
                _ => compact.clone(),
            };
            n.len() == 9
                && n[..8]
                    .parse::<usize>()
                    .is_ok_and(|x| b"TRWAGMYFPDXBNJZSQVHLCKE"[x % 23] == n.as_bytes()[8])
        }
        "us_ssn" => {
            d.len() == 9 && {
                let (a, g, s) = (&d[..3], &d[3..5], &d[5..]);
                a != "000" && a != "666" && !a.starts_with('9') && g != "00" && s != "0000"
            }
        }
        "gb_nino" => {
            let b = compact.as_bytes();
            compact.len() == 9
                && !b"DFIQUV".contains(&b[0])
                && !b"DFIOQUV".contains(&b[1])
                && !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&&compact[..2])
                && compact[2..8].bytes().all(|c| c.is_ascii_digit())
                && b"ABCD".contains(&b[8])
        }
        "dk_cpr" => {
            d.len() == 10 && {
                let n = |i: usize| d[i..i + 2].parse::<u32>().unwrap();
                let (dd, mm, yy) = (n(0), n(2), n(4));
                let c = u32::from(d.as_bytes()[6] - b'0');
                let year = match c {
                    0..=3 => 1900 + yy,
                    4 | 9 if yy <= 36 => 2000 + yy,
                    4 | 9 => 1900 + yy,
                    _ if yy <= 57 => 2000 + yy,
                    _ => 1800 + yy,
                };
                valid_date(year, mm, dd)
            }
        }
        "phone" => {
            let dialled = v.replace("(0)", "");
            let dialled = match dialled.strip_prefix("00") {
                Some(rest) => format!("+{rest}"),
                None => dialled,
            };
            let valid_in = |region: Option<phonenumber::country::Id>| {
                phonenumber::parse(region, &dialled).is_ok_and(|n| phonenumber::is_valid(&n))
            };
            if dialled.starts_with('+') {
                valid_in(None)
            } else {
                use phonenumber::country::Id;
                [Id::US, Id::GB, Id::NL, Id::FR, Id::DE, Id::DK, Id::FI]
                    .into_iter()
                    .any(|id| valid_in(Some(id)))
            }
        }
        "email" => {
            v.split('@').count() == 2 && v.rsplit('@').next().is_some_and(|h| h.contains('.'))
        }
        "ipv4" => v
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| !ip.is_private() && !ip.is_loopback()),
        "ipv6" => v.parse::<std::net::Ipv6Addr>().is_ok(),
        "mac" => {
            let hex: String = v.chars().filter(char::is_ascii_hexdigit).collect();
            hex.len() == 12 && v.len() >= 14
        }
        "jwt" => {
            let parts: Vec<&str> = v.split('.').collect();
            parts.len() == 3
                && parts[0].starts_with("eyJ")
                && parts[1].starts_with("eyJ")
                && parts[2].len() >= 43
        }
        "github_token" => {
            if let Some(body) = v.strip_prefix("github_pat_") {
                body.len() == 82
            } else {
                // Classic tokens: 30 random characters and their CRC-32 in base62.
                let body = &v[4..34];
                let mut crc = corpus::values::crc32(body.as_bytes()) as u64;
                let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
                let mut enc = Vec::new();
                for _ in 0..6 {
                    enc.push(alphabet[(crc % 62) as usize]);
                    crc /= 62;
                }
                enc.reverse();
                v.len() == 40 && &v.as_bytes()[34..] == enc.as_slice()
            }
        }
        "aws_access_key" => v.len() == 20 && (v.starts_with("AKIA") || v.starts_with("ASIA")),
        "aws_secret_key" => v.len() == 40,
        "google_api_key" => v.len() == 39 && v.starts_with("AIza"),
        "stripe_key" => v.starts_with("sk_live_"),
        "pem_private_key" => {
            v.starts_with("-----BEGIN ") && v.trim_end().ends_with("PRIVATE KEY-----")
        }
        _ => !v.trim().is_empty(),
    };
    (!ok).then_some("invalid")
}

/// Every planted positive is a valid value of its kind (checksums and all),
/// and every `fail_*` negative really fails its checksum.
#[test]
fn planted_values_are_valid() {
    use corpus::values::{be_ok, bsn_ok, luhn_ok, nir_ok, pesel_ok, steuer_id_ok};
    let docs = corpus::corpus(SEED, DOCS);
    let mut bad: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    for doc in &docs {
        doc.check();
        for p in &doc.positives {
            if invalid_because(p.kind, &p.value).is_some() {
                let e = bad
                    .entry(p.kind)
                    .or_insert((0, shape(&unescaped(&p.value))));
                e.0 += 1;
            }
        }
        for q in &doc.negatives {
            let d = digits_of(&q.value);
            let passes = match q.kind {
                "fail_luhn" => luhn_ok(&d),
                "fail_bsn" => bsn_ok(&d),
                "fail_pesel" => pesel_ok(&d),
                "fail_steuer_id" => steuer_id_ok(&d),
                "fail_nir" => nir_ok(&d),
                "fail_be_nn" => be_ok(&d),
                _ => false,
            };
            if passes {
                let e = bad.entry(q.kind).or_insert((0, shape(&q.value)));
                e.0 += 1;
            }
        }
    }
    assert!(
        bad.is_empty(),
        "invalid planted values (kind: count, first shape): {bad:?}"
    );
}
