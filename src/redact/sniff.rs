//! What a document holds, read from its first bytes when nothing else says:
//! `veilgate scan` of a file without a telling extension, and the proxy's
//! bodies of a generic type (a HAR file served as
//! `application/octet-stream`). Read as plain text, JSON keeps every value
//! a sibling names and HTML its entity-encoded values.

use super::html::starts_with_ignore_case;

/// The kinds of document the redactor reads differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Opens with `{` or `[`: to be parsed as JSON (text if it does not).
    Json,
    /// Opens with a doctype, `<html` or a comment.
    Html,
    Text,
}

/// The kind of document `head`, its first bytes, opens (after a UTF-8 byte
/// order mark and white space).
pub fn content(head: &[u8]) -> Content {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &head[i..]);
    let opens = |prefix: &[u8]| starts_with_ignore_case(start, prefix);
    if matches!(start.first(), Some(b'{' | b'[')) {
        Content::Json
    } else if opens(b"<!doctype html") || opens(b"<html") || opens(b"<!--") {
        Content::Html
    } else {
        Content::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_read_by_what_they_open_with() {
        assert_eq!(content(b"  {\"log\":{}}"), Content::Json);
        assert_eq!(content(b"\xEF\xBB\xBF[1]"), Content::Json);
        assert_eq!(content(b"\n<!DOCTYPE html><html>"), Content::Html);
        assert_eq!(content(b"<HTML lang=en>"), Content::Html);
        assert_eq!(content(b"<!-- saved page -->"), Content::Html);
        assert_eq!(content(b"2024-03-12 ERROR {json} later"), Content::Text);
        assert_eq!(content(b"<?xml version=\"1.0\"?>"), Content::Text);
        assert_eq!(content(b"<htm"), Content::Text);
        assert_eq!(content(b""), Content::Text);
    }
}
