//! PEM private key blocks, found by their structure rather than by a regex.
//!
//! A key is a BEGIN marker, key material (base64 lines, a few headers such as
//! `Proc-Type:`) and an END marker, pasted whole or in part: one line or
//! many, indented in YAML, quoted with `>` in a mail, with `\n` escapes in a
//! logged JSON string. A bounded regex over all of that unrolls into an
//! automaton of thousands of states and still could not take the middle of a
//! key longer than its bound. Here a BEGIN marker takes the key material
//! that follows it and an END marker the material before it, each at most
//! [`MAX_SIDE`] bytes, so a key of up to twice that is taken whole even when
//! neither marker's walk reaches the other.

use std::ops::Range;

use super::engine::{ceil_char, floor_char};
use super::rules::MAX_MATCH_LEN;

/// The keywords that wake the finder (the automaton folds ASCII case; the
/// markers themselves are matched exactly).
pub const BEGIN: &str = "-----BEGIN";
pub const END: &str = "-----END";

/// How far a walk from a marker goes, marker included: the engine's bound on
/// a match, so that a streaming window always holds a walk whole.
pub const MAX_SIDE: usize = MAX_MATCH_LEN;

/// Header lines (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`, PGP's `Version:`,
/// `Comment:`, `Hash:`) allowed between a BEGIN marker and the key material.
const MAX_HEADERS: usize = 5;

/// Line breaks one separator may hold. HTML joined into text gives three or
/// four per visual line (a block's own break and the source's), and a blank
/// line in a PGP block twice that; prose after a truncated key is told
/// apart by [`looks_like_key`], not by the gap.
const MAX_BREAKS: usize = 8;

/// A piece of text is key material, beside the piece next to a marker, if it
/// is this long or holds a digit, `+`, `/` or `=`: key lines are 64 to 76
/// characters, a one-line paste splits a key into such pieces, and the
/// words of prose around a key stay (the last line of a truncated key, when
/// it is short and all letters, is the price).
const MIN_TOKEN: usize = 16;

/// The key block opened by the BEGIN marker at `at`: up to its END marker
/// when that lies within reach with only printable text in between,
/// otherwise the marker and the key material (or headers) that follow it.
/// `None` when `at` holds no private-key BEGIN marker or nothing follows it.
pub fn from_begin(text: &str, at: usize) -> Option<Range<usize>> {
    let body = marker_end(text.as_bytes(), at, BEGIN)?;
    let limit = floor_char(text, (at + MAX_SIDE).min(text.len()));
    if let Some(end) = closing_marker(text, body, limit) {
        return Some(at..end);
    }
    let mut pos = body;
    let mut end = None;
    let mut headers = 0;
    loop {
        let (start, breaks) = separator_after(text, pos, limit);
        if breaks > MAX_BREAKS {
            break;
        }
        if breaks > 0
            && end.is_none()
            && headers < MAX_HEADERS
            && let Some(line_end) = header_after(text, start, limit)
        {
            headers += 1;
            pos = line_end;
            continue;
        }
        let token_end = run_end(text.as_bytes(), start, limit);
        let token = &text.as_bytes()[start..token_end];
        let first = end.is_none() && start == body;
        if token.is_empty() || !(first || looks_like_key(token)) {
            break;
        }
        end = Some(token_end);
        pos = token_end;
    }
    // Headers alone still belong to the key (`DEK-Info` holds its IV).
    let end = end.or((headers > 0).then_some(pos))?;
    Some(at..end)
}

/// The key material before the END marker at `at`, with the marker. `None`
/// when `at` holds no private-key END marker or nothing key-like precedes it.
pub fn from_end(text: &str, at: usize) -> Option<Range<usize>> {
    let marker_end = marker_end(text.as_bytes(), at, END)?;
    let floor = ceil_char(text, marker_end.saturating_sub(MAX_SIDE));
    let mut pos = at;
    let mut start = None;
    loop {
        let (token_end, breaks) = separator_before(text, pos, floor);
        if breaks > MAX_BREAKS {
            break;
        }
        let token_start = run_start(text.as_bytes(), token_end, floor);
        let token = &text.as_bytes()[token_start..token_end];
        if token.is_empty() || !(start.is_none() || looks_like_key(token)) {
            break;
        }
        start = Some(token_start);
        pos = token_start;
    }
    start.map(|start| start..marker_end)
}

/// Where the marker `-----BEGIN`/`-----END` at `at` ends, if it is a private
/// key's: `[ A-Z0-9]{0,24}PRIVATE KEY( BLOCK)?-----` after the word.
fn marker_end(bytes: &[u8], at: usize, word: &str) -> Option<usize> {
    let rest = bytes.get(at..)?.strip_prefix(word.as_bytes())?;
    let label_len = rest
        .iter()
        .take(24 + "PRIVATE KEY BLOCK".len() + 1)
        .position(|&b| !(b == b' ' || b.is_ascii_uppercase() || b.is_ascii_digit()))?;
    let (label, after) = rest.split_at(label_len);
    after.strip_prefix(b"-----")?;
    let label = label.strip_suffix(b" BLOCK").unwrap_or(label);
    let kind = label.strip_suffix(b"PRIVATE KEY")?;
    (kind.len() <= 24).then_some(at + word.len() + label_len + "-----".len())
}

/// The end of the first private-key END marker in `from..limit`, when all
/// before it is printable ASCII or white space (a no-break space from a
/// rich-text editor included).
fn closing_marker(text: &str, from: usize, limit: usize) -> Option<usize> {
    let window = &text[from..limit];
    let mut offset = 0;
    while let Some(found) = memchr::memmem::find(&window.as_bytes()[offset..], END.as_bytes()) {
        let at = offset + found;
        if !window[offset..at]
            .chars()
            .all(|c| matches!(c, ' '..='~') || is_space(c))
        {
            return None;
        }
        if let Some(end) = marker_end(text.as_bytes(), from + at, END).filter(|&end| end <= limit) {
            return Some(end);
        }
        offset = at + 1;
    }
    None
}

/// White space of any kind, and the invisible characters editors leave in
/// pasted text.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A line break: `\n`, a `\r` alone (old Mac text), and the Unicode ones.
fn is_break(c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => true,
        '\r' => next != Some('\n'),
        _ => false,
    }
}

/// What may start a line of key material besides white space: mail quote
/// marks and the comment or table marks of config files and Markdown. None
/// of them is a base64 character.
fn is_line_mark(c: char) -> bool {
    matches!(c, '>' | '#' | '|' | ';' | '*')
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

fn looks_like_key(token: &[u8]) -> bool {
    token.len() >= MIN_TOKEN
        || (token.len() >= 2
            && token
                .iter()
                .any(|b| b.is_ascii_digit() || matches!(b, b'+' | b'/' | b'=')))
}

/// The end of the run of key characters from `from`; a JSON-escaped slash
/// (`\/`) counts as its `/`.
fn run_end(bytes: &[u8], from: usize, limit: usize) -> usize {
    let mut end = from;
    while end < limit {
        if is_key_byte(bytes[end]) {
            end += 1;
        } else if bytes[end] == b'\\' && end + 1 < limit && bytes[end + 1] == b'/' {
            end += 2;
        } else {
            break;
        }
    }
    end
}

/// The start of the run of key characters ending at `to`, as [`run_end`]
/// reads them. The `n` of an escaped line break (`\n`) is not one of them.
fn run_start(bytes: &[u8], to: usize, floor: usize) -> usize {
    let mut start = to;
    while start > floor && is_key_byte(bytes[start - 1]) {
        let escaped = start - 1 > floor && bytes[start - 2] == b'\\';
        if escaped && matches!(bytes[start - 1], b'n' | b'r' | b't') {
            break;
        }
        start -= if escaped && bytes[start - 1] == b'/' {
            2
        } else {
            1
        };
    }
    start
}

/// Skips what may separate two pieces of key material: white space, line
/// breaks (also escaped, however many times: `\n`, `\\r\\n`), and line
/// marks. Returns where the next piece starts and how many line breaks were
/// crossed.
fn separator_after(text: &str, mut pos: usize, limit: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut breaks = 0;
    while pos < limit {
        if bytes[pos] == b'\\' {
            let slashes = bytes[pos..limit]
                .iter()
                .take_while(|&&b| b == b'\\')
                .count();
            let Some(&letter @ (b'n' | b'r' | b't')) = bytes[pos + slashes..limit].first() else {
                break;
            };
            breaks += usize::from(letter == b'n');
            pos += slashes + 1;
            continue;
        }
        let mut chars = text[pos..limit].chars();
        let Some(c) = chars.next() else { break };
        if !(is_space(c) || is_line_mark(c)) {
            break;
        }
        breaks += usize::from(is_break(c, chars.next()));
        pos += c.len_utf8();
    }
    (pos, breaks)
}

/// [`separator_after`], walking backwards from `pos` to no further than
/// `floor`.
fn separator_before(text: &str, mut pos: usize, floor: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut breaks = 0;
    while pos > floor {
        let letter = bytes[pos - 1];
        if matches!(letter, b'n' | b'r' | b't') {
            let slashes = bytes[floor..pos - 1]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if slashes > 0 {
                breaks += usize::from(letter == b'n');
                pos -= slashes + 1;
                continue;
            }
        }
        let Some(c) = text[floor..pos].chars().next_back() else {
            break;
        };
        if !(is_space(c) || is_line_mark(c)) {
            break;
        }
        breaks += usize::from(is_break(c, text[pos..].chars().next()));
        pos -= c.len_utf8();
    }
    (pos, breaks)
}

/// The end of a header line (`Name: value`) starting at `from`, before its
/// line break (escaped or not).
fn header_after(text: &str, from: usize, limit: usize) -> Option<usize> {
    let line = &text.as_bytes()[from..limit];
    let name = line
        .iter()
        .take(25)
        .take_while(|&&b| b.is_ascii_alphabetic() || b == b'-')
        .count();
    if name == 0 || !line[name..].starts_with(b": ") {
        return None;
    }
    let value_start = from + name + 2;
    let mut end = value_start;
    let mut chars = text[value_start..limit].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let escaped_break = c == '\\' && matches!(chars.peek(), Some((_, 'n' | 'r' | '\\')));
        if c.is_control() || escaped_break || i >= 128 {
            break;
        }
        end = value_start + i + c.len_utf8();
    }
    (end > value_start).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n\
                        KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm";

    fn begin(text: &str) -> Option<&str> {
        let at = text.find(BEGIN)?;
        from_begin(text, at).map(|r| &text[r])
    }

    fn end(text: &str) -> Option<&str> {
        let at = text.find(END)?;
        from_end(text, at).map(|r| &text[r])
    }

    #[test]
    fn markers_name_private_keys_only() {
        let text = |kind: &str| format!("-----BEGIN {kind}-----\n{BODY}\n-----END {kind}-----");
        for kind in [
            "RSA PRIVATE KEY",
            "PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "PGP PRIVATE KEY BLOCK",
        ] {
            let t = text(kind);
            assert_eq!(begin(&t), Some(t.as_str()), "{kind}");
            assert_eq!(end(&t), Some(&t[kind.len() + 17..]), "{kind}");
        }
        for kind in ["CERTIFICATE", "PUBLIC KEY", "RSA PUBLIC KEY", "private key"] {
            let t = text(kind);
            assert_eq!(begin(&t), None, "{kind}");
            assert_eq!(end(&t), None, "{kind}");
        }
        let long_kind = format!("-----BEGIN {} PRIVATE KEY-----\n{BODY}", "A".repeat(24));
        assert_eq!(begin(&long_kind), None);
        assert_eq!(begin("-----BEGIN PRIVATE KEY-----"), None);
        assert_eq!(begin("-----BEGIN PRIVATE KEY"), None);
    }

    #[test]
    fn a_truncated_key_loses_its_material_and_keeps_the_prose_after_it() {
        let t = format!("key:\n-----BEGIN RSA PRIVATE KEY-----\n{BODY}\n\n\nthanks, Jan");
        assert_eq!(
            begin(&t),
            Some(format!("-----BEGIN RSA PRIVATE KEY-----\n{BODY}").as_str())
        );
        let one_line = "-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC BKcwggSjAgEAAoIBAQC7 Xw== is all I have";
        assert_eq!(
            begin(one_line),
            Some(
                "-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC BKcwggSjAgEAAoIBAQC7 Xw=="
            )
        );
        let headers = format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n{BODY}\nnext"
        );
        assert!(
            begin(&headers)
                .unwrap()
                .ends_with("QJAIJLixBy2qpFoS4DSmoEm")
        );
    }

    #[test]
    fn escaped_quoted_and_indented_keys_are_walked() {
        let escaped = format!(
            "{{\"key\":\"-----BEGIN EC PRIVATE KEY-----\\n{}\\n\"}}",
            BODY.replace('\n', "\\n")
        );
        assert!(begin(&escaped).unwrap().ends_with("DSmoEm"));
        let quoted = format!(
            "> {}\n> -----END RSA PRIVATE KEY-----",
            BODY.replace('\n', "\n> ")
        );
        assert_eq!(end(&quoted), Some(&quoted[2..]));
        let yaml = format!(
            "  key: |\n    {}\n    -----END PRIVATE KEY-----",
            BODY.replace('\n', "\n    ")
        );
        assert!(end(&yaml).unwrap().starts_with("MIIBOg"));
    }

    #[test]
    fn a_long_key_is_covered_by_its_two_walks() {
        let line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2";
        let lines = vec![line; 120].join("\n");
        let t = format!("-----BEGIN RSA PRIVATE KEY-----\n{lines}\n-----END RSA PRIVATE KEY-----");
        let head = from_begin(&t, 0).unwrap();
        let tail = from_end(&t, t.find(END).unwrap()).unwrap();
        assert!(head.end - head.start <= MAX_SIDE && tail.end - tail.start <= MAX_SIDE);
        assert_eq!((head.start, tail.end), (0, t.len()));
        assert!(tail.start <= head.end, "the walks meet: {head:?} {tail:?}");
    }

    #[test]
    fn a_key_closed_in_reach_is_taken_to_its_end_marker() {
        let t = "-----BEGIN PRIVATE KEY-----\n[snip: 12 lines]\n-----END PRIVATE KEY----- done";
        assert_eq!(begin(t), Some(&t[..t.len() - 5]));
        // Not across text that is not printable ASCII.
        let t = format!("-----BEGIN PRIVATE KEY-----\n{BODY}\nnö\n-----END PRIVATE KEY-----");
        assert!(begin(&t).unwrap().ends_with("DSmoEm"));
    }

    /// A key too long for the END marker to lie within a walk's reach, its
    /// lines joined by `separator`.
    fn long_key(separator: &str) -> (String, Vec<String>) {
        let lines: Vec<String> = (0..100)
            .map(|i| format!("{i:04}{}", &BODY[4..64]))
            .collect();
        let text = format!(
            "-----BEGIN RSA PRIVATE KEY-----{separator}{}{separator}-----END RSA PRIVATE KEY-----",
            lines.join(separator)
        );
        (text, lines)
    }

    fn covered(text: &str) -> Vec<Range<usize>> {
        let head = from_begin(text, text.find(BEGIN).unwrap());
        let tail = from_end(text, text.find(END).unwrap());
        head.into_iter().chain(tail).collect()
    }

    #[test]
    fn long_keys_are_walked_across_every_kind_of_line_break() {
        for separator in [
            "\n",
            "\r\n",
            "\r",
            "\n\u{a0}\u{a0}",
            "\u{2028}",
            "\n\u{200b}",
            "\\n",
            "\\\\r\\\\n",
            "\n# ",
            "\n| ",
            "\n> > ",
            "\n * ",
            // An Outlook paragraph joined into text: its break, the
            // source's, the next paragraph's.
            "\n\r\n\n",
        ] {
            let (text, lines) = long_key(separator);
            let spans = covered(&text);
            for line in &lines {
                let at = text.find(line.as_str()).unwrap();
                assert!(
                    spans
                        .iter()
                        .any(|s| s.start <= at && at + line.len() <= s.end),
                    "{line} left by {separator:?}: {spans:?}"
                );
            }
        }
    }

    #[test]
    fn headers_of_any_text_belong_to_the_key() {
        let t = format!(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: C:\\Users\\jan\\key.asc \u{e9}t\u{e9}\n\n{BODY}\n"
        );
        assert!(begin(&t).unwrap().ends_with("DSmoEm"));
        let t = "-----BEGIN RSA PRIVATE KEY-----\rProc-Type: 4,ENCRYPTED\rDEK-Info: AES-128-CBC,3F17F5316E2BAC89\r\rthanks";
        assert_eq!(begin(t), Some(&t[..t.find("\r\rthanks").unwrap()]));
    }

    #[test]
    fn prose_around_a_key_stays() {
        let t = format!("See below\n{BODY}\n-----END RSA PRIVATE KEY-----");
        assert_eq!(end(&t), Some(&t[10..]));
        let t = format!("-----BEGIN RSA PRIVATE KEY-----\n{BODY}\n\nThanks for looking");
        assert!(begin(&t).unwrap().ends_with("DSmoEm"));
        let t = format!(
            "{{\"k\":\"{}\\n-----END RSA PRIVATE KEY-----\"}}",
            BODY.replace('\n', "\\n").replace('/', "\\/")
        );
        assert_eq!(end(&t), Some(&t[6..t.len() - 2]));
    }

    #[test]
    fn no_walk_panics_or_leaves_its_bounds() {
        let pieces = [
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----END RSA PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY BLOCK-----",
            "-----END",
            "-----BEGIN ",
            "\n",
            "\\n",
            "\\",
            " ",
            "> ",
            "\r\n",
            "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLI",
            "Xw==",
            "é",
            "\u{a0}",
            "\u{2028}",
            "\r",
            "# ",
            "\\/",
            "Proc-Type: 4,ENCRYPTED",
            "Comment: C:\\x é",
            "thanks",
        ];
        let mut state = 0x2545_f491_u32;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        for _ in 0..5000 {
            let len = next() % 300;
            let text: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
            for (at, _) in text.match_indices("-----") {
                let walks = [from_begin(&text, at), from_end(&text, at)];
                for r in walks.into_iter().flatten() {
                    assert!(r.start <= at && at < r.end && r.end <= text.len());
                    assert!(r.end - r.start <= MAX_SIDE, "{r:?}");
                    assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                }
            }
        }
    }
}
