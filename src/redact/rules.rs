//! Validated, compiled rules: built once from raw packs, never on the hot path.

use std::collections::HashSet;
use std::fmt;

use regex_syntax::hir::Hir;

use super::keys::KeyPhrase;
use super::known::KnownKind;
use super::lead::{Lead, keyword_lead, starts_with_keyword};
use super::pack::{RawPack, RawRule};
use super::rule_regex::{self, DEFAULT_DFA_CACHE, RuleRegex};
use super::spelling::spellings;
use super::validate::Validator;

/// The built-in rules selected JSON fields are reported under, by class
/// (pii, account, secret).
pub const SELECTED_FIELD_RULES: [&str; 3] = [
    "selected-field.pii",
    "selected-field.account",
    "selected-field.secret",
];

/// The built-in rule the value of an HTML password input is reported under.
pub const PASSWORD_INPUT_RULE: &str = "html.password-input";

/// The built-in rule of a selected field of `class`.
pub fn selected_field_rule(class: Class) -> &'static str {
    match class {
        Class::Pii => SELECTED_FIELD_RULES[0],
        Class::Account => SELECTED_FIELD_RULES[1],
        Class::Secret => SELECTED_FIELD_RULES[2],
    }
}

/// The longest match a rule may produce, in bytes. Bounding it is what lets
/// the streaming redactor keep a fixed-size window.
pub const MAX_MATCH_LEN: usize = 4096;

/// The bounds of a rule's `dfa_cache_kib`.
const MIN_DFA_CACHE_KIB: usize = 64;
const MAX_DFA_CACHE_KIB: usize = 16 << 10;

/// Context windows larger than this are refused.
pub const MAX_CONTEXT_WINDOW: usize = 256;

const DEFAULT_CONTEXT_WINDOW: usize = 48;
const DEFAULT_KEY_VALUE_MIN_LEN: usize = 1;

/// What kind of data a rule finds; the policy acts per class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Personal data of anyone (logs, traces).
    Pii,
    /// Data identifying or describing the customer's own account.
    Account,
    /// Credentials, tokens and keys: never shown to anyone.
    Secret,
}

impl Class {
    pub fn parse(s: &str) -> Option<Class> {
        match s {
            "pii" => Some(Class::Pii),
            "account" => Some(Class::Account),
            "secret" => Some(Class::Secret),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Pii => "pii",
            Class::Account => "account",
            Class::Secret => "secret",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a found value is rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `[label]`, or `[label:3f9a1c]` with a keyed hash when `tag` is set and
    /// a hash key is configured.
    Replace { label: String, tag: bool },
    /// Bullets, keeping the last `keep_last` letters or digits and, for an
    /// e-mail address, optionally the domain.
    Mask { keep_last: usize, keep_domain: bool },
    /// The value disappears.
    Remove,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Replace { .. } => "replace",
            Action::Mask { .. } => "mask",
            Action::Remove => "remove",
        }
    }
}

/// How a rule finds candidates.
#[derive(Debug, Clone)]
pub enum Finder {
    /// A bounded regular expression, optionally gated by keywords.
    Regex {
        regex: RuleRegex,
        /// The HIR of a keyword-less rule, kept to build the engine's
        /// shared trigger automaton (a keyword rule's is dropped: all of
        /// them take about 2.5 MB).
        scan_hir: Option<Hir>,
        keywords: Vec<String>,
        /// Index of the capture group named `value`, if any.
        value_group: Option<usize>,
        max_len: usize,
        /// The most line breaks (`\n`) a match can hold: a window search
        /// around a keyword need not look further up or down than that.
        max_line_breaks: usize,
        /// Where matches hold their line breaks, when only at their edges.
        edge_breaks: Option<EdgeBreaks>,
        /// Every match begins with one of the keywords, so a keyword hit is
        /// confirmed by one anchored search instead of a window search.
        starts_with_keyword: bool,
        /// How far before the first keyword it holds a match can begin,
        /// when every match holds one.
        lead: Option<Lead>,
    },
    /// PEM private key blocks, walked from their BEGIN and END markers
    /// (`src/redact/pem.rs`).
    PemPrivateKey,
    /// Nothing: findings of this rule are supplied from outside the
    /// detector (a contact's known values, selected JSON fields).
    Given,
    /// Values under matching key names.
    Keys {
        phrases: Vec<KeyPhrase>,
        /// Phrases that disqualify a key the others matched.
        exclude: Vec<KeyPhrase>,
        min_len: usize,
    },
}

/// Words near a match that decide whether it counts.
#[derive(Debug, Clone)]
pub struct Context {
    pub require: Vec<String>,
    pub veto: Vec<String>,
    pub window: usize,
    pub same_line: bool,
}

/// A set of characters, as a sorted list of inclusive ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CharSet(Vec<(char, char)>);

impl CharSet {
    /// Parses a regex character class such as `[0-9A-Za-z_.-]` or `\w`.
    ///
    /// # Errors
    /// When the text is not a single character class.
    pub fn parse(class: &str) -> Result<CharSet, String> {
        let hir =
            regex_syntax::parse(class).map_err(|e| format!("invalid character class: {e}"))?;
        match hir.kind() {
            regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(c)) => {
                Ok(CharSet(c.iter().map(|r| (r.start(), r.end())).collect()))
            }
            regex_syntax::hir::HirKind::Literal(_) => {
                let c = class.chars().next().unwrap_or_default();
                Ok(CharSet(vec![(c, c)]))
            }
            _ => Err(format!("`{class}` is not a single character class")),
        }
    }

    pub fn contains(&self, c: char) -> bool {
        self.0
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub class: Class,
    pub finder: Finder,
    /// Characters that may not touch the value on the left / on the right.
    pub not_preceded_by: Option<CharSet>,
    pub not_followed_by: Option<CharSet>,
    pub validator: Option<Validator>,
    pub context: Option<Context>,
    pub allow: HashSet<String>,
    pub action: Action,
    pub examples: Examples,
    /// The pack file the rule came from, for error messages.
    pub source: String,
}

/// Examples carried by a rule (see [`super::pack::RawExamples`]).
#[derive(Debug, Clone, Default)]
pub struct Examples {
    pub must_match: Vec<String>,
    pub must_not_match: Vec<String>,
}

/// A pack that could not be loaded; the message names the file and the rule.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: rule `{rule}`: {message}")]
    Rule {
        file: String,
        rule: String,
        message: String,
    },
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("no rules loaded")]
    Empty,
}

/// All rules of all loaded packs, plus the global allow-list.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub allow: HashSet<String>,
}

impl RuleSet {
    /// Parses and compiles one pack file's text and adds its rules.
    ///
    /// # Errors
    /// A [`PackError`] naming `file`, the rule and the problem. Nothing is
    /// added when any rule of the pack is invalid.
    pub fn add_pack(&mut self, file: &str, text: &str) -> Result<(), PackError> {
        let raw = RawPack::parse(text).map_err(|e| PackError::Parse {
            file: file.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let mut compiled = Vec::with_capacity(raw.rules.len());
        for raw_rule in &raw.rules {
            let rule_err = |message: String| PackError::Rule {
                file: file.to_string(),
                rule: raw_rule.id.clone(),
                message,
            };
            if self
                .rules
                .iter()
                .chain(&compiled)
                .any(|r: &Rule| r.id == raw_rule.id)
            {
                return Err(rule_err("duplicate rule id".into()));
            }
            compiled.push(compile_rule(raw_rule, file).map_err(rule_err)?);
        }
        self.rules.extend(compiled);
        self.allow
            .extend(raw.allow.iter().map(|v| v.to_lowercase()));
        Ok(())
    }

    /// A set holding only rule `index` of `rules` (and the global
    /// allow-list), to test a rule on its own.
    pub fn single_from(rules: &RuleSet, index: usize) -> RuleSet {
        RuleSet {
            rules: vec![rules.rules[index].clone()],
            allow: rules.allow.clone(),
        }
    }

    pub fn rule(&self, index: usize) -> &Rule {
        &self.rules[index]
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }

    /// Adds the built-in rules that known values and selected fields are
    /// reported under (once; calling again changes nothing).
    pub fn add_given_rules(&mut self) {
        let mask = |keep_last, keep_domain| Action::Mask {
            keep_last,
            keep_domain,
        };
        let label = |label: &str| Action::Replace {
            label: label.to_string(),
            tag: false,
        };
        let given = [
            (KnownKind::Name.rule_id(), Class::Account, mask(0, false)),
            (KnownKind::Email.rule_id(), Class::Account, mask(0, true)),
            (KnownKind::Phone.rule_id(), Class::Account, mask(2, false)),
            (
                KnownKind::ExternalId.rule_id(),
                Class::Account,
                mask(0, false),
            ),
            (SELECTED_FIELD_RULES[0], Class::Pii, label("pii")),
            (SELECTED_FIELD_RULES[1], Class::Account, mask(4, false)),
            (SELECTED_FIELD_RULES[2], Class::Secret, label("secret")),
            (PASSWORD_INPUT_RULE, Class::Secret, label("password")),
        ];
        for (id, class, action) in given {
            if self.index_of(id).is_some() {
                continue;
            }
            self.rules.push(Rule {
                id: id.to_string(),
                class,
                finder: Finder::Given,
                not_preceded_by: None,
                not_followed_by: None,
                validator: None,
                context: None,
                allow: HashSet::new(),
                action,
                examples: Examples::default(),
                source: "built-in".to_string(),
            });
        }
    }
}

fn compile_rule(raw: &RawRule, file: &str) -> Result<Rule, String> {
    if raw.id.is_empty()
        || !raw
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err("id must be non-empty and use only letters, digits, `.`, `-`, `_`".into());
    }
    let class = Class::parse(&raw.class).ok_or_else(|| {
        format!(
            "unknown class `{}` (expected secret, pii or account)",
            raw.class
        )
    })?;
    if raw.keys.is_empty() && !raw.exclude_keys.is_empty() {
        return Err("`exclude_keys` only apply to `keys` rules".into());
    }
    if raw.regex.is_none() && !raw.keywords.is_empty() {
        return Err("`keywords` only apply to `regex` rules".into());
    }
    if raw.regex.is_none() && raw.dfa_cache_kib.is_some() {
        return Err("`dfa_cache_kib` only applies to `regex` rules".into());
    }
    let finder = match (&raw.regex, raw.keys.is_empty(), &raw.finder) {
        (Some(pattern), true, None) => {
            let dfa_cache = match raw.dfa_cache_kib {
                None => DEFAULT_DFA_CACHE,
                Some(kib @ MIN_DFA_CACHE_KIB..=MAX_DFA_CACHE_KIB) => kib << 10,
                Some(_) => {
                    return Err(format!(
                        "`dfa_cache_kib` must be between {MIN_DFA_CACHE_KIB} and {MAX_DFA_CACHE_KIB}"
                    ));
                }
            };
            compile_regex(pattern, &raw.keywords, dfa_cache)?
        }
        (None, true, Some(name)) => match name.as_str() {
            "pem-private-key" => Finder::PemPrivateKey,
            _ => return Err(format!("unknown finder `{name}` (known: pem-private-key)")),
        },
        (None, false, None) => {
            let parse = |list: &[String]| {
                list.iter()
                    .map(|k| KeyPhrase::parse(k).ok_or_else(|| format!("key `{k}` has no words")))
                    .collect::<Result<Vec<_>, _>>()
            };
            Finder::Keys {
                phrases: parse(&raw.keys)?,
                exclude: parse(&raw.exclude_keys)?,
                min_len: raw.min_len.unwrap_or(DEFAULT_KEY_VALUE_MIN_LEN),
            }
        }
        (None, true, None) => {
            return Err("missing detector: set `regex`, `keys` or `finder`".into());
        }
        _ => return Err("set only one of `regex`, `keys` and `finder`".into()),
    };
    let validator = raw
        .validator
        .as_deref()
        .map(|name| {
            Validator::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Validator::ALL.iter().map(|(n, _)| *n).collect();
                format!("unknown validator `{name}` (known: {})", known.join(", "))
            })
        })
        .transpose()?;
    let context = raw
        .context
        .as_ref()
        .map(|c| {
            let window = c.window.unwrap_or(DEFAULT_CONTEXT_WINDOW);
            if window == 0 || window > MAX_CONTEXT_WINDOW {
                return Err(format!(
                    "context window must be between 1 and {MAX_CONTEXT_WINDOW} bytes"
                ));
            }
            if c.require.is_empty() && c.veto.is_empty() {
                return Err("context needs `require` or `veto` words".into());
            }
            let lower = |v: &Vec<String>| v.iter().map(|w| w.to_lowercase()).collect();
            Ok(Context {
                require: lower(&c.require),
                veto: lower(&c.veto),
                window,
                same_line: c.same_line,
            })
        })
        .transpose()?;
    let action = compile_action(raw)?;
    let char_set = |class: &Option<String>, key: &str| {
        class
            .as_deref()
            .map(|c| CharSet::parse(c).map_err(|e| format!("`{key}`: {e}")))
            .transpose()
    };
    let not_preceded_by = char_set(&raw.not_preceded_by, "not_preceded_by")?;
    let not_followed_by = char_set(&raw.not_followed_by, "not_followed_by")?;
    if raw.examples.must_match.is_empty() {
        return Err("a rule needs at least one `examples.match`".into());
    }
    Ok(Rule {
        id: raw.id.clone(),
        class,
        finder,
        not_preceded_by,
        not_followed_by,
        validator,
        context,
        allow: raw.allow.iter().map(|v| v.to_lowercase()).collect(),
        action,
        examples: Examples {
            must_match: raw.examples.must_match.clone(),
            must_not_match: raw.examples.must_not_match.clone(),
        },
        source: file.to_string(),
    })
}

fn compile_regex(pattern: &str, keywords: &[String], dfa_cache: usize) -> Result<Finder, String> {
    let hir = rule_regex::parse(pattern)?;
    let max_len = hir
        .properties()
        .maximum_len()
        .ok_or("regex has no maximum match length: use bounded repetition such as {1,256} instead of + or *")?;
    if max_len > MAX_MATCH_LEN {
        return Err(format!(
            "regex can match up to {max_len} bytes; the limit is {MAX_MATCH_LEN}"
        ));
    }
    if hir.properties().minimum_len() == Some(0) {
        return Err("regex can match the empty string".into());
    }
    if has_unicode_word_boundary(&hir) {
        return Err(
            "`\\b` (or `\\B`, `\\<`, `\\>`) is Unicode-aware here, which sends every \
                    search over non-ASCII text to a slow engine; write `(?-u:\\b)` and, where \
                    letters such as `é` must count, `not_preceded_by`/`not_followed_by`"
                .into(),
        );
    }
    if keywords.iter().any(|k| k.is_empty()) {
        return Err("empty keyword".into());
    }
    let (regex, value_group) = RuleRegex::new(pattern, &hir, dfa_cache)?;
    let keywords: Vec<String> = keywords.iter().map(|k| k.to_lowercase()).collect();
    // The analyses read the keywords as the keyword automaton spells them.
    let spelt: Vec<String> = keywords.iter().flat_map(|k| spellings(k)).collect();
    let starts_with_keyword = starts_with_keyword(&hir, &spelt);
    let max_line_breaks = max_line_breaks(&hir);
    let edge_breaks = edge_breaks(&hir, max_line_breaks);
    let lead = if starts_with_keyword {
        Some(Lead::default())
    } else {
        keyword_lead(&hir, &spelt)
    };
    Ok(Finder::Regex {
        regex,
        scan_hir: keywords.is_empty().then_some(hir),
        keywords,
        value_group,
        max_len,
        max_line_breaks,
        edge_breaks,
        starts_with_keyword,
        lead,
    })
}

/// True when `hir` holds a Unicode word-boundary assertion. The lazy DFA
/// handles those only on ASCII text and otherwise gives the search to an NFA
/// engine ten to fifty times slower.
fn has_unicode_word_boundary(hir: &Hir) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Look(look) => matches!(
            look,
            Look::WordUnicode
                | Look::WordUnicodeNegate
                | Look::WordStartUnicode
                | Look::WordEndUnicode
                | Look::WordStartHalfUnicode
                | Look::WordEndHalfUnicode
        ),
        HirKind::Repetition(rep) => has_unicode_word_boundary(&rep.sub),
        HirKind::Capture(cap) => has_unicode_word_boundary(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(has_unicode_word_boundary)
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
    }
}

/// The most `\n` bytes a match of `hir` can hold (bounded: rules have a
/// maximum length).
pub(crate) fn max_line_breaks(hir: &Hir) -> usize {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 0,
        HirKind::Literal(lit) => lit.0.iter().filter(|&&b| b == b'\n').count(),
        HirKind::Class(Class::Unicode(class)) => usize::from(
            class
                .ranges()
                .iter()
                .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        ),
        HirKind::Class(Class::Bytes(class)) => usize::from(
            class
                .ranges()
                .iter()
                .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        ),
        HirKind::Repetition(rep) => {
            let most = rep.max.map_or(MAX_MATCH_LEN, |m| m as usize);
            max_line_breaks(&rep.sub).saturating_mul(most)
        }
        HirKind::Capture(cap) => max_line_breaks(&cap.sub),
        HirKind::Concat(subs) => subs.iter().map(max_line_breaks).sum(),
        HirKind::Alternation(subs) => subs.iter().map(max_line_breaks).max().unwrap_or(0),
    }
}

/// Where a rule's matches hold line breaks, when only at their edges:
/// opening (`[\s,;]` before a value) or closing (`(?:$|[^0-9])` after it).
/// No match then runs on across a line break, and a window search can keep
/// to the keyword's line and those edges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EdgeBreaks {
    /// A match can open with a line break.
    pub first: bool,
    /// A match can close with a line break.
    pub last: bool,
}

/// The edges of `hir`'s matches that line breaks can be at, when they can
/// be nowhere else (and a match can hold one: `max_line_breaks`).
fn edge_breaks(hir: &Hir, max_line_breaks: usize) -> Option<EdgeBreaks> {
    if max_line_breaks == 0 {
        return None;
    }
    let edges = EdgeBreaks {
        first: breaks_only_at(hir, true),
        last: breaks_only_at(hir, false),
    };
    (edges.first || edges.last).then_some(edges)
}

/// True when a match of `hir` can hold a line break only as its first
/// character (`first`) or only as its last.
fn breaks_only_at(hir: &Hir, first: bool) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => true,
        HirKind::Literal(lit) => {
            let inner = if first {
                lit.0.get(1..)
            } else {
                lit.0.split_last().map(|(_, before)| before)
            };
            !inner.unwrap_or_default().contains(&b'\n')
        }
        HirKind::Capture(cap) => breaks_only_at(&cap.sub, first),
        HirKind::Repetition(rep) if rep.max.is_some_and(|m| m <= 1) => {
            breaks_only_at(&rep.sub, first)
        }
        HirKind::Repetition(rep) => max_line_breaks(&rep.sub) == 0,
        HirKind::Alternation(subs) => subs.iter().all(|sub| breaks_only_at(sub, first)),
        HirKind::Concat(parts) => parts_break_only_at(parts, first),
    }
}

/// [`breaks_only_at`] for the parts of a concatenation: the parts inside
/// may hold no line break, and the edge part opens (or closes) the match,
/// or when it matches nothing the next part in does.
fn parts_break_only_at(parts: &[Hir], first: bool) -> bool {
    let split = if first {
        parts.split_first()
    } else {
        parts.split_last()
    };
    split.is_none_or(|(edge, others)| {
        breaks_only_at(edge, first)
            && (others.iter().all(|part| max_line_breaks(part) == 0)
                || (edge.properties().maximum_len() == Some(0)
                    && parts_break_only_at(others, first)))
    })
}

/// `hir` with every class that holds just the cases of one ASCII letter
/// (what `(?i:a)` becomes) turned back into that lowercase letter, so that
/// literal extraction sees `password` rather than 256 spellings.
pub(crate) fn lowercased(hir: &Hir) -> Hir {
    match hir.kind() {
        regex_syntax::hir::HirKind::Class(class) => match case_pair_letter(class) {
            Some(letter) => Hir::literal([letter]),
            None => hir.clone(),
        },
        _ => with_children_mapped(hir, lowercased),
    }
}

/// `hir` rebuilt with `f` applied to each of its direct sub-expressions (a
/// leaf is returned as it is): the walk the HIR rewrites share.
pub(crate) fn with_children_mapped(hir: &Hir, f: impl Fn(&Hir) -> Hir) -> Hir {
    use regex_syntax::hir::{Capture, HirKind, Repetition};
    match hir.kind() {
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(f(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(f(&cap.sub)),
            ..cap.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(f).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(f).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// The ASCII letter a class stands for when it holds just that letter's
/// cases: `a`/`A`, and for `k` and `s` also the Kelvin sign and the long s
/// that Unicode case folding adds (the detector adds those spellings of
/// every keyword to its automaton, so a match spelled with them still
/// starts at a keyword hit).
fn case_pair_letter(class: &regex_syntax::hir::Class) -> Option<u8> {
    use regex_syntax::hir::Class;
    let chars: Vec<char> = match class {
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .flat_map(|r| r.start()..=r.end())
            .take(5)
            .collect(),
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .flat_map(|r| r.start()..=r.end())
            .take(5)
            .map(char::from)
            .collect(),
    };
    let letter = chars
        .iter()
        .find(|c| c.is_ascii_lowercase())?
        .to_ascii_lowercase();
    let folds_to_letter = |c: &char| match c {
        '\u{212A}' => letter == 'k',
        '\u{17F}' => letter == 's',
        c => c.to_ascii_lowercase() == letter,
    };
    (chars.len() <= 4
        && chars.contains(&letter.to_ascii_uppercase())
        && chars.iter().all(folds_to_letter))
    .then_some(letter as u8)
}

fn compile_action(raw: &RawRule) -> Result<Action, String> {
    let only = |allowed: &[&str]| -> Result<(), String> {
        let set = [
            ("label", raw.label.is_some()),
            ("tag", raw.tag),
            ("keep_last", raw.keep_last.is_some()),
            ("keep_domain", raw.keep_domain),
        ];
        match set.iter().find(|(name, on)| *on && !allowed.contains(name)) {
            Some((name, _)) => Err(format!(
                "`{name}` does not apply to action `{}`",
                raw.action
            )),
            None => Ok(()),
        }
    };
    match raw.action.as_str() {
        "replace" => {
            only(&["label", "tag"])?;
            let label = raw
                .label
                .clone()
                .ok_or("action `replace` needs a `label`")?;
            if label.is_empty()
                || !label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            {
                return Err(
                    "label must be non-empty ASCII letters, digits, `-`, `_` or `.`".into(),
                );
            }
            Ok(Action::Replace {
                label,
                tag: raw.tag,
            })
        }
        "mask" => {
            only(&["keep_last", "keep_domain"])?;
            Ok(Action::Mask {
                keep_last: raw.keep_last.unwrap_or(0),
                keep_domain: raw.keep_domain,
            })
        }
        "remove" => {
            only(&[])?;
            Ok(Action::Remove)
        }
        other => Err(format!(
            "unknown action `{other}` (expected replace, mask or remove)"
        )),
    }
}
