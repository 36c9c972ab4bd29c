//! A rule's context words, compiled: do the words around a value require it
//! or veto it? One automaton pass over the words near a value instead of a
//! substring search per context word (the IPv4 rule alone has thirteen veto
//! words and runs on every address in an access log).

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use super::keys;
use super::rules::Context;

/// The require and veto words of one rule.
#[derive(Debug)]
pub struct ContextWords {
    /// Every word as written (lowercase): searched in the text near a value.
    as_written: Words,
    /// Every word cut as key names are cut (`date_of_birth` reads `date of
    /// birth`): searched in the key a value is assigned to.
    as_key: Words,
    /// Whether the rule requires a word at all.
    requires: bool,
}

#[derive(Debug)]
struct Words {
    automaton: Option<AhoCorasick>,
    /// Per pattern of `automaton`: a veto word (else a required one).
    veto: Vec<bool>,
    /// A word that is empty in this form: it occurs in every text.
    empty_required: bool,
    empty_veto: bool,
}

impl ContextWords {
    /// # Errors
    /// When the words do not fit in an automaton (not with any real pack).
    pub fn new(context: &Context) -> Result<ContextWords, String> {
        let tagged = || {
            let required = context.require.iter().map(|w| (w.as_str(), false));
            required.chain(context.veto.iter().map(|w| (w.as_str(), true)))
        };
        Ok(ContextWords {
            as_written: Words::new(tagged().map(|(w, veto)| (w.to_string(), veto)))?,
            as_key: Words::new(tagged().map(|(w, veto)| (keys::split_words(w).join(" "), veto)))?,
            requires: !context.require.is_empty(),
        })
    }

    /// True when `near` (lowercase words around a value, separated by
    /// spaces) holds a required word, if any is required, and no veto word.
    pub fn allow(&self, near: &str) -> bool {
        self.as_written.allow(near, self.requires)
    }

    /// The same judgement on a key's words (`keys::split_words`, joined by
    /// spaces), with the words cut the same way.
    pub fn allow_key(&self, key_words: &str) -> bool {
        self.as_key.allow(key_words, self.requires)
    }
}

impl Words {
    fn new(words: impl Iterator<Item = (String, bool)>) -> Result<Words, String> {
        let (mut patterns, mut veto) = (Vec::new(), Vec::new());
        let (mut empty_required, mut empty_veto) = (false, false);
        for (word, is_veto) in words {
            if word.is_empty() {
                *(if is_veto {
                    &mut empty_veto
                } else {
                    &mut empty_required
                }) = true;
                continue;
            }
            patterns.push(word);
            veto.push(is_veto);
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                // A handful of words each: the compact automaton is as
                // fast here, and 115 rules' DFAs cost megabytes.
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&patterns)
                    .map_err(|e| format!("context words do not compile: {e}"))?,
            )
        };
        Ok(Words {
            automaton,
            veto,
            empty_required,
            empty_veto,
        })
    }

    fn allow(&self, haystack: &str, requires: bool) -> bool {
        if self.empty_veto {
            return false;
        }
        let mut required = !requires || self.empty_required;
        let Some(automaton) = &self.automaton else {
            return required;
        };
        for m in automaton.find_overlapping_iter(haystack) {
            if !is_whole_word(haystack, m.start(), m.end()) {
                continue;
            }
            if self.veto[m.pattern().as_usize()] {
                return false;
            }
            required = true;
        }
        required
    }
}

/// True when `haystack[start..end]` is not inside a longer word. A word
/// that itself begins or ends in punctuation (`tel.`) needs no boundary
/// on that side.
fn is_whole_word(haystack: &str, start: usize, end: usize) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let word = &haystack[start..end];
    (!is_word(haystack[..start].chars().next_back()) || !word.starts_with(char::is_alphanumeric))
        && (!is_word(haystack[end..].chars().next()) || !word.ends_with(char::is_alphanumeric))
}

/// Appends `text` lowercased to `out`, without a new string when it is
/// ASCII (nearly always: the text around a value in a log).
pub fn push_lowercase(out: &mut String, text: &str) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&text.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(require: &[&str], veto: &[&str]) -> ContextWords {
        let list = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
        ContextWords::new(&Context {
            require: list(require),
            veto: list(veto),
            window: 16,
            same_line: false,
        })
        .expect("compiles")
    }

    #[test]
    fn words_count_only_whole() {
        let c = words(&["tel", "tel."], &["version"]);
        assert!(c.allow("call me on tel "));
        assert!(c.allow("tel.: "));
        assert!(!c.allow("hotel lobby"), "`tel` inside a word");
        assert!(!c.allow("tel version 2"), "a veto word wins");
        assert!(c.allow("tel versions"), "`version` inside a word");
        assert!(!c.allow(""));
        let iban = words(&["iban"], &[]);
        assert!(iban.allow("my iban: "));
        assert!(!iban.allow("ibanez guitar"));
    }

    #[test]
    fn overlapping_words_are_all_seen() {
        // `ver` is a prefix of `version`; the automaton must still report
        // `version` whole even though `ver` matched first.
        let c = words(&[], &["ver", "version"]);
        assert!(!c.allow("build version 3"));
        assert!(c.allow("build versions 3"));
    }

    #[test]
    fn keys_are_judged_with_the_words_cut_as_keys_are() {
        let c = words(&["date_of_birth"], &[]);
        assert!(c.allow_key("date of birth"));
        assert!(!c.allow("date of birth"), "as written it has underscores");
    }

    #[test]
    fn lowercasing_keeps_non_ascii_letters() {
        let mut out = String::new();
        push_lowercase(&mut out, "GEBOREN ");
        push_lowercase(&mut out, "NÉ LE");
        assert_eq!(out, "geboren né le");
    }
}
