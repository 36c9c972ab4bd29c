//! Form bodies (`application/x-www-form-urlencoded`): every name and value is
//! decoded (`%40`, `+` as a space) before detection, a value is judged by its
//! field name like a JSON member by its key, and replacements are written
//! back form-encoded, so the body stays a valid form.

use std::ops::Range;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::decode::{self, Escapes};
use super::engine::Finding;
use super::redactor::{Redacted, Redactor};

/// What stays literal in a form: the unreserved characters.
const FORM_LITERAL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b' ');

/// Redacts a form body. Never fails: a body that is not a well-formed form
/// is still read field by field, and text between `&`s is still searched.
pub fn redact_form(redactor: &Redactor, input: &str) -> Redacted {
    let mut edits: Vec<(Range<usize>, String, Finding)> = Vec::new();
    let mut start = 0;
    for field in input.split('&') {
        let (name, value) = match field.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (field, None),
        };
        let name_range = start..start + name.len();
        let decoded_name = decode::decode(name, Escapes::FORM).text;
        redact_part(redactor, input, name_range, None, &mut edits);
        if let Some(value) = value {
            let value_start = start + name.len() + 1;
            let range = value_start..value_start + value.len();
            redact_part(redactor, input, range, Some(&decoded_name), &mut edits);
        }
        start += field.len() + 1;
    }
    let mut output = String::with_capacity(input.len());
    let mut findings = Vec::with_capacity(edits.len());
    let mut last = 0;
    for (span, text, finding) in edits {
        output.push_str(&input[last..span.start]);
        output.push_str(&text);
        last = span.end;
        findings.push(finding);
    }
    output.push_str(&input[last..]);
    Redacted { output, findings }
}

/// Finds what `input[range]` holds once decoded; `key` is its field name.
fn redact_part(
    redactor: &Redactor,
    input: &str,
    range: Range<usize>,
    key: Option<&str>,
    edits: &mut Vec<(Range<usize>, String, Finding)>,
) {
    if range.is_empty() {
        return;
    }
    let view = decode::decode(&input[range.clone()], Escapes::FORM);
    // A secret-sounding field name (`password=`) takes the whole value.
    if let Some(finding) = key.and_then(|k| redactor.key_finding(k, &view.text, range.clone())) {
        let text = encode(&redactor.replacement(&finding, &view.text));
        edits.push((range, text, finding));
        return;
    }
    for mut finding in redactor.find_in_value(&view.text, key) {
        let text = encode(&redactor.replacement(&finding, &view.text[finding.span.clone()]));
        let raw = view.raw_span(finding.span.clone());
        finding.span = range.start + raw.start..range.start + raw.end;
        edits.push((finding.span.clone(), text, finding));
    }
}

/// Form-encodes a replacement: `[email]` → `%5Bemail%5D`, spaces as `+`.
fn encode(text: &str) -> String {
    utf8_percent_encode(text, FORM_LITERAL)
        .to_string()
        .replace(' ', "+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::packs::{self, PackSource};

    fn redactor() -> Redactor {
        Redactor::new(packs::load(&PackSource::default()).unwrap(), None).unwrap()
    }

    #[test]
    fn fields_are_decoded_judged_by_name_and_written_back_encoded() {
        let r = redactor();
        let out = redact_form(
            &r,
            "email=jane.doe%40example.com&password=hunter2hunter2&card=4242+4242+4242+4242&order=ORD-9",
        );
        assert!(!out.output.contains("jane"), "{}", out.output);
        assert!(!out.output.contains("hunter2"), "{}", out.output);
        assert!(!out.output.contains("4242+4242+4242"), "{}", out.output);
        assert!(out.output.starts_with("email=%5B"), "{}", out.output);
        assert!(out.output.ends_with("&order=ORD-9"), "{}", out.output);
        // Still a form: every field keeps its name and one `=`.
        let names: Vec<&str> = out
            .output
            .split('&')
            .map(|f| f.split_once('=').unwrap().0)
            .collect();
        assert_eq!(names, ["email", "password", "card", "order"]);
        assert_eq!(out.findings.len(), 3);
    }
}
