//! Detection: one pass of a shared trigger automaton over the text, then each
//! triggered rule confirms (regex, validator, context, allow-list) locally.
//!
//! The trigger automaton is a single lazy DFA over every rule keyword and the
//! regex of every rule that has no keyword. Running twenty regexes one by one
//! costs twenty passes; this costs one, and rules only run where they can
//! match.

use std::collections::HashSet;
use std::ops::Range;

use regex_automata::meta::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, Match, MatchKind, PatternSet};
use regex_syntax::hir::{
    self, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
};

use super::context::{self, ContextWords};
use super::keys::{self, KeyPhrase, PhraseIndex};
use super::keywords::KeywordAutomaton;
use super::pem;
use super::rules::{Class, Finder, Rule, RuleSet, with_children_mapped};
use super::spelling::spellings;

/// One detected value: which rule found it and where. Never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in the engine's [`RuleSet`].
    pub rule: usize,
    pub class: Class,
    /// Byte span in the searched text.
    pub span: Range<usize>,
}

/// The rules a keyword wakes up.
#[derive(Debug, Default)]
struct KeywordRules {
    /// Regex rules whose every match begins with the keyword: one anchored
    /// search at the hit confirms them.
    anchored: Vec<usize>,
    /// Regex rules searched in a window around the hit.
    near: Vec<usize>,
    /// Key-name rules: the hit may sit in the key of an assignment.
    keys: Vec<usize>,
}

/// The assignment whose key the last keyword hit sat in, and the key-name
/// rules already judged on it.
#[derive(Default)]
struct JudgedAssignment {
    key_start: Option<usize>,
    rules: Vec<usize>,
}

/// Keywords and the rules each one wakes up, while they are collected.
#[derive(Default)]
struct KeywordTable {
    words: Vec<String>,
    rules: Vec<KeywordRules>,
    index: std::collections::HashMap<String, usize>,
}

impl KeywordTable {
    fn entry(&mut self, keyword: &str) -> &mut KeywordRules {
        let next = self.words.len();
        let slot = *self.index.entry(keyword.to_string()).or_insert(next);
        if slot == next {
            self.words.push(keyword.to_string());
            self.rules.push(KeywordRules::default());
        }
        &mut self.rules[slot]
    }
}

/// Finds values in text with a compiled [`RuleSet`].
#[derive(Debug)]
pub struct Detector {
    rules: RuleSet,
    /// Every rule keyword, ASCII case-insensitive.
    keywords: KeywordAutomaton,
    /// The keywords themselves, by pattern id, to name them in reports.
    keyword_words: Vec<String>,
    keyword_rules: Vec<KeywordRules>,
    /// Leftmost-first union of the keyword-less rules' regexes: where is the
    /// next possible match?
    scan: Option<Regex>,
    /// The same union with `MatchKind::All`: which rules can match here?
    at: Option<Regex>,
    /// The rule of each pattern in `scan` and `at`.
    regex_rules: Vec<usize>,
    /// The longest match of any pattern in `scan`, in bytes: how far past a
    /// range a candidate that starts in it can run.
    scan_longest: usize,
    /// The key-name rules by the words of their phrases.
    key_phrases: PhraseIndex,
    /// Every word of every rule's context words: a key holding none of
    /// them affects no rule's decision but through being a key.
    context_words: HashSet<String>,
    /// Each rule's context words, compiled (by rule index).
    contexts: Vec<Option<ContextWords>>,
    /// How far from its trigger each rule's decision can look, in bytes
    /// (by rule index): see [`Focus`].
    rule_reach: Vec<usize>,
    /// The longest match plus context window of any rule, in bytes.
    reach: usize,
}

impl Detector {
    /// Builds the keyword automaton and the shared scan for `rules`.
    ///
    /// # Errors
    /// When the union of keyword-less regexes does not compile (for instance
    /// because it exceeds the automaton size limit).
    pub fn new(rules: RuleSet) -> Result<Detector, String> {
        let mut table = KeywordTable::default();
        let mut hirs: Vec<Hir> = Vec::new();
        let mut regex_rules = Vec::new();
        let mut key_phrases = PhraseIndex::default();
        let mut reach = 0;
        let mut context_words = HashSet::new();
        let mut contexts = Vec::with_capacity(rules.rules.len());
        let mut rule_reach = Vec::with_capacity(rules.rules.len());
        for (i, rule) in rules.rules.iter().enumerate() {
            if let Some(c) = &rule.context {
                for phrase in c.require.iter().chain(&c.veto) {
                    context_words.extend(keys::split_words(phrase));
                }
            }
            contexts.push(rule.context.as_ref().map(ContextWords::new).transpose()?);
            let context = rule.context.as_ref().map_or(0, |c| c.window);
            rule_reach.push(
                2 * context
                    + FOCUS_SLACK
                    + match &rule.finder {
                        Finder::Regex { max_len, .. } => *max_len,
                        Finder::PemPrivateKey => pem::MAX_SIDE,
                        Finder::Keys { .. } => KEY_VALUE_REACH,
                        Finder::Given => 0,
                    },
            );
            match &rule.finder {
                Finder::Regex {
                    scan_hir,
                    keywords: kws,
                    max_len,
                    starts_with_keyword,
                    ..
                } => {
                    reach = reach.max(2 * (max_len + context));
                    if let Some(hir) = scan_hir {
                        hirs.push(scan_form(hir));
                        regex_rules.push(i);
                    }
                    for kw in kws.iter().flat_map(|kw| spellings(kw)) {
                        let entry = table.entry(&kw);
                        let list = if *starts_with_keyword && context == 0 {
                            &mut entry.anchored
                        } else {
                            &mut entry.near
                        };
                        if !list.contains(&i) {
                            list.push(i);
                        }
                    }
                }
                Finder::PemPrivateKey => {
                    // A walk reaches `MAX_SIDE` to one side of its marker.
                    reach = reach.max(2 * (pem::MAX_SIDE + context));
                    for marker in [pem::BEGIN, pem::END] {
                        table.entry(&marker.to_lowercase()).anchored.push(i);
                    }
                }
                Finder::Given => {}
                Finder::Keys {
                    phrases, exclude, ..
                } => {
                    key_phrases.add(i, phrases, exclude);
                    reach = reach.max(KEY_VALUE_REACH + context);
                    for phrase in phrases {
                        let entry = table.entry(trigger_word(phrase));
                        if !entry.keys.contains(&i) {
                            entry.keys.push(i);
                        }
                    }
                }
            }
        }
        let KeywordTable {
            words: keyword_words,
            rules: keyword_rules,
            ..
        } = table;
        let keywords = KeywordAutomaton::new(&keyword_words)?;
        let build = |kind: MatchKind| {
            Regex::builder()
                .configure(
                    Regex::config()
                        .match_kind(kind)
                        .nfa_size_limit(Some(64 << 20))
                        .hybrid_cache_capacity(16 << 20),
                )
                .build_many_from_hir(&hirs)
                .map_err(|e| format!("trigger automaton does not compile: {e}"))
        };
        let scan_longest = hirs
            .iter()
            .map(|hir| hir.properties().maximum_len().unwrap_or(usize::MAX))
            .max()
            .unwrap_or(0);
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
            keywords,
            keyword_words,
            keyword_rules,
            scan,
            at,
            regex_rules,
            scan_longest,
            key_phrases,
            context_words,
            contexts,
            rule_reach,
            reach,
        })
    }

    /// True when no word of `key` is a context word of any rule: text found
    /// under it is judged as under any other such key.
    pub fn is_neutral_key(&self, key: &str) -> bool {
        keys::split_words(key)
            .iter()
            .all(|w| !self.context_words.contains(w))
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn rule(&self, index: usize) -> &Rule {
        self.rules.rule(index)
    }

    /// Bytes on either side of a match that decide it (its own length, its
    /// context window, the keyword that triggered it): a streaming caller
    /// keeps this much so that nothing is cut.
    pub fn reach(&self) -> usize {
        self.reach
    }

    /// Indices of key-name rules whose phrases match this key, in rule order.
    pub fn key_rules_for(&self, key: &str) -> impl Iterator<Item = usize> + '_ {
        self.key_phrases
            .rules_for(&keys::split_words(key))
            .into_iter()
    }

    /// The first key-name rule that claims `value` under `key` whole (a
    /// JSON member, a form field), as a finding spanning `span`.
    pub fn key_finding(&self, key: &str, value: &str, span: Range<usize>) -> Option<Finding> {
        let rule = self
            .key_rules_for(key)
            .find(|&r| self.accepts_key_value(r, value))?;
        Some(Finding {
            rule,
            class: self.rule(rule).class,
            span,
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
        self.detect_into(text, 0..text.len(), None, &mut found);
        resolve_overlaps(found)
    }

    /// Adds the findings whose trigger starts in `range` to `found`
    /// (unsorted, possibly overlapping). Look-around sees all of `text`.
    /// `key` is the name the text was found under (a JSON member), which
    /// counts as context. True when the text ends inside the assignment of
    /// a key word (a key's value has no length limit): with more text, its
    /// rules can decide otherwise.
    pub fn detect_into(
        &self,
        text: &str,
        range: Range<usize>,
        key: Option<&str>,
        found: &mut Vec<Finding>,
    ) -> bool {
        self.detect_in(text, range, None, key, found)
    }

    /// Adds the findings in `text` that `focus` can change to `found`
    /// (unsorted, possibly overlapping): only the triggers within their
    /// rule's reach of it are confirmed. For a decoded view, whose text
    /// elsewhere is the raw text already searched.
    pub fn detect_near_into(
        &self,
        text: &str,
        focus: &Focus,
        key: Option<&str>,
        found: &mut Vec<Finding>,
    ) {
        if !focus.spans.is_empty() {
            self.detect_in(text, 0..text.len(), Some(focus), key, found);
        }
    }

    fn detect_in(
        &self,
        text: &str,
        range: Range<usize>,
        focus: Option<&Focus>,
        key: Option<&str>,
        found: &mut Vec<Finding>,
    ) -> bool {
        let in_reach = |rule: usize, start: usize, end: usize| {
            focus.is_none_or(|f| f.touches(start, end, self.rule_reach[rule]))
        };
        // Window searches are collected and merged per rule first, so that
        // a rule's regex searches each stretch of text once however many
        // keywords it holds: (rule, hit) pairs in one list, sorted by rule
        // and start before the sweeps.
        let mut near: Vec<(usize, Range<usize>)> = Vec::new();
        let mut assigned = JudgedAssignment::default();
        let mut cut_short = false;
        self.keywords
            .each_hit(text, range.clone(), |keyword, start, end| {
                let rules = &self.keyword_rules[keyword];
                for &rule in &rules.anchored {
                    if in_reach(rule, start, end) {
                        self.confirm_at(rule, text, start, key, found);
                    }
                }
                for &rule in &rules.near {
                    if in_reach(rule, start, end) {
                        near.push((rule, start..end));
                    }
                }
                if !rules.keys.is_empty()
                    && rules.keys.iter().any(|&rule| in_reach(rule, start, end))
                    && keys::is_key_word(text, start, end)
                {
                    cut_short |=
                        self.confirm_assignment(&rules.keys, text, start, &mut assigned, found);
                }
            });
        self.each_regex_candidate(text, range.clone(), |slot, start| {
            let rule = self.regex_rules[slot];
            if in_reach(rule, start, start) {
                self.confirm_at(rule, text, start, key, found);
            }
        });
        // One sweep per rule over all its cores (keyword hits widened by
        // the rule's context window, merged where they touch): the windows
        // of rules that span lines reach far, and searching each core's
        // window apart went over the same text once per keyword hit.
        near.sort_unstable_by_key(|(rule, hit)| (*rule, hit.start));
        let mut cores: Vec<Range<usize>> = Vec::new();
        for hits in near.chunk_by(|a, b| a.0 == b.0) {
            let rule = hits[0].0;
            let window = self.rule(rule).context.as_ref().map_or(0, |c| c.window);
            for (_, hit) in hits {
                let core = floor_char(text, hit.start.saturating_sub(window))
                    ..ceil_char(text, (hit.end + window).min(text.len()));
                match cores.last_mut() {
                    Some(last) if core.start <= last.end => last.end = last.end.max(core.end),
                    _ => cores.push(core),
                }
            }
            self.confirm_near(rule, text, &cores, key, found);
            cores.clear();
        }
        cut_short
    }

    /// How often each trigger fires on `text`, named by rule id or keyword:
    /// a tool for tuning packs, not used on the hot path.
    pub fn trigger_counts(&self, text: &str) -> Vec<(String, usize)> {
        let mut named: Vec<(String, usize)> = Vec::new();
        if !self.keyword_rules.is_empty() {
            let mut counts = vec![0usize; self.keyword_rules.len()];
            self.keywords
                .each_hit(text, 0..text.len(), |keyword, _, _| counts[keyword] += 1);
            for ((rules, word), n) in self
                .keyword_rules
                .iter()
                .zip(&self.keyword_words)
                .zip(counts)
            {
                let ids: Vec<&str> = rules
                    .anchored
                    .iter()
                    .chain(&rules.near)
                    .chain(&rules.keys)
                    .map(|&r| self.rule(r).id.as_str())
                    .collect();
                named.push((format!("keyword {word:?} for {}", ids.join(",")), n));
            }
        }
        if !self.regex_rules.is_empty() {
            let mut counts = vec![0usize; self.regex_rules.len()];
            self.each_regex_candidate(text, 0..text.len(), |slot, _| counts[slot] += 1);
            for (&rule, n) in self.regex_rules.iter().zip(counts) {
                named.push((self.rule(rule).id.clone(), n));
            }
        }
        named.sort_by_key(|entry| std::cmp::Reverse(entry.1));
        named
    }

    /// Calls `visit(slot, start)` for every keyword-less rule (by its slot in
    /// `regex_rules`) that can match at each start the shared scan finds in
    /// `range` (the match may end past it).
    fn each_regex_candidate(
        &self,
        text: &str,
        range: Range<usize>,
        mut visit: impl FnMut(usize, usize),
    ) {
        let (Some(scan), Some(at)) = (&self.scan, &self.at) else {
            return;
        };
        let end = text.len().min(range.end.saturating_add(self.scan_longest));
        // Made at the first candidate: most short texts (JSON strings) have
        // none.
        let mut set: Option<PatternSet> = None;
        let mut pos = range.start;
        while pos < range.end {
            let Some(m) = scan
                .search(&Input::new(text).range(pos..end))
                .filter(|m| m.start() < range.end)
            else {
                break;
            };
            let start = m.start();
            let set = set.get_or_insert_with(|| PatternSet::new(at.pattern_len()));
            set.clear();
            at.which_overlapping_matches(
                &Input::new(text).range(start..end).anchored(Anchored::Yes),
                set,
            );
            for pid in set.iter() {
                visit(pid.as_usize(), start);
            }
            pos = next_char(text, start);
        }
    }

    /// A rule confirmed at one trigger: a regex rule's match must start at
    /// `start` (a keyword-less rule's candidate, or a keyword its matches
    /// begin with); a PEM private key is walked from the marker there.
    fn confirm_at(
        &self,
        index: usize,
        text: &str,
        start: usize,
        key: Option<&str>,
        found: &mut Vec<Finding>,
    ) {
        let (regex, value_group) = match &self.rule(index).finder {
            Finder::Regex {
                regex, value_group, ..
            } => (regex.get(), value_group),
            Finder::PemPrivateKey => {
                if let Some(block) =
                    pem::from_begin(text, start).or_else(|| pem::from_end(text, start))
                {
                    self.confirm_value(index, text, block, key, found);
                }
                return;
            }
            _ => return,
        };
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        if let Some(value) = anchored_value(regex, *value_group, &input) {
            self.confirm_value(index, text, value, key, found);
        }
    }

    /// A keyword-gated regex rule: matches that overlap one of `cores` (the
    /// keyword hits, widened by the rule's context window; sorted, apart).
    /// The search goes on from one core's window into the next, and finds
    /// there what a search begun at that window's start would: it starts
    /// afresh where the windows do not overlap, and where one of the matches
    /// it stepped over straddles the next window's start (a search begun
    /// there can find matches that this one stepped past).
    fn confirm_near(
        &self,
        index: usize,
        text: &str,
        cores: &[Range<usize>],
        key: Option<&str>,
        found: &mut Vec<Finding>,
    ) {
        let Finder::Regex {
            regex,
            value_group,
            max_len,
            max_line_breaks,
            edge_breaks,
            lead,
            ..
        } = &self.rule(index).finder
        else {
            return;
        };
        let regex = regex.get();
        // No match runs on across a line break that can only open or
        // close one: the window keeps to the line of the keyword's core and
        // those breaks.
        let edges = edge_breaks.unwrap_or_default();
        let max_line_breaks = if edge_breaks.is_some() {
            0
        } else {
            *max_line_breaks
        };
        // Made at the first match that has a value group to read: most
        // sweeps find none.
        let mut caps: Option<Captures> = None;
        let mut pos = 0;
        // Where each search of the sweep began and where its match ended.
        let mut steps: Vec<(usize, usize)> = Vec::new();
        for core in cores {
            // Any match overlapping the core fits in the window whole: it
            // is no longer than `max_len` and ends before its
            // `max_line_breaks + 1`-th line break, which in log text is the
            // tighter bound by far. When every match holds a keyword, it
            // begins no further back than the rule's lead before a hit (a
            // match that holds none of this core's hits holds another, and
            // that hit's window finds it). Otherwise the window starts on
            // the core's first line only for rules that cannot cross a line
            // break (no match crosses a line start then), or at the break
            // before that line for rules whose breaks can only open or
            // close a match (none runs on past one): for the others, a
            // search begun inside an earlier match could find a different
            // match that swallows the start of the one at the core.
            let lo = match lead {
                Some(lead) => lines_back(
                    text,
                    floor_char(text, core.start.saturating_sub(lead.bytes)),
                    core.start,
                    lead.line_breaks,
                ),
                None => {
                    let lo = floor_char(text, core.start.saturating_sub(*max_len));
                    match (max_line_breaks, edges.first) {
                        (0, false) => lines_back(text, lo, core.start, 0),
                        (0, true) => match lines_back(text, lo, core.start, 0) {
                            line if line > lo => line - 1,
                            _ => lo,
                        },
                        _ => lo,
                    }
                }
            };
            let hi = ceil_char(text, (core.end + max_len).min(text.len()));
            let hi = match lines_ahead(text, core.end, hi, max_line_breaks) {
                line_end if edges.last && line_end < hi => line_end + 1,
                line_end => line_end,
            };
            if pos <= lo || straddles(regex, text, &steps, lo) {
                pos = lo;
                steps.clear();
            }
            while pos < hi {
                let input = Input::new(text).range(pos..hi);
                let m = if max_line_breaks == 0 {
                    regex.search(&input)
                } else {
                    // Wide windows can hold many matches before the core:
                    // the forward DFA alone steps over them, and only a
                    // match that ends past the core's start is searched
                    // again, for its start, between the step and its end.
                    let Some(end) = regex.search_half(&input).map(|h| h.offset()) else {
                        break;
                    };
                    if end <= core.start {
                        pos = step_past(text, pos, end, &mut steps);
                        continue;
                    }
                    regex.search(&Input::new(text).range(pos..end))
                };
                // A match past the core is left for the next core's window,
                // before its captures are read: that window searches it
                // again.
                let Some(m) = m.filter(|m| m.start() < core.end) else {
                    break;
                };
                if m.end() > core.start
                    && let Some(value) = value_of(regex, *value_group, text, m, &mut caps)
                {
                    self.confirm_value(index, text, value, key, found);
                }
                pos = step_past(text, pos, m.end(), &mut steps);
            }
        }
    }

    /// Key-name rules: the keyword sits in the key of an assignment. Several
    /// keywords of one key (`mobile` and `mobil`) judge it once per rule.
    /// True when the text ends inside the assignment.
    fn confirm_assignment(
        &self,
        rules: &[usize],
        text: &str,
        at: usize,
        judged: &mut JudgedAssignment,
        found: &mut Vec<Finding>,
    ) -> bool {
        let assignment = match keys::assignment_at(text, at) {
            Ok(assignment) => assignment,
            Err(no) => return no == keys::NoAssignment::TextEnds,
        };
        let cut_short = assignment.value.end == text.len();
        if judged.key_start != Some(assignment.key.start) {
            *judged = JudgedAssignment {
                key_start: Some(assignment.key.start),
                rules: Vec::new(),
            };
        }
        let words = keys::split_words(&text[assignment.key.clone()]);
        for &index in rules {
            if judged.rules.contains(&index) {
                continue;
            }
            judged.rules.push(index);
            let rule = self.rule(index);
            let Finder::Keys {
                phrases, exclude, ..
            } = &rule.finder
            else {
                continue;
            };
            if keys::key_matches(phrases, exclude, &words)
                && self.accepts_key_value(index, &text[assignment.value.clone()])
                && self.context_ok(index, text, assignment.value.clone(), None, false)
            {
                found.push(Finding {
                    rule: index,
                    class: rule.class,
                    span: assignment.value.clone(),
                });
            }
        }
        cut_short
    }

    /// Runs the checks on a rule's value, cheapest first: boundaries,
    /// allow-list, context, validator.
    fn confirm_value(
        &self,
        index: usize,
        text: &str,
        span: Range<usize>,
        key: Option<&str>,
        found: &mut Vec<Finding>,
    ) {
        let rule = self.rule(index);
        let before = text[..span.start].chars().next_back();
        let after = text[span.end..].chars().next();
        if rule
            .not_preceded_by
            .as_ref()
            .zip(before)
            .is_some_and(|(set, c)| set.contains(c))
            || rule
                .not_followed_by
                .as_ref()
                .zip(after)
                .is_some_and(|(set, c)| set.contains(c))
        {
            return;
        }
        let value = &text[span.clone()];
        if self.is_allowed(rule, value)
            || !self.context_ok(index, text, span.clone(), key, true)
            || rule.validator.is_some_and(|v| !v.is_valid(value))
        {
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

    /// Whether the words around a value allow it. A value assigned to a key
    /// (`bsn=…`, `"bsn": "…"`, a JSON member that holds just the value) is
    /// judged by its key alone: in `cpr=… ts=1710238921` the time stamp is
    /// not a CPR number. Key-name rules pass `judge_by_key = false`: their
    /// key was judged already.
    fn context_ok(
        &self,
        index: usize,
        text: &str,
        span: Range<usize>,
        key: Option<&str>,
        judge_by_key: bool,
    ) -> bool {
        let (Some(context), Some(words)) = (&self.rule(index).context, &self.contexts[index])
        else {
            return true;
        };
        let whole_value =
            text[..span.start].trim().is_empty() && text[span.end..].trim().is_empty();
        let assigned = match assigned_key(text, span.start) {
            Some(k) => Some(k),
            None if whole_value => key,
            None => None,
        };
        if let (true, Some(k)) = (judge_by_key, assigned) {
            return words.allow_key(&keys::split_words(k).join(" "));
        }
        // The window is widened to whole words: a cut word (`v` of `value`)
        // must not read as a context word of its own.
        let lo = floor_char(text, span.start.saturating_sub(context.window));
        let lo = text[..lo]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric())
            .last()
            .map_or(lo, |(i, _)| i);
        let hi = ceil_char(text, (span.end + context.window).min(text.len()));
        let hi = text[hi..]
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(text.len(), |(i, _)| hi + i);
        let (lo, hi) = if context.same_line {
            let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[span.end..]
                .find('\n')
                .map_or(text.len(), |i| span.end + i);
            (lo.max(line_start), hi.min(line_end).max(span.end))
        } else {
            (lo, hi)
        };
        let mut near = String::with_capacity(hi - lo + 2 + key.map_or(0, str::len));
        context::push_lowercase(&mut near, &text[lo..span.start]);
        near.push(' ');
        context::push_lowercase(&mut near, &text[span.end..hi]);
        near.push(' ');
        if let Some(k) = key {
            near.push_str(&keys::split_words(k).join(" "));
        }
        words.allow(&near)
    }
}

/// The key a value at `start` is assigned to, if the text right before it
/// reads `key=`, `key = '`, `"key": ` or `"key": "`. A `label: value` is
/// not taken as an assignment: labels are often several words.
fn assigned_key(text: &str, start: usize) -> Option<&str> {
    let before = text[..start].trim_end_matches(['"', '\'']).trim_end();
    let (before, quoted_only) = match before.strip_suffix('=') {
        Some(b) => (b, false),
        None => (before.strip_suffix(':')?, true),
    };
    let before = before.trim_end();
    let unquoted = before.trim_end_matches(['"', '\'']);
    if quoted_only && unquoted.len() == before.len() {
        return None;
    }
    let key_start = unquoted
        .char_indices()
        .rev()
        .take_while(|(_, c)| keys::is_key_char(*c))
        .last()
        .map(|(i, _)| i)?;
    Some(&unquoted[key_start..])
}

/// How far a `key = value` assignment may reach from its key word.
const KEY_VALUE_REACH: usize = 512;

/// Added to every rule's reach for what surrounds its match: the
/// characters its boundaries look at, white space between a key and `=`.
const FOCUS_SLACK: usize = 64;

/// The stretches of a decoded view that decoding changed, each widened to
/// the whole token (run without white space) it lies in: a finding whose
/// trigger, match and context all lie farther than its rule's reach from
/// them reads the same text as in the raw text, where it was found
/// already. The widening covers what reaches across a token without a
/// bound: a key before `=`, a context word cut whole.
#[derive(Debug, Default)]
pub struct Focus {
    spans: Vec<Range<usize>>,
}

impl Focus {
    /// The focus of `text` around `changed` (sorted spans of `text`).
    pub fn new(text: &str, changed: impl Iterator<Item = Range<usize>>) -> Focus {
        let is_space = |b: &u8| b.is_ascii_whitespace();
        let bytes = text.as_bytes();
        let mut spans: Vec<Range<usize>> = Vec::new();
        // Each search stops where the previous one's result answers it: in a
        // long token full of escapes, searching from every span to the
        // token's ends went over the token once per escape (16 MiB of
        // backslashes took 8 s). `known`: the last span's end and the first
        // space at or after it.
        let mut known: Option<(usize, usize)> = None;
        for span in changed {
            let floor = spans.last().map_or(0, |last| last.end.min(span.start));
            let start = bytes[floor..span.start]
                .iter()
                .rposition(is_space)
                .map_or(floor, |i| floor + i + 1);
            let end = if let Some((after, space)) = known
                && (after..=space).contains(&span.end)
            {
                space
            } else {
                bytes[span.end..]
                    .iter()
                    .position(is_space)
                    .map_or(text.len(), |i| span.end + i)
            };
            known = Some((span.end, end));
            match spans.last_mut() {
                Some(last) if start <= last.end => last.end = last.end.max(end),
                _ => spans.push(start..end),
            }
        }
        Focus { spans }
    }

    /// True when a span of the focus lies within `reach` of `start..end`.
    fn touches(&self, start: usize, end: usize, reach: usize) -> bool {
        let (lo, hi) = (start.saturating_sub(reach), end.saturating_add(reach));
        let next = self.spans.partition_point(|s| s.end <= lo);
        self.spans.get(next).is_some_and(|s| s.start < hi)
    }
}

/// Words too common in ordinary text to trigger a key rule on their own.
const GENERIC_KEY_WORDS: &[&str] = &[
    "number", "nummer", "numero", "nr", "no", "id", "code", "name", "service", "key", "value",
    "data", "info", "type",
];

/// The word of a key phrase used as its trigger: the longest that is not
/// generic (the first of equals), as it is the rarest in ordinary text.
fn trigger_word(phrase: &KeyPhrase) -> &str {
    fn longest<'a>(words: impl Iterator<Item = &'a String>) -> Option<&'a String> {
        words.fold(None, |best: Option<&String>, w| match best {
            Some(b) if b.len() >= w.len() => Some(b),
            _ => Some(w),
        })
    }
    let words = phrase.words();
    longest(
        words
            .iter()
            .filter(|w| !GENERIC_KEY_WORDS.contains(&w.as_str())),
    )
    .or_else(|| longest(words.iter()))
    .map(String::as_str)
    .unwrap_or_default()
}

/// The value of the match of a rule's regex that `input` anchors: the
/// `value` group, found with the match in one capture search, or the whole
/// match.
fn anchored_value(
    regex: &Regex,
    value_group: Option<usize>,
    input: &Input<'_>,
) -> Option<Range<usize>> {
    match value_group {
        Some(group) => {
            let mut caps = regex.create_captures();
            regex.search_captures(input, &mut caps);
            group_value(&caps, group)
        }
        None => regex.search(input).map(|m| m.range()),
    }
}

/// The value of match `m` of `regex`: its `value` group, read by a capture
/// search over the match alone, or the whole match.
fn value_of(
    regex: &Regex,
    value_group: Option<usize>,
    text: &str,
    m: Match,
    caps: &mut Option<Captures>,
) -> Option<Range<usize>> {
    let Some(group) = value_group else {
        return Some(m.range());
    };
    let caps = caps.get_or_insert_with(|| regex.create_captures());
    // Over the match's own span, anchored, the search takes the same path
    // through the regex as the one that found it, so the groups are the
    // same: a preferred path ending sooner would have been found first.
    regex.search_captures(
        &Input::new(text).range(m.range()).anchored(Anchored::Yes),
        caps,
    );
    group_value(caps, group)
}

/// The span of `group` in the last capture search, `None` when it took no
/// part or is empty.
fn group_value(caps: &Captures, group: usize) -> Option<Range<usize>> {
    caps.get_group(group)
        .filter(|g| !g.is_empty())
        .map(|g| g.range())
}

/// Where a sweep searches next after a match that ends at `end`, the search
/// having begun at `pos`; recorded in `steps` when it moves on.
fn step_past(text: &str, pos: usize, end: usize, steps: &mut Vec<(usize, usize)>) -> usize {
    if end > pos {
        steps.push((pos, end));
        end
    } else {
        next_char(text, pos)
    }
}

/// True when the match a sweep stepped over at `lo` (from `steps`, in
/// order) began before `lo`: a search begun at `lo` starts inside it and
/// may find other matches than the sweep did. Any other way, it finds the
/// same next match the sweep did, and the same ones after it.
fn straddles(regex: &Regex, text: &str, steps: &[(usize, usize)], lo: usize) -> bool {
    let next = steps.partition_point(|&(_, end)| end <= lo);
    steps.get(next).is_some_and(|&(from, end)| {
        from < lo
            && regex
                .search(&Input::new(text).range(from..end))
                .is_some_and(|m| m.start() < lo)
    })
}

/// The start of the line `breaks` lines above the one `at` is on, but not
/// before `floor`.
fn lines_back(text: &str, floor: usize, at: usize, breaks: usize) -> usize {
    memchr::memrchr_iter(b'\n', &text.as_bytes()[floor..at])
        .nth(breaks)
        .map_or(floor, |i| floor + i + 1)
}

/// The end of the line `breaks` lines below the one `at` is on (before its
/// `\n`), but not after `ceiling`.
fn lines_ahead(text: &str, at: usize, ceiling: usize, breaks: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[at..ceiling])
        .nth(breaks)
        .map_or(ceiling, |i| at + i)
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
pub fn resolve_overlaps(mut found: Vec<Finding>) -> Vec<Finding> {
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
    out
}

/// The form of a keyword-less rule's regex the shared scan looks for: no
/// capture groups, and every ASCII letter stands for any ASCII letter. The
/// scan only says where a rule may match, and the rule's own regex still
/// confirms every candidate. Spelled out, the IBAN rule's country codes and
/// the national-id rules' letters made nearly every letter a byte class of
/// its own, and every state of the scan's lazy DFAs as wide: the loose form
/// halves their memory and scans a third faster, for about a quarter more
/// candidates, which the anchored confirmation rejects cheaply.
fn scan_form(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Capture(cap) => scan_form(&cap.sub),
        HirKind::Literal(literal) if literal.0.iter().any(u8::is_ascii_alphabetic) => {
            // Runs of other bytes stay whole literals (a UTF-8 sequence
            // never holds an ASCII letter).
            let parts = literal.0.split_inclusive(u8::is_ascii_alphabetic);
            Hir::concat(
                parts
                    .flat_map(|part| match part.split_last() {
                        Some((&last, rest)) if last.is_ascii_alphabetic() => [
                            Hir::literal(rest.to_vec()),
                            Hir::class(hir::Class::Bytes(ascii_letters())),
                        ],
                        _ => [Hir::literal(part.to_vec()), Hir::empty()],
                    })
                    .collect(),
            )
        }
        HirKind::Class(class) => Hir::class(with_every_ascii_letter(class)),
        _ => with_children_mapped(hir, scan_form),
    }
}

fn ascii_letters() -> ClassBytes {
    ClassBytes::new([
        ClassBytesRange::new(b'A', b'Z'),
        ClassBytesRange::new(b'a', b'z'),
    ])
}

/// `class` with every ASCII letter in it when it holds any.
fn with_every_ascii_letter(class: &hir::Class) -> hir::Class {
    let letters = ascii_letters();
    let spans: Vec<(u32, u32)> = match class {
        hir::Class::Unicode(c) => c
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
        hir::Class::Bytes(c) => c
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    let holds_letter = spans.iter().any(|&(lo, hi)| {
        letters
            .iter()
            .any(|r| lo <= u32::from(r.end()) && hi >= u32::from(r.start()))
    });
    match class {
        _ if !holds_letter => class.clone(),
        hir::Class::Unicode(c) => {
            let mut wider = c.clone();
            wider.union(&ClassUnicode::new(letters.iter().map(|r| {
                ClassUnicodeRange::new(char::from(r.start()), char::from(r.end()))
            })));
            hir::Class::Unicode(wider)
        }
        hir::Class::Bytes(c) => {
            let mut wider = c.clone();
            wider.union(&letters);
            hir::Class::Bytes(wider)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::rules::EdgeBreaks;

    fn detector(pack: &str) -> Detector {
        let mut rules = RuleSet::default();
        rules
            .add_pack("test.toml", pack)
            .expect("test pack compiles");
        Detector::new(rules).expect("detector builds")
    }

    fn found<'t>(detector: &Detector, text: &'t str) -> Vec<&'t str> {
        detector
            .detect(text)
            .iter()
            .map(|f| &text[f.span.clone()])
            .collect()
    }

    /// A regex rule's line reach and whether its keywords anchor it.
    fn regex_shape(d: &Detector, id: &str) -> (usize, bool) {
        match &d.rule(d.rules().index_of(id).expect("rule exists")).finder {
            Finder::Regex {
                max_line_breaks,
                starts_with_keyword,
                ..
            } => (*max_line_breaks, *starts_with_keyword),
            _ => unreachable!("{id} is a regex rule"),
        }
    }

    #[test]
    fn a_rule_regex_is_compiled_only_once_text_wakes_the_rule() {
        let d = detector(
            r#"
[[rule]]
id = "pin"
class = "secret"
regex = '(?P<value>[0-9]{4}) is (?:the|my) pin'
keywords = ["pin"]
action = "remove"
examples.match = ["«4821» is my pin"]

[[rule]]
id = "order"
class = "pii"
regex = 'ORD-[0-9]{6}'
action = "remove"
examples.match = ["«ORD-123456»"]

[[rule]]
id = "iban-ish"
class = "pii"
regex = 'XX[0-9]{2}[A-Z]{4}[0-9]{10}'
keywords = ["xx"]
action = "remove"
examples.match = ["«XX12ABCD0123456789»"]
"#,
        );
        let compiled = |id: &str| {
            let Finder::Regex { regex, .. } = &d.rule(d.rules().index_of(id).unwrap()).finder
            else {
                unreachable!("{id} is a regex rule");
            };
            regex.is_compiled()
        };
        assert!(!compiled("pin") && !compiled("order") && !compiled("iban-ish"));
        assert_eq!(
            found(&d, "1234 is my pin, ORD-123456"),
            ["1234", "ORD-123456"]
        );
        assert!(compiled("pin"), "a keyword hit compiles its rule");
        assert!(
            compiled("order"),
            "a shape the trigger scan found compiles its rule"
        );
        assert!(
            !compiled("iban-ish"),
            "a rule nothing woke stays uncompiled"
        );
    }

    const PIN_RULES: &str = r#"
[[rule]]
id = "pin.same-line"
class = "secret"
regex = '(?P<value>[0-9]{4}) is (?:the|my) pin'
keywords = ["pin"]
action = "remove"
examples.match = ["«4821» is my pin"]

[[rule]]
id = "pin.line-above"
class = "secret"
regex = '(?P<value>[0-9]{5})\n[ ]{0,3}(?:the|my) pin'
keywords = ["pin"]
action = "remove"
examples.match = ["«55555»\n the pin"]
"#;

    #[test]
    fn window_searches_reach_as_many_lines_as_a_rule_can_span() {
        let d = detector(PIN_RULES);
        let lines = |id: &str| regex_shape(&d, id).0;
        assert_eq!((lines("pin.same-line"), lines("pin.line-above")), (0, 1));
        let long_line = "x".repeat(300);
        let text =
            format!("{long_line}\n4821 is my pin {long_line}\n55555\n  the pin\n1234\n\nis my pin");
        // The second rule's match starts a line above its keyword; the
        // last number is two lines away from its keyword, which neither
        // rule can reach.
        assert_eq!(found(&d, &text), vec!["4821", "55555"]);
    }

    #[test]
    fn a_rule_whose_line_breaks_only_open_or_close_it_is_searched_by_line() {
        // `\s` lets a match begin with the line break before its line and
        // nowhere else: the window begins at that break, not a whole match
        // length (2 KB here) before the keyword, and still finds the value
        // at the start of the line; a match that closes with a line break
        // is found with it. (`code` is no keyword, so the rules have no
        // lead to bound their windows instead.)
        let d = detector(
            r#"
[[rule]]
id = "pin.opened"
class = "secret"
regex = '[\s,](?P<value>[0-9]{4}) is (?:the|my) (?:pin|code)[a-z ]{0,2000}'
keywords = ["pin"]
action = "remove"
examples.match = [" «4821» is my pin"]

[[rule]]
id = "pin.closed"
class = "secret"
regex = '(?P<value>[0-9]{6}) (?:pin|code)(?:$|[^a-z])'
keywords = ["pin"]
action = "remove"
examples.match = ["«482100» pin\n"]

[[rule]]
id = "pin.inner-break"
class = "secret"
regex = '[\s,](?P<value>[0-9]{4})\s(?:the|my) pin'
keywords = ["pin"]
action = "remove"
examples.match = [" «4821»\nmy pin"]
"#,
        );
        let edges = |id: &str| match &d.rule(d.rules().index_of(id).expect("rule exists")).finder {
            Finder::Regex { edge_breaks, .. } => *edge_breaks,
            _ => unreachable!(),
        };
        let opening = EdgeBreaks {
            first: true,
            last: false,
        };
        assert_eq!(edges("pin.opened"), Some(opening));
        let closing = EdgeBreaks {
            first: false,
            last: true,
        };
        assert_eq!(edges("pin.closed"), Some(closing));
        assert_eq!(edges("pin.inner-break"), None);
        let long_line = "x".repeat(3000);
        let text = format!(
            "{long_line}\n4821 is my pin\n9876 is the pin,5555 is my pin\n7\n2024 is my pin\n\
             {long_line}\n131313 pin\n{long_line}"
        );
        // The last value's match closes with the line break after `pin`.
        assert_eq!(
            found(&d, &text),
            vec!["4821", "9876", "5555", "2024", "131313"]
        );
    }

    #[test]
    fn a_multi_line_rule_is_searched_from_before_earlier_matches() {
        // Searched from the line of `pin`, the search would begin inside
        // the match `00\n11`, find `11\n22` and miss `22 pin`.
        let d = detector(
            r#"
[[rule]]
id = "pin.lines"
class = "secret"
regex = '(?P<value>[0-9]{1,8})(?:\n[0-9]{1,8}| pin)'
keywords = ["pin"]
action = "remove"
examples.match = ["«22» pin"]
"#,
        );
        assert_eq!(found(&d, "00\n11\n22 pin"), vec!["22"]);
    }

    #[test]
    fn a_rule_whose_matches_hold_a_keyword_is_searched_from_its_lead() {
        // Every match holds `pin`, up to three lines and 607 bytes below
        // its start: the window begins there, not a whole match (1 KB)
        // before the keyword, and still reaches the value.
        let d = detector(
            r#"
[[rule]]
id = "pin.below"
class = "secret"
regex = '(?P<value>[0-9]{4})\n(?:[a-z]{1,300}\n){0,2}pin'
keywords = ["pin"]
action = "remove"
examples.match = ["«1234»\npin"]
"#,
        );
        let Finder::Regex { lead, .. } = &d.rule(0).finder else {
            panic!("a regex rule");
        };
        assert_eq!(
            lead.map(|l| (l.bytes, l.line_breaks)),
            Some((4 + 1 + 2 * 301, 3))
        );
        let long_word = "x".repeat(300);
        let text = format!("0000\n{long_word}\n1234\n{long_word}\n{long_word}\npin");
        assert_eq!(found(&d, &text), vec!["1234"]);
        assert_eq!(found(&d, "0000\nx\n1234\nab\ncd\npin"), vec!["1234"]);
    }

    #[test]
    fn a_sweep_over_several_keywords_finds_what_each_window_would() {
        // The first keyword's window starts inside `P…Q`, so its search
        // finds `Q…R`. The second keyword's window starts after `Q`: a
        // search begun there finds `R…S`, which holds that keyword. Carrying
        // the first search on from `R` would find nothing there.
        let d = detector(
            r#"
[[rule]]
id = "caps"
class = "secret"
regex = '[A-Z][a-z]{0,40}[A-Z]'
keywords = ["kw"]
action = "remove"
examples.match = ["«AkwB»"]
"#,
        );
        let text = format!("P{}Qbkw{}RckwccS", "a".repeat(40), "b".repeat(37));
        assert_eq!(text.find("kwccS"), Some(84));
        let spans: Vec<_> = d.detect(&text).into_iter().map(|f| f.span).collect();
        assert!(
            spans.iter().any(|s| s.start <= 82 && s.end >= text.len()),
            "{spans:?}"
        );
    }

    /// The phrase index names exactly the rules a comparison of the key with
    /// every phrase of every rule names, on keys built from the default
    /// packs' own phrases, excluded phrases and combinations of them.
    #[test]
    fn the_phrase_index_names_the_rules_every_phrase_would() {
        let rules = crate::redact::packs::load(&crate::redact::packs::PackSource::default())
            .expect("default packs load");
        let d = Detector::new(rules).expect("detector builds");
        let mut phrases: Vec<String> = Vec::new();
        for rule in &d.rules().rules {
            if let Finder::Keys {
                phrases: p,
                exclude,
                ..
            } = &rule.finder
            {
                phrases.extend(p.iter().chain(exclude).map(|k| k.words().join("_")));
            }
        }
        let mut keys: Vec<String> =
            vec!["".into(), "id".into(), "body".into(), "created_at".into()];
        for (i, phrase) in phrases.iter().enumerate() {
            let other = &phrases[(i * 7 + 3) % phrases.len()];
            keys.extend([
                phrase.clone(),
                format!("user_{phrase}"),
                format!("{phrase}Id"),
                format!("{other}-{phrase}"),
                format!("{phrase} {other}"),
            ]);
        }
        let mut named = 0;
        for key in &keys {
            let words = keys::split_words(key);
            let expected: Vec<usize> = (0..d.rules().rules.len())
                .filter(|&i| match &d.rule(i).finder {
                    Finder::Keys {
                        phrases, exclude, ..
                    } => keys::key_matches(phrases, exclude, &words),
                    _ => false,
                })
                .collect();
            named += usize::from(!expected.is_empty());
            assert_eq!(
                d.key_rules_for(key).collect::<Vec<_>>(),
                expected,
                "key {key:?}"
            );
        }
        assert!(
            named > keys.len() / 2,
            "only {named} of {} keys name a rule",
            keys.len()
        );
    }

    #[test]
    fn spellings_the_regex_folds_wake_their_rules() {
        let d = detector(
            r#"
[[rule]]
id = "pw"
class = "secret"
regex = '(?i:password|key|tunnus|pääsy|my[ \t\x{A0}]pin)=(?P<value>[a-z0-9]{3,20})'
keywords = ["password", "key", "tunnus", "pääsy", "my pin"]
action = "remove"
examples.match = ["password=«abc»"]
"#,
        );
        // The regex folds `ſ` to `s`, `K` to `k` and `Ä` to `ä`, and takes
        // a tab or a no-break space for the keyword's space; the keyword
        // automaton needs the spellings to wake the rule there at all.
        assert_eq!(
            found(
                &d,
                "paſsword=abc PAſſWORD=def \u{212A}ey=ghi PÄÄSY=jkl my\tpin=mno my\u{A0}pin=pqr"
            ),
            vec!["abc", "def", "ghi", "jkl", "mno", "pqr"]
        );
    }

    #[test]
    fn case_insensitive_keywords_anchor_their_rule() {
        let d = detector(
            r#"
[[rule]]
id = "pw"
class = "secret"
regex = '(?i:password)=(?P<value>[a-z]{3,20})'
keywords = ["password"]
action = "remove"
examples.match = ["password=«abc»"]

[[rule]]
id = "pw.accented"
class = "secret"
regex = '(?i:tél)=(?P<value>[0-9]{3,20})'
keywords = ["tél"]
action = "remove"
examples.match = ["tél=«123»"]
"#,
        );
        let anchored = |id: &str| regex_shape(&d, id).1;
        assert!(anchored("pw"));
        // `é` keeps both its cases, and the keyword automaton has both
        // (`tÉl` is one of the keyword's spellings): anchored too.
        assert!(anchored("pw.accented"));
        assert_eq!(
            found(&d, "PassWord=abc; tél=123; Tél=456; TÉL=789"),
            vec!["abc", "123", "456", "789"]
        );
    }

    /// The shared scan looks for a looser form of the keyword-less rules
    /// (any ASCII letter for each letter): what it wakes a rule for that
    /// the rule's own regex does not match must not be found, and what the
    /// rule matches must be, next to other rules' letters and non-ASCII
    /// text.
    #[test]
    fn the_loose_scan_form_finds_exactly_what_the_rules_match() {
        let d = detector(
            r#"
[[rule]]
id = "code"
class = "pii"
regex = '(?-u:\b)(?:NL|DE)[0-9]{2}-(?P<value>[A-Z]{2}é[0-9]{2})'
action = "remove"
examples.match = ["NL12-«ABé34»"]

[[rule]]
id = "ref"
class = "pii"
regex = '(?-u:\b)(?i-u:ref)#[0-9]{4}(?-u:\b)'
action = "remove"
examples.match = ["«REF#1234»", "«ref#1234»"]
"#,
        );
        let text = "NL12-ABé34 DE99-ZZé00 nl12-ABé34 FR12-ABé34 NL12-abé34 \
                    NL12-ABe34 XNL12-ABé34 Ref#1234 rex#1234 ref#12345 NLé12-AB";
        assert_eq!(found(&d, text), vec!["ABé34", "ZZé00", "Ref#1234"]);
        let loose = scan_form(&regex_syntax::parse("(?P<v>Né)[ab]x").expect("parses"));
        let expected = regex_syntax::parse("[A-Za-z]é[A-Za-z][A-Za-z]").expect("parses");
        let matches = |hir: &Hir, text: &str| {
            Regex::builder()
                .build_from_hir(hir)
                .expect("compiles")
                .is_match(text)
        };
        for text in ["Néax", "zébQ", "Nébx"] {
            assert_eq!(matches(&loose, text), matches(&expected, text), "{text}");
            assert!(matches(&loose, text), "{text}");
        }
        assert!(!matches(&loose, "Neax"));
    }

    #[test]
    fn the_focus_is_what_widening_each_span_to_its_words_gives() {
        let naive = |text: &str, changed: &[Range<usize>]| {
            let bytes = text.as_bytes();
            let mut spans: Vec<Range<usize>> = Vec::new();
            for span in changed {
                let start = bytes[..span.start]
                    .iter()
                    .rposition(u8::is_ascii_whitespace)
                    .map_or(0, |i| i + 1);
                let end = bytes[span.end..]
                    .iter()
                    .position(u8::is_ascii_whitespace)
                    .map_or(text.len(), |i| span.end + i);
                match spans.last_mut() {
                    Some(last) if start <= last.end => last.end = last.end.max(end),
                    _ => spans.push(start..end),
                }
            }
            spans
        };
        let mut state = 0x9e37_79b9_u32;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize % n
        };
        for _ in 0..3000 {
            let text: String = (0..next(60))
                .map(|_| ['a', ' ', '\\', '\n'][next(4)])
                .collect();
            let mut changed: Vec<Range<usize>> = (0..next(6))
                .map(|_| {
                    let start = next(text.len() + 1);
                    start..start + next(text.len() + 1 - start)
                })
                .collect();
            changed.sort_by_key(|r| r.start);
            let focus = Focus::new(&text, changed.iter().cloned());
            assert_eq!(focus.spans, naive(&text, &changed), "{text:?} {changed:?}");
        }
    }
}
