//! How far before its first keyword a rule's match can begin. A keyword
//! rule's window search starts that far before the keyword hit instead of a
//! whole match length before it: the `PRIVATE KEY` of a PEM block is 45
//! bytes from the start of its match, which runs on for 4 KB after it.

use regex_syntax::hir::literal::{ExtractKind, Extractor, Literal};
use regex_syntax::hir::{Hir, HirKind};

use super::rules::{MAX_MATCH_LEN, lowercased, max_line_breaks};

/// A bound on the text of a match before the first keyword it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lead {
    /// Bytes from the start of the match to the start of the keyword.
    pub bytes: usize,
    /// Line breaks in those bytes.
    pub line_breaks: usize,
}

impl Lead {
    fn then(self, after: Lead) -> Lead {
        Lead {
            bytes: self.bytes.saturating_add(after.bytes),
            line_breaks: self.line_breaks.saturating_add(after.line_breaks),
        }
    }

    /// The bound that holds for a match of either.
    fn looser(self, other: Lead) -> Lead {
        Lead {
            bytes: self.bytes.max(other.bytes),
            line_breaks: self.line_breaks.max(other.line_breaks),
        }
    }
}

/// True when every match of `hir` begins with one of `keywords` (spelt
/// as the keyword automaton spells them, matched ASCII case-insensitively
/// as it does): its prefixes, a known set, each start with a keyword.
/// Other letters (`é`, `É`) keep their classes and so their spellings.
pub fn starts_with_keyword(hir: &Hir, keywords: &[String]) -> bool {
    !keywords.is_empty()
        && known_prefixes(hir, |prefixes| {
            prefixes.iter().all(|prefix| {
                keywords.iter().any(|kw| {
                    let prefix = prefix.as_bytes();
                    prefix.len() >= kw.len()
                        && prefix[..kw.len()].eq_ignore_ascii_case(kw.as_bytes())
                })
            })
        }) == Some(true)
}

/// The lead of `hir`'s matches before the first of `keywords` (spelt and
/// matched as by the keyword automaton), or `None` when a match may hold
/// none of them.
pub fn keyword_lead(hir: &Hir, keywords: &[String]) -> Option<Lead> {
    if keywords.is_empty() {
        return None;
    }
    lead(hir, &[], keywords)
}

/// Parts are read as sets of strings only when no longer than this: the
/// keywords are short, and reading the long word lists of the name rules
/// would cost start-up time for nothing.
const SHORT_PART: usize = 64;

/// The lead of `hir`'s matches; `after` holds the parts that follow it in
/// the regex, nearest first, where a keyword begun in `hir` can end.
fn lead(hir: &Hir, after: &[&Hir], keywords: &[String]) -> Option<Lead> {
    match hir.kind() {
        HirKind::Capture(cap) => lead(&cap.sub, after, keywords),
        // What follows one repetition is another or what follows them all.
        HirKind::Repetition(rep) if rep.min >= 1 => lead(&rep.sub, &[], keywords),
        HirKind::Alternation(_) => part_lead(hir, after, keywords),
        HirKind::Concat(subs) => {
            // The first part that always holds a keyword, alone or with the
            // parts after it, bounds the lead by what comes before it plus
            // itself.
            let mut before = Lead::default();
            for (i, sub) in subs.iter().enumerate() {
                let rest: Vec<&Hir> = subs[i + 1..].iter().chain(after.iter().copied()).collect();
                if let Some(own) = part_lead(sub, &rest, keywords) {
                    return Some(before.then(own));
                }
                before = before.then(whole(sub));
            }
            None
        }
        HirKind::Literal(_) | HirKind::Class(_) => {
            let letters = letters(hir)?;
            keywords
                .iter()
                .any(|kw| holds(&letters, kw))
                .then(|| whole(hir))
        }
        _ => None,
    }
}

/// The lead of `part`, read alone or as the start of a run of short parts
/// that goes on into `rest`: a keyword can span parts (`gr` then
/// `(?:ü|ue)`, or each branch of `(?:hi|hey),?` and the space after it).
fn part_lead(part: &Hir, rest: &[&Hir], keywords: &[String]) -> Option<Lead> {
    match part.kind() {
        HirKind::Capture(cap) => part_lead(&cap.sub, rest, keywords),
        HirKind::Alternation(branches) => {
            branches
                .iter()
                .try_fold(None, |bound: Option<Lead>, branch| {
                    let own = part_lead(branch, rest, keywords)?;
                    Some(Some(bound.map_or(own, |b| b.looser(own))))
                })?
        }
        _ => lead(part, rest, keywords).or_else(|| run_lead(part, rest, keywords)),
    }
}

/// The lead of the shortest run of short parts, `first` and then those of
/// `rest`, whose strings all hold a keyword.
fn run_lead(first: &Hir, rest: &[&Hir], keywords: &[String]) -> Option<Lead> {
    if !may_begin_keyword(first, keywords) {
        return None;
    }
    let mut len = first.properties().maximum_len()?;
    let mut run = vec![first.clone()];
    for &next in rest {
        len += next.properties().maximum_len()?;
        if len > SHORT_PART || !is_short(next) {
            return None;
        }
        run.push(next.clone());
        let joined = Hir::concat(run.clone());
        if holds_keyword(&joined, keywords)? {
            return Some(whole(&joined));
        }
    }
    None
}

/// Whether a keyword can begin in short `part` and run on into what
/// follows it: an end of one of its strings begins a keyword.
fn may_begin_keyword(part: &Hir, keywords: &[String]) -> bool {
    let begins = |text: &[u8]| {
        (0..text.len()).any(|from| {
            let tail = &text[from..];
            keywords.iter().any(|kw| {
                kw.len() > tail.len() && kw.as_bytes()[..tail.len()].eq_ignore_ascii_case(tail)
            })
        })
    };
    if let Some(letters) = letters(part) {
        return begins(&letters);
    }
    if !is_short(part) {
        return false;
    }
    known_prefixes(part, |prefixes| {
        // A prefix that is not a whole string ends nowhere: what follows
        // it may complete a keyword.
        prefixes
            .iter()
            .any(|prefix| !prefix.is_exact() || begins(prefix.as_bytes()))
    }) == Some(true)
}

/// Whether `part` is short and small enough to be read as a set of
/// strings: a list of a hundred short words is short but not small.
fn is_short(part: &Hir) -> bool {
    fn nodes_within(hir: &Hir, budget: &mut usize) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        match hir.kind() {
            HirKind::Capture(cap) => nodes_within(&cap.sub, budget),
            HirKind::Repetition(rep) => nodes_within(&rep.sub, budget),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().all(|sub| nodes_within(sub, budget))
            }
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => true,
        }
    }
    part.properties()
        .maximum_len()
        .is_some_and(|len| len <= SHORT_PART)
        && nodes_within(part, &mut 64)
}

/// The text of a literal, or the letter of a class that holds just the
/// cases of one letter; `None` for any other part.
fn letters(part: &Hir) -> Option<Box<[u8]>> {
    match part.kind() {
        HirKind::Literal(lit) => Some(lit.0.clone()),
        HirKind::Class(_) => match lowercased(part).into_kind() {
            HirKind::Literal(lit) => Some(lit.0),
            _ => None,
        },
        _ => None,
    }
}

fn holds(text: &[u8], keyword: &str) -> bool {
    text.windows(keyword.len())
        .any(|w| w.eq_ignore_ascii_case(keyword.as_bytes()))
}

/// The whole of a match of `hir`: its longest length and line breaks.
fn whole(hir: &Hir) -> Lead {
    Lead {
        bytes: hir.properties().maximum_len().unwrap_or(MAX_MATCH_LEN),
        line_breaks: max_line_breaks(hir),
    }
}

/// Whether every string `hir` matches holds a keyword, when its strings
/// begin with a small, known set of prefixes; `None` when they do not.
fn holds_keyword(hir: &Hir, keywords: &[String]) -> Option<bool> {
    known_prefixes(hir, |prefixes| {
        prefixes
            .iter()
            .all(|prefix| keywords.iter().any(|kw| holds(prefix.as_bytes(), kw)))
    })
}

/// `judge` applied to the prefixes every match of `hir` begins with, when
/// they are a small, known, non-empty set; case-insensitive letters are
/// read as lowercase, which the keyword automaton's ASCII case folding
/// covers.
fn known_prefixes<T>(hir: &Hir, judge: impl FnOnce(&[Literal]) -> T) -> Option<T> {
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .extract(&lowercased(hir));
    seq.literals()
        .filter(|literals| !literals.is_empty())
        .map(judge)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead_of(pattern: &str, keywords: &[&str]) -> Option<Lead> {
        let hir = regex_syntax::parse(pattern).unwrap();
        let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
        keyword_lead(&hir, &keywords)
    }

    fn bytes(pattern: &str, keywords: &[&str]) -> Option<usize> {
        lead_of(pattern, keywords).map(|l| l.bytes)
    }

    #[test]
    fn a_keyword_at_the_start_leads_by_nothing_but_its_own_part() {
        // `(?i:s)` also matches the two-byte long s.
        assert_eq!(
            bytes(r"(?i:regards),\n[A-Z][a-z]{1,20}", &["regards"]),
            Some(8)
        );
    }

    #[test]
    fn what_comes_before_the_keyword_is_the_lead() {
        let lead = lead_of(
            r"(?m:^)[ \t]{0,4}(?:kind regards|cheers)\n{1,2}\w{1,9}",
            &["regards", "cheers"],
        );
        assert_eq!(
            lead,
            Some(Lead {
                bytes: 4 + 12,
                line_breaks: 0
            })
        );
        assert_eq!(
            lead_of(r"\n?[a-z]{1,3}(?P<value>name: \w{1,9})", &["name"]).map(|l| l.line_breaks),
            Some(1)
        );
    }

    #[test]
    fn a_branch_without_a_keyword_gives_no_lead() {
        // `grueße` holds none of the keywords: a match can begin anywhere
        // before the hit that woke the rule.
        assert_eq!(
            bytes(
                r"[a-z]{0,9} gr(?:ü|ue)(?:ß|ss)e",
                &["grüße", "grüsse", "gruesse"]
            ),
            None
        );
        assert!(
            bytes(
                r"[a-z]{0,9} gr(?:ü|ue)(?:ß|ss)e",
                &["grüße", "grüsse", "grue"]
            )
            .is_some()
        );
        assert_eq!(bytes(r"(?:pass)?word", &["pass"]), None);
        assert_eq!(bytes(r"[a-z]{1,5}", &["pass"]), None);
    }

    #[test]
    fn a_keyword_can_span_each_branch_and_the_parts_after_it() {
        let greeting = r"(?-u:\b)(?:(?i:hi|hey)|hello),?[ \t]{1,3}[A-Z][a-z]{1,20}";
        // `hey`, a comma and three spaces.
        assert_eq!(
            bytes(greeting, &["hi ", "hi,", "hi\t", "hey", "hello"]),
            Some(7)
        );
        // `Hi,\tJan` holds none of these.
        assert_eq!(bytes(greeting, &["hi ", "hi\t", "hey", "hello"]), None);
    }

    #[test]
    fn a_keyword_can_end_past_the_group_it_begins_in() {
        // `weg` ends the street word inside its group; the space after it
        // comes after the group.
        let street = r"(?:[A-Z][a-z]{0,9}(?:straat|weg)|Laan)[ \t]{1,2}[1-9][0-9]{0,3}";
        assert_eq!(
            bytes(street, &["straat", "weg ", "weg\t", "laan"]),
            Some(10 + 6)
        );
        assert_eq!(bytes(street, &["straat", "weg ", "laan"]), None);
    }

    #[test]
    fn a_keyword_inside_a_repeated_or_captured_part_counts() {
        assert_eq!(
            bytes(r"x{0,3}(?P<v>(?:ab|key){1,2})", &["ab", "key"]),
            Some(3 + 3)
        );
    }

    #[test]
    fn a_keyword_that_needs_a_neighbour_part_is_not_assumed() {
        // `hi ` spans the literal and the class after it: not proven, so
        // no lead (a sound answer, only a slower search).
        assert_eq!(bytes(r"[a-z]{0,4}hi[ \t]x", &["hi "]), None);
        assert_eq!(bytes(r"[a-z]{0,4}hi x", &["hi "]), Some(4 + 4));
    }
}
