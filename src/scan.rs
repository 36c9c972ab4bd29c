//! `veilgate scan`: redact files or standard input to standard output.
//!
//! Text is streamed with bounded memory whatever its size; JSON and HTML are
//! read whole (up to [`MAX_DOCUMENT`]) because their structure matters.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;

use crate::redact::json::{self, JsonError};
use crate::redact::sniff::{self, Content};
use crate::redact::stream::SOLO_BATCH;
use crate::redact::{Finding, Redacted, Redactor, StreamError, StreamRedactor, html};

/// The largest JSON or HTML document read whole; larger ones are redacted
/// as text (in `auto` format) or refused.
pub const MAX_DOCUMENT: usize = 64 << 20;

const CHUNK: usize = 64 * 1024;

/// How an input is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// By file extension, then by content; JSON that does not parse is
    /// redacted line by line, then as text.
    Auto,
    Text,
    Json,
    /// One JSON document per line.
    Ndjson,
    Html,
}

/// Why an input could not be redacted. Messages never quote the data.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{name}: {source}")]
    Read {
        name: String,
        #[source]
        source: io::Error,
    },
    #[error("{name}: {source}")]
    Utf8 {
        name: String,
        #[source]
        source: StreamError,
    },
    #[error("{name}: {source}")]
    Json {
        name: String,
        #[source]
        source: JsonError,
    },
    #[error("{name}: document larger than {} MiB; use --format text", MAX_DOCUMENT >> 20)]
    TooLarge { name: String },
    #[error("cannot write output: {0}")]
    Write(#[source] io::Error),
}

/// Where findings and output go.
pub struct Sink<'a> {
    pub out: &'a mut dyn Write,
    /// With `--explain`: one JSON line per finding instead of the output.
    pub explain: bool,
}

impl Sink<'_> {
    fn emit(
        &mut self,
        redactor: &Redactor,
        name: &str,
        base: usize,
        text: &str,
        findings: &[Finding],
    ) -> Result<(), ScanError> {
        if self.explain {
            for f in findings {
                let rule = redactor.detector().rule(f.rule);
                let line = serde_json::json!({
                    "file": name,
                    "rule": rule.id,
                    "class": rule.class.as_str(),
                    "action": rule.action.name(),
                    "start": base + f.span.start,
                    "end": base + f.span.end,
                });
                writeln!(self.out, "{line}").map_err(ScanError::Write)?;
            }
            Ok(())
        } else {
            self.out
                .write_all(text.as_bytes())
                .map_err(ScanError::Write)
        }
    }
}

/// Redacts one input (`name` is used in messages and explain lines).
///
/// # Errors
/// [`ScanError`] when the input cannot be read, is not UTF-8, or is not
/// valid in an explicitly requested structured format. Whatever was written
/// before the error was redacted.
pub fn scan(
    redactor: &Arc<Redactor>,
    name: &str,
    input: &mut dyn Read,
    format: Format,
    sink: &mut Sink<'_>,
) -> Result<(), ScanError> {
    let read_err = |source| ScanError::Read {
        name: name.to_string(),
        source,
    };
    let mut reader = BufReader::with_capacity(CHUNK, input);
    let format = match format {
        Format::Auto => format_of(name, reader.fill_buf().map_err(read_err)?),
        other => other,
    };
    if format == Format::Text {
        return scan_stream(redactor, name, &mut reader, Vec::new(), sink);
    }
    let mut whole = Vec::new();
    (&mut reader)
        .take(MAX_DOCUMENT as u64 + 1)
        .read_to_end(&mut whole)
        .map_err(read_err)?;
    if whole.len() > MAX_DOCUMENT {
        if format == Format::Auto {
            // Too large to parse whole: text redaction is still complete.
            return scan_stream(redactor, name, &mut reader, whole, sink);
        }
        return Err(ScanError::TooLarge {
            name: name.to_string(),
        });
    }
    let text = match String::from_utf8(whole) {
        Ok(text) => text,
        Err(e) => {
            return Err(ScanError::Utf8 {
                name: name.to_string(),
                source: StreamError::NotUtf8 {
                    offset: e.utf8_error().valid_up_to(),
                },
            });
        }
    };
    let redacted = match format {
        Format::Html => html::redact_html(redactor, &text),
        Format::Json => json::redact_json(redactor, &text).map_err(|source| ScanError::Json {
            name: name.to_string(),
            source,
        })?,
        Format::Ndjson => redact_lines(redactor, &text, false)?,
        // Sniffed as JSON: whole document, else line by line, else text.
        _ => match json::redact_json(redactor, &text) {
            Ok(r) => r,
            Err(_) => redact_lines(redactor, &text, true)?,
        },
    };
    sink.emit(redactor, name, 0, &redacted.output, &redacted.findings)
}

/// Guesses the format from the file name, then from the first bytes.
fn format_of(name: &str, head: &[u8]) -> Format {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "ndjson" | "jsonl" => return Format::Ndjson,
        "html" | "htm" | "xhtml" => return Format::Html,
        _ => {}
    }
    match (ext.as_str(), sniff::content(head)) {
        // Decided after parsing: see `scan`.
        ("json", _) | (_, Content::Json) => Format::Auto,
        (_, Content::Html) => Format::Html,
        (_, Content::Text) => Format::Text,
    }
}

/// One JSON document per line; a line that is not JSON is redacted as text
/// when `lenient`, refused otherwise.
fn redact_lines(redactor: &Redactor, text: &str, lenient: bool) -> Result<Redacted, ScanError> {
    let mut out = Redacted::default();
    let mut base = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let r = if body.trim().is_empty() {
            Redacted {
                output: body.to_string(),
                findings: Vec::new(),
            }
        } else {
            match json::redact_json(redactor, body) {
                Ok(r) => r,
                Err(_) if lenient => redactor.redact_text(body),
                Err(source) => {
                    return Err(ScanError::Json {
                        name: format!("line starting at byte {base}"),
                        source,
                    });
                }
            }
        };
        out.output.push_str(&r.output);
        out.output.push_str(&line[body.len()..]);
        out.findings.extend(r.findings.into_iter().map(|mut f| {
            f.span = f.span.start + base..f.span.end + base;
            f
        }));
        base += line.len();
    }
    Ok(out)
}

fn scan_stream(
    redactor: &Arc<Redactor>,
    name: &str,
    reader: &mut dyn BufRead,
    already: Vec<u8>,
    sink: &mut Sink<'_>,
) -> Result<(), ScanError> {
    let utf8_err = |source| ScanError::Utf8 {
        name: name.to_string(),
        source,
    };
    // One file at a time: large batches, so the text around each batch (left
    // context and held-back window) is searched again less often.
    let mut stream = StreamRedactor::with_batch(Arc::clone(redactor), SOLO_BATCH);
    let mut out = String::new();
    let mut findings = Vec::new();
    stream
        .push(&already, &mut out, &mut findings)
        .map_err(utf8_err)?;
    loop {
        let chunk = reader.fill_buf().map_err(|source| ScanError::Read {
            name: name.to_string(),
            source,
        })?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        stream
            .push(chunk, &mut out, &mut findings)
            .map_err(utf8_err)?;
        reader.consume(n);
        sink.emit(redactor, name, 0, &out, &findings)?;
        out.clear();
        findings.clear();
    }
    stream.finish(&mut out, &mut findings).map_err(utf8_err)?;
    sink.emit(redactor, name, 0, &out, &findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        assert_eq!(format_of("a.html", b"hello"), Format::Html);
        assert_eq!(format_of("a.jsonl", b"{}"), Format::Ndjson);
        assert_eq!(format_of("-", b"  {\"a\":1}"), Format::Auto);
        assert_eq!(format_of("-", b"<!DOCTYPE html><p>"), Format::Html);
        assert_eq!(format_of("app.log", b"2024-01-01 INFO x"), Format::Text);
    }
}
