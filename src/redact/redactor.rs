//! Redaction of plain text: detect in the raw text and in decoded views of
//! its escaped parts, then rewrite every finding.

use std::ops::Range;

use super::decode::{self, Escapes};
use super::engine::{Detector, Finding, ceil_char, floor_char, resolve_overlaps};
use super::render::{HashKey, render};
use super::rules::RuleSet;

/// Bytes of context decoded on each side of an escape sequence.
const VIEW_RADIUS: usize = 256;

/// Text with its findings (spans in the input, never values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redacted {
    pub output: String,
    pub findings: Vec<Finding>,
}

/// The redaction core: rules, the detector built from them, and the key for
/// tags. Knows nothing about HTTP.
#[derive(Debug)]
pub struct Redactor {
    detector: Detector,
    hash_key: Option<HashKey>,
}

impl Redactor {
    /// # Errors
    /// When the rules' trigger automaton cannot be built.
    pub fn new(rules: RuleSet, hash_key: Option<HashKey>) -> Result<Redactor, String> {
        Ok(Redactor {
            detector: Detector::new(rules)?,
            hash_key,
        })
    }

    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    pub fn rules(&self) -> &RuleSet {
        self.detector.rules()
    }

    /// Findings in `text`, including values behind `%40`, `\u0040` or
    /// `&#64;` escapes (reported with the raw span of the escaped form).
    pub fn find_in_text(&self, text: &str) -> Vec<Finding> {
        self.find_in_value(text, None)
    }

    /// As [`Redactor::find_in_text`], for text found under a key (a JSON
    /// member's name), which counts as context for the rules that need it.
    pub fn find_in_value(&self, text: &str, key: Option<&str>) -> Vec<Finding> {
        let mut found = Vec::new();
        self.detector
            .detect_into(text, 0..text.len(), key, &mut found);
        for window in escape_windows(text) {
            let raw = &text[window.clone()];
            let view = decode::decode(raw, Escapes::ANY);
            if !view.changed() {
                continue;
            }
            let mut in_view = Vec::new();
            self.detector
                .detect_into(&view.text, 0..view.text.len(), key, &mut in_view);
            for mut f in in_view {
                let span = view.raw_span(f.span.clone());
                f.span = window.start + span.start..window.start + span.end;
                found.push(f);
            }
        }
        resolve_overlaps(found)
    }

    /// Pays one-time costs up front (the phone-number metadata, the first
    /// states of the automata), so that the first request a proxy serves is
    /// not the slow one. The sample is made up.
    pub fn warm_up(&self) {
        let _ = self.redact_text(
            "Name: Jane Doe\nmail jane.doe@example.com, call +31 6 12345678 or 020 555 0123\n\
             card 4242 4242 4242 4242, IBAN NL91 ABNA 0417 1643 00, from 198.51.100.23\n\
             password=Tr0ub4dor&3 token ghp_R8pQ3sVx0bLm2NcT7yWk9ZaE4dHf1Ju6Gi5o\n\
             Kind regards,\nJane Doe\n",
        );
    }

    /// Redacts plain text.
    pub fn redact_text(&self, text: &str) -> Redacted {
        let findings = self.find_in_text(text);
        let mut output = String::with_capacity(text.len());
        self.apply(text, &findings, &mut output);
        Redacted { output, findings }
    }

    /// Writes `text` to `out` with every finding replaced. `findings` must be
    /// sorted and must not overlap, as [`Redactor::find_in_text`] returns them.
    pub fn apply(&self, text: &str, findings: &[Finding], out: &mut String) {
        let mut last = 0;
        for f in findings {
            out.push_str(&text[last..f.span.start]);
            out.push_str(&self.replacement(f, &text[f.span.clone()]));
            last = f.span.end;
        }
        out.push_str(&text[last..]);
    }

    /// What replaces the raw `value` of finding `f`. Escapes in the value are
    /// decoded first so that a tag does not depend on how it was written.
    pub fn replacement(&self, f: &Finding, value: &str) -> String {
        let rule = self.detector.rule(f.rule);
        let value = decode::decode(value, Escapes::ANY).text;
        render(&rule.action, &value, self.hash_key.as_ref())
    }
}

/// Windows around escape sequences worth decoding, merged where they touch.
fn escape_windows(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for i in memchr::memchr3_iter(b'%', b'\\', b'&', b) {
        let is_escape = match b[i] {
            b'%' => b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit(),
            b'\\' => matches!(
                b.get(i + 1),
                Some(b'u' | b'x' | b'/' | b'n' | b't' | b'r' | b'"')
            ),
            _ => matches!(b.get(i + 1), Some(c) if c.is_ascii_alphanumeric() || *c == b'#'),
        };
        if !is_escape {
            continue;
        }
        let lo = floor_char(text, i.saturating_sub(VIEW_RADIUS));
        let hi = ceil_char(text, (i + VIEW_RADIUS).min(text.len()));
        match windows.last_mut() {
            Some(last) if lo <= last.end => last.end = hi,
            _ => windows.push(lo..hi),
        }
    }
    windows
}
