//! Streaming redaction finds values whatever the chunk boundaries.

use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use veilgate::redact::engine::resolve_overlaps;
use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::stream::{DEFAULT_BATCH, SOLO_BATCH};
use veilgate::redact::{Redactor, StreamError, StreamRedactor};

mod corpus;

fn redactor() -> Arc<Redactor> {
    let rules = packs::load(&PackSource::default()).expect("default packs load");
    Arc::new(Redactor::new(rules, None).expect("detector builds"))
}

fn stream(
    redactor: &Arc<Redactor>,
    input: &[u8],
    chunk: usize,
) -> Result<(String, usize), StreamError> {
    stream_in_batches(redactor, input, chunk, DEFAULT_BATCH)
}

fn stream_in_batches(
    redactor: &Arc<Redactor>,
    input: &[u8],
    chunk: usize,
    batch: usize,
) -> Result<(String, usize), StreamError> {
    let mut s = StreamRedactor::with_batch(Arc::clone(redactor), batch);
    let (mut out, mut findings) = (String::new(), Vec::new());
    for piece in input.chunks(chunk) {
        s.push(piece, &mut out, &mut findings)?;
    }
    s.finish(&mut out, &mut findings)?;
    Ok((out, findings.len()))
}

fn sample(lines: usize) -> String {
    (0..lines)
        .map(|i| {
            format!(
                "2024-03-12T10:22:{:02}Z INFO user{i}@example.com café ✓ id={i}\n",
                i % 60
            )
        })
        .collect()
}

#[test]
fn every_chunk_size_gives_the_same_output_as_one_piece() {
    let r = redactor();
    let input = sample(400);
    let whole = r.redact_text(&input);
    assert_eq!(whole.findings.len(), 400);
    for chunk in [
        1,
        2,
        3,
        5,
        7,
        13,
        64,
        1000,
        4096,
        8191,
        8192,
        8193,
        20_000,
        input.len(),
    ] {
        let (out, found) = stream(&r, input.as_bytes(), chunk).expect("valid UTF-8");
        assert_eq!(found, 400, "chunk size {chunk}");
        assert_eq!(out, whole.output, "chunk size {chunk}");
    }
}

#[test]
fn a_value_straddling_the_window_is_found() {
    let r = redactor();
    let filler = "x".repeat(40_000);
    let input = format!("{filler} jane.doe@example.com {filler}");
    for chunk in [40_001, 40_005, 40_010, 40_019, 65_536] {
        let (out, found) = stream(&r, input.as_bytes(), chunk).unwrap();
        assert_eq!(found, 1, "chunk {chunk}");
        assert!(!out.contains("jane"), "chunk {chunk}");
    }
}

/// Lines of different lengths, each with a value that only its key makes
/// a finding (`Pwd=`, `token=`, `X-Api-Key=`): over a few hundred KiB,
/// the stream's cuts fall everywhere in and around them.
fn keyed_secrets(lines: usize) -> (String, Vec<String>) {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut seed: u32 = 0x2545_f491;
    let mut text = String::new();
    let mut values = Vec::new();
    for i in 0..lines {
        let tail: String = (0..8 + i % 23)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                char::from(ALPHABET[(seed >> 24) as usize % ALPHABET.len()])
            })
            .collect();
        let value = format!("q{i:05}Zx.{tail}_tP");
        let line = match i % 3 {
            0 => format!(
                "{} ERROR conn 'Server=db01;Uid=billing;Pwd={value};Encrypt=True'\n",
                "pad ".repeat(i % 17)
            ),
            1 => format!("GET /reset?token={value}&page={i} HTTP/1.1 302\n"),
            _ => format!("headers: {{X-Api-Key=[{value}]}} took {}ms\n", i % 997),
        };
        text.push_str(&line);
        values.push(value);
    }
    (text, values)
}

#[test]
fn a_keyed_value_just_after_a_cut_keeps_its_key() {
    // The stream once dropped the text before each cut, so a value whose
    // key ended just before it was searched again without its key and
    // written out whole.
    let r = redactor();
    let (input, values) = keyed_secrets(2000);
    let whole = r.redact_text(&input);
    let missed: Vec<&String> = values
        .iter()
        .filter(|v| whole.output.contains(v.as_str()))
        .take(5)
        .collect();
    assert_eq!(whole.findings.len(), values.len(), "{missed:?}");
    for (chunk, batch) in [
        (1, 12_281),
        (4093, 12_281),
        (65_536, 12_281),
        (777, DEFAULT_BATCH),
        (65_536, DEFAULT_BATCH),
        (65_536, SOLO_BATCH),
    ] {
        let (out, found) =
            stream_in_batches(&r, input.as_bytes(), chunk, batch).expect("valid UTF-8");
        for value in &values {
            assert!(
                !out.contains(value.as_str()),
                "chunk {chunk} batch {batch}: {value}"
            );
        }
        assert_eq!(found, values.len(), "chunk {chunk} batch {batch}");
        assert_eq!(out, whole.output, "chunk {chunk} batch {batch}");
    }
}

#[test]
fn memory_stays_bounded() {
    let r = redactor();
    let s = StreamRedactor::new(Arc::clone(&r));
    // The window a stream holds back does not grow with the input.
    assert!(s.window() < 512 * 1024, "window {}", s.window());
}

#[test]
fn invalid_utf8_fails_with_its_offset() {
    let r = redactor();
    let mut input = sample(10).into_bytes();
    let bad = input.len();
    input.extend_from_slice(b"\xff tail");
    for chunk in [1, 7, 100_000] {
        assert_eq!(
            stream(&r, &input, chunk),
            Err(StreamError::NotUtf8 { offset: bad })
        );
    }
    // A stream that ends inside a character is not valid either.
    assert!(stream(&r, "é".as_bytes().split_at(1).0, 1).is_err());
}

/// Generated logs, and ticket JSON read as text: its escapes (`\u0040`,
/// `\n`) give decoded views that straddle batch boundaries.
fn realistic_texts() -> [String; 2] {
    [
        corpus::log_text(21, 160_000),
        corpus::ticket_json(22, 160_000),
    ]
}

#[test]
fn triggers_searched_in_pieces_find_what_one_search_finds() {
    // A stream searches each stretch of text for triggers once: the pieces
    // together must find exactly what one search of the whole text does,
    // wherever they are cut (inside a keyword, a card number, a key).
    let r = redactor();
    let mut rng = ChaCha8Rng::seed_from_u64(23);
    for text in realistic_texts() {
        let whole = resolve_overlaps(r.find_triggered(&text, 0..text.len()).0);
        assert!(
            whole.len() > 100,
            "the corpus has findings: {}",
            whole.len()
        );
        for _ in 0..3 {
            let mut cuts: Vec<usize> = (0..40)
                .map(|_| rng.random_range(0..text.len()))
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            cuts.extend([0, text.len()]);
            cuts.sort_unstable();
            let pieces = cuts
                .windows(2)
                .flat_map(|w| r.find_triggered(&text, w[0]..w[1]).0)
                .collect();
            assert_eq!(resolve_overlaps(pieces), whole);
        }
    }
}

#[test]
fn realistic_text_streams_in_small_batches_as_one_piece() {
    let r = redactor();
    for text in realistic_texts() {
        streams_as_one_piece(&r, &text);
    }
}

/// Streams `text` in small and default batches and expects the output of
/// one piece; returns that output.
fn streams_as_one_piece(r: &Arc<Redactor>, text: &str) -> String {
    let whole = r.redact_text(text);
    for (chunk, batch) in [(4093, 12_281), (65_536, 70_001), (1000, DEFAULT_BATCH)] {
        let (out, found) =
            stream_in_batches(r, text.as_bytes(), chunk, batch).expect("valid UTF-8");
        assert_eq!(found, whole.findings.len(), "chunk {chunk} batch {batch}");
        assert!(out == whole.output, "chunk {chunk} batch {batch}");
    }
    whole.output
}

#[test]
fn a_keyed_value_longer_than_the_window_is_redacted_to_its_end() {
    // A key's value has no length limit: one that runs past the text a
    // batch holds is decided again when more has come, and nothing of it
    // is written out before then (in the middle of lines of other values).
    let r = redactor();
    let mut input = sample(300);
    let secret: String = (0..60_000)
        .map(|i| char::from(b"Zq8xK2vR"[i % 8]))
        .collect();
    input.push_str(&format!("config {{\"password\": \"{secret}\"}}\n"));
    input.push_str(&sample(300));
    // Every stream's output equals this one.
    let output = streams_as_one_piece(&r, &input);
    assert!(!output.contains("Zq8xK2vR"));
}
