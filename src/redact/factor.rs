//! Prefix factoring of alternations, for the regexes that extract `value`
//! groups.
//!
//! The capture engine (a backtracker) tries the alternatives of an
//! alternation one after the other. The name rules hold lists of hundreds of
//! words (`(?i:team|teams|all|…)`), so every capture search walked hundreds
//! of dead branches at each place a list can start. Grouping the words by
//! their first letter into a trie (`t(?:eam(?:|s)|…)|a(?:ll…)`) lets it
//! reject a list after a few branches.
//!
//! The rewrite keeps what a leftmost-first search reports, captures
//! included: alternatives keep their order, except that one may move ahead
//! of others whose first character can never be its own (two such
//! alternatives never both match at one place, so their order decides
//! nothing). `Hir::alternation` lifts any prefix its branches share out of
//! them, which is unsound for leftmost-first when the prefix holds a
//! repetition or an alternation (rust-lang/regex#1360): where grouping
//! would hand it such branches, the alternation is left as it was.

use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
use regex_syntax::hir::{Hir, HirKind, Literal};

use super::rules::with_children_mapped;

/// `hir` with the alternatives of each alternation grouped under their
/// shared first character, recursively.
pub fn factor_alternations(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Alternation(subs) => {
            grouped(subs.iter().map(factor_alternations).collect()).unwrap_or_else(|| hir.clone())
        }
        _ => with_children_mapped(hir, factor_alternations),
    }
}

/// Alternatives that begin with the same one-character expression.
struct Group {
    /// `None` for an alternative whose first character is not known: no
    /// other alternative moves past it.
    head: Option<Hir>,
    first: Option<Class>,
    /// Each member whole, and what follows its head.
    members: Vec<(Hir, Hir)>,
}

/// The alternation of `alternatives` with shared heads grouped, or `None`
/// where building it would lift a prefix unsoundly.
fn grouped(alternatives: Vec<Hir>) -> Option<Hir> {
    let mut groups: Vec<Group> = Vec::new();
    for alternative in alternatives {
        let Some((head, rest)) = split_head(&alternative) else {
            groups.push(Group {
                head: None,
                first: None,
                members: vec![(alternative, Hir::empty())],
            });
            continue;
        };
        let first = first_chars(&head);
        let mut home = None;
        for (i, group) in groups.iter().enumerate().rev() {
            if group.head.as_ref() == Some(&head) {
                home = Some(i);
                break;
            }
            // Moving past a group is safe only if no string can start
            // both with its first character and with ours.
            if !matches!((&group.first, &first), (Some(a), Some(b)) if disjoint(a, b)) {
                break;
            }
        }
        match home {
            Some(i) => groups[i].members.push((alternative, rest)),
            None => groups.push(Group {
                head: Some(head),
                first,
                members: vec![(alternative, rest)],
            }),
        }
    }
    let mut branches = Vec::with_capacity(groups.len());
    for mut group in groups {
        branches.push(match (group.head.take(), group.members.len()) {
            (Some(head), 2..) => Hir::concat(vec![
                head,
                grouped(group.members.into_iter().map(|(_, rest)| rest).collect())?,
            ]),
            // One member: the alternative itself.
            _ => group.members.swap_remove(0).0,
        });
    }
    (!lifts_unsoundly(&branches)).then(|| Hir::alternation(branches))
}

/// True when `Hir::alternation(branches)` would lift a shared prefix that
/// holds more than single characters and look-around assertions.
fn lifts_unsoundly(branches: &[Hir]) -> bool {
    let concats: Option<Vec<&[Hir]>> = branches
        .iter()
        .map(|b| match b.kind() {
            HirKind::Concat(parts) => Some(parts.as_slice()),
            _ => None,
        })
        .collect();
    let Some((first, others)) = concats.as_deref().and_then(<[_]>::split_first) else {
        return false;
    };
    if others.is_empty() {
        return false;
    }
    let shared = others.iter().fold(first.len(), |len, parts| {
        first[..len]
            .iter()
            .zip(parts.iter())
            .take_while(|(a, b)| a == b)
            .count()
    });
    first[..shared].iter().any(|part| {
        !matches!(
            part.kind(),
            HirKind::Class(_) | HirKind::Literal(_) | HirKind::Look(_)
        )
    })
}

/// The first element of `hir` when it is one character (a class, or the
/// first character of a literal), and everything after it.
fn split_head(hir: &Hir) -> Option<(Hir, Hir)> {
    match hir.kind() {
        HirKind::Concat(subs) => {
            let (head, rest) = split_head(subs.first()?)?;
            let mut tail = vec![rest];
            tail.extend(subs[1..].iter().cloned());
            Some((head, Hir::concat(tail)))
        }
        HirKind::Literal(Literal(bytes)) => {
            let len = std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| s.chars().next())
                .map_or(1, char::len_utf8);
            Some((
                Hir::literal(bytes[..len].to_vec()),
                Hir::literal(bytes[len..].to_vec()),
            ))
        }
        HirKind::Class(_) => Some((hir.clone(), Hir::empty())),
        _ => None,
    }
}

/// The characters a one-character head can match.
fn first_chars(head: &Hir) -> Option<Class> {
    match head.kind() {
        HirKind::Class(class) => Some(class.clone()),
        HirKind::Literal(Literal(bytes)) => match std::str::from_utf8(bytes) {
            Ok(s) => {
                let c = s.chars().next()?;
                Some(Class::Unicode(ClassUnicode::new([ClassUnicodeRange::new(
                    c, c,
                )])))
            }
            Err(_) => Some(Class::Bytes(ClassBytes::new([ClassBytesRange::new(
                bytes[0], bytes[0],
            )]))),
        },
        _ => None,
    }
}

fn disjoint(a: &Class, b: &Class) -> bool {
    match (a, b) {
        (Class::Unicode(a), Class::Unicode(b)) => {
            let mut both = a.clone();
            both.intersect(b);
            both.ranges().is_empty()
        }
        (Class::Bytes(a), Class::Bytes(b)) => {
            let mut both = a.clone();
            both.intersect(b);
            both.ranges().is_empty()
        }
        // A byte class against a character class: not worth comparing.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::parse(pattern).expect("test pattern parses")
    }

    /// `pattern` factored prints as `expected` parsed does.
    fn assert_factors(pattern: &str, expected: &str) {
        assert_eq!(
            factor_alternations(&parse(pattern)).to_string(),
            parse(expected).to_string(),
            "{pattern}"
        );
    }

    /// Every capture group of the leftmost-first match starting at each
    /// position, as the original and the factored regex report them.
    fn same_captures(pattern: &str, haystacks: &[&str]) {
        let original = Regex::builder()
            .build_from_hir(&parse(pattern))
            .expect("compiles");
        let rewritten = Regex::builder()
            .build_from_hir(&factor_alternations(&parse(pattern)))
            .expect("compiles");
        for hay in haystacks {
            for start in 0..=hay.len() {
                if !hay.is_char_boundary(start) {
                    continue;
                }
                let input = regex_automata::Input::new(hay).range(start..);
                let (mut a, mut b) = (original.create_captures(), rewritten.create_captures());
                original.search_captures(&input, &mut a);
                rewritten.search_captures(&input, &mut b);
                let spans = |c: &regex_automata::util::captures::Captures| {
                    (0..c.group_len())
                        .map(|g| c.get_group(g).map(|s| s.range()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(spans(&a), spans(&b), "{pattern} on {hay:?} from {start}");
            }
        }
    }

    #[test]
    fn word_lists_become_a_trie() {
        assert_factors("team|teams|all|alle", "team(?:|s)|all(?:|e)");
        // Case-insensitive words group under their first letter's class.
        assert_factors("(?i:team|all|teams)", "(?i:team(?:|s)|all)");
    }

    #[test]
    fn an_alternative_moves_only_past_alternatives_that_cannot_start_like_it() {
        // `b` cannot start like `ab`: `ab` joins `a`.
        assert_factors("a|b|ab", "a(?:|b)|b");
        // `[a-c]x` can start like `ab`: `ab` stays behind it.
        assert_factors("a|[a-c]x|ab", "a|[a-c]x|ab");
        // An alternative with no known first character is a wall.
        assert_factors("a|x*y|ab", "a|x*y|ab");
        // Grouped, the `y` branches would have `a*` lifted out of them.
        assert_factors("ya*ab|ya*c?|z", "ya*ab|ya*c?|z");
    }

    #[test]
    fn leftmost_first_matches_and_captures_are_unchanged() {
        let haystacks = [
            "team teams tea all alle allen no-reply no reply",
            "Kind regards,\nteam\nTeams Team-Lead",
            "ab abc abd a b xy xyz axy yaab yac",
            "café cafe CAFÉ ß ss",
        ];
        for pattern in [
            r"(?i:team|teams|all|alle|allen|no|no-reply)(?-u:\b)",
            r"(?:(?i:team|all|teams)(?-u:\b)|(?P<value>[A-Z][a-z]{1,10}))",
            r"(?:a|ab|abc)(?P<value>c?d?)",
            r"(?:ab|b|a)(?P<value>b?c)",
            r"(?:x|[a-z]y|xy)(?P<value>z?)",
            r"(?:café|cafe|(?i:caf)é|ß|s{2})",
            r"(?P<value>te|t)(?:am|eam)",
            // Moving `ax` ahead of `[a-c]x` would lose the empty capture.
            r"(?:a|[a-c]x(?P<value>)|ax)y",
            // Grouping the `y` branches must not lift `a*` out of their
            // rests: `ya*(?:ab|c?)` stops at `yaa` in `yaab`.
            r"(?P<value>ya*ab|ya*c?|z)",
        ] {
            same_captures(pattern, &haystacks);
        }
    }
}
