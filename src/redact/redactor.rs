//! Redaction of plain text: detect in the raw text and in decoded views of
//! its escaped parts, then rewrite every finding.

use std::ops::Range;
use std::sync::Arc;

use super::decode::{self, Escapes};
use super::engine::{Detector, Finding, Focus, ceil_char, floor_char, resolve_overlaps};
use super::known::KnownKind;
use super::render::{HashKey, render};
use super::rules::{Action, Class, RuleSet};
use super::view::{Treatment, View};

/// Bytes of context decoded on each side of an escape sequence.
const VIEW_RADIUS: usize = 256;

/// Text with its findings (spans in the input, never values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redacted {
    pub output: String,
    pub findings: Vec<Finding>,
}

/// The redaction core: rules, the detector built from them, the key for
/// tags and, optionally, a [`View`] for one audience. Knows nothing about
/// HTTP. Cloning is cheap: the detector is shared.
#[derive(Debug, Clone)]
pub struct Redactor {
    detector: Arc<Detector>,
    hash_key: Option<HashKey>,
    view: Option<Arc<View>>,
}

impl Redactor {
    /// Builds the detector for `rules` plus the built-in rules that known
    /// values and selected fields are reported under.
    ///
    /// # Errors
    /// When the rules' trigger automaton cannot be built.
    pub fn new(mut rules: RuleSet, hash_key: Option<HashKey>) -> Result<Redactor, String> {
        rules.add_given_rules();
        Ok(Redactor {
            detector: Arc::new(Detector::new(rules)?),
            hash_key,
            view: None,
        })
    }

    /// The same rules seen through `view`: per-class treatments, known
    /// values, selected fields.
    #[must_use]
    pub fn with_view(&self, view: Arc<View>) -> Redactor {
        Redactor {
            detector: Arc::clone(&self.detector),
            hash_key: self.hash_key.clone(),
            view: Some(view),
        }
    }

    pub fn view(&self) -> Option<&View> {
        self.view.as_deref()
    }

    /// What a finding of `class` becomes under the current view.
    pub fn treatment(&self, class: Class) -> Treatment {
        self.view
            .as_ref()
            .map_or(Treatment::Redact, |v| v.treatments.get(class))
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
        self.find_with_views(text, key, ViewSearch::NearEscapes)
    }

    /// As [`Redactor::find_in_text`], but every decoded view is searched
    /// whole, not only near what decoding changed: the reference the
    /// focused search is tested against (slower, same findings).
    #[doc(hidden)]
    pub fn find_in_text_searching_whole_views(&self, text: &str) -> Vec<Finding> {
        self.find_with_views(text, None, ViewSearch::Whole)
    }

    fn find_with_views(&self, text: &str, key: Option<&str>, search: ViewSearch) -> Vec<Finding> {
        let mut found = Vec::new();
        self.detector
            .detect_into(text, 0..text.len(), key, &mut found);
        self.with_views(text, found, key, search)
    }

    /// The raw text's findings whose trigger starts in `triggers`,
    /// unsorted and not merged: a stream searches each stretch of its text
    /// for triggers once, and carries what a later batch can still change
    /// over to it ([`Redactor::find_in_batch`]). Also whether more text
    /// can decide a trigger otherwise (a key's value runs to the end of
    /// `text`): the stream searches them again when it has come.
    pub fn find_triggered(&self, text: &str, triggers: Range<usize>) -> (Vec<Finding>, bool) {
        let mut found = Vec::new();
        let cut_short = self.detector.detect_into(text, triggers, None, &mut found);
        (found, cut_short)
    }

    /// As [`Redactor::find_in_text`], given the raw text's findings `raw`
    /// (from [`Redactor::find_triggered`] over every trigger in `text`).
    pub fn find_in_batch(&self, text: &str, raw: Vec<Finding>) -> Vec<Finding> {
        self.with_views(text, raw, None, ViewSearch::NearEscapes)
    }

    /// Adds the known values and what the decoded views of `text` hold to
    /// its raw findings, and merges overlaps.
    fn with_views(
        &self,
        text: &str,
        mut found: Vec<Finding>,
        key: Option<&str>,
        search: ViewSearch,
    ) -> Vec<Finding> {
        self.add_known(text, &mut found);
        for window in escape_windows(text) {
            let raw = &text[window.clone()];
            let view = decode::decode(raw, Escapes::ANY);
            if !view.changed() {
                continue;
            }
            let mut in_view = Vec::new();
            match search {
                ViewSearch::NearEscapes => {
                    let focus = Focus::new(&view.text, view.decoded_spans());
                    self.detector
                        .detect_near_into(&view.text, &focus, key, &mut in_view);
                }
                ViewSearch::Whole => {
                    self.detector
                        .detect_into(&view.text, 0..view.text.len(), key, &mut in_view);
                }
            }
            self.add_known(&view.text, &mut in_view);
            for mut f in in_view {
                let span = view.raw_span(f.span.clone());
                f.span = window.start + span.start..window.start + span.end;
                found.push(f);
            }
        }
        resolve_overlaps(found)
    }

    /// The key-name rule finding that claims a whole value (a JSON member,
    /// a form field); a value that is wholly one of the contact's known
    /// values is reported as theirs (`account`) unless the key says secret.
    pub fn key_finding(&self, key: &str, value: &str, span: Range<usize>) -> Option<Finding> {
        let finding = self.detector.key_finding(key, value, span)?;
        if finding.class == Class::Secret {
            return Some(finding);
        }
        let known = self.view.as_ref().and_then(|v| v.known.as_ref());
        match known.and_then(|k| k.whole(value)) {
            Some(kind) => Some(Finding {
                rule: self.known_rule(kind),
                class: Class::Account,
                ..finding
            }),
            None => Some(finding),
        }
    }

    /// Adds the contact's known values found in `text`.
    /// A known value takes over the findings it covers; a longer finding of
    /// another class, or any secret it touches, keeps its own treatment.
    fn add_known(&self, text: &str, found: &mut Vec<Finding>) {
        let Some(known) = self.view.as_ref().and_then(|v| v.known.as_ref()) else {
            return;
        };
        for (span, kind) in known.find(text) {
            let overlaps = |f: &Finding| f.span.start < span.end && span.start < f.span.end;
            let covers = |f: &Finding| span.start <= f.span.start && f.span.end <= span.end;
            if found
                .iter()
                .any(|f| overlaps(f) && (f.class == Class::Secret || !covers(f)))
            {
                continue;
            }
            found.retain(|f| !covers(f));
            found.push(Finding {
                rule: self.known_rule(kind),
                class: Class::Account,
                span,
            });
        }
    }

    fn known_rule(&self, kind: KnownKind) -> usize {
        self.given_rule(kind.rule_id())
    }

    /// The index of a built-in rule by id (see [`RuleSet::add_given_rules`]).
    pub fn given_rule(&self, id: &str) -> usize {
        self.detector
            .rules()
            .index_of(id)
            .expect("the built-in rules are added by Redactor::new")
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

    /// What replaces the raw `value` of finding `f`: per the view's
    /// treatment of its class, the rule's action by default. Escapes in the
    /// value are decoded first so that a tag does not depend on how it was
    /// written; a revealed value stays exactly as it was.
    pub fn replacement(&self, f: &Finding, value: &str) -> String {
        let treatment = self.treatment(f.class);
        if treatment == Treatment::Reveal {
            return value.to_string();
        }
        let rule = self.detector.rule(f.rule);
        let class_label = || Action::Replace {
            label: f.class.as_str().to_string(),
            tag: false,
        };
        let action = match (treatment, &rule.action) {
            (Treatment::Redact, action)
            | (Treatment::Mask, action @ Action::Mask { .. })
            | (Treatment::Replace, action @ Action::Replace { .. }) => action.clone(),
            (Treatment::Mask, _) => Action::Mask {
                keep_last: 0,
                keep_domain: false,
            },
            (Treatment::Remove, _) => Action::Remove,
            (Treatment::Replace | Treatment::Block | Treatment::Reveal, _) => class_label(),
        };
        let value = decode::decode(value, Escapes::ANY).text;
        let text = render(&action, &value, self.hash_key.as_ref());
        match &self.view {
            Some(view) if view.gated.get(f.class) => view.gated_placeholder(f.class, &text),
            _ => text,
        }
    }
}

/// How much of a decoded view is searched.
#[derive(Clone, Copy)]
enum ViewSearch {
    /// Only triggers within their rule's reach of a decoded stretch: the
    /// rest of the view is the raw text, searched already.
    NearEscapes,
    Whole,
}

/// How much further a decoded view reaches to take in the whole of a token
/// (a run without white space: a URL, a token) that its edge cuts, so that
/// a long value with an escape near one end is decoded whole.
const TOKEN_REACH: usize = 4096;

/// The start of the token `at` is in, at most [`TOKEN_REACH`] back.
fn token_start(text: &str, at: usize) -> usize {
    let floor = floor_char(text, at.saturating_sub(TOKEN_REACH));
    memchr::memrchr3(b' ', b'\n', b'\t', &text.as_bytes()[floor..at])
        .map_or(floor, |i| floor + i + 1)
}

/// The end of the token `at` is in, at most [`TOKEN_REACH`] on.
fn token_end(text: &str, at: usize) -> usize {
    let ceiling = ceil_char(text, (at + TOKEN_REACH).min(text.len()));
    memchr::memchr3(b' ', b'\n', b'\t', &text.as_bytes()[at..ceiling]).map_or(ceiling, |i| at + i)
}

/// Windows around escape sequences worth decoding, merged where they touch.
fn escape_windows(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for i in memchr::memchr3_iter(b'%', b'\\', b'&', b) {
        if !decode::escape_at(text, i, Escapes::ANY) {
            continue;
        }
        let lo = token_start(text, floor_char(text, i.saturating_sub(VIEW_RADIUS)));
        let hi = token_end(text, ceil_char(text, (i + VIEW_RADIUS).min(text.len())));
        match windows.last_mut() {
            Some(last) if lo <= last.end => last.end = hi,
            _ => windows.push(lo..hi),
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_token_with_an_escape_near_its_end_is_decoded_whole() {
        let mut rules = RuleSet::default();
        rules
            .add_pack(
                "test.toml",
                r#"
[[rule]]
id = "vendor.token"
class = "secret"
regex = 'tok_[a-z]{290,300}@end'
action = "remove"
examples.match = ["«tok_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@end»"]
"#,
            )
            .expect("test pack compiles");
        let redactor = Redactor::new(rules, None).expect("detector builds");
        // Only the decoded form (`%40` is `@`) matches, and its start lies
        // more than 256 bytes before the escape.
        let token = format!("tok_{}%40end", "q".repeat(295));
        let text = format!("see https://x.example/?auth={token} for details");
        let found = redactor.find_in_text(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].span.clone()], token);
    }
}
