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
    /// The lead of a keyword that begins at `at` in `text`.
    fn of_text_before(text: &[u8], at: usize) -> Lead {
        Lead {
            bytes: at,
            line_breaks: text[..at].iter().filter(|&&b| b == b'\n').count(),
        }
    }

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
    lead(hir, &[], &Keywords::new(keywords))
}

/// Parts are read as sets of strings only when no longer than this: the
/// keywords are short, and reading the long word lists of the name rules
/// would cost start-up time for nothing.
const SHORT_PART: usize = 64;

/// The lead of `hir`'s matches; `after` holds the parts that follow it in
/// the regex, nearest first, where a keyword begun in `hir` can end.
fn lead(hir: &Hir, after: &[&Hir], keywords: &Keywords) -> Option<Lead> {
    match hir.kind() {
        HirKind::Capture(cap) => lead(&cap.sub, after, keywords),
        // What follows one repetition is another or what follows them all.
        HirKind::Repetition(rep) if rep.min >= 1 => lead(&rep.sub, &[], keywords),
        HirKind::Alternation(_) => part_lead(hir, after, keywords),
        HirKind::Concat(subs) => sequence_lead(subs, after, keywords),
        HirKind::Literal(_) | HirKind::Class(_) => {
            let letters = letters(hir)?;
            let at = (0..letters.len()).find(|&at| {
                keywords.words.iter().any(|kw| {
                    letters[at..].len() >= kw.len() && holds(&letters[at..at + kw.len()], kw)
                })
            })?;
            Some(Lead::of_text_before(&letters, at))
        }
        _ => None,
    }
}

/// The lead of the parts `subs` in a row, followed by `after`. The first
/// part that always holds a keyword, alone or with the parts after it,
/// bounds the lead by what comes before it plus itself. An optional part
/// that holds one whenever it is there (the first of two closings in
/// `(?:Kind regards,\n)?Thanks,\n`) bounds it too, together with the lead
/// of the parts after it, which a match without it begins with.
fn sequence_lead(subs: &[Hir], after: &[&Hir], keywords: &Keywords) -> Option<Lead> {
    let mut before = Lead::default();
    for (i, sub) in subs.iter().enumerate() {
        let rest: Vec<&Hir> = subs[i + 1..].iter().chain(after.iter().copied()).collect();
        if let Some(own) = part_lead(sub, &rest, keywords) {
            return Some(before.then(own));
        }
        if let Some(own) = optional_lead(sub, &rest, keywords) {
            let without = sequence_lead(&subs[i + 1..], after, keywords)?;
            return Some(before.then(own.looser(without)));
        }
        before = before.then(whole(sub));
    }
    None
}

/// The lead of an optional part (`x?`, `x{0,3}`) when it is there: that of
/// its first repetition, which an `x?` follows with `rest`.
fn optional_lead(part: &Hir, rest: &[&Hir], keywords: &Keywords) -> Option<Lead> {
    match part.kind() {
        HirKind::Repetition(rep) if rep.min == 0 && rep.max != Some(0) => {
            let rest = if rep.max == Some(1) { rest } else { &[] };
            part_lead(&rep.sub, rest, keywords)
        }
        _ => None,
    }
}

/// The lead of `part`, read alone or as the start of a run of short parts
/// that goes on into `rest`: a keyword can span parts (`gr` then
/// `(?:ü|ue)`, or each branch of `(?:hi|hey),?` and the space after it).
fn part_lead(part: &Hir, rest: &[&Hir], keywords: &Keywords) -> Option<Lead> {
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

/// The lead of the run of parts that begins with `first` and goes on into
/// `rest`, when every string of it holds a keyword within its first
/// [`SHORT_PART`] bytes. Each string is followed only as far as its first
/// keyword, so what comes after that costs nothing to read: `tak` followed
/// by a space, a comma or a line break is a keyword in each case, and the
/// 30-character phrase the space may begin is never spelt out.
fn run_lead(first: &Hir, rest: &[&Hir], keywords: &Keywords) -> Option<Lead> {
    if !may_begin_keyword(first, keywords) {
        return None;
    }
    let mut walk = Walk::new(keywords);
    let pending: Vec<Pending> = std::iter::once(first)
        .chain(rest.iter().copied())
        .rev()
        .map(Pending::Whole)
        .collect();
    walk.every_string_holds_one(&mut Vec::new(), pending)
        .then_some(walk.lead)
}

/// How many steps the walk of a run may take before it gives up: a few
/// thousand strings of a few dozen bytes are read in well under a
/// millisecond.
const WALK_STEPS: usize = 2_000;

/// How deep the walk of a run may recurse (a few steps per byte).
const MAX_WALK_DEPTH: usize = 1_000;

/// A class is spelt out character by character only when this small
/// (counting one character for all that are in no keyword).
const SPELT_CLASS: usize = 24;

/// What remains to be read of a run, innermost first (a stack).
#[derive(Clone, Copy)]
enum Pending<'h> {
    Whole(&'h Hir),
    /// A repetition part-way through: `min` more at least, `max` at most.
    Repeat {
        sub: &'h Hir,
        min: u32,
        max: Option<u32>,
    },
}

/// A rule's keywords, as the analyses read them.
struct Keywords<'k> {
    words: &'k [String],
    /// The keywords by their last byte, lowercased.
    by_last_byte: [Vec<&'k [u8]>; 256],
    /// Every character of a keyword, in both cases: the others are alike
    /// to the keyword search but for their length.
    alphabet: Vec<char>,
}

impl<'k> Keywords<'k> {
    fn new(words: &'k [String]) -> Keywords<'k> {
        let mut by_last_byte: [Vec<&[u8]>; 256] = std::array::from_fn(|_| Vec::new());
        let mut alphabet = Vec::new();
        for keyword in words {
            if let Some(&last) = keyword.as_bytes().last() {
                by_last_byte[usize::from(last.to_ascii_lowercase())].push(keyword.as_bytes());
            }
            for c in keyword.chars() {
                alphabet.extend([c, c.to_ascii_lowercase(), c.to_ascii_uppercase()]);
            }
        }
        alphabet.sort_unstable();
        alphabet.dedup();
        Keywords {
            words,
            by_last_byte,
            alphabet,
        }
    }
}

/// The strings of a run, followed byte by byte.
struct Walk<'a, 'k> {
    keywords: &'a Keywords<'k>,
    steps_left: usize,
    depth: usize,
    /// The furthest any string's first keyword begins.
    lead: Lead,
}

impl<'a, 'k> Walk<'a, 'k> {
    fn new(keywords: &'a Keywords<'k>) -> Walk<'a, 'k> {
        Walk {
            keywords,
            steps_left: WALK_STEPS,
            depth: 0,
            lead: Lead::default(),
        }
    }

    /// Whether every string that goes on from `text` through `pending`
    /// holds a keyword; false too when that is not known.
    fn every_string_holds_one(&mut self, text: &mut Vec<u8>, pending: Vec<Pending>) -> bool {
        // Parts that match nothing but the empty string add steps without
        // bytes: the depth of the walk is bounded apart from its length.
        if self.depth == MAX_WALK_DEPTH {
            return false;
        }
        self.depth += 1;
        let holds = self.step(text, pending);
        self.depth -= 1;
        holds
    }

    fn step(&mut self, text: &mut Vec<u8>, mut pending: Vec<Pending>) -> bool {
        if text.len() > SHORT_PART || self.steps_left == 0 {
            return false;
        }
        self.steps_left -= 1;
        let Some(next) = pending.pop() else {
            // The run ends here without a keyword.
            return false;
        };
        let hir = match next {
            Pending::Whole(hir) => hir,
            Pending::Repeat { sub, min, max } => {
                if max == Some(0) {
                    return self.every_string_holds_one(text, pending);
                }
                // Once more, then what is left of the repetition.
                let mut once = pending.clone();
                once.push(Pending::Repeat {
                    sub,
                    min: min.saturating_sub(1),
                    max: max.map(|m| m - 1),
                });
                once.push(Pending::Whole(sub));
                return self.every_string_holds_one(text, once)
                    && (min > 0 || self.every_string_holds_one(text, pending));
            }
        };
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => self.every_string_holds_one(text, pending),
            HirKind::Capture(cap) => {
                pending.push(Pending::Whole(&cap.sub));
                self.every_string_holds_one(text, pending)
            }
            HirKind::Concat(subs) => {
                pending.extend(subs.iter().rev().map(Pending::Whole));
                self.every_string_holds_one(text, pending)
            }
            HirKind::Alternation(branches) => branches.iter().all(|branch| {
                let mut pending = pending.clone();
                pending.push(Pending::Whole(branch));
                self.every_string_holds_one(text, pending)
            }),
            HirKind::Repetition(rep) => {
                pending.push(Pending::Repeat {
                    sub: &rep.sub,
                    min: rep.min,
                    max: rep.max,
                });
                self.every_string_holds_one(text, pending)
            }
            HirKind::Literal(lit) => self.with(text, &lit.0, pending),
            // A class of one letter's cases is read as that letter, which
            // the keyword automaton's ASCII case folding covers.
            HirKind::Class(class) => match lowercased(hir).into_kind() {
                HirKind::Literal(lit) => self.with(text, &lit.0, pending),
                _ => match self.spelt_out(class) {
                    Some(spellings) => spellings
                        .iter()
                        .all(|spelling| self.with(text, spelling, pending.clone())),
                    None => false,
                },
            },
        }
    }

    /// The walk on from `text` followed by `bytes`: done where a keyword
    /// ends in them (none ended before, or the walk would have stopped).
    fn with(&mut self, text: &mut Vec<u8>, bytes: &[u8], pending: Vec<Pending>) -> bool {
        let len = text.len();
        text.extend_from_slice(bytes);
        let holds = match self.keyword_ending_after(text, len) {
            Some(at) => {
                self.lead = self.lead.looser(Lead::of_text_before(text, at));
                true
            }
            None => self.every_string_holds_one(text, pending),
        };
        text.truncate(len);
        holds
    }

    /// Where the first keyword that ends past `old_len` in `text` begins.
    fn keyword_ending_after(&self, text: &[u8], old_len: usize) -> Option<usize> {
        (old_len + 1..=text.len())
            .flat_map(|end| {
                self.keywords.by_last_byte[usize::from(text[end - 1].to_ascii_lowercase())]
                    .iter()
                    .filter_map(move |kw| {
                        let at = end.checked_sub(kw.len())?;
                        text[at..end].eq_ignore_ascii_case(kw).then_some(at)
                    })
            })
            .min()
    }

    /// What the walk reads for a class: each of its characters that is in
    /// a keyword, and one of the others for each length in UTF-8 (a
    /// keyword's match begins and ends with whole characters, so the
    /// others only count by their length). `None` for a class of many
    /// keyword characters, or of bytes outside ASCII.
    fn spelt_out(&self, class: &regex_syntax::hir::Class) -> Option<Vec<Vec<u8>>> {
        use regex_syntax::hir::Class;
        let ranges: Vec<(char, char)> = match class {
            Class::Unicode(c) => c.iter().map(|r| (r.start(), r.end())).collect(),
            Class::Bytes(c) => c
                .iter()
                .map(|r| (char::from(r.start()), char::from(r.end())))
                .collect(),
        };
        if matches!(class, Class::Bytes(_)) && ranges.iter().any(|&(_, end)| !end.is_ascii()) {
            return None;
        }
        let in_alphabet = |c: char| self.keywords.alphabet.binary_search(&c).is_ok();
        let mut spelt: Vec<Vec<u8>> = Vec::new();
        let mut other_of_length = [false; 5];
        for &(start, end) in &ranges {
            spelt.extend(
                self.keywords
                    .alphabet
                    .iter()
                    .filter(|&&c| (start..=end).contains(&c))
                    .map(|c| c.to_string().into_bytes()),
            );
            // Skipping the keyword characters in the range, at most as
            // many as there are, reaches another of each length if any.
            for (lo, hi) in [
                (0, 0x7F),
                (0x80, 0x7FF),
                (0x800, 0xFFFF),
                (0x1_0000, 0x10_FFFF),
            ] {
                let from = u32::from(start).max(lo);
                let to = u32::from(end).min(hi);
                if from > to {
                    continue;
                }
                if let Some(other) = (from..=to)
                    .take(self.keywords.alphabet.len() + 1)
                    .filter_map(char::from_u32)
                    .find(|&c| !in_alphabet(c))
                    && !std::mem::replace(&mut other_of_length[other.len_utf8()], true)
                {
                    spelt.push(other.to_string().into_bytes());
                }
            }
        }
        (spelt.len() <= SPELT_CLASS).then_some(spelt)
    }
}

/// Whether a keyword can begin in short `part` and run on into what
/// follows it: an end of one of its strings begins a keyword.
fn may_begin_keyword(part: &Hir, keywords: &Keywords) -> bool {
    let begins = |text: &[u8]| {
        (0..text.len()).any(|from| {
            let tail = &text[from..];
            keywords.words.iter().any(|kw| {
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
    fn a_keyword_at_the_start_leads_by_nothing() {
        assert_eq!(
            bytes(r"(?i:regards),\n[A-Z][a-z]{1,20}", &["regards"]),
            Some(0)
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
                bytes: 4 + "kind ".len(),
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
        // Each keyword begins the match.
        assert_eq!(
            bytes(greeting, &["hi ", "hi,", "hi\t", "hey", "hello"]),
            Some(0)
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
            Some(10)
        );
        assert_eq!(bytes(street, &["straat", "weg ", "laan"]), None);
    }

    #[test]
    fn a_keyword_inside_a_repeated_or_captured_part_counts() {
        assert_eq!(
            bytes(r"x{0,3}(?P<v>(?:ab|key){1,2})", &["ab", "key"]),
            Some(3)
        );
    }

    #[test]
    fn a_keyword_that_needs_a_neighbour_part_is_not_assumed() {
        // `hi ` spans the literal and the class after it: not proven, so
        // no lead (a sound answer, only a slower search).
        assert_eq!(bytes(r"[a-z]{0,4}hi[ \t]x", &["hi "]), None);
        assert_eq!(bytes(r"[a-z]{0,4}hi x", &["hi "]), Some(4));
    }

    #[test]
    fn an_optional_part_that_holds_a_keyword_bounds_the_lead_with_what_follows() {
        // With the first closing, its `regards` leads by 5; without it,
        // `thanks` begins the match. Neither lies past the line break.
        assert_eq!(
            lead_of(
                r"(?:kind regards,\n)?thanks,\n[A-Z][a-z]{1,9}",
                &["regards", "thank"]
            ),
            Some(Lead {
                bytes: 5,
                line_breaks: 0
            })
        );
        // An optional part without a keyword only adds its length.
        assert_eq!(bytes(r"(?:dear )?thanks", &["thank"]), Some(5));
        assert_eq!(bytes(r"(?:kind )?thanks|welcome", &["thank"]), None);
    }

    #[test]
    fn a_run_is_read_only_as_far_as_its_first_keyword() {
        // After `tak` comes a space or tab that may open a 30-character
        // phrase, or the comma or line break that ends the closing: every
        // way on spells a keyword at once, so the phrase is never read.
        let closing = r"x{0,2}tak(?:[ \t][^\r\n,.!]{1,30}[.!,])?[ \t]{0,3}(?:,|\n)";
        assert_eq!(bytes(closing, &["tak ", "tak\t", "tak,", "tak\n"]), Some(2));
        // `tak.` after the phrase's own `.` is not a keyword spelling.
        assert_eq!(bytes(closing, &["tak ", "tak,", "tak\n"]), None);
        // Characters in no keyword are read as one: ten digits cost one.
        assert_eq!(
            bytes(r"[0-9]{6}(?:[0-9]|x){0,6}no[ \t]", &["no ", "no\t"]),
            Some(12)
        );
    }
}
