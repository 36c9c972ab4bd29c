//! Structure-aware JSON redaction: every string (keys too) is decoded,
//! searched and rewritten in place; values under secret-sounding keys go
//! whole. Everything that is not redacted stays byte for byte, and the
//! output is valid JSON whenever the input was.

use std::collections::HashMap;
use std::ops::Range;

use super::decode::{self, Escapes, View};
use super::engine::Finding;
use super::html;
use super::keys;
use super::redactor::{Redacted, Redactor};
use super::rules::{Class, selected_field_rule};
use super::select::{self, Step};
use super::view::Treatment;

/// Objects and arrays nested deeper than this are refused.
pub const MAX_DEPTH: usize = 128;

/// Why a JSON document could not be redacted. Never quotes the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("invalid JSON at byte {offset}: {expected}")]
    Syntax {
        offset: usize,
        expected: &'static str,
    },
    #[error("JSON nested deeper than {MAX_DEPTH} levels (at byte {offset})")]
    TooDeep { offset: usize },
}

/// One rewrite of the input: replace `span` with `text`.
struct Edit {
    span: Range<usize>,
    text: String,
    /// One, or several for an HTML string rewritten whole.
    findings: Vec<Finding>,
}

/// Redacts a JSON document.
///
/// # Errors
/// [`JsonError`] when `input` is not a single valid JSON value (RFC 8259) or
/// nests deeper than [`MAX_DEPTH`]; nothing is returned then.
pub fn redact_json(redactor: &Redactor, input: &str) -> Result<Redacted, JsonError> {
    let mut walker = Walker {
        redactor,
        b: input.as_bytes(),
        text: input,
        i: 0,
        edits: Vec::new(),
        selected: selected_fields(redactor, input),
        path: Vec::new(),
        forced: None,
        seen: Seen::default(),
        members: Vec::new(),
    };
    walker.skip_ws();
    walker.value(None, false, 0)?;
    walker.skip_ws();
    if walker.i != walker.b.len() {
        return Err(walker.error("end of input after the top-level value"));
    }
    let mut output = String::with_capacity(input.len());
    let mut findings = Vec::with_capacity(walker.edits.len());
    let mut last = 0;
    for edit in walker.edits {
        output.push_str(&input[last..edit.span.start]);
        output.push_str(&edit.text);
        last = edit.span.end;
        findings.extend(edit.findings);
    }
    output.push_str(&input[last..]);
    Ok(Redacted { output, findings })
}

/// The locations the view's field selectors pick in `input`, and their
/// classes. Empty without selectors, and for input that is not JSON (the
/// walker reports that).
fn selected_fields(redactor: &Redactor, input: &str) -> HashMap<Vec<Step>, Class> {
    match redactor.view() {
        Some(view) if !view.fields.is_empty() => match serde_json::from_str(input) {
            Ok(document) => select::locate(&view.fields, &document),
            Err(_) => HashMap::new(),
        },
        _ => HashMap::new(),
    }
}

struct Walker<'a> {
    redactor: &'a Redactor,
    text: &'a str,
    b: &'a [u8],
    i: usize,
    edits: Vec<Edit>,
    /// Selected fields by location; the walker tracks `path` only when
    /// there are any.
    selected: HashMap<Vec<Step>, Class>,
    path: Vec<Step>,
    /// The class of a selected object or array being walked: every value
    /// inside it belongs to it.
    forced: Option<Class>,
    seen: Seen<'a>,
    /// The members of the objects being walked that may hold a value a
    /// sibling names, innermost object last.
    members: Vec<Member>,
}

/// A string or number member whose key holds a named value
/// (`keys::holds_named_value`), kept until its object ends: a sibling
/// such as `"type": "BSN"` may say what it is.
struct Member {
    key: Range<usize>,
    /// The string's content between the quotes, or the number.
    span: Range<usize>,
    string: bool,
    /// The edits the member's own search made.
    edits: Range<usize>,
}

/// What the key an object sits under says about the object's members.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holder {
    Plain,
    /// The value of a cookie key (`"cookies": {"sid": "…"}`): each member
    /// is a cookie, named by its key.
    CookieJar,
    /// An item of a cookie list (a HAR's `"cookies": [{"name": "sid",
    /// "value": "…"}]`): its named value is a cookie.
    Cookie,
}

impl Holder {
    /// The holder of an object that is the value of `key`, or an item of
    /// the array that is (`item`). A cookie's own name seldom says what it
    /// is (`sid`, `_gh_sess`), and every cookie in a jar may be a session:
    /// the key that holds the jar does. The key must end in the word
    /// (`cookies`, `requestCookies`): `cookie_policy` holds settings.
    fn of(key: Option<&str>, item: bool) -> Holder {
        // Every object is asked: split the key into words only when its
        // last letters (separators, which end no word, trimmed) spell one.
        let ends_in = |key: &str, word: &str| {
            let key = key
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .as_bytes();
            key.len() >= word.len()
                && key[key.len() - word.len()..].eq_ignore_ascii_case(word.as_bytes())
        };
        let is_cookie_key = key.is_some_and(|key| {
            (ends_in(key, "cookie") || ends_in(key, "cookies"))
                && keys::split_words(key)
                    .last()
                    .is_some_and(|word| word == "cookie" || word == "cookies")
        });
        match (is_cookie_key, item) {
            (false, _) => Holder::Plain,
            (true, false) => Holder::CookieJar,
            (true, true) => Holder::Cookie,
        }
    }
}

/// True when `raw` (a JSON string's content) can be a cookie's value: RFC
/// 6265 cookie-octets only, so no space, comma, semicolon, quote or
/// backslash. A jar's settings (`"expires": "Thu, 12 Mar 2026 …"`, a
/// banner's text) are not cookies, and the entropy check alone took them.
fn is_cookie_value(raw: &str) -> bool {
    !raw.is_empty()
        && raw
            .bytes()
            .all(|b| matches!(b, 0x21..=0x7E) && !matches!(b, b'"' | b',' | b';' | b'\\'))
}

/// Naming values longer than this are text, not a name.
const MAX_NAME_LEN: usize = 64;

/// Findings of the strings already searched in this document. Tools send
/// one text several times (Zendesk's `body` and `plain_body`, a status or a
/// requester's name in every ticket of a list), and a string's findings
/// depend only on its text and on whether its key holds a context word.
#[derive(Default)]
struct Seen<'a> {
    /// By the key's role and the string as the document writes it, between
    /// the quotes (borrowed, never copied): the same raw string decodes to
    /// the same text.
    findings: HashMap<(KeyRole, &'a str), Vec<Finding>>,
}

/// What a string's key means to detection.
#[derive(Clone, PartialEq, Eq, Hash)]
enum KeyRole {
    None,
    /// No word of the key is a context word of any rule.
    Neutral,
    Named(String),
}

impl<'a> Seen<'a> {
    /// The most strings remembered, so that a huge document of distinct
    /// strings does not grow the map without bound; when full, it starts
    /// over (repeats sit close together: one comment's fields, one ticket
    /// of a list).
    const MAX_ENTRIES: usize = 1 << 16;
    /// Shorter strings (keys, statuses, ids) are searched again: about as
    /// cheap as remembering them.
    const MIN_LEN: usize = 32;

    /// The findings in `view`, the decoded form of `raw`: searched once
    /// per document and key role.
    fn find(
        &mut self,
        redactor: &Redactor,
        raw: &'a str,
        view: &View<'_>,
        key: Option<&str>,
    ) -> Vec<Finding> {
        if raw.len() < Self::MIN_LEN {
            return redactor.find_in_value(&view.text, key);
        }
        let role = match key {
            None => KeyRole::None,
            Some(k) if redactor.detector().is_neutral_key(k) => KeyRole::Neutral,
            Some(k) => KeyRole::Named(k.to_string()),
        };
        let entry = (role, raw);
        if let Some(found) = self.findings.get(&entry) {
            return found.clone();
        }
        let found = redactor.find_in_value(&view.text, key);
        if self.findings.len() == Self::MAX_ENTRIES {
            self.findings.clear();
        }
        self.findings.insert(entry, found.clone());
        found
    }
}

impl Walker<'_> {
    fn error(&self, expected: &'static str) -> JsonError {
        JsonError::Syntax {
            offset: self.i,
            expected,
        }
    }

    /// The content of the string token at the cursor, when there is one
    /// and it holds no escape (an escaped string is never a cookie value).
    fn peek_string(&self) -> Option<&str> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let len = memchr::memchr2(b'"', b'\\', &self.b[start..])?;
        (self.b[start + len] == b'"').then(|| &self.text[start..start + len])
    }

    fn skip_ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eat(&mut self, byte: u8, expected: &'static str) -> Result<(), JsonError> {
        if self.b.get(self.i) == Some(&byte) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// The class a field selector gives the value at the current path.
    fn selected_here(&self) -> Option<Class> {
        if self.selected.is_empty() {
            return None;
        }
        self.selected.get(&self.path).copied().max(self.forced)
    }

    /// One value; `key` is the name of the member it belongs to, directly
    /// or as an `item` of the array that is.
    fn value(&mut self, key: Option<&str>, item: bool, depth: usize) -> Result<(), JsonError> {
        let selected = self.selected_here();
        match self.b.get(self.i) {
            Some(b'{' | b'[') => {
                let outer = self.forced;
                self.forced = selected;
                let walked = if self.b[self.i] == b'{' {
                    self.object(Holder::of(key, item), depth + 1)
                } else {
                    self.array(key, depth + 1)
                };
                self.forced = outer;
                walked
            }
            Some(b'"') => {
                let content = self.string()?;
                match selected {
                    Some(class) => self.redact_selected(content, class, true),
                    None => self.redact_string(content, key),
                }
                Ok(())
            }
            Some(b'-' | b'0'..=b'9') => {
                let span = self.number()?;
                match selected {
                    Some(class) => self.redact_selected(span, class, false),
                    None => self.redact_scalar(span, key),
                }
                Ok(())
            }
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            _ => Err(self.error("a value")),
        }
    }

    fn object(&mut self, holder: Holder, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep { offset: self.i });
        }
        self.i += 1;
        self.skip_ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(());
        }
        let first_member = self.members.len();
        let mut names: Vec<Range<usize>> = Vec::new();
        loop {
            if self.b.get(self.i) != Some(&b'"') {
                return Err(self.error("a string key"));
            }
            let key_span = self.string()?;
            let key = decode::decode(&self.text[key_span.clone()], Escapes::JSON).text;
            self.redact_string(key_span.clone(), None);
            self.skip_ws();
            self.eat(b':', "`:` after an object key")?;
            self.skip_ws();
            let tracking = !self.selected.is_empty();
            if tracking {
                self.path.push(Step::Member(key.to_string()));
            }
            let (start, first_edit) = (self.i, self.edits.len());
            let selected = self.selected_here().is_some();
            if holder == Holder::CookieJar && self.peek_string().is_some_and(is_cookie_value) {
                self.value(Some(&format!("cookie {key}")), false, depth)?;
            } else {
                self.value(Some(&key), false, depth)?;
            }
            if tracking {
                self.path.pop();
            }
            let scalar = match self.b[start] {
                b'"' => Some((start + 1..self.i - 1, true)),
                b'-' | b'0'..=b'9' => Some((start..self.i, false)),
                _ => None,
            };
            match scalar {
                Some((span, true))
                    if span.len() <= MAX_NAME_LEN && keys::names_its_object(&key) =>
                {
                    names.push(span);
                }
                Some((span, string)) if !selected && keys::holds_named_value(&key) => {
                    self.members.push(Member {
                        key: key_span,
                        span,
                        string,
                        edits: first_edit..self.edits.len(),
                    });
                }
                _ => {}
            }
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.skip_ws();
                }
                Some(b'}') => {
                    self.i += 1;
                    self.redact_named_members(first_member, &names, holder);
                    return Ok(());
                }
                _ => return Err(self.error("`,` or `}` in an object")),
            }
        }
    }

    /// Judges the value members of the object just walked (from
    /// `first_member` on) under the names its naming members give them:
    /// `{"type": "BSN", "number": "…"}` is read as a member `BSN number`.
    /// A key-name rule that claims the value replaces what its own search
    /// found with the whole value.
    fn redact_named_members(
        &mut self,
        first_member: usize,
        names: &[Range<usize>],
        holder: Holder,
    ) {
        if names.is_empty() {
            self.members.truncate(first_member);
            return;
        }
        let name = names
            .iter()
            .map(|span| decode::decode(&self.text[span.clone()], Escapes::JSON).text)
            .collect::<Vec<_>>()
            .join(" ");
        // In a cookie list, the name of each value that can be a cookie's.
        let cookie_name = (holder == Holder::Cookie).then(|| format!("cookie {name}"));
        // Last first, so that splicing one member's edits leaves the
        // positions of the earlier members' edits as they were.
        for member in self.members.split_off(first_member).into_iter().rev() {
            let key = decode::decode(&self.text[member.key.clone()], Escapes::JSON).text;
            let raw = &self.text[member.span.clone()];
            let value = if member.string {
                decode::decode(raw, Escapes::JSON).text
            } else {
                raw.into()
            };
            let name = match &cookie_name {
                Some(cookie) if member.string && is_cookie_value(raw) => cookie,
                _ => &name,
            };
            let Some(finding) =
                self.key_finding(Some(&format!("{name} {key}")), &value, member.span.clone())
            else {
                continue;
            };
            if let [own] = &self.edits[member.edits.clone()]
                && own.span == member.span
            {
                continue;
            }
            let edit = self.whole_edit(finding, &value, member.string);
            self.edits.splice(member.edits, [edit]);
        }
    }

    fn array(&mut self, key: Option<&str>, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep { offset: self.i });
        }
        self.i += 1;
        self.skip_ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(());
        }
        let tracking = !self.selected.is_empty();
        let mut index = 0;
        loop {
            if tracking {
                self.path.push(Step::Index(index));
            }
            // Items of an array belong to the array's key: `"emails": [...]`.
            self.value(key, true, depth)?;
            if tracking {
                self.path.pop();
            }
            index += 1;
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.skip_ws();
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.error("`,` or `]` in an array")),
            }
        }
    }

    /// A string token; returns the span of its content between the quotes.
    fn string(&mut self) -> Result<Range<usize>, JsonError> {
        self.i += 1;
        let start = self.i;
        loop {
            let Some(pos) = memchr::memchr3(b'"', b'\\', b'\n', &self.b[self.i..]) else {
                self.i = self.b.len();
                return Err(self.error("`\"` closing a string"));
            };
            // Control characters are not allowed raw inside strings.
            if let Some(ctl) = self.b[self.i..self.i + pos].iter().position(|&c| c < 0x20) {
                self.i += ctl;
                return Err(self.error("an escaped control character in a string"));
            }
            self.i += pos;
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Ok(start..self.i - 1);
                }
                b'\\' => {
                    self.i += 1;
                    match self.b.get(self.i) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            let hex = self.b.get(self.i + 1..self.i + 5);
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                return Err(self.error("four hex digits after `\\u`"));
                            }
                            self.i += 5;
                        }
                        _ => return Err(self.error("a valid escape after `\\`")),
                    }
                }
                _ => return Err(self.error("an escaped control character in a string")),
            }
        }
    }

    fn number(&mut self) -> Result<Range<usize>, JsonError> {
        let start = self.i;
        let digits = |w: &mut Self| {
            let s = w.i;
            while w.i < w.b.len() && w.b[w.i].is_ascii_digit() {
                w.i += 1;
            }
            w.i - s
        };
        if self.b[self.i] == b'-' {
            self.i += 1;
        }
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.error("a digit")),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(self.error("a digit after `.`"));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("a digit in the exponent"));
            }
        }
        Ok(start..self.i)
    }

    fn literal(&mut self, word: &'static str) -> Result<(), JsonError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.error("true, false or null"))
        }
    }

    /// The key-name rule finding that claims this member's value, if any.
    fn key_finding(&self, key: Option<&str>, value: &str, span: Range<usize>) -> Option<Finding> {
        self.redactor.key_finding(key?, value, span)
    }

    /// A string's content or a number that a field selector put into
    /// `class`: redacted whole. A secret inside it makes it secret, so that
    /// revealing the field never reveals a secret.
    fn redact_selected(&mut self, span: Range<usize>, class: Class, string: bool) {
        let raw = &self.text[span.clone()];
        let value = if string {
            decode::decode(raw, Escapes::JSON).text
        } else {
            raw.into()
        };
        let class = if class != Class::Secret
            && self
                .redactor
                .find_in_text(&value)
                .iter()
                .any(|f| f.class == Class::Secret)
        {
            Class::Secret
        } else {
            class
        };
        let finding = Finding {
            rule: self.redactor.given_rule(selected_field_rule(class)),
            class,
            span: span.clone(),
        };
        self.push_whole(finding, &value, string);
    }

    /// Rewrites a whole string content or number.
    fn push_whole(&mut self, finding: Finding, value: &str, string: bool) {
        let edit = self.whole_edit(finding, value, string);
        self.edits.push(edit);
    }

    /// The edit that replaces a whole string content or number; a number
    /// that is not revealed becomes a string placeholder.
    fn whole_edit(&self, finding: Finding, value: &str, string: bool) -> Edit {
        let replacement = self.redactor.replacement(&finding, value);
        let text = if string {
            escape(&replacement)
        } else if self.redactor.treatment(finding.class) == Treatment::Reveal {
            replacement
        } else {
            format!("\"{}\"", escape(&replacement))
        };
        Edit {
            span: finding.span.clone(),
            text,
            findings: vec![finding],
        }
    }

    fn redact_string(&mut self, content: Range<usize>, key: Option<&str>) {
        let raw = &self.text[content.clone()];
        let view = decode::decode(raw, Escapes::JSON);
        if let Some(finding) = self.key_finding(key, &view.text, content.clone()) {
            self.push_whole(finding, &view.text, true);
            return;
        }
        // Tools put HTML in JSON (Zendesk's `html_body`): read as text, a
        // `<br>` or `</p>` would hide where a labelled name ends.
        if html::looks_like_html(&view.text) {
            for edit in html::html_edits(self.redactor, &view.text) {
                let raw_span = view.raw_span(edit.span);
                let span = content.start + raw_span.start..content.start + raw_span.end;
                let findings = edit
                    .findings
                    .into_iter()
                    .map(|f| {
                        let raw = view.raw_span(f.span.clone());
                        Finding {
                            span: content.start + raw.start..content.start + raw.end,
                            ..f
                        }
                    })
                    .collect();
                self.edits.push(Edit {
                    span,
                    text: escape(&edit.text),
                    findings,
                });
            }
            return;
        }
        for mut finding in self.seen.find(self.redactor, raw, &view, key) {
            let value = &view.text[finding.span.clone()];
            let text = escape(&self.redactor.replacement(&finding, value));
            let raw_span = view.raw_span(finding.span.clone());
            finding.span = content.start + raw_span.start..content.start + raw_span.end;
            self.edits.push(Edit {
                span: finding.span.clone(),
                text,
                findings: vec![finding],
            });
        }
    }

    /// A number under a secret-sounding key, or one that is itself a card or
    /// phone number, becomes a string placeholder.
    fn redact_scalar(&mut self, span: Range<usize>, key: Option<&str>) {
        let raw = &self.text[span.clone()];
        let finding = match self.key_finding(key, raw, span.clone()) {
            Some(finding) => finding,
            None => match self.redactor.find_in_value(raw, key).into_iter().next() {
                Some(mut f) => {
                    f.span = span.clone();
                    f
                }
                None => return,
            },
        };
        self.push_whole(finding, raw, false);
    }
}

/// Escapes text for the inside of a JSON string.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::packs::{self, PackSource};

    fn default_redactor() -> Redactor {
        Redactor::new(
            packs::load(&PackSource::default()).expect("default packs load"),
            None,
        )
        .expect("detector builds")
    }

    fn redacted(redactor: &Redactor, doc: &str) -> String {
        let out = redact_json(redactor, doc).expect("valid JSON").output;
        serde_json::from_str::<serde_json::Value>(&out).expect("output is JSON");
        out
    }

    /// Asserts that none of `gone` and all of `kept` are in `out`.
    fn assert_gone_and_kept(out: &str, gone: &[&str], kept: &[&str]) {
        for value in gone {
            assert!(!out.contains(value), "{value} left in {out}");
        }
        for part in kept {
            assert!(out.contains(part), "{part} lost from {out}");
        }
    }

    #[test]
    fn a_sibling_that_names_the_object_says_what_its_value_is() {
        let redactor = default_redactor();
        // 123456782 passes the BSN 11-proef; 010190-1234 reads as a CPR
        // date; the value's own key (`number`) says nothing.
        for (doc, value) in [
            (r#"{"type":"BSN","number":"123456782"}"#, "123456782"),
            // The name may come after the value, or be escaped.
            (r#"{"number":"123456782","type":"BSN"}"#, "123456782"),
            (r#"{"type":"B\u0053N","number":"123456782"}"#, "123456782"),
            (r#"{"document_type":"BSN","number":123456782}"#, "123456782"),
            (
                r#"{"d":{"type":"CPR-nr.","number":"010190-1234"}}"#,
                "010190-1234",
            ),
            (
                r#"{"system":"http://fhir.nl/fhir/NamingSystem/bsn","value":"123456782"}"#,
                "123456782",
            ),
            // HAR files carry headers, cookies and form fields this way.
            (
                r#"{"params":[{"name":"password","value":"hunter2!x"}]}"#,
                "hunter2!x",
            ),
        ] {
            let out = redacted(&redactor, doc);
            assert!(!out.contains(value), "{value} left in {out}");
        }
    }

    #[test]
    fn a_named_value_is_still_judged_by_the_rule_it_is_named_for() {
        let redactor = default_redactor();
        for doc in [
            // Fails the 11-proef.
            r#"{"type":"BSN","number":"123456783"}"#,
            // `id` is the record's own id, not the named value.
            r#"{"type":"BSN","id":"123456782"}"#,
            // Names nothing a rule knows.
            r#"{"name":"Accept","value":"text/html"}"#,
        ] {
            assert_eq!(redacted(&redactor, doc), doc);
        }
    }

    #[test]
    fn every_cookie_of_a_jar_or_a_list_is_judged_as_a_cookie() {
        let redactor = default_redactor();
        // A cookie's own name seldom says it is a session (`sid`,
        // `_gh_sess`); the key holding the jar or the list does. HAR files
        // list cookies as name/value objects; request dumps as a map.
        let doc = r#"{"request":{"cookies":[{"name":"sid","value":"s%3AkP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0.Xy7Qw","path":"/","domain":".app.example.com","expires":"2025-03-12T10:22:01.000Z","httpOnly":true,"secure":true},{"name":"theme","value":"dark"}]},"response":{"cookies":{"_gh_sess":"Zx81Lk29Qp47Mn03Vb56aQ","consent":"granted"}},"cookies":"sid=8f3k2j5h6g7f8d9s; theme=dark"}"#;
        assert_gone_and_kept(
            &redacted(&redactor, doc),
            &[
                "kP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0",
                "Zx81Lk29Qp47Mn03Vb56aQ",
                "8f3k2j5h6g7f8d9s",
            ],
            &[
                r#""name":"sid""#,
                r#""path":"/""#,
                r#""domain":".app.example.com""#,
                r#""expires":"2025-03-12T10:22:01.000Z""#,
                r#""name":"theme","value":"dark""#,
                r#""consent":"granted""#,
            ],
        );
        // A jar's settings and a policy's text are no cookies.
        let settings = r#"{"cookies":{"banner_text":"We use cookies to improve your experience.","expires":"Thu, 12 Mar 2026 10:22:01 GMT","same_site":"Lax"},"cookie_policy":{"text":"Necessary cookies keep you signed in: AbC123xyzQ9"},"cookies_list":[{"name":"sid","value":"Expires Thu, 12 Mar 2026 10:22:01 GMT"}]}"#;
        assert_eq!(redacted(&redactor, settings), settings);
        // Outside a cookie key the same names say nothing.
        let plain = r#"{"items":[{"name":"sid","value":"s%3AkP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0.Xy7Qw"}],"prefs":{"_gh_sess":"Zx81Lk29Qp47Mn03Vb56aQ"}}"#;
        assert_eq!(redacted(&redactor, plain), plain);
    }

    #[test]
    fn named_values_in_nested_objects_keep_every_edit_in_place() {
        let redactor = default_redactor();
        let doc = r#"{"a":{"type":"BSN","number":"123456782","note":"mail jan@example.com"},"b":[{"name":"token","value":"ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},{"number":"234567892","kind":"BSN"}],"c":"piet@example.org"}"#;
        assert_gone_and_kept(
            &redacted(&redactor, doc),
            &[
                "123456782",
                "jan@example.com",
                "ghp_",
                "234567892",
                "piet@example.org",
            ],
            &[
                r#""type":"BSN""#,
                r#""kind":"BSN""#,
                r#""name":"token""#,
                "mail ",
            ],
        );
    }

    #[test]
    fn a_text_sent_twice_is_judged_by_each_key() {
        let redactor = default_redactor();
        // A Swedish personnummer counts unless a veto word such as
        // `version` is near it, and the key counts as near. The walker
        // reuses the findings of long and short texts, borrowed from the
        // document or decoded from escapes.
        let long = format!("{} personnummer 811228-9874 ok", "filler words ".repeat(30));
        for (text, members) in [
            long.as_str(),
            "personnummer 811228-9874, se ärendet",
            r"personnummer 811228\u002d9874, se ärendet",
        ]
        .into_iter()
        .flat_map(|text| {
            [
                (text, ["body", "plain_body", "version"]),
                (text, ["version", "body", "plain_body"]),
            ]
        }) {
            let doc = format!(
                "{{\"{}\":\"{text}\",\"{}\":\"{text}\",\"{}\":\"{text}\"}}",
                members[0], members[1], members[2]
            );
            let out: serde_json::Value =
                serde_json::from_str(&redact_json(&redactor, &doc).expect("valid").output)
                    .expect("output is JSON");
            for member in members {
                let kept = out[member].as_str().unwrap().contains("811228-9874");
                assert_eq!(kept, member == "version", "{member} in {doc}");
            }
        }
    }
}
