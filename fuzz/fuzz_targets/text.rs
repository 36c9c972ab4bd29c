//! Text and streaming redaction: no panic, the stream agrees with the
//! one-shot result whatever the split point, and the output is stable.
#![no_main]

mod common;

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use veilgate::redact::StreamRedactor;

fuzz_target!(|data: &[u8]| {
    let redactor = common::redactor();
    let split = data.first().map_or(0, |b| *b as usize % (data.len() + 1));
    let mut stream = StreamRedactor::new(Arc::clone(redactor));
    let (mut out, mut found) = (String::new(), Vec::new());
    let streamed = stream
        .push(&data[..split], &mut out, &mut found)
        .and_then(|()| stream.push(&data[split..], &mut out, &mut found))
        .and_then(|()| stream.finish(&mut out, &mut found));
    if let Ok(text) = std::str::from_utf8(data) {
        streamed.expect("valid UTF-8 streams");
        let whole = redactor.redact_text(text);
        assert_eq!(out, whole.output, "stream and one-shot redaction differ");
        common::assert_idempotent(&whole.output);
    } else {
        assert!(streamed.is_err(), "invalid UTF-8 must be refused");
    }
});
