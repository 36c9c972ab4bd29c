//! Structure-aware HTML redaction. Text is searched after decoding entities,
//! and across inline tags (`jane@<b>example</b>.com` is one address);
//! attribute values, comments and script or style contents are searched on
//! their own. Markup is never rewritten, so the document stays well-formed.

use std::ops::Range;

use super::decode::{self, Escapes, View};
use super::engine::Finding;
use super::redactor::{Redacted, Redactor};
use super::rules::PASSWORD_INPUT_RULE;

/// Tags that do not break a run of text: a value may span them.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Elements whose content is raw text, not markup.
const RAW_TEXT_TAGS: &[&str] = &["script", "style", "xmp", "iframe", "noembed", "noframes"];

/// Elements whose content is text with entities but no tags.
const ESCAPABLE_RAW_TEXT_TAGS: &[&str] = &["textarea", "title"];

/// Tags common enough in rich-text fields that a string holding one is
/// HTML, not a log line with `<init>` or `a < b > c` in it.
const TELLTALE_TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "td",
    "th",
    "tr",
    "u",
    "ul",
];

/// True when `text` holds at least one common HTML tag (`<p>`, `</div>`,
/// `<br/>`, `<a href=…>`).
pub fn looks_like_html(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'<', b).any(|at| {
        let rest = &b[at + 1..];
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        let name_len = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let after = rest.get(name_len).copied();
        name_len > 0
            && matches!(after, Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
            && TELLTALE_TAGS
                .iter()
                .any(|t| t.as_bytes().eq_ignore_ascii_case(&rest[..name_len]))
    })
}

struct Edit {
    span: Range<usize>,
    text: String,
    finding: Option<Finding>,
}

/// A run of document text: where it is and what it says decoded.
struct Segment<'a> {
    raw_start: usize,
    view: View<'a>,
    /// Where its decoded text starts in the joined document text.
    doc_start: usize,
}

/// Redacts an HTML document or fragment. Malformed markup is handled the
/// lenient way browsers do; it never fails.
pub fn redact_html(redactor: &Redactor, input: &str) -> Redacted {
    let mut output = String::with_capacity(input.len());
    let mut findings = Vec::new();
    let mut last = 0;
    for edit in html_edits(redactor, input) {
        output.push_str(&input[last..edit.span.start]);
        output.push_str(&edit.text);
        last = edit.span.end;
        findings.extend(edit.findings);
    }
    output.push_str(&input[last..]);
    Redacted { output, findings }
}

/// One rewrite of an HTML text: `span` becomes `text` (already escaped for
/// HTML), for the findings it carries (none for a stretch a value spans).
pub struct HtmlEdit {
    pub span: Range<usize>,
    pub text: String,
    pub findings: Vec<Finding>,
}

/// The rewrites that redact `input`, in order and never overlapping, so that
/// a caller holding the HTML in another encoding (a JSON string) can apply
/// them to its own bytes.
pub fn html_edits(redactor: &Redactor, input: &str) -> Vec<HtmlEdit> {
    let mut doc = Document {
        redactor,
        text: input,
        edits: Vec::new(),
        segments: Vec::new(),
        joined: String::new(),
        separator: "",
    };
    doc.scan();
    doc.redact_joined_text();
    let mut edits = doc.edits;
    edits.sort_by_key(|e| e.span.start);
    let mut merged: Vec<HtmlEdit> = Vec::with_capacity(edits.len());
    for edit in edits {
        match merged.last_mut() {
            // Overlapping edits should not happen; if they do, redact the
            // union rather than let any of it through.
            Some(prev) if edit.span.start < prev.span.end => {
                prev.span.end = prev.span.end.max(edit.span.end);
                prev.findings.extend(edit.finding);
            }
            _ => merged.push(HtmlEdit {
                span: edit.span,
                text: edit.text,
                findings: edit.finding.into_iter().collect(),
            }),
        }
    }
    merged
}

struct Document<'a> {
    redactor: &'a Redactor,
    text: &'a str,
    edits: Vec<Edit>,
    segments: Vec<Segment<'a>>,
    joined: String,
    /// What goes between the last text segment and the next one.
    separator: &'static str,
}

impl Document<'_> {
    fn scan(&mut self) {
        let b = self.text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'<' {
                let end = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |p| i + p);
                self.text_segment(i..end, Escapes::HTML);
                i = end;
                continue;
            }
            let rest = &b[i..];
            if rest.starts_with(b"<!--") {
                let end = find(b, i + 4, b"-->");
                self.redact_raw(i + 4..end, false);
                i = (end + 3).min(b.len());
            } else if starts_with_ignore_case(rest, b"<![cdata[") {
                let end = find(b, i + 9, b"]]>");
                self.text_segment(i + 9..end, Escapes::ANY);
                i = (end + 3).min(b.len());
            } else if matches!(rest.get(1), Some(b'!' | b'?')) {
                i = memchr::memchr(b'>', rest).map_or(b.len(), |p| i + p + 1);
            } else if rest.get(1) == Some(&b'/') && rest.get(2).is_some_and(u8::is_ascii_alphabetic)
            {
                let end = memchr::memchr(b'>', rest).map_or(b.len(), |p| i + p + 1);
                let name = tag_name(&self.text[i + 2..end]);
                self.after_tag(&name);
                i = end;
            } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
                i = self.start_tag(i);
            } else {
                // A `<` that opens nothing is text.
                let end = memchr::memchr(b'<', &b[i + 1..]).map_or(b.len(), |p| i + 1 + p);
                self.text_segment(i..end, Escapes::HTML);
                i = end;
            }
        }
    }

    /// Parses a start tag at `i` and its attributes; returns where parsing
    /// continues (after the element's content for raw-text elements).
    fn start_tag(&mut self, i: usize) -> usize {
        let b = self.text.as_bytes();
        let name_end = (i + 1..b.len())
            .find(|&j| b[j].is_ascii_whitespace() || matches!(b[j], b'>' | b'/'))
            .unwrap_or(b.len());
        let name = self.text[i + 1..name_end].to_ascii_lowercase();
        let edits_before_tag = self.edits.len();
        // Values are searched once the whole tag is read: whether `value`
        // is a password can depend on a `type` that comes after it.
        let mut attributes: Vec<Attribute> = Vec::new();
        let mut j = name_end;
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() {
                // An unterminated tag: search what is left as text, to be
                // safe, instead of the attribute values found in it.
                self.edits.truncate(edits_before_tag);
                self.redact_raw(name_end..b.len(), false);
                return b.len();
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            let attr_start = j;
            let attr_end = (j..b.len())
                .find(|&k| b[k].is_ascii_whitespace() || matches!(b[k], b'=' | b'>' | b'/'))
                .unwrap_or(b.len());
            j = attr_end.max(j + 1);
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if b.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let name = attr_start..attr_end;
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |p| j + 1 + p);
                    attributes.push(Attribute {
                        name,
                        value: j + 1..end,
                        unquoted: false,
                    });
                    j = (end + 1).min(b.len());
                }
                Some(_) => {
                    let end = (j..b.len())
                        .find(|&k| b[k].is_ascii_whitespace() || b[k] == b'>')
                        .unwrap_or(b.len());
                    attributes.push(Attribute {
                        name,
                        value: j..end,
                        unquoted: true,
                    });
                    j = end;
                }
                None => {}
            }
        }
        self.redact_attributes(&name, &attributes);
        self.after_tag(&name);
        if RAW_TEXT_TAGS.contains(&name.as_str())
            || ESCAPABLE_RAW_TEXT_TAGS.contains(&name.as_str())
        {
            let close = format!("</{name}");
            let end = find_ignore_case(b, j, close.as_bytes());
            if RAW_TEXT_TAGS.contains(&name.as_str()) {
                self.redact_raw(j..end, false);
            } else {
                self.text_segment(j..end, Escapes::HTML);
                self.separator = "\n";
            }
            return end;
        }
        j
    }

    fn after_tag(&mut self, name: &str) {
        if matches!(name, "td" | "th") {
            // Cells of one row read as a tab-separated line, so that a label
            // cell (`Tlf.`) stands before its value cell as in text; a row's
            // own line break is kept.
            if self.separator != "\n" {
                self.separator = "\t";
            }
        } else if !INLINE_TAGS.contains(&name) {
            self.separator = "\n";
        }
    }

    fn text_segment(&mut self, raw: Range<usize>, esc: Escapes) {
        if raw.is_empty() {
            return;
        }
        self.joined.push_str(self.separator);
        self.separator = "";
        let view = decode::decode(&self.text[raw.clone()], esc);
        let doc_start = self.joined.len();
        self.joined.push_str(&view.text);
        self.segments.push(Segment {
            raw_start: raw.start,
            view,
            doc_start,
        });
    }

    /// Searches the joined text of all segments and maps each finding back to
    /// the pieces of raw text it covers; the first piece gets the
    /// replacement, the others are emptied, the tags between them stay.
    fn redact_joined_text(&mut self) {
        let findings = self.redactor.find_in_text(&self.joined);
        for finding in findings {
            let value = &self.joined[finding.span.clone()];
            let mut replacement = Some(escape(&self.redactor.replacement(&finding, value), false));
            let mut reported = false;
            for seg in &self.segments {
                let seg_end = seg.doc_start + seg.view.text.len();
                if seg_end <= finding.span.start || seg.doc_start >= finding.span.end {
                    continue;
                }
                let local = finding.span.start.max(seg.doc_start) - seg.doc_start
                    ..finding.span.end.min(seg_end) - seg.doc_start;
                let raw = seg.view.raw_span(local);
                let span = seg.raw_start + raw.start..seg.raw_start + raw.end;
                let finding = (!reported).then(|| Finding {
                    span: span.clone(),
                    ..finding.clone()
                });
                reported = true;
                self.edits.push(Edit {
                    span,
                    text: replacement.take().unwrap_or_default(),
                    finding,
                });
            }
        }
    }

    /// The attribute values of a start tag. The value of a password input
    /// is a password whatever it looks like: it is replaced whole.
    fn redact_attributes(&mut self, tag: &str, attributes: &[Attribute]) {
        let is = |attribute: &Attribute, name: &str| {
            self.text[attribute.name.clone()].eq_ignore_ascii_case(name)
        };
        let password_input = tag == "input"
            && attributes.iter().any(|a| {
                is(a, "type")
                    && decode::decode(&self.text[a.value.clone()], Escapes::HTML)
                        .text
                        .trim()
                        .eq_ignore_ascii_case("password")
            });
        for attribute in attributes {
            if password_input && is(attribute, "value") && !attribute.value.is_empty() {
                self.redact_whole(attribute, PASSWORD_INPUT_RULE);
            } else {
                self.redact_decoded(attribute.value.clone(), attribute.unquoted);
            }
        }
    }

    /// Replaces an attribute's whole value as a finding of built-in rule `id`.
    fn redact_whole(&mut self, attribute: &Attribute, id: &str) {
        let rule = self.redactor.given_rule(id);
        let finding = Finding {
            rule,
            class: self.redactor.detector().rule(rule).class,
            span: attribute.value.clone(),
        };
        let value = decode::decode(&self.text[attribute.value.clone()], Escapes::HTML).text;
        let text = escape(
            &self.redactor.replacement(&finding, &value),
            attribute.unquoted,
        );
        self.edits.push(Edit {
            span: attribute.value.clone(),
            text,
            finding: Some(finding),
        });
    }

    /// An attribute value: entities decoded, then searched.
    fn redact_decoded(&mut self, raw: Range<usize>, unquoted: bool) {
        let view = decode::decode(&self.text[raw.clone()], Escapes::HTML);
        for mut finding in self.redactor.find_in_text(&view.text) {
            let value = &view.text[finding.span.clone()];
            let text = escape(&self.redactor.replacement(&finding, value), unquoted);
            let span = view.raw_span(finding.span.clone());
            finding.span = raw.start + span.start..raw.start + span.end;
            self.edits.push(Edit {
                span: finding.span.clone(),
                text,
                finding: Some(finding),
            });
        }
    }

    /// Comments and script or style contents: searched as they are.
    fn redact_raw(&mut self, raw: Range<usize>, unquoted: bool) {
        let part = &self.text[raw.clone()];
        for mut finding in self.redactor.find_in_text(part) {
            let text = escape(
                &self
                    .redactor
                    .replacement(&finding, &part[finding.span.clone()]),
                unquoted,
            );
            finding.span = raw.start + finding.span.start..raw.start + finding.span.end;
            self.edits.push(Edit {
                span: finding.span.clone(),
                text,
                finding: Some(finding),
            });
        }
    }
}

fn tag_name(s: &str) -> String {
    s.split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> usize {
    memchr::memmem::find(&b[from.min(b.len())..], needle).map_or(b.len(), |p| from + p)
}

fn find_ignore_case(b: &[u8], from: usize, needle: &[u8]) -> usize {
    (from..b.len())
        .find(|&i| starts_with_ignore_case(&b[i..], needle))
        .unwrap_or(b.len())
}

/// True when `b` begins with `prefix`, ASCII letters in either case.
pub(super) fn starts_with_ignore_case(b: &[u8], prefix: &[u8]) -> bool {
    b.len() >= prefix.len() && b[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// An attribute of a start tag, by the byte ranges of its name and value.
struct Attribute {
    name: Range<usize>,
    value: Range<usize>,
    unquoted: bool,
}

/// Escapes a replacement for HTML text or a (possibly unquoted) attribute.
fn escape(text: &str, unquoted: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ' ' if unquoted => out.push_str("&#32;"),
            c => out.push(c),
        }
    }
    out
}
