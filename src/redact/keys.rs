//! Key-name matching on whole words: `api_key`, `apiKey` and `X-Api-Key`
//! all contain the phrase "api key"; `author` does not contain "auth".

use std::collections::HashMap;

/// A key phrase from a rule's `keys`, as lowercase words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPhrase {
    words: Vec<String>,
}

impl KeyPhrase {
    /// Splits a phrase such as `"api key"`, `"api_key"` or `"apiKey"` into
    /// words; `None` when it has none.
    pub fn parse(phrase: &str) -> Option<KeyPhrase> {
        let words = split_words(phrase);
        (!words.is_empty()).then_some(KeyPhrase { words })
    }

    /// The phrase's words, lowercase.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// True when the phrase's words occur consecutively among `key_words`.
    pub fn matches(&self, key_words: &[String]) -> bool {
        key_words
            .windows(self.words.len())
            .any(|w| w == self.words.as_slice())
    }
}

/// The key-name rules' phrases by their first word: the rules a key names
/// are found with one lookup per word of the key, not by comparing it with
/// every phrase of every rule (a JSON document asks this of every member).
#[derive(Debug, Default)]
pub struct PhraseIndex {
    by_first_word: HashMap<String, Vec<IndexedPhrase>>,
}

#[derive(Debug)]
struct IndexedPhrase {
    rule: usize,
    /// The words after the first.
    rest: Vec<String>,
    /// An `exclude` phrase: the key then names no value for the rule.
    excludes: bool,
}

impl PhraseIndex {
    /// Adds rule `rule`'s phrases and excluded phrases.
    pub fn add(&mut self, rule: usize, phrases: &[KeyPhrase], exclude: &[KeyPhrase]) {
        let tagged = phrases
            .iter()
            .map(|p| (p, false))
            .chain(exclude.iter().map(|p| (p, true)));
        for (phrase, excludes) in tagged {
            let Some((first, rest)) = phrase.words.split_first() else {
                continue;
            };
            self.by_first_word
                .entry(first.clone())
                .or_default()
                .push(IndexedPhrase {
                    rule,
                    rest: rest.to_vec(),
                    excludes,
                });
        }
    }

    /// The rules with a phrase and no excluded phrase among a key's `words`
    /// (as [`key_matches`] judges), in ascending order.
    pub fn rules_for(&self, words: &[String]) -> Vec<usize> {
        let mut named = Vec::new();
        let mut excluded = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let Some(phrases) = self.by_first_word.get(word) else {
                continue;
            };
            for phrase in phrases {
                if words[i + 1..].starts_with(&phrase.rest) {
                    if phrase.excludes {
                        excluded.push(phrase.rule);
                    } else {
                        named.push(phrase.rule);
                    }
                }
            }
        }
        named.sort_unstable();
        named.dedup();
        named.retain(|rule| !excluded.contains(rule));
        named
    }
}

/// True when one of `phrases` and none of `exclude` occurs in a key's words.
pub fn key_matches(phrases: &[KeyPhrase], exclude: &[KeyPhrase], words: &[String]) -> bool {
    phrases.iter().any(|p| p.matches(words)) && !exclude.iter().any(|p| p.matches(words))
}

/// Keys whose short string value says what the rest of their object holds:
/// `{"type": "BSN", "number": "…"}`, `{"name": "password", "value": "…"}`
/// (HAR headers, cookies and form fields), `{"system": "…/bsn", …}` (FHIR
/// identifiers). Written without separators, lowercase.
const NAMING_KEYS: &[&str] = &[
    "type",
    "kind",
    "name",
    "label",
    "key",
    "field",
    "system",
    "scheme",
    "param",
    "parameter",
    "documenttype",
    "doctype",
    "idtype",
    "identifiertype",
    "fieldname",
    "fieldlabel",
    "paramname",
    "parametername",
];

/// Keys that hold the value their object's naming key names. `id` is not
/// one: it is most often the record's own id.
const NAMED_VALUE_KEYS: &[&str] = &[
    "value",
    "number",
    "nr",
    "no",
    "num",
    "identifier",
    "data",
    "content",
    "text",
    "answer",
    "response",
    "code",
    "idnumber",
    "documentnumber",
    "docnumber",
    "fieldvalue",
    "paramvalue",
];

/// True when `key` names what its object holds (see [`NAMING_KEYS`]).
pub fn names_its_object(key: &str) -> bool {
    is_one_of(key, NAMING_KEYS)
}

/// True when `key` holds the value its object's naming key names.
pub fn holds_named_value(key: &str) -> bool {
    is_one_of(key, NAMED_VALUE_KEYS)
}

/// True when `key`, without separators and in lowercase, is one of `names`;
/// without allocating, as it runs on every member of every JSON object.
fn is_one_of(key: &str, names: &[&str]) -> bool {
    const LONGEST: usize = 24;
    key.len() <= LONGEST
        && names.iter().any(|name| {
            key.bytes()
                .filter(|b| !matches!(b, b'_' | b'-' | b'.' | b' '))
                .map(|b| b.to_ascii_lowercase())
                .eq(name.bytes())
        })
}

/// Splits a key into lowercase words at `_ - . : / space` and at
/// lower-to-upper case changes (`apiKey` → `api`, `key`; `HTTPServer` →
/// `http`, `server`). Digits stay with their word.
pub fn split_words(key: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev: Option<char> = None;
    let mut chars = key.chars().peekable();
    while let Some(c) = chars.next() {
        let before = prev.replace(c);
        if !c.is_alphanumeric() {
            flush(&mut words, &mut current);
            continue;
        }
        if c.is_uppercase()
            && !current.is_empty()
            && let Some(before) = before
        {
            let next_is_lower = chars.peek().is_some_and(|n| n.is_lowercase());
            if before.is_lowercase()
                || before.is_ascii_digit()
                || (before.is_uppercase() && next_is_lower)
            {
                flush(&mut words, &mut current);
            }
        }
        current.extend(c.to_lowercase());
    }
    flush(&mut words, &mut current);
    words
}

/// True when `text[start..end]` is a whole word of the key it sits in, cut
/// as [`split_words`] cuts: a trigger inside a longer word (`app` in
/// `happens`, `auth` in `author`) cannot make a key phrase match, so the
/// assignment around it need not be parsed.
pub fn is_key_word(text: &str, start: usize, end: usize) -> bool {
    let mut ahead = text[start..].chars();
    let (first, second) = (ahead.next(), ahead.next());
    let mut behind = text[end..].chars();
    let (after, after_next) = (behind.next(), behind.next());
    word_boundary(text[..start].chars().next_back(), first, second)
        && word_boundary(text[..end].chars().next_back(), after, after_next)
}

/// Whether [`split_words`] cuts between `prev` and `c` (`next` follows `c`).
fn word_boundary(prev: Option<char>, c: Option<char>, next: Option<char>) -> bool {
    let (Some(prev), Some(c)) = (prev, c) else {
        return true;
    };
    if !prev.is_alphanumeric() || !c.is_alphanumeric() {
        return true;
    }
    c.is_uppercase()
        && (prev.is_lowercase()
            || prev.is_ascii_digit()
            || (prev.is_uppercase() && next.is_some_and(char::is_lowercase)))
}

fn flush(words: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        words.push(std::mem::take(current));
    }
}

/// Characters that may form a key in `key=value` text.
pub fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// A `key=value`, `key: value`, `"key": "value"` or `"key" => "value"`
/// assignment found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Byte span of the key (without quotes).
    pub key: std::ops::Range<usize>,
    /// Byte span of the value (without quotes).
    pub value: std::ops::Range<usize>,
}

/// Why there is no assignment at a key word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoAssignment {
    /// The text there does not have the shape of one.
    NotOne,
    /// The text ends before its key, separator or value does: more text
    /// could make one.
    TextEnds,
}

/// Finds the assignment whose key contains byte offset `at`, if the text
/// there has the shape of one. Values end at white space or a delimiter
/// unless quoted; one that runs to the end of the text may go on past it.
///
/// # Errors
/// [`NoAssignment`] says whether more text could make one.
pub fn assignment_at(text: &str, at: usize) -> Result<Assignment, NoAssignment> {
    use NoAssignment::{NotOne, TextEnds};
    let bytes = text.as_bytes();
    // Widen to the whole key token.
    let key_start = text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_key_char(*c))
        .last()
        .map_or(at, |(i, _)| i);
    let key_end = text[at..]
        .char_indices()
        .find(|(_, c)| !is_key_char(*c))
        .map_or(text.len(), |(i, _)| at + i);
    if key_start == key_end {
        return Err(NotOne);
    }
    let mut i = key_end;
    // `"key": value` — step over the closing quote of a quoted key.
    let quoted_key = key_start > 0 && matches!(bytes[key_start - 1], b'"' | b'\'');
    if quoted_key && i < bytes.len() && bytes[i] == bytes[key_start - 1] {
        i += 1;
    }
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    let sep = *bytes.get(i).ok_or(TextEnds)?;
    match sep {
        b'=' => match bytes.get(i + 1) {
            // `==` is a comparison, not an assignment.
            Some(b'=') => return Err(NotOne),
            // `=>` maps a key in Ruby, PHP and Perl hashes (Rails logs
            // print parameters so): the value follows the arrow.
            Some(b'>') => i += 1,
            _ => {}
        },
        b':' => {
            // `key:value` without a space is too often a time or a URL
            // scheme; accept it only when the key was quoted.
            let next = bytes.get(i + 1).copied();
            if next.is_none() {
                return Err(TextEnds);
            }
            if !quoted_key && !matches!(next, Some(b' ' | b'\t' | b'"' | b'\'')) {
                return Err(NotOne);
            }
        }
        _ => return Err(NotOne),
    }
    i += 1;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    let value = match bytes.get(i).ok_or(TextEnds)? {
        q @ (b'"' | b'\'') => {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != *q && bytes[j] != b'\n' {
                if bytes[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            start..j.min(bytes.len())
        }
        _ => {
            let start = i;
            let end = text[start..]
                .char_indices()
                .find(|(_, c)| {
                    c.is_whitespace()
                        || matches!(
                            c,
                            ',' | ';' | '&' | '"' | '\'' | '<' | '>' | ')' | ']' | '}'
                        )
                })
                .map_or(text.len(), |(j, _)| start + j);
            start..end
        }
    };
    if value.is_empty() {
        return Err(if value.end == text.len() {
            TextEnds
        } else {
            NotOne
        });
    }
    Ok(Assignment {
        key: key_start..key_end,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_keys_into_words() {
        let cases: &[(&str, &[&str])] = &[
            ("api_key", &["api", "key"]),
            ("apiKey", &["api", "key"]),
            ("X-Api-Key", &["x", "api", "key"]),
            ("HTTPServerToken", &["http", "server", "token"]),
            ("db.password", &["db", "password"]),
            ("DB_PASSWORD", &["db", "password"]),
            ("author", &["author"]),
            ("oauth2Token", &["oauth2", "token"]),
            ("", &[]),
        ];
        for (key, words) in cases {
            assert_eq!(split_words(key), *words, "key {key}");
        }
    }

    #[test]
    fn key_words_are_cut_like_split_words() {
        let cases: &[(&str, &str, bool)] = &[
            ("api_key=1", "api", true),
            ("myApiKey=1", "Api", true),
            ("HTTPServerToken", "Server", true),
            ("APIKey", "API", true),
            ("X-Api-Key", "Key", true),
            ("happens", "app", false),
            ("author=x", "auth", false),
            ("oauth2Token", "oauth", false),
            ("MOBILEPHONE", "PHONE", false),
            ("phone", "phone", true),
        ];
        for (text, word, want) in cases {
            let start = text.find(word).unwrap();
            assert_eq!(
                is_key_word(text, start, start + word.len()),
                *want,
                "{word} in {text}"
            );
            // The same verdict as splitting the whole key.
            let key_end = text.find('=').unwrap_or(text.len());
            let words = split_words(&text[..key_end]);
            assert_eq!(
                words.contains(&word.to_lowercase()),
                *want,
                "{word} in {text}"
            );
        }
    }

    #[test]
    fn excluded_phrases_disqualify_a_key() {
        let phrases = [KeyPhrase::parse("password").unwrap()];
        let exclude = [
            KeyPhrase::parse("url").unwrap(),
            KeyPhrase::parse("changed at").unwrap(),
        ];
        assert!(key_matches(&phrases, &exclude, &split_words("db_password")));
        assert!(!key_matches(
            &phrases,
            &exclude,
            &split_words("PasswordResetUrl")
        ));
        assert!(!key_matches(
            &phrases,
            &exclude,
            &split_words("password_changed_at")
        ));
        assert!(key_matches(
            &phrases,
            &exclude,
            &split_words("password_changed")
        ));
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let auth = KeyPhrase::parse("auth").unwrap();
        assert!(!auth.matches(&split_words("author")));
        assert!(auth.matches(&split_words("auth_token")));
        let api_key = KeyPhrase::parse("api key").unwrap();
        assert!(api_key.matches(&split_words("X-Api-Key")));
        assert!(!api_key.matches(&split_words("api_version_key")));
    }

    /// Text, the key word in it, and the expected key and value.
    type AssignmentCase<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);

    #[test]
    fn finds_assignments() {
        let cases: &[AssignmentCase] = &[
            (
                "password=hunter2 next",
                "password",
                Some(("password", "hunter2")),
            ),
            (
                "DB_PASSWORD = 's3cr3t x'",
                "PASSWORD",
                Some(("DB_PASSWORD", "s3cr3t x")),
            ),
            (
                r#"{"password":"a\"b"}"#,
                "password",
                Some(("password", r#"a\"b"#)),
            ),
            (
                "password: hunter2",
                "password",
                Some(("password", "hunter2")),
            ),
            ("Password=abc;Host=x", "Password", Some(("Password", "abc"))),
            (
                r#"{"api_token"=>"q8Xk2mVn", "id"=>1}"#,
                "api_token",
                Some(("api_token", "q8Xk2mVn")),
            ),
            (
                ":api_token => 'q8Xk2mVn'",
                "api_token",
                Some(("api_token", "q8Xk2mVn")),
            ),
            ("secret=>", "secret", None),
            ("at 10:22 password", "password", None),
            ("if password == x", "password", None),
            ("password:hunter2", "password", None),
            ("password=", "password", None),
        ];
        for (text, key, want) in cases {
            let at = text.find(key).unwrap();
            let got = assignment_at(text, at)
                .ok()
                .map(|a| (&text[a.key], &text[a.value]));
            assert_eq!(got, *want, "text {text}");
        }
    }
}
