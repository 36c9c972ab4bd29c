//! The keyword automaton: every spelling of every rule keyword, found
//! overlapping, ASCII case-insensitive.
//!
//! Spellings with the Kelvin sign or the long s (`Key`, `paſsword`, which
//! `(?i)` regexes match) are more than half of all spellings and of a full
//! DFA's memory (1.8 of 3.2 MB), yet text hardly ever holds those
//! characters. They get a small automaton of their own, run only over text
//! that holds one.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use super::spelling::{KELVIN_SIGN, LONG_S};

/// Characters that keyword spellings hold and real text hardly ever does.
const RARE: [char; 2] = [KELVIN_SIGN, LONG_S];

#[derive(Debug, Default)]
pub struct KeywordAutomaton {
    /// The spellings without a rare character, and each one's index among
    /// all keywords.
    common: Option<(AhoCorasick, Vec<usize>)>,
    /// The spellings with one.
    rare: Option<(AhoCorasick, Vec<usize>)>,
    /// The longest spelling, in bytes: how far past a range a hit that
    /// starts in it can run.
    longest: usize,
}

impl KeywordAutomaton {
    /// # Errors
    /// When an automaton does not build (it exceeds the crate's limits).
    pub fn new(words: &[String]) -> Result<KeywordAutomaton, String> {
        let (rare, common): (Vec<usize>, Vec<usize>) =
            (0..words.len()).partition(|&i| words[i].contains(RARE));
        let build = |ids: Vec<usize>, kind: AhoCorasickKind| {
            if ids.is_empty() {
                return Ok(None);
            }
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(kind))
                .build(ids.iter().map(|&i| &words[i]))
                .map(|automaton| Some((automaton, ids)))
                .map_err(|e| format!("keyword automaton does not compile: {e}"))
        };
        Ok(KeywordAutomaton {
            longest: words.iter().map(String::len).max().unwrap_or(0),
            // Overlapping search cannot use the packed prefilter and keyword
            // hits are frequent: a full DFA is the fastest automaton for it.
            common: build(common, AhoCorasickKind::DFA)?,
            rare: build(rare, AhoCorasickKind::ContiguousNFA)?,
        })
    }

    /// Calls `visit(keyword, start, end)` for every keyword hit that starts
    /// in `range` (it may end past it), in the order of their ends.
    pub fn each_hit(
        &self,
        text: &str,
        range: Range<usize>,
        mut visit: impl FnMut(usize, usize, usize),
    ) {
        let starts = range.clone();
        let range = range.start..text.len().min(range.end.saturating_add(self.longest));
        let hits = |automaton| {
            hits(automaton, text, range.clone()).filter(|&(_, start, _)| starts.contains(&start))
        };
        let holds_rare = || {
            let searched = &text.as_bytes()[range.clone()];
            // Both are non-ASCII: most texts are ruled out by one quick pass.
            !searched.is_ascii()
                && RARE.iter().any(|c| {
                    let mut utf8 = [0; 4];
                    memchr::memmem::find(searched, c.encode_utf8(&mut utf8).as_bytes()).is_some()
                })
        };
        match (&self.common, &self.rare) {
            (common, Some(rare)) if holds_rare() => {
                let mut all: Vec<(usize, usize, usize)> =
                    common.iter().flat_map(hits).chain(hits(rare)).collect();
                all.sort_by_key(|&(end, start, _)| (end, std::cmp::Reverse(start)));
                for (end, start, keyword) in all {
                    visit(keyword, start, end);
                }
            }
            (Some(common), _) => {
                for (end, start, keyword) in hits(common) {
                    visit(keyword, start, end);
                }
            }
            (None, _) => {}
        }
    }
}

/// The hits of one automaton as (end, start, keyword).
fn hits<'a>(
    (automaton, ids): &'a (AhoCorasick, Vec<usize>),
    text: &'a str,
    range: Range<usize>,
) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
    automaton
        .find_overlapping_iter(aho_corasick::Input::new(text).range(range))
        .map(|hit| (hit.end(), hit.start(), ids[hit.pattern().as_usize()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(words: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let automaton = KeywordAutomaton::new(&words).expect("builds");
        let mut out = Vec::new();
        automaton.each_hit(text, 0..text.len(), |k, start, end| {
            out.push((k, start, end))
        });
        out
    }

    #[test]
    fn rare_spellings_are_found_where_the_text_holds_them() {
        let words = ["password", "paſsword", "key", "\u{212A}ey"];
        assert_eq!(hits(&words, "PASSWORD key"), vec![(0, 0, 8), (2, 9, 12)]);
        // `ſ` is two bytes, the Kelvin sign three: hits in order of their
        // ends, the common and the rare automaton's interleaved.
        assert_eq!(
            hits(&words, "\u{212A}ey paſsword key"),
            vec![(3, 0, 5), (1, 6, 15), (2, 16, 19)]
        );
        assert_eq!(hits(&["\u{212A}ey"], "key"), vec![]);
        assert_eq!(hits(&[], "key"), vec![]);
    }
}
