//! A rule's regular expression, compiled when a search first needs it.
//!
//! The default rules' automata take about 15 MB compiled (forward and
//! reverse NFAs, a third of `scan`'s 64 MB budget), yet a file wakes only
//! the rules whose keywords or shapes it holds: a rule never woken costs
//! its pattern text. A pack is still compiled whole when it is loaded, so
//! that a pattern that does not compile is reported there, naming the rule;
//! each compiled regex is dropped again at once.

use std::sync::OnceLock;

use regex_automata::PatternID;
use regex_automata::meta::Regex;
use regex_syntax::hir::Hir;

use super::factor::factor_alternations;

/// A rule regex's lazy-DFA cache unless its rule asks for another size.
/// 1.5 MiB instead of regex-automata's 2 MiB keeps `scan` of 1 GiB under
/// 64 MiB for under 1% more instructions.
pub const DEFAULT_DFA_CACHE: usize = 3 << 19;

#[derive(Debug, Clone)]
pub struct RuleRegex {
    pattern: Box<str>,
    dfa_cache: usize,
    compiled: OnceLock<Regex>,
}

impl RuleRegex {
    /// Checks that `pattern`, parsed as `hir` by [`parse`], compiles with a
    /// lazy-DFA cache of `dfa_cache` bytes, and returns it uncompiled with
    /// the index of its `value` group, if any.
    ///
    /// # Errors
    /// When the regex does not compile (for instance because its automaton
    /// exceeds the size limit).
    pub fn new(
        pattern: &str,
        hir: &Hir,
        dfa_cache: usize,
    ) -> Result<(RuleRegex, Option<usize>), String> {
        let regex = build(hir, dfa_cache)?;
        let value_group = regex.group_info().to_index(PatternID::ZERO, "value");
        let lazy = RuleRegex {
            pattern: pattern.into(),
            dfa_cache,
            compiled: OnceLock::new(),
        };
        Ok((lazy, value_group))
    }

    /// The compiled regex, compiling it on first use.
    pub fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            // The same text compiled when the pack was loaded (`new`), by the
            // same two pure functions: it cannot fail now.
            parse(&self.pattern)
                .and_then(|hir| build(&hir, self.dfa_cache))
                .expect("a rule regex compiled when its pack was loaded")
        })
    }

    /// True once a search has needed the compiled regex.
    pub fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }
}

/// Parses a rule's pattern as the rule loader and [`RuleRegex::get`] do.
///
/// # Errors
/// When the pattern is not a valid regex.
pub fn parse(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| format!("invalid regex: {e}"))
}

fn build(hir: &Hir, dfa_cache: usize) -> Result<Regex, String> {
    // The match search runs on the DFA, where alternation order costs
    // nothing; the capture search backtracks through it branch by branch.
    // Captures come from the short span of a match the DFA found: the
    // bounded backtracker reads them there as fast as a one-pass DFA
    // would, and the one-pass DFAs (up to 1 MB a rule) took 1.2 MB.
    Regex::builder()
        .configure(
            Regex::config()
                .onepass(false)
                .hybrid_cache_capacity(dfa_cache),
        )
        .build_from_hir(&factor_alternations(hir))
        .map_err(|e| format!("regex does not compile: {e}"))
}
