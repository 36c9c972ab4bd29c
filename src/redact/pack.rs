//! The pattern-pack file format as written by security teams (`patterns/*.toml`).
//!
//! This is the raw, serde-facing stage; [`crate::redact::rules`] validates it
//! and compiles it once into the form the engine searches with.

use serde::Deserialize;

/// One pack file: a set of rules and optional global allow-list entries.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPack {
    /// Free text shown by `veilgate patterns test`.
    #[serde(default)]
    pub description: String,
    /// Values that are never redacted by any rule (case-insensitive, exact).
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RawRule>,
}

/// One rule. Exactly one of `regex` and `keys` is set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: String,
    pub class: String,
    #[serde(default)]
    pub description: String,
    /// A regular expression (Rust `regex` syntax) with a bounded match
    /// length. A capture group named `value` narrows what is redacted.
    pub regex: Option<String>,
    /// Literal keywords (case-insensitive). The regex only runs near them:
    /// a match must overlap a keyword, or, for a rule with a `context`,
    /// lie within the context window of one. Context words that a rule
    /// requires make good keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Key names (whole words of a JSON key, form field, query parameter or
    /// `key=value` / `key: value` assignment) whose values this rule redacts.
    #[serde(default)]
    pub keys: Vec<String>,
    /// Key phrases that disqualify a key `keys` matched: with `keys =
    /// ["password"]` and `exclude_keys = ["url"]`, `password_reset_url` is
    /// not a password.
    #[serde(default)]
    pub exclude_keys: Vec<String>,
    /// A built-in structural finder instead of `regex` or `keys`, for
    /// formats a bounded regex cannot take whole: `pem-private-key`.
    pub finder: Option<String>,
    /// A character class (regex syntax, e.g. `[0-9A-Za-z_.-]`): the value
    /// must not directly follow such a character. The lookbehind the `regex`
    /// crate does not have, at no cost to the shared scan.
    pub not_preceded_by: Option<String>,
    /// A character class the value must not be directly followed by.
    pub not_followed_by: Option<String>,
    /// The name of a validator that must accept the matched value.
    pub validator: Option<String>,
    /// The lazy-DFA cache of this rule's `regex`, in KiB (default 1536).
    /// A long regex over varied text can need more states than the default
    /// holds: its cache is cleared and refilled on every text, which a
    /// larger one avoids, at that much more memory.
    pub dfa_cache_kib: Option<usize>,
    /// Minimum length in characters of a value found under `keys`.
    pub min_len: Option<usize>,
    pub context: Option<RawContext>,
    /// Values this rule never redacts (case-insensitive, exact).
    #[serde(default)]
    pub allow: Vec<String>,
    pub action: String,
    /// For `replace`: the label shown, e.g. `email` gives `[email]`.
    pub label: Option<String>,
    /// For `replace`: append a short keyed hash, `[email:3f9a1c]`.
    #[serde(default)]
    pub tag: bool,
    /// For `mask`: how many trailing letters or digits stay visible.
    pub keep_last: Option<usize>,
    /// For `mask`: keep the domain of an e-mail address.
    #[serde(default)]
    pub keep_domain: bool,
    #[serde(default)]
    pub examples: RawExamples,
}

/// Words near a match that must appear (`require`) or must not (`veto`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContext {
    #[serde(default)]
    pub require: Vec<String>,
    #[serde(default)]
    pub veto: Vec<String>,
    /// Bytes before and after the match that are searched for the words.
    pub window: Option<usize>,
    /// Search only the match's own line: the words of a mailbox
    /// (`Acme Support <…>`) are on its line, a signature above is not.
    #[serde(default)]
    pub same_line: bool,
}

/// Examples every rule carries; `veilgate patterns test` runs them all.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    /// Texts in which this rule must find something. Where the text contains
    /// `«` and `»`, exactly the part between them must be redacted.
    #[serde(default, rename = "match")]
    pub must_match: Vec<String>,
    /// Texts in which this rule must find nothing.
    #[serde(default, rename = "no_match")]
    pub must_not_match: Vec<String>,
}

impl RawPack {
    /// Parses one pack file's text.
    ///
    /// # Errors
    /// The TOML parser's message, which names the line and the key.
    pub fn parse(text: &str) -> Result<RawPack, toml::de::Error> {
        toml::from_str(text)
    }
}
