//! Response bodies: decoding Content-Encoding, then redaction whole (JSON,
//! HTML, small text) or streamed through a bounded window (large text,
//! server-sent events). Any failure ends the body with an error, so the
//! agent sees a broken response, never an unredacted tail.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder};
use bytes::Bytes;
use futures_util::{StreamExt, stream};
use http::HeaderMap;
use http_body_util::{BodyExt, BodyStream, Full, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::{Frame, Incoming};
use tokio::io::{AsyncBufRead, AsyncRead, AsyncReadExt, BufReader};
use tokio::sync::mpsc;
use tokio_util::io::StreamReader;

use super::Counts;
use crate::redact::{Finding, Redacted, Redactor, StreamRedactor, form, html, json};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type ProxyBody = UnsyncBoxBody<Bytes, BoxError>;

/// Bytes read from the upstream per step of a streamed body.
const CHUNK: usize = 64 * 1024;

/// How long a streamed text body waits for more bytes to fill a chunk
/// before redacting what it has: the latency a trickling stream sees.
const GATHER: Duration = Duration::from_millis(10);

pub fn full(bytes: impl Into<Bytes>) -> ProxyBody {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// A whole body followed by trailers.
pub fn full_with_trailers(bytes: impl Into<Bytes>, trailers: HeaderMap) -> ProxyBody {
    let frames = [Frame::data(bytes.into()), Frame::trailers(trailers)];
    StreamBody::new(stream::iter(frames.map(Ok::<_, BoxError>))).boxed_unsync()
}

pub fn empty() -> ProxyBody {
    full(Bytes::new())
}

/// The upstream body untouched (binary types, routes that pass).
pub fn passthrough(body: Incoming) -> ProxyBody {
    body.map_err(BoxError::from).boxed_unsync()
}

/// A content coding veilgate can undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Gzip,
    /// HTTP's `deflate` is the zlib format (RFC 9110 §8.4.1.2).
    Deflate,
    Brotli,
    Zstd,
}

/// The codings of a `Content-Encoding` header, in the order they were
/// applied. `Err` names the first one veilgate cannot decode.
pub fn codings(headers: &HeaderMap) -> Result<Vec<Coding>, String> {
    let mut out = Vec::new();
    for value in headers.get_all(http::header::CONTENT_ENCODING) {
        let value = value
            .to_str()
            .map_err(|_| "a Content-Encoding that is not text".to_string())?;
        for token in value.split(',') {
            let token = token.trim().to_ascii_lowercase();
            out.push(match token.as_str() {
                "" | "identity" => continue,
                "gzip" | "x-gzip" => Coding::Gzip,
                "deflate" => Coding::Deflate,
                "br" => Coding::Brotli,
                "zstd" => Coding::Zstd,
                _ => return Err(format!("Content-Encoding `{token}`")),
            });
        }
    }
    Ok(out)
}

type Reader = Pin<Box<dyn AsyncBufRead + Send>>;

/// Where [`decoded`] leaves the upstream's trailers once the body ended.
pub type TrailerSlot = Arc<std::sync::Mutex<Option<HeaderMap>>>;

/// The upstream body as decoded bytes. A silence longer than `idle` is an
/// error, as is a decoder that meets corrupt data.
pub fn decoded(
    body: Incoming,
    codings: &[Coding],
    idle: Duration,
    trailers: TrailerSlot,
) -> Pin<Box<dyn AsyncRead + Send>> {
    let frames = BodyStream::new(body);
    let data = stream::unfold(frames, move |mut frames| {
        let trailers = Arc::clone(&trailers);
        async move {
            loop {
                let next = match tokio::time::timeout(idle, frames.next()).await {
                    Err(_) => {
                        return Some((
                            Err(io::Error::new(
                                io::ErrorKind::TimedOut,
                                "upstream body idle",
                            )),
                            frames,
                        ));
                    }
                    Ok(next) => next?,
                };
                match next {
                    Ok(frame) => match frame.into_data() {
                        Ok(bytes) => return Some((Ok(bytes), frames)),
                        Err(frame) => {
                            if let (Ok(map), Ok(mut slot)) =
                                (frame.into_trailers(), trailers.lock())
                            {
                                *slot = Some(map);
                            }
                            continue;
                        }
                    },
                    Err(e) => return Some((Err(io::Error::other(e)), frames)),
                }
            }
        }
    });
    let mut reader: Reader = Box::pin(StreamReader::new(data));
    for coding in codings.iter().rev() {
        reader = match coding {
            Coding::Gzip => {
                let mut decoder = GzipDecoder::new(reader);
                decoder.multiple_members(true);
                Box::pin(BufReader::new(decoder))
            }
            Coding::Deflate => Box::pin(BufReader::new(ZlibDecoder::new(reader))),
            Coding::Brotli => Box::pin(BufReader::new(BrotliDecoder::new(reader))),
            Coding::Zstd => Box::pin(BufReader::new(ZstdDecoder::new(reader))),
        };
    }
    reader
}

/// Reads until `limit + 1` bytes or the end; `true` when the end came first.
pub async fn read_up_to(
    reader: &mut Pin<Box<dyn AsyncRead + Send>>,
    limit: usize,
) -> io::Result<(Vec<u8>, bool)> {
    let mut buf = Vec::with_capacity(limit.min(CHUNK));
    reader
        .as_mut()
        .take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .await?;
    let ended = buf.len() <= limit;
    Ok((buf, ended))
}

/// Decoded bytes passed on unread: `head`, then the rest of `reader`.
pub fn raw(head: Vec<u8>, reader: Pin<Box<dyn AsyncRead + Send>>) -> ProxyBody {
    let rest = tokio_util::io::ReaderStream::with_capacity(reader, CHUNK);
    let frames = stream::once(async move { Ok::<_, io::Error>(Bytes::from(head)) })
        .chain(rest)
        .map(|bytes| bytes.map(Frame::data).map_err(BoxError::from));
    StreamBody::new(frames).boxed_unsync()
}

/// How a whole body is redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whole {
    Json,
    Html,
    Form,
    Text,
}

/// Redacts a whole body. JSON that does not parse is still redacted, as
/// text. `Err` when the body is not UTF-8.
pub fn redact_whole(redactor: &Redactor, kind: Whole, bytes: Vec<u8>) -> Result<Redacted, String> {
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "the response is not UTF-8 text (at byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(match kind {
        Whole::Json => redact_json_or_text(redactor, &text),
        Whole::Html => html::redact_html(redactor, &text),
        Whole::Form => form::redact_form(redactor, &text),
        Whole::Text => redactor.redact_text(&text),
    })
}

/// JSON redacted string by string when it parses; otherwise as text, so
/// that a body labelled JSON that is not cannot pass unredacted.
pub fn redact_json_or_text(redactor: &Redactor, text: &str) -> Redacted {
    json::redact_json(redactor, text).unwrap_or_else(|_| redactor.redact_text(text))
}

/// Where a streamed body reports its finding counts when it ends.
pub type OnEnd = Box<dyn FnOnce(Counts) -> HeaderMap + Send>;

/// Streams text through a [`StreamRedactor`]: `head` (already read) first,
/// then the rest of `reader`. With `flush_at_events`, output is released at
/// every blank line (server-sent events must arrive when sent; an event
/// never holds half a value). `on_end` turns the findings into trailers.
pub fn stream_text(
    redactor: Arc<Redactor>,
    head: Vec<u8>,
    mut reader: Pin<Box<dyn AsyncRead + Send>>,
    flush_at_events: bool,
    on_end: OnEnd,
) -> ProxyBody {
    let (tx, rx) = mpsc::channel::<Result<Frame<Bytes>, BoxError>>(2);
    tokio::spawn(async move {
        let mut stream = StreamRedactor::new(redactor);
        // Counted as they come: a long stream must not keep every finding.
        let mut findings: Vec<Finding> = Vec::new();
        let mut counts = Counts::default();
        let mut out = String::new();
        let mut chunk = head;
        let mut ended = false;
        loop {
            if !chunk.is_empty() {
                let step = tokio::task::block_in_place(|| {
                    // Events are released up to the last complete one.
                    match last_event_end(&chunk).filter(|_| flush_at_events) {
                        Some(end) => {
                            stream.push(&chunk[..end], &mut out, &mut findings)?;
                            stream.flush(&mut out, &mut findings)?;
                            stream.push(&chunk[end..], &mut out, &mut findings)
                        }
                        None => stream.push(&chunk, &mut out, &mut findings),
                    }
                });
                if let Err(e) = step {
                    let _ = tx.send(Err(Box::new(e))).await;
                    return;
                }
                counts += Counts::of(&findings);
                findings.clear();
                if !out.is_empty()
                    && tx
                        .send(Ok(Frame::data(Bytes::from(std::mem::take(&mut out)))))
                        .await
                        .is_err()
                {
                    return;
                }
            }
            if ended {
                break;
            }
            chunk.clear();
            chunk.reserve(CHUNK);
            // What has arrived is processed now, not once a whole chunk has
            // (an event stream may pause for minutes) ...
            match reader.read_buf(&mut chunk).await {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    let _ = tx.send(Err(Box::new(e))).await;
                    return;
                }
            }
            // ... but text is gathered up to a chunk for a few milliseconds:
            // every push re-reads the held-back window, so pushing each
            // network read on its own halves throughput.
            let deadline = tokio::time::Instant::now() + GATHER;
            while !flush_at_events && chunk.len() < CHUNK {
                match tokio::time::timeout_at(deadline, reader.read_buf(&mut chunk)).await {
                    Err(_) => break,
                    Ok(Ok(0)) => {
                        ended = true;
                        break;
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => {
                        let _ = tx.send(Err(Box::new(e))).await;
                        return;
                    }
                }
            }
        }
        let end = tokio::task::block_in_place(|| stream.finish(&mut out, &mut findings));
        if let Err(e) = end {
            let _ = tx.send(Err(Box::new(e))).await;
            return;
        }
        if !out.is_empty() {
            let _ = tx.send(Ok(Frame::data(Bytes::from(out)))).await;
        }
        counts += Counts::of(&findings);
        let _ = tx.send(Ok(Frame::trailers(on_end(counts)))).await;
    });
    let frames = stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|f| (f, rx)) });
    StreamBody::new(frames).boxed_unsync()
}

/// Where the last complete server-sent event in `chunk` ends (after its
/// blank line), if any.
fn last_event_end(chunk: &[u8]) -> Option<usize> {
    let lf = memchr::memmem::rfind(chunk, b"\n\n").map(|i| i + 2);
    let crlf = memchr::memmem::rfind(chunk, b"\r\n\r\n").map(|i| i + 4);
    lf.max(crlf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn events_end_at_their_last_blank_line() {
        assert_eq!(last_event_end(b"data: a\n\ndata: b"), Some(9));
        assert_eq!(last_event_end(b"data: a\r\n\r\ndata: b\n\n"), Some(20));
        assert_eq!(last_event_end(b"data: a\r\n\r\ndata: b"), Some(11));
        assert_eq!(last_event_end(b"data: a\n"), None);
    }

    #[test]
    fn codings_are_listed_in_order_and_unknown_ones_named() {
        let mut h = HeaderMap::new();
        h.append(
            http::header::CONTENT_ENCODING,
            HeaderValue::from_static("gzip, identity"),
        );
        h.append(
            http::header::CONTENT_ENCODING,
            HeaderValue::from_static("br"),
        );
        assert_eq!(codings(&h).unwrap(), vec![Coding::Gzip, Coding::Brotli]);
        h.insert(
            http::header::CONTENT_ENCODING,
            HeaderValue::from_static("compress"),
        );
        assert_eq!(codings(&h).unwrap_err(), "Content-Encoding `compress`");
    }
}
