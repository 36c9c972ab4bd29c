//! Detection: one pass of a shared trigger automaton over the text, then each
//! triggered rule confirms (regex, validator, context, allow-list) locally.
//!
//! The trigger automaton is a single lazy DFA over every rule keyword and the
//! regex of every rule that has no keyword. Running twenty regexes one by one
//! costs twenty passes; this costs one, and rules only run where they can
//! match.

use std::ops::Range;

use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};
use regex_syntax::hir::{Hir, HirKind, Look, Repetition};

use super::keys::{self, KeyPhrase};
use super::rules::{Class, Finder, Rule, RuleSet};

/// One detected value: which rule found it and where. Never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in the engine's [`RuleSet`].
    pub rule: usize,
    pub class: Class,
    /// Byte span in the searched text.
    pub span: Range<usize>,
}

/// What fired in the trigger automaton.
#[derive(Debug)]
enum Trigger {
    /// A keyword shared by these regex rules and key-name rules.
    Keyword {
        len: usize,
        regex_rules: Vec<usize>,
        key_rules: Vec<usize>,
    },
    /// The start of a possible match of this keyword-less regex rule.
    Regex(usize),
}

/// Finds values in text with a compiled [`RuleSet`].
#[derive(Debug)]
pub struct Detector {
    rules: RuleSet,
    /// Leftmost-first union: where is the next trigger?
    scan: Option<Regex>,
    /// The same union with `MatchKind::All`: which triggers start here?
    at: Option<Regex>,
    triggers: Vec<Trigger>,
    key_rules: Vec<usize>,
    /// The longest match plus context window of any rule, in bytes.
    reach: usize,
}

impl Detector {
    /// Builds the trigger automaton for `rules`.
    ///
    /// # Errors
    /// When the union of triggers does not compile (for instance because it
    /// exceeds the automaton size limit).
    pub fn new(rules: RuleSet) -> Result<Detector, String> {
        let mut triggers: Vec<Trigger> = Vec::new();
        let mut hirs: Vec<Hir> = Vec::new();
        let mut keyword_index: std::collections::HashMap<String, usize> = Default::default();
        let mut key_rules = Vec::new();
        let mut reach = 0;
        let mut add_keyword = |kw: &str,
                               rule: usize,
                               is_key: bool,
                               triggers: &mut Vec<Trigger>,
                               hirs: &mut Vec<Hir>| {
            let idx = *keyword_index.entry(kw.to_string()).or_insert_with(|| {
                let pattern = format!("(?i){}", regex_syntax::escape(kw));
                // A literal always parses.
                hirs.push(regex_syntax::parse(&pattern).expect("escaped literal parses"));
                triggers.push(Trigger::Keyword {
                    len: kw.len(),
                    regex_rules: Vec::new(),
                    key_rules: Vec::new(),
                });
                triggers.len() - 1
            });
            if let Trigger::Keyword {
                regex_rules,
                key_rules,
                ..
            } = &mut triggers[idx]
            {
                let list = if is_key { key_rules } else { regex_rules };
                if !list.contains(&rule) {
                    list.push(rule);
                }
            }
        };
        for (i, rule) in rules.rules.iter().enumerate() {
            let context = rule.context.as_ref().map_or(0, |c| c.window);
            match &rule.finder {
                Finder::Regex {
                    hir,
                    keywords,
                    max_len,
                    ..
                } => {
                    reach = reach.max(max_len + context);
                    if keywords.is_empty() {
                        hirs.push(ascii_word_boundaries(hir));
                        triggers.push(Trigger::Regex(i));
                    } else {
                        for kw in keywords {
                            add_keyword(kw, i, false, &mut triggers, &mut hirs);
                        }
                    }
                }
                Finder::Keys { phrases, .. } => {
                    key_rules.push(i);
                    reach = reach.max(KEY_VALUE_REACH + context);
                    for phrase in phrases {
                        add_keyword(trigger_word(phrase), i, true, &mut triggers, &mut hirs);
                    }
                }
            }
        }
        let build = |kind: MatchKind| {
            Regex::builder()
                .configure(
                    Regex::config()
                        .match_kind(kind)
                        .nfa_size_limit(Some(64 << 20)),
                )
                .build_many_from_hir(&hirs)
                .map_err(|e| format!("trigger automaton does not compile: {e}"))
        };
        let (scan, at) = if hirs.is_empty() {
            (None, None)
        } else {
            (
                Some(build(MatchKind::LeftmostFirst)?),
                Some(build(MatchKind::All)?),
            )
        };
        Ok(Detector {
            rules,
            scan,
            at,
            triggers,
            key_rules,
            reach,
        })
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn rule(&self, index: usize) -> &Rule {
        self.rules.rule(index)
    }

    /// Bytes of look-back a streaming caller must keep so that no match or
    /// context window is cut.
    pub fn reach(&self) -> usize {
        self.reach
    }

    /// Indices of key-name rules whose phrases match this key, in rule order.
    pub fn key_rules_for(&self, key: &str) -> impl Iterator<Item = usize> + '_ {
        let words = keys::split_words(key);
        self.key_rules
            .iter()
            .copied()
            .filter(move |&i| match &self.rule(i).finder {
                Finder::Keys { phrases, .. } => phrases.iter().any(|p| p.matches(&words)),
                Finder::Regex { .. } => false,
            })
    }

    /// True when a value found under a key passes rule `index`'s checks.
    pub fn accepts_key_value(&self, index: usize, value: &str) -> bool {
        let rule = self.rule(index);
        let Finder::Keys { min_len, .. } = &rule.finder else {
            return false;
        };
        value.chars().count() >= *min_len
            && !self.is_allowed(rule, value)
            && rule.validator.is_none_or(|v| v.is_valid(value))
    }

    /// All findings in `text`, sorted by start, without overlaps.
    pub fn detect(&self, text: &str) -> Vec<Finding> {
        let mut found = Vec::new();
        self.detect_into(text, 0..text.len(), &mut found);
        resolve_overlaps(&self.rules, found)
    }

    /// Adds the findings whose trigger starts in `range` to `found`
    /// (unsorted, possibly overlapping). Look-around sees all of `text`.
    pub fn detect_into(&self, text: &str, range: Range<usize>, found: &mut Vec<Finding>) {
        let (Some(scan), Some(at)) = (&self.scan, &self.at) else {
            return;
        };
        let mut set = PatternSet::new(at.pattern_len());
        let mut pos = range.start;
        while pos < range.end {
            let Some(m) = scan.search(&Input::new(text).range(pos..range.end)) else {
                break;
            };
            let start = m.start();
            set.clear();
            at.which_overlapping_matches(
                &Input::new(text)
                    .range(start..range.end)
                    .anchored(Anchored::Yes),
                &mut set,
            );
            for pid in set.iter() {
                match &self.triggers[pid.as_usize()] {
                    Trigger::Regex(rule) => self.confirm_at(*rule, text, start, found),
                    Trigger::Keyword {
                        len,
                        regex_rules,
                        key_rules,
                    } => {
                        for &rule in regex_rules {
                            self.confirm_around(rule, text, start..start + len, found);
                        }
                        for &rule in key_rules {
                            self.confirm_assignment(rule, text, start, found);
                        }
                    }
                }
            }
            pos = next_char(text, start);
        }
    }

    /// A keyword-less regex rule: the match must start at `start`.
    fn confirm_at(&self, index: usize, text: &str, start: usize, found: &mut Vec<Finding>) {
        let Finder::Regex { regex, .. } = &self.rule(index).finder else {
            return;
        };
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        if let Some(m) = regex.search(&input) {
            self.confirm_match(index, text, m.range(), found);
        }
    }

    /// A keyword-gated regex rule: matches near the keyword that contain it.
    fn confirm_around(
        &self,
        index: usize,
        text: &str,
        hit: Range<usize>,
        found: &mut Vec<Finding>,
    ) {
        let Finder::Regex { regex, max_len, .. } = &self.rule(index).finder else {
            return;
        };
        let lo = floor_char(text, hit.start.saturating_sub(*max_len));
        let hi = ceil_char(text, (hit.end + max_len).min(text.len()));
        for m in regex.find_iter(Input::new(text).range(lo..hi)) {
            if m.start() <= hit.start && m.end() >= hit.end {
                self.confirm_match(index, text, m.range(), found);
            }
            if m.start() > hit.start {
                break;
            }
        }
    }

    /// A key-name rule: the keyword sits in the key of an assignment.
    fn confirm_assignment(&self, index: usize, text: &str, at: usize, found: &mut Vec<Finding>) {
        let Some(assignment) = keys::assignment_at(text, at) else {
            return;
        };
        let rule = self.rule(index);
        let Finder::Keys { phrases, .. } = &rule.finder else {
            return;
        };
        let words = keys::split_words(&text[assignment.key.clone()]);
        if !phrases.iter().any(|p| p.matches(&words)) {
            return;
        }
        let value = &text[assignment.value.clone()];
        if self.accepts_key_value(index, value)
            && self.context_ok(rule, text, assignment.value.clone())
        {
            found.push(Finding {
                rule: index,
                class: rule.class,
                span: assignment.value,
            });
        }
    }

    /// Narrows to the `value` group, then runs validator, allow-list and
    /// context checks.
    fn confirm_match(
        &self,
        index: usize,
        text: &str,
        span: Range<usize>,
        found: &mut Vec<Finding>,
    ) {
        let rule = self.rule(index);
        let Finder::Regex {
            regex, value_group, ..
        } = &rule.finder
        else {
            return;
        };
        let span = match value_group {
            Some(group) => {
                let mut caps = regex.create_captures();
                regex.search_captures(
                    &Input::new(text).range(span.clone()).anchored(Anchored::Yes),
                    &mut caps,
                );
                match caps.get_group(*group) {
                    Some(g) if !g.is_empty() => g.range(),
                    _ => return,
                }
            }
            None => span,
        };
        let value = &text[span.clone()];
        if rule.validator.is_some_and(|v| !v.is_valid(value)) || self.is_allowed(rule, value) {
            return;
        }
        if !self.context_ok(rule, text, span.clone()) {
            return;
        }
        found.push(Finding {
            rule: index,
            class: rule.class,
            span,
        });
    }

    fn is_allowed(&self, rule: &Rule, value: &str) -> bool {
        if rule.allow.is_empty() && self.rules.allow.is_empty() {
            return false;
        }
        let lower = value.to_lowercase();
        rule.allow.contains(&lower) || self.rules.allow.contains(&lower)
    }

    fn context_ok(&self, rule: &Rule, text: &str, span: Range<usize>) -> bool {
        let Some(context) = &rule.context else {
            return true;
        };
        let before = &text[floor_char(text, span.start.saturating_sub(context.window))..span.start];
        let after = &text[span.end..ceil_char(text, (span.end + context.window).min(text.len()))];
        let near = format!("{} {}", before.to_lowercase(), after.to_lowercase());
        let has = |words: &[String]| words.iter().any(|w| contains_word(&near, w));
        (context.require.is_empty() || has(&context.require)) && !has(&context.veto)
    }
}

/// How far a `key = value` assignment may reach from its key word.
const KEY_VALUE_REACH: usize = 512;

/// The word of a key phrase used as its trigger: the longest, as it is the
/// rarest in ordinary text.
fn trigger_word(phrase: &KeyPhrase) -> &str {
    phrase
        .words()
        .iter()
        .max_by_key(|w| w.len())
        .map(String::as_str)
        .unwrap_or_default()
}

/// True when `word` occurs in `haystack` not inside a longer word.
fn contains_word(haystack: &str, word: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        // Words that themselves end in punctuation (`tel.`) need no boundary.
        (!is_word(before) || !word.starts_with(char::is_alphanumeric))
            && (!is_word(after) || !word.ends_with(char::is_alphanumeric))
    })
}

fn next_char(text: &str, i: usize) -> usize {
    text[i..]
        .chars()
        .next()
        .map_or(text.len(), |c| i + c.len_utf8())
}

pub(crate) fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Overlapping findings merge into one that covers them all, so nothing of
/// either value survives; the strongest class (then the longest) names it.
pub fn resolve_overlaps(rules: &RuleSet, mut found: Vec<Finding>) -> Vec<Finding> {
    found.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
    });
    let mut out: Vec<Finding> = Vec::with_capacity(found.len());
    for f in found {
        match out.last_mut() {
            Some(last) if f.span.start < last.span.end => {
                let stronger = (f.class, f.span.len()) > (last.class, last.span.len());
                let end = last.span.end.max(f.span.end);
                if stronger {
                    last.rule = f.rule;
                    last.class = f.class;
                }
                last.span.end = end;
            }
            _ => out.push(f),
        }
    }
    let _ = rules;
    out
}

/// The trigger version of a rule's regex: captures dropped and Unicode word
/// boundaries made ASCII, so the union stays a lazy DFA on non-ASCII text.
/// The rule's own regex still confirms every candidate.
fn ascii_word_boundaries(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(ascii_word_boundaries(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => ascii_word_boundaries(&cap.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(ascii_word_boundaries).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(ascii_word_boundaries).collect())
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_words_match_whole_words() {
        assert!(contains_word("my iban: ", "iban"));
        assert!(!contains_word("ibanez guitar", "iban"));
        assert!(contains_word("tel. ", "tel."));
    }
}
