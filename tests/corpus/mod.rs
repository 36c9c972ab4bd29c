//! A seeded, generated, labelled corpus of support payloads: logs, stack
//! traces, config dumps, ticket JSON, HTML e-mails and chat transcripts in
//! seven locales, with planted personal data and secrets (positives) and
//! look-alikes that must survive byte for byte (negatives).
//!
//! Every planted value carries its exact byte span in the document; for a
//! value written escaped (`\u0040`, `&#64;`, `\/`, `%40`), the span and the
//! value are those of the escaped raw text. [`Doc::check`] verifies the spans
//! and that no two planted values overlap; every generator calls it.
//!
//! Used by `tests/accuracy.rs` and, through `#[path]`, by the benchmarks
//! ([`log_text`], [`quiet_log_text`], [`ticket_json`]).
#![allow(dead_code)]

mod docs;
pub mod locale;
pub mod values;

use std::ops::Range;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Kinds of personal data planted as positives.
pub const PII_KINDS: &[&str] = &[
    "email",
    "phone",
    "card",
    "iban",
    "ipv4",
    "ipv6",
    "mac",
    "date_of_birth",
    "person_name",
    "postal_address",
];

/// Kinds of national identification numbers planted as positives.
pub const ID_KINDS: &[&str] = &[
    "nl_bsn",
    "dk_cpr",
    "fi_hetu",
    "fr_nir",
    "de_steuer_id",
    "de_rvnr",
    "gb_nino",
    "us_ssn",
    "es_dni",
    "es_nie",
    "it_codice_fiscale",
    "se_personnummer",
    "be_national_number",
    "pl_pesel",
];

/// Kinds of secrets planted as positives.
pub const SECRET_KINDS: &[&str] = &[
    "aws_access_key",
    "aws_secret_key",
    "github_token",
    "slack_token",
    "slack_webhook",
    "stripe_key",
    "google_api_key",
    "sendgrid_key",
    "jwt",
    "bearer_token",
    "basic_auth",
    "url_password",
    "password_assignment",
    "jdbc_password",
    "adonet_password",
    "pem_private_key",
    "generic_secret",
];

/// Kinds of look-alikes planted as negatives: they must survive untouched.
/// `fail_*` are digit strings that fail the named checksum.
pub const NEGATIVE_KINDS: &[&str] = &[
    "uuid",
    "order_number",
    "timestamp",
    "version",
    "git_hash",
    "sha256",
    "trace_id",
    "port",
    "http_status",
    "line_number",
    "numeric_id",
    "duration",
    "byte_count",
    "fail_luhn",
    "fail_bsn",
    "fail_pesel",
    "fail_steuer_id",
    "fail_nir",
    "fail_be_nn",
    "publishable_key",
    "token_type",
    "author_field",
    "password_url",
    "placeholder",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Html,
}

/// A value planted in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    pub kind: &'static str,
    /// The raw text at `span` (escaped, where the document escapes it).
    pub value: String,
    /// Byte span in [`Doc::text`].
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub format: Format,
    /// What the template was, for reports ("java", "ticket", …).
    pub template: &'static str,
    pub text: String,
    pub positives: Vec<Planted>,
    pub negatives: Vec<Planted>,
}

impl Doc {
    /// Panics unless every planted value is exactly `text[span]` and no two
    /// planted values (positive or negative) overlap.
    pub fn check(&self) {
        let mut all: Vec<(&Planted, bool)> = self
            .positives
            .iter()
            .map(|p| (p, true))
            .chain(self.negatives.iter().map(|n| (n, false)))
            .collect();
        for (p, _) in &all {
            assert!(!p.value.is_empty(), "empty {} planted", p.kind);
            assert_eq!(
                self.text.get(p.span.clone()),
                Some(p.value.as_str()),
                "span of planted {} does not hold its value",
                p.kind
            );
        }
        all.sort_by_key(|(p, _)| p.span.start);
        for w in all.windows(2) {
            assert!(
                w[0].0.span.end <= w[1].0.span.start,
                "planted {} overlaps planted {}",
                w[0].0.kind,
                w[1].0.kind
            );
        }
    }
}

/// What a piece of a fragment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Plain,
    Pos(&'static str),
    Neg(&'static str),
}

/// Text under construction: pieces that keep their labels through escaping,
/// so spans can be computed once the final bytes are known.
#[derive(Debug, Clone, Default)]
pub struct Frag {
    pieces: Vec<(Label, String)>,
}

impl Frag {
    pub fn new() -> Frag {
        Frag::default()
    }

    /// Appends plain text.
    pub fn t(&mut self, s: &str) -> &mut Frag {
        if s.is_empty() {
            return self;
        }
        match self.pieces.last_mut() {
            Some((Label::Plain, last)) => last.push_str(s),
            _ => self.pieces.push((Label::Plain, s.to_string())),
        }
        self
    }

    /// Appends a positive of `kind`.
    pub fn p(&mut self, kind: &'static str, v: impl Into<String>) -> &mut Frag {
        self.pieces.push((Label::Pos(kind), v.into()));
        self
    }

    /// Appends a negative of `kind`.
    pub fn n(&mut self, kind: &'static str, v: impl Into<String>) -> &mut Frag {
        self.pieces.push((Label::Neg(kind), v.into()));
        self
    }

    pub fn piece(&mut self, label: Label, v: impl Into<String>) -> &mut Frag {
        match label {
            Label::Plain => self.t(&v.into()),
            _ => {
                self.pieces.push((label, v.into()));
                self
            }
        }
    }

    pub fn append(&mut self, other: &Frag) -> &mut Frag {
        for (label, s) in &other.pieces {
            self.piece(*label, s.clone());
        }
        self
    }

    /// Rewrites every piece, keeping its label (escaping, encoding).
    pub fn map(&self, mut f: impl FnMut(Label, &str) -> String) -> Frag {
        let mut out = Frag::new();
        for (label, s) in &self.pieces {
            let v = f(*label, s);
            if !v.is_empty() || *label == Label::Plain {
                out.piece(*label, v);
            }
        }
        out
    }

    pub fn text(&self) -> String {
        self.pieces.iter().map(|(_, s)| s.as_str()).collect()
    }

    pub fn len(&self) -> usize {
        self.pieces.iter().map(|(_, s)| s.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The finished document: spans computed, then checked.
    pub fn into_doc(self, format: Format, template: &'static str) -> Doc {
        let mut text = String::with_capacity(self.len());
        let mut positives = Vec::new();
        let mut negatives = Vec::new();
        for (label, s) in self.pieces {
            let start = text.len();
            text.push_str(&s);
            let planted = |kind| Planted {
                kind,
                value: s.clone(),
                span: start..text.len(),
            };
            match label {
                Label::Plain => {}
                Label::Pos(kind) => positives.push(planted(kind)),
                Label::Neg(kind) => negatives.push(planted(kind)),
            }
        }
        let doc = Doc {
            format,
            template,
            text,
            positives,
            negatives,
        };
        doc.check();
        doc
    }
}

/// How a JSON writer escapes strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonStyle {
    /// Only what RFC 8259 requires (serde_json, most writers).
    Plain,
    /// Also every non-ASCII character as `\uXXXX` (Python's `ensure_ascii`).
    Ascii,
    /// Also `/` as `\/` (PHP's `json_encode`).
    Slashes,
}

pub fn json_escape(s: &str, style: JsonStyle) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '/' if style == JsonStyle::Slashes => out.push_str("\\/"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if !c.is_ascii() && style == JsonStyle::Ascii => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// `docs` labelled documents, the same for the same seed.
pub fn corpus(seed: u64, docs: usize) -> Vec<Doc> {
    let mut r = rng(seed);
    (0..docs).map(|_| docs::document(&mut r)).collect()
}

/// About `bytes` of realistic, mostly non-sensitive log text (access logs,
/// application logs, JSON lines, stack traces) with a value every few lines.
pub fn log_text(seed: u64, bytes: usize) -> String {
    log_of_chunks(seed, bytes, |r, _| docs::log_chunk(r))
}

/// About `bytes` of log text as services write it on most days: of every
/// ten chunks, nine are runs of ordinary INFO lines with nothing to redact
/// and one is a chunk of [`log_text`]'s kind (errors, traces and access
/// lines that hold values).
pub fn quiet_log_text(seed: u64, bytes: usize) -> String {
    log_of_chunks(seed, bytes, |r, i| {
        if i % 10 == 9 {
            docs::log_chunk(r)
        } else {
            docs::quiet_log_chunk(r)
        }
    })
}

/// Chunks `chunk(rng, i)` for i = 0, 1, … until there are `bytes`.
fn log_of_chunks(
    seed: u64,
    bytes: usize,
    mut chunk: impl FnMut(&mut ChaCha8Rng, usize) -> Frag,
) -> String {
    let mut r = rng(seed);
    let mut out = String::with_capacity(bytes + 8192);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&chunk(&mut r, i).text());
        i += 1;
    }
    out
}

/// About `bytes` of one valid JSON array of Zendesk-shaped ticket objects
/// whose comments embed logs and personal data.
pub fn ticket_json(seed: u64, bytes: usize) -> String {
    let mut r = rng(seed);
    let mut out = String::with_capacity(bytes + 16_384);
    out.push('[');
    let mut first = true;
    while out.len() < bytes || first {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&docs::ticket_object(&mut r).text());
    }
    out.push(']');
    out
}

/// `n` phone numbers from the generator, each with the region (ISO 3166
/// code) it was written for, cycling through the locales.
pub fn phone_samples(seed: u64, n: usize) -> Vec<(String, &'static str)> {
    let mut r = rng(seed);
    (0..n)
        .map(|i| values::phone(&mut r, locale::ALL[i % locale::ALL.len()]))
        .collect()
}
