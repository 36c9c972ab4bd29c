//! Streaming redaction of text with bounded memory: input arrives in chunks
//! of any size, output leaves as soon as no match can still reach it.
//!
//! A tail of the input (the *window*) is held back after each chunk: any
//! value that could straddle the chunk boundary starts inside it, so it is
//! written out only when the next chunk arrives. As much text again before
//! the cut, already written out, is kept as left context: the key or
//! keyword that makes a value just after the cut a finding (`Pwd=` before a
//! password) must still be there when that value is searched.
//!
//! Each trigger (a keyword, a keyword-less rule's candidate) is searched for
//! once, in the batch whose text reaches far enough past it for its rule to
//! decide; the raw findings that later text can still merge with are carried
//! to the next batch. Only the decoded views around escapes, a small part of
//! most text, are searched again with each batch.

use std::sync::Arc;

use super::engine::{Finding, floor_char};
use super::redactor::Redactor;

/// Input is searched in batches of at least this many new bytes, so that a
/// stream of tiny chunks does not redo the per-batch work (the decoded
/// views of the text around each batch, the left context and the held-back
/// window, about 50 KiB each with the default packs) for every byte. A
/// proxy runs many streams at once and keeps their batches small.
pub const DEFAULT_BATCH: usize = 256 * 1024;

/// The batch for a stream that runs alone, such as a file being scanned:
/// fewer batches for under a MiB more memory.
pub const SOLO_BATCH: usize = 1024 * 1024;

/// An escaped value can take up to six raw bytes per decoded byte (`\u0040`).
const ESCAPE_EXPANSION: usize = 6;

/// Why a stream could not be redacted. Never quotes the data.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StreamError {
    #[error("input is not valid UTF-8 (at byte {offset})")]
    NotUtf8 { offset: usize },
}

/// Redacts a text stream chunk by chunk.
#[derive(Debug)]
pub struct StreamRedactor {
    redactor: Arc<Redactor>,
    pending: Vec<u8>,
    /// Offset in the whole stream of `pending[0]`.
    offset: usize,
    /// How many bytes at the start of `pending` were written out already:
    /// kept only as the left context of what follows.
    emitted: usize,
    /// Where in `pending` the text not yet searched for triggers begins.
    searched: usize,
    /// Raw findings (spans in `pending`) that end past the last cut: a
    /// later batch merges them with what it finds.
    held: Vec<Finding>,
    window: usize,
    /// How far before its trigger a finding can begin.
    reach: usize,
    /// How much text past a trigger its rule can look at.
    lookahead: usize,
    min_batch: usize,
}

impl StreamRedactor {
    pub fn new(redactor: Arc<Redactor>) -> StreamRedactor {
        StreamRedactor::with_batch(redactor, DEFAULT_BATCH)
    }

    /// A stream searched in batches of at least `min_batch` new bytes
    /// ([`DEFAULT_BATCH`], [`SOLO_BATCH`]).
    pub fn with_batch(redactor: Arc<Redactor>, min_batch: usize) -> StreamRedactor {
        let reach = redactor.detector().reach().max(64);
        StreamRedactor {
            redactor,
            pending: Vec::new(),
            offset: 0,
            emitted: 0,
            searched: 0,
            held: Vec::new(),
            window: reach * ESCAPE_EXPANSION + 512,
            reach,
            // A rule decides within its reach on either side of its
            // trigger; twice that, and a window of three times it after the
            // last trigger searched, leave room to spare (see `process`).
            lookahead: 2 * reach + 512,
            min_batch: min_batch.max(1),
        }
    }

    /// The most input held back between chunks, in bytes (besides the chunk
    /// being processed): the left context, the window and a batch.
    pub fn window(&self) -> usize {
        2 * self.window + self.min_batch
    }

    /// Feeds one chunk; appends whatever output is final to `out` and the
    /// findings in it (with spans in the whole stream) to `findings`.
    ///
    /// # Errors
    /// [`StreamError::NotUtf8`] when the input is not UTF-8; nothing more
    /// should be written after that.
    pub fn push(
        &mut self,
        chunk: &[u8],
        out: &mut String,
        findings: &mut Vec<Finding>,
    ) -> Result<(), StreamError> {
        self.pending.extend_from_slice(chunk);
        if self.pending.len() - self.emitted < self.window + self.min_batch {
            return Ok(());
        }
        self.process(false, out, findings)
    }

    /// Ends the stream and flushes what is held back.
    ///
    /// # Errors
    /// As [`StreamRedactor::push`]; also when the stream ends inside a
    /// UTF-8 sequence.
    pub fn finish(
        mut self,
        out: &mut String,
        findings: &mut Vec<Finding>,
    ) -> Result<(), StreamError> {
        self.process(true, out, findings)
    }

    /// Emits everything held back as if the stream ended here, and goes on.
    /// Only for streams with boundaries no value straddles, such as the
    /// blank line after each server-sent event.
    ///
    /// # Errors
    /// As [`StreamRedactor::finish`].
    pub fn flush(
        &mut self,
        out: &mut String,
        findings: &mut Vec<Finding>,
    ) -> Result<(), StreamError> {
        self.process(true, out, findings)
    }

    fn process(
        &mut self,
        last: bool,
        out: &mut String,
        findings: &mut Vec<Finding>,
    ) -> Result<(), StreamError> {
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) if e.error_len().is_none() && !last => e.valid_up_to(),
            Err(e) => {
                return Err(StreamError::NotUtf8 {
                    offset: self.offset + e.valid_up_to(),
                });
            }
        };
        let text = std::str::from_utf8(&self.pending[..valid]).expect("checked above");
        // Triggers up to where the text ahead holds all their rules can
        // look at. Findings of later triggers begin no more than a reach
        // before them, after the cut below: what is written out is final.
        let searched = if last {
            text.len()
        } else {
            floor_char(text, text.len().saturating_sub(self.lookahead)).max(self.searched)
        };
        let mut raw = std::mem::take(&mut self.held);
        let (triggered, cut_short) = self.redactor.find_triggered(text, self.searched..searched);
        // A key's value that runs to the end of the text can go on, and be
        // judged otherwise, in the next: this batch's triggers are searched
        // again then, and nothing their findings can reach is written out.
        let (searched, final_before) = if cut_short && !last {
            (
                self.searched,
                floor_char(text, self.searched.saturating_sub(self.reach)),
            )
        } else {
            raw.extend(triggered);
            (searched, text.len())
        };
        let found = self.redactor.find_in_batch(text, raw.clone());
        let emitted = self.emitted;
        let mut cut = if last {
            text.len()
        } else {
            floor_char(text, text.len().saturating_sub(self.window))
                .min(final_before)
                .max(emitted)
        };
        // A finding across the cut is held back whole.
        for f in found.iter().rev() {
            if f.span.start < cut && f.span.end > cut {
                cut = f.span.start.max(emitted);
            }
        }
        // Findings in text written out already were handled then. One that
        // begins there and reaches past it (the window is meant to make
        // this impossible) still has its unwritten part redacted.
        let done: Vec<Finding> = found
            .into_iter()
            .filter(|f| f.span.end <= cut && f.span.end > emitted)
            .map(|mut f| {
                f.span = f.span.start.max(emitted) - emitted..f.span.end - emitted;
                f
            })
            .collect();
        self.redactor.apply(&text[emitted..cut], &done, out);
        let base = self.offset + emitted;
        findings.extend(done.into_iter().map(|mut f| {
            f.span = f.span.start + base..f.span.end + base;
            f
        }));
        let keep = floor_char(text, cut.saturating_sub(self.window));
        self.held = raw
            .into_iter()
            .filter(|f| f.span.end > cut)
            .map(|mut f| {
                f.span = f.span.start.max(keep) - keep..f.span.end - keep;
                f
            })
            .collect();
        self.searched = searched - keep;
        self.pending.drain(..keep);
        self.offset += keep;
        self.emitted = cut - keep;
        Ok(())
    }
}
