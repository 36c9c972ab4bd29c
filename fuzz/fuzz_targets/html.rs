//! HTML redaction: no panic, markup is left as it was (the same sequence of
//! `<` and `>` outside of the replaced text), and the output is stable.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use veilgate::redact::html;

fuzz_target!(|text: &str| {
    let out = html::redact_html(common::redactor(), text);
    let angles = |s: &str| s.bytes().filter(|b| matches!(b, b'<' | b'>')).count();
    assert_eq!(angles(&out.output), angles(text), "markup changed");
    let again = html::redact_html(common::redactor(), &out.output);
    assert_eq!(again.output, out.output, "HTML redaction is not idempotent");
});
