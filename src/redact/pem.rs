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

use super::rules::MAX_MATCH_LEN;

/// The keywords that wake the finder (the automaton folds ASCII case; the
/// markers themselves are matched exactly).
pub const BEGIN: &str = "-----BEGIN";
pub const END: &str = "-----END";

/// How far a walk from a marker goes, marker included: the engine's bound on
/// a match, so that a streaming window always holds a walk whole.
pub const MAX_SIDE: usize = MAX_MATCH_LEN;

/// Header lines (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`, `Version: …`)
/// allowed between a BEGIN marker and the key material.
const MAX_HEADERS: usize = 2;

/// Line breaks one separator may hold: one blank line (after PGP headers)
/// but not two, which end the block.
const MAX_BREAKS: usize = 2;

/// A token on the same line as the one before it is key material only if it
/// is this long or holds a digit, `+`, `/` or `=`: a single-line paste splits
/// a key into 64-character pieces, and prose words after a truncated key
/// stay.
const MIN_INLINE_TOKEN: usize = 16;

/// The key block opened by the BEGIN marker at `at`: up to its END marker
/// when that lies within reach with only printable ASCII in between,
/// otherwise the marker and the key material that follows it. `None` when
/// `at` holds no private-key BEGIN marker or no key material follows it.
pub fn from_begin(text: &str, at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let body = marker_end(bytes, at, BEGIN)?;
    let limit = (at + MAX_SIDE).min(bytes.len());
    if let Some(end) = closing_marker(bytes, body, limit) {
        return Some(at..end);
    }
    let mut pos = body;
    let mut end = None;
    let mut headers = 0;
    loop {
        let (start, breaks) = separator_after(bytes, pos, limit);
        if breaks > MAX_BREAKS {
            break;
        }
        if breaks > 0
            && end.is_none()
            && headers < MAX_HEADERS
            && let Some(line_end) = header_after(bytes, start, limit)
        {
            headers += 1;
            pos = line_end;
            continue;
        }
        let token_end = run_end(bytes, start, limit);
        let token = &bytes[start..token_end];
        let first = end.is_none() && start == body;
        if token.is_empty() || !(first || breaks > 0 || looks_like_key(token)) {
            break;
        }
        end = Some(token_end);
        pos = token_end;
    }
    end.map(|end| at..end)
}

/// The key material before the END marker at `at`, with the marker. `None`
/// when `at` holds no private-key END marker or nothing key-like precedes it.
pub fn from_end(text: &str, at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let marker_end = marker_end(bytes, at, END)?;
    let floor = marker_end.saturating_sub(MAX_SIDE);
    let mut pos = at;
    let mut start = None;
    loop {
        let (token_end, breaks) = separator_before(bytes, pos, floor);
        if breaks > MAX_BREAKS {
            break;
        }
        let token_start = run_start(bytes, token_end, floor);
        let token = &bytes[token_start..token_end];
        let first = start.is_none();
        if token.is_empty() || !(first || breaks > 0 || looks_like_key(token)) {
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

/// The end of the first private-key END marker in `from..limit`, when every
/// byte before it is printable ASCII, a tab or a line break.
fn closing_marker(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    let window = &bytes[from..limit];
    let printable = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E);
    let mut offset = 0;
    while let Some(found) = memchr::memmem::find(&window[offset..], END.as_bytes()) {
        let at = offset + found;
        if !window[offset..at].iter().all(printable) {
            return None;
        }
        if let Some(end) = marker_end(bytes, from + at, END).filter(|&end| end <= limit) {
            return Some(end);
        }
        offset = at + 1;
    }
    None
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

fn looks_like_key(token: &[u8]) -> bool {
    token.len() >= MIN_INLINE_TOKEN
        || (token.len() >= 2
            && token
                .iter()
                .any(|b| b.is_ascii_digit() || matches!(b, b'+' | b'/' | b'=')))
}

fn run_end(bytes: &[u8], from: usize, limit: usize) -> usize {
    from + bytes[from..limit]
        .iter()
        .take_while(|&&b| is_key_byte(b))
        .count()
}

fn run_start(bytes: &[u8], to: usize, floor: usize) -> usize {
    to - bytes[floor..to]
        .iter()
        .rev()
        .take_while(|&&b| is_key_byte(b))
        .count()
}

/// Skips what may separate two pieces of key material: spaces, tabs, line
/// breaks (also escaped: `\n`, `\r`, `\t`), and `>` quote marks. Returns
/// where the next piece starts and how many line breaks were crossed.
fn separator_after(bytes: &[u8], mut pos: usize, limit: usize) -> (usize, usize) {
    let mut breaks = 0;
    while pos < limit {
        match bytes[pos] {
            b'\n' => breaks += 1,
            b' ' | b'\t' | b'\r' | b'>' => {}
            b'\\' if pos + 1 < limit && matches!(bytes[pos + 1], b'n' | b'r' | b't') => {
                breaks += usize::from(bytes[pos + 1] == b'n');
                pos += 1;
            }
            _ => break,
        }
        pos += 1;
    }
    (pos, breaks)
}

/// [`separator_after`], walking backwards from `pos` to no further than
/// `floor`.
fn separator_before(bytes: &[u8], mut pos: usize, floor: usize) -> (usize, usize) {
    let mut breaks = 0;
    while pos > floor {
        match bytes[pos - 1] {
            b'\n' => breaks += 1,
            b' ' | b'\t' | b'\r' | b'>' => {}
            b'n' | b'r' | b't' if pos - 1 > floor && bytes[pos - 2] == b'\\' => {
                breaks += usize::from(bytes[pos - 1] == b'n');
                pos -= 1;
            }
            _ => break,
        }
        pos -= 1;
    }
    (pos, breaks)
}

/// The end of a header line (`Name: value`) starting at `from`, before its
/// line break.
fn header_after(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    let line = &bytes[from..limit];
    let name = line
        .iter()
        .take(25)
        .take_while(|&&b| b.is_ascii_alphabetic() || b == b'-')
        .count();
    if name == 0 || !line[name..].starts_with(b": ") {
        return None;
    }
    let value = line[name + 2..]
        .iter()
        .take(80)
        .take_while(|&&b| (0x20..=0x7E).contains(&b) && b != b'\\')
        .count();
    (value > 0).then_some(from + name + 2 + value)
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
                .ends_with("QJAIJLixBy2qpFoS4DSmoEm\nnext")
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
        assert!(begin(&t).unwrap().ends_with("DSmoEm\nn"));
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
            "Proc-Type: 4,ENCRYPTED",
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
