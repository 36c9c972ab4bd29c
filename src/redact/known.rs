//! Known values: the name, e-mail address, phone number and external id of
//! the contact of a conversation, found wherever they occur even when no
//! pattern would catch them. Case-insensitive; a phone number in any of its
//! usual spellings (`+1 415 555 0132`, `(415) 555-0132`, `0031 6 …`).

use std::ops::Range;

use regex_automata::Input;
use regex_automata::meta::Regex;

/// What a known value is; each kind has its own built-in rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KnownKind {
    Name,
    Email,
    Phone,
    ExternalId,
}

impl KnownKind {
    pub const ALL: [KnownKind; 4] = [
        KnownKind::Name,
        KnownKind::Email,
        KnownKind::Phone,
        KnownKind::ExternalId,
    ];

    /// The id of the built-in rule findings of this kind carry.
    pub fn rule_id(self) -> &'static str {
        match self {
            KnownKind::Name => "known-value.name",
            KnownKind::Email => "known-value.email",
            KnownKind::Phone => "known-value.phone",
            KnownKind::ExternalId => "known-value.external-id",
        }
    }
}

/// The facts known about a contact (any may be missing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFacts {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub external_id: Option<String>,
}

/// Values shorter than this are not searched for: they would match
/// everywhere and identify no one.
const MIN_LEN: usize = 3;

/// Longer values are cut from the search (a stream's window must hold a
/// whole match).
const MAX_LEN: usize = 256;

/// What may sit between the digits of a phone number.
const PHONE_SEP: &str = r"[\s.\-/()]*";

/// A compiled matcher for one contact's values.
#[derive(Debug)]
pub struct KnownValues {
    regex: Option<Regex>,
    kinds: Vec<KnownKind>,
}

impl KnownValues {
    /// # Errors
    /// Never for values from a real tool; an internal error message if the
    /// matcher cannot be built.
    pub fn new(facts: &ContactFacts) -> Result<KnownValues, String> {
        let mut patterns = Vec::new();
        let mut kinds = Vec::new();
        let mut add = |kind: KnownKind, pattern: Option<String>| {
            if let Some(pattern) = pattern {
                patterns.push(pattern);
                kinds.push(kind);
            }
        };
        for name_pattern in facts.name.as_deref().map(name_patterns).unwrap_or_default() {
            add(KnownKind::Name, Some(name_pattern));
        }
        add(KnownKind::Email, facts.email.as_deref().and_then(literal));
        add(
            KnownKind::Phone,
            facts.phone.as_deref().and_then(phone_pattern),
        );
        add(
            KnownKind::ExternalId,
            facts.external_id.as_deref().and_then(literal),
        );
        let regex = if patterns.is_empty() {
            None
        } else {
            Some(
                Regex::new_many(&patterns)
                    .map_err(|e| format!("known values do not compile: {e}"))?,
            )
        };
        Ok(KnownValues { regex, kinds })
    }

    pub fn is_empty(&self) -> bool {
        self.regex.is_none()
    }

    /// Every occurrence in `text`, left to right, not overlapping.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, KnownKind)> {
        let Some(regex) = &self.regex else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let Some(m) = regex.search(&Input::new(text).range(at..)) else {
                break;
            };
            let kind = self.kinds[m.pattern().as_usize()];
            if stands_alone(text, m.range(), kind) {
                found.push((m.range(), kind));
                at = m.end().max(m.start() + 1);
            } else {
                at = next_char(text, m.start());
            }
        }
        found
    }

    /// The kind of a value that is, whole, one of the known values.
    pub fn whole(&self, value: &str) -> Option<KnownKind> {
        let trimmed = value.trim();
        let found = self.find(trimmed);
        match found.as_slice() {
            [(span, kind)] if span.start == 0 && span.end == trimmed.len() => Some(*kind),
            _ => None,
        }
    }
}

fn next_char(text: &str, i: usize) -> usize {
    let mut j = i + 1;
    while j < text.len() && !text.is_char_boundary(j) {
        j += 1;
    }
    j
}

/// A match counts only where it is not part of a longer word or number:
/// `jane@example.com` is not inside `mary.jane@example.com.au`.
fn stands_alone(text: &str, span: Range<usize>, kind: KnownKind) -> bool {
    let before = text[..span.start].chars().next_back();
    let mut after_chars = text[span.end..].chars();
    let after = after_chars.next();
    match kind {
        KnownKind::Phone => {
            !before.is_some_and(|c| c.is_ascii_digit() || c == '+')
                && !after.is_some_and(|c| c.is_ascii_digit())
        }
        KnownKind::Email => {
            let dotted_on =
                after == Some('.') && after_chars.next().is_some_and(char::is_alphanumeric);
            !before.is_some_and(|c| c.is_alphanumeric() || "._%+-".contains(c))
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '-')
                && !dotted_on
        }
        KnownKind::Name | KnownKind::ExternalId => {
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        }
    }
}

/// A value matched literally, in any letter case.
fn literal(value: &str) -> Option<String> {
    let value = value.trim();
    if value.chars().count() < MIN_LEN || value.len() > MAX_LEN {
        return None;
    }
    Some(format!("(?i){}", regex_syntax::escape(value)))
}

/// `Emily Carter` as written with any spacing and case, and as
/// `Carter, Emily`.
fn name_patterns(name: &str) -> Vec<String> {
    let tokens: Vec<String> = name.split_whitespace().map(regex_syntax::escape).collect();
    if name.len() > MAX_LEN || tokens.is_empty() {
        return Vec::new();
    }
    if tokens.len() == 1 {
        return literal(name).into_iter().collect();
    }
    let forward = format!(r"(?i){}", tokens.join(r"\s+"));
    let (last, first) = tokens.split_last().expect("at least two tokens");
    let reversed = format!(r"(?i){last}\s*,\s*{}", first.join(r"\s+"));
    vec![forward, reversed]
}

/// A phone number by its digits: with or without its country code (`+31`,
/// `0031`), with the national trunk `0` instead, with `(0)`, and any
/// spaces, dots, dashes, slashes or brackets between the digits.
fn phone_pattern(phone: &str) -> Option<String> {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let spaced = |d: &str| {
        d.chars()
            .map(String::from)
            .collect::<Vec<_>>()
            .join(PHONE_SEP)
    };
    let (country, national) = match phonenumber::parse(None, phone) {
        Ok(number) => (
            Some(number.code().value().to_string()),
            number.national().value().to_string(),
        ),
        Err(_) => (None, digits(phone)),
    };
    if national.len() < 6 {
        return None;
    }
    let prefix = match country {
        Some(cc) => format!(
            r"(?:(?:\+|00){PHONE_SEP}{cc}{PHONE_SEP}(?:\(0\){PHONE_SEP})?|0{PHONE_SEP})?",
            cc = spaced(&cc)
        ),
        None => String::new(),
    };
    Some(format!(r"\(?{prefix}{}", spaced(&national)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emily() -> KnownValues {
        KnownValues::new(&ContactFacts {
            name: Some("Emily Carter".into()),
            email: Some("emily.carter@example.com".into()),
            phone: Some("+1 415 555 0132".into()),
            external_id: Some("cust-7f3a91".into()),
        })
        .unwrap()
    }

    fn found(known: &KnownValues, text: &str) -> Vec<(String, KnownKind)> {
        known
            .find(text)
            .into_iter()
            .map(|(span, kind)| (text[span].to_string(), kind))
            .collect()
    }

    #[test]
    fn finds_each_value_in_its_usual_spellings() {
        let k = emily();
        let cases = [
            ("Name: Emily Carter\n", "Emily Carter", KnownKind::Name),
            (
                "regards, EMILY   CARTER.",
                "EMILY   CARTER",
                KnownKind::Name,
            ),
            ("Carter, Emily wrote", "Carter, Emily", KnownKind::Name),
            (
                "<Emily.Carter@Example.com>",
                "Emily.Carter@Example.com",
                KnownKind::Email,
            ),
            ("Phone: (415) 555-0132", "(415) 555-0132", KnownKind::Phone),
            ("call +1 415 555 0132", "+1 415 555 0132", KnownKind::Phone),
            (
                "tel 001-415-555-0132.",
                "001-415-555-0132",
                KnownKind::Phone,
            ),
            ("tel 415.555.0132", "415.555.0132", KnownKind::Phone),
            ("id=CUST-7F3A91&x", "CUST-7F3A91", KnownKind::ExternalId),
        ];
        for (text, value, kind) in cases {
            assert_eq!(found(&k, text), vec![(value.to_string(), kind)], "{text}");
        }
    }

    #[test]
    fn does_not_match_inside_longer_values() {
        let k = emily();
        for text in [
            "emily.carter@example.com.au",
            "xemily.carter@example.com",
            "Emily Carterson",
            "order 14155550132 shipped",
            "ref 4155550132999",
            "cust-7f3a912",
        ] {
            assert!(found(&k, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn national_formats_use_the_trunk_prefix() {
        let k = KnownValues::new(&ContactFacts {
            phone: Some("+31 6 48271935".into()),
            ..ContactFacts::default()
        })
        .unwrap();
        for text in ["06-48271935", "0031 6 48 27 19 35", "+31 (0)6 48271935"] {
            assert_eq!(found(&k, text).len(), 1, "{text}");
        }
    }

    #[test]
    fn whole_values_are_recognised() {
        let k = emily();
        assert_eq!(k.whole(" Emily Carter "), Some(KnownKind::Name));
        assert_eq!(k.whole("Emily Carter <x@y.z>"), None);
        assert!(
            KnownValues::new(&ContactFacts::default())
                .unwrap()
                .is_empty()
        );
    }
}
