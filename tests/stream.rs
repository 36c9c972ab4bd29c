//! Streaming redaction finds values whatever the chunk boundaries.

use std::sync::Arc;

use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::{Redactor, StreamError, StreamRedactor};

fn redactor() -> Arc<Redactor> {
    let rules = packs::load(&PackSource::default()).expect("default packs load");
    Arc::new(Redactor::new(rules, None).expect("detector builds"))
}

fn stream(
    redactor: &Arc<Redactor>,
    input: &[u8],
    chunk: usize,
) -> Result<(String, usize), StreamError> {
    let mut s = StreamRedactor::new(Arc::clone(redactor));
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

#[test]
fn memory_stays_bounded() {
    let r = redactor();
    let s = StreamRedactor::new(Arc::clone(&r));
    // The window a stream holds back does not grow with the input.
    assert!(s.window() < 256 * 1024, "window {}", s.window());
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
