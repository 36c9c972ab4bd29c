//! Decoded views of escaped text (`%40`, `\u0040`, `&#64;`, `\/`), with a map
//! from every decoded byte back to the raw bytes that produced it, so that a
//! value found in the decoded view is redacted in the raw text.

use std::borrow::Cow;
use std::ops::Range;

/// The escape syntaxes a view decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escapes {
    /// `%40`; with `plus_is_space`, `+` is a space (form bodies, queries).
    pub percent: bool,
    pub plus_is_space: bool,
    /// `\u0040`, `\x40`, `\/`, `\"`, `\\`, `\n`, `\t`, `\r`.
    pub backslash: bool,
    /// `&#64;`, `&#x40;`, `&commat;`.
    pub html: bool,
}

impl Escapes {
    /// Everything a value hidden in a log line or URL might be wrapped in.
    pub const ANY: Escapes = Escapes {
        percent: true,
        plus_is_space: false,
        backslash: true,
        html: true,
    };
    pub const JSON: Escapes = Escapes {
        percent: false,
        plus_is_space: false,
        backslash: true,
        html: false,
    };
    pub const HTML: Escapes = Escapes {
        percent: false,
        plus_is_space: false,
        backslash: false,
        html: true,
    };
    pub const FORM: Escapes = Escapes {
        percent: true,
        plus_is_space: true,
        backslash: false,
        html: false,
    };
}

impl Escapes {
    /// The bytes that may start an escape of these kinds.
    fn triggers(self) -> Triggers {
        let mut bytes = [0u8; 4];
        let mut len = 0;
        for (on, byte) in [
            (self.percent, b'%'),
            (self.plus_is_space, b'+'),
            (self.backslash, b'\\'),
            (self.html, b'&'),
        ] {
            if on {
                bytes[len] = byte;
                len += 1;
            }
        }
        Triggers { bytes, len }
    }
}

/// The bytes that may start an escape, found with memchr.
struct Triggers {
    bytes: [u8; 4],
    len: usize,
}

impl Triggers {
    /// The offset of the first trigger at or after `from`, or the end of `b`.
    fn next(&self, b: &[u8], from: usize) -> usize {
        let hay = &b[from..];
        let found = match self.bytes[..self.len] {
            [] => None,
            [a] => memchr::memchr(a, hay),
            [a, b] => memchr::memchr2(a, b, hay),
            [a, b, c] => memchr::memchr3(a, b, c, hay),
            _ => hay.iter().position(|c| self.bytes.contains(c)),
        };
        found.map_or(b.len(), |p| from + p)
    }
}

/// Raw text as decoded: the raw text itself when it holds nothing that
/// could start an escape (most JSON strings and keys), else a copy.
#[derive(Debug, Clone, Default)]
pub struct View<'a> {
    pub text: Cow<'a, str>,
    /// Runs of decoded text in order, each mapping back to raw text: a run
    /// of plain characters maps byte for byte, an escape maps as a whole.
    /// Empty when `text` is the raw text.
    runs: Vec<Run>,
    raw_len: usize,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    decoded_start: usize,
    raw: (usize, usize),
    escape: bool,
}

impl View<'_> {
    /// Maps a span of the decoded text to the raw span that produced it,
    /// widened to whole escapes.
    pub fn raw_span(&self, decoded: Range<usize>) -> Range<usize> {
        if decoded.start >= self.text.len() {
            return self.raw_len..self.raw_len;
        }
        if self.runs.is_empty() {
            return decoded.start..decoded.end.clamp(decoded.start, self.raw_len);
        }
        let start = self.raw_at(decoded.start, false);
        let end = if decoded.end <= decoded.start {
            start
        } else {
            self.raw_at(decoded.end.min(self.text.len()) - 1, true)
        };
        start..end.max(start)
    }

    /// The raw offset of decoded byte `d`: where its unit starts, or with
    /// `after`, where the unit holding it ends.
    fn raw_at(&self, d: usize, after: bool) -> usize {
        let i = self.runs.partition_point(|r| r.decoded_start <= d) - 1;
        let run = self.runs[i];
        match (run.escape, after) {
            (true, false) => run.raw.0,
            (true, true) => run.raw.1,
            (false, false) => run.raw.0 + (d - run.decoded_start),
            (false, true) => run.raw.0 + (d - run.decoded_start) + 1,
        }
    }

    /// True when decoding changed anything.
    pub fn changed(&self) -> bool {
        self.runs.iter().any(|r| r.escape)
    }

    /// The spans of the decoded text that escapes produced, in order.
    pub fn decoded_spans(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.escape)
            .map(|(i, r)| {
                let end = self
                    .runs
                    .get(i + 1)
                    .map_or(self.text.len(), |next| next.decoded_start);
                r.decoded_start..end
            })
    }
}

/// True when `raw` holds at least one escape of the given kinds.
pub fn has_escapes(raw: &str, esc: Escapes) -> bool {
    memchr::memchr3_iter(b'%', b'\\', b'&', raw.as_bytes()).any(|i| escape_at(raw, i, esc))
        || (esc.plus_is_space && raw.contains('+'))
}

/// True when an escape of the given kinds that [`decode`] would decode
/// starts at byte `i` (a `&` that starts no entity, as in `?a=1&b=2`, or a
/// `%` without two hex digits, is not one).
pub fn escape_at(raw: &str, i: usize, esc: Escapes) -> bool {
    raw.is_char_boundary(i) && !matches!(decode_unit(raw, i, esc).0, Unit::Raw)
}

/// Decodes every escape of the enabled kinds in `raw`. Malformed escapes and
/// bytes that do not form UTF-8 stay or become `?`, one for one, so the map
/// stays exact and decoding never fails.
pub fn decode(raw: &str, esc: Escapes) -> View<'_> {
    let b = raw.as_bytes();
    let triggers = esc.triggers();
    if triggers.next(b, 0) == b.len() {
        return View {
            text: Cow::Borrowed(raw),
            runs: Vec::new(),
            raw_len: raw.len(),
        };
    }
    let mut bytes: Vec<u8> = Vec::with_capacity(raw.len());
    let mut runs: Vec<Run> = Vec::new();
    let mut push = |bytes: &mut Vec<u8>, raw_span: (usize, usize), escape: bool| {
        match runs.last_mut() {
            // Plain text extends the plain run before it.
            Some(last) if !escape && !last.escape => last.raw.1 = raw_span.1,
            _ => runs.push(Run {
                decoded_start: bytes.len(),
                raw: raw_span,
                escape,
            }),
        }
    };
    let mut i = 0;
    while i < b.len() {
        // Plain text up to the next byte that may start an escape is
        // copied whole.
        let next = triggers.next(b, i);
        if next > i {
            push(&mut bytes, (i, next), false);
            bytes.extend_from_slice(&b[i..next]);
            i = next;
            continue;
        }
        let (produced, consumed) = decode_unit(raw, i, esc);
        push(
            &mut bytes,
            (i, i + consumed),
            !matches!(produced, Unit::Raw),
        );
        match produced {
            Unit::Byte(byte) => bytes.push(byte),
            Unit::Char(c) => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            Unit::Raw => bytes.extend_from_slice(&b[i..i + consumed]),
        }
        i += consumed;
    }
    View {
        text: Cow::Owned(into_utf8_one_for_one(bytes)),
        runs,
        raw_len: raw.len(),
    }
}

enum Unit {
    /// A decoded byte (percent escapes may encode UTF-8 byte by byte).
    Byte(u8),
    Char(char),
    /// The raw bytes, unchanged.
    Raw,
}

/// Decodes the unit at `i`: what it produces and how many raw bytes it uses.
fn decode_unit(raw: &str, i: usize, esc: Escapes) -> (Unit, usize) {
    let b = raw.as_bytes();
    let plain = || (Unit::Raw, raw[i..].chars().next().map_or(1, char::len_utf8));
    match b[i] {
        b'%' if esc.percent => match hex_value(&b[i + 1..(i + 3).min(b.len())]) {
            Some(v) if i + 3 <= b.len() => (Unit::Byte(v as u8), 3),
            _ => plain(),
        },
        b'+' if esc.plus_is_space => (Unit::Byte(b' '), 1),
        b'\\' if esc.backslash && i + 1 < b.len() => match b[i + 1] {
            b'u' => decode_unicode_escape(b, i).unwrap_or_else(plain),
            b'x' => match b.get(i + 2..i + 4).and_then(hex_value) {
                Some(v) => (Unit::Char(char::from(v as u8)), 4),
                None => plain(),
            },
            b'/' | b'"' | b'\\' | b'\'' => (Unit::Byte(b[i + 1]), 2),
            b'n' => (Unit::Byte(b'\n'), 2),
            b't' => (Unit::Byte(b'\t'), 2),
            b'r' => (Unit::Byte(b'\r'), 2),
            _ => plain(),
        },
        b'&' if esc.html => decode_entity(raw, i).unwrap_or_else(plain),
        _ => plain(),
    }
}

fn hex_value(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// `\uXXXX`, with a following low surrogate when XXXX is a high one.
fn decode_unicode_escape(b: &[u8], i: usize) -> Option<(Unit, usize)> {
    let hi = hex_value(b.get(i + 2..i + 6)?)?;
    if (0xD800..0xDC00).contains(&hi) {
        if b.get(i + 6..i + 8) == Some(b"\\u") {
            let lo = hex_value(b.get(i + 8..i + 12)?)?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?;
                return Some((Unit::Char(c), 12));
            }
        }
        return Some((Unit::Char(char::REPLACEMENT_CHARACTER), 6));
    }
    let c = char::from_u32(hi).unwrap_or(char::REPLACEMENT_CHARACTER);
    Some((Unit::Char(c), 6))
}

/// The longest entity name we look for (`&CounterClockwiseContourIntegral;`).
const MAX_ENTITY_LEN: usize = 40;

fn decode_entity(raw: &str, i: usize) -> Option<(Unit, usize)> {
    let b = raw.as_bytes();
    let limit = (i + MAX_ENTITY_LEN).min(b.len());
    let semi = b[i + 1..limit].iter().position(|&c| c == b';')? + i + 1;
    let body = &raw[i + 1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => hex_value(hex.as_bytes())?,
            None if !num.is_empty() && num.bytes().all(|d| d.is_ascii_digit()) => {
                num.parse().ok()?
            }
            None => return None,
        };
        char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER)
    } else {
        if body.is_empty() || !body.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let decoded = html_escape::decode_html_entities(&raw[i..=semi]);
        let mut chars = decoded.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if decoded != raw[i..=semi] => c,
            _ => return None,
        }
    };
    Some((Unit::Char(c), semi + 1 - i))
}

/// Replaces each byte of an invalid UTF-8 sequence by `?`, keeping lengths.
fn into_utf8_one_for_one(mut bytes: Vec<u8>) -> String {
    let mut start = 0;
    loop {
        match std::str::from_utf8(&bytes[start..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = start + e.valid_up_to();
                let len = e.error_len().unwrap_or(bytes.len() - bad);
                for b in &mut bytes[bad..bad + len] {
                    *b = b'?';
                }
                start = bad + len;
            }
        }
    }
    String::from_utf8(bytes).expect("all invalid sequences were replaced")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(raw: &str, esc: Escapes) -> String {
        decode(raw, esc).text.into_owned()
    }

    #[test]
    fn decodes_each_escape_kind() {
        assert_eq!(
            decoded("jane%40example.com", Escapes::ANY),
            "jane@example.com"
        );
        assert_eq!(decoded("a+b%20c", Escapes::FORM), "a b c");
        assert_eq!(decoded("a+b", Escapes::ANY), "a+b");
        assert_eq!(
            decoded(r"jane\u0040example.com", Escapes::ANY),
            "jane@example.com"
        );
        assert_eq!(decoded(r"http:\/\/x", Escapes::JSON), "http://x");
        assert_eq!(decoded(r"\ud83d\ude00!", Escapes::JSON), "😀!");
        assert_eq!(decoded("jane&#64;x&#x2E;com", Escapes::HTML), "jane@x.com");
        assert_eq!(decoded("jane&commat;x", Escapes::HTML), "jane@x");
        assert_eq!(decoded("%C3%A9t%C3%A9", Escapes::ANY), "été");
        assert_eq!(decoded("%FF%41", Escapes::ANY), "?A");
        assert_eq!(decoded("100% &nope; \\q", Escapes::ANY), "100% &nope; \\q");
    }

    #[test]
    fn only_what_decodes_counts_as_an_escape() {
        let raw = "?a=1&b=2 100% \\q &#64; %41 \\n";
        let escapes: Vec<usize> = (0..raw.len())
            .filter(|&i| escape_at(raw, i, Escapes::ANY))
            .collect();
        let at = |s: &str| raw.find(s).unwrap();
        assert_eq!(escapes, vec![at("&#64;"), at("%41"), at("\\n")]);
        assert!(!has_escapes("?a=1&b=2 100%", Escapes::ANY));
        assert!(has_escapes("a+b", Escapes::FORM));
        // Plain stretches between escapes and triggers that decode to
        // nothing are copied as they are, and map back byte for byte.
        let view = decode(raw, Escapes::ANY);
        assert_eq!(view.text, "?a=1&b=2 100% \\q @ A \n");
        let b = view.text.find("b=2").unwrap();
        assert_eq!(&raw[view.raw_span(b..b + 3)], "b=2");
        let a = view.text.find('A').unwrap();
        assert_eq!(&raw[view.raw_span(a..a + 1)], "%41");
    }

    #[test]
    fn maps_decoded_spans_to_raw() {
        let raw = "mail: jane%40example.com!";
        let view = decode(raw, Escapes::ANY);
        let start = view.text.find("jane").unwrap();
        let end = start + "jane@example.com".len();
        assert_eq!(&raw[view.raw_span(start..end)], "jane%40example.com");
        // A character decoded from several escapes maps to all of them.
        let view = decode("%C3%A9x", Escapes::ANY);
        assert_eq!(view.raw_span(0..2), 0..6);
        let view = decode(r"\u00e9x", Escapes::ANY);
        assert_eq!(view.raw_span(0..2), 0..6);
        assert_eq!(view.raw_span(2..3), 6..7);
    }

    #[test]
    fn text_without_escape_triggers_is_its_own_view() {
        let raw = "mail jane@example.com, tél. 06 12";
        let view = decode(raw, Escapes::JSON);
        assert!(matches!(view.text, Cow::Borrowed(_)));
        assert!(!view.changed());
        assert_eq!(view.decoded_spans().count(), 0);
        let start = raw.find("jane").unwrap();
        assert_eq!(view.raw_span(start..start + 16), start..start + 16);
        assert_eq!(view.raw_span(raw.len()..raw.len()), raw.len()..raw.len());
        // A trigger that decodes to nothing still makes a mapped copy.
        let view = decode("100% sure", Escapes::ANY);
        assert!(matches!(view.text, Cow::Owned(_)));
        assert_eq!(view.raw_span(5..9), 5..9);
    }
}
