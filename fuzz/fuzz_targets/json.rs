//! JSON redaction: no panic, valid JSON is accepted (unless nested too
//! deep), and valid JSON in means valid JSON out.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use veilgate::redact::json::{self, JsonError};

fuzz_target!(|text: &str| {
    let valid = is_json(text);
    match json::redact_json(common::redactor(), text) {
        Ok(r) => {
            assert!(valid, "invalid JSON accepted");
            assert!(is_json(&r.output), "output is not valid JSON");
        }
        Err(JsonError::TooDeep { .. }) => {}
        Err(JsonError::Syntax { .. }) => assert!(!valid, "valid JSON refused"),
    }
});

/// serde_json as the independent judge of validity.
fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}
