//! What happens to a response: redacted (and how), passed or blocked, by the
//! configured routes and the media type. A text type is never passed unless
//! a route says so.

use crate::config::{Action, Policy};

/// How a body's bytes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// Parsed and redacted string by string; buffered whole.
    Json,
    /// Entities decoded, markup kept; buffered whole.
    Html,
    /// `application/x-www-form-urlencoded`: fields decoded; buffered whole.
    Form,
    /// Plain text, logs, CSV, XML, NDJSON, forms: streamed.
    Text,
    /// `text/event-stream`: streamed, released at every event.
    EventStream,
    /// No text to read (images, archives, PDF).
    Binary,
    /// `application/octet-stream` or another generic type: attachments such
    /// as log files arrive so. Read as text when the first bytes are text.
    Unknown,
}

/// The decision for one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Redact(BodyKind),
    Pass,
    Block,
}

/// The media type of a `Content-Type` value, lowercase, without parameters.
pub fn media_type(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The `charset` parameter, lowercase, if any.
pub fn charset(content_type: Option<&str>) -> Option<String> {
    content_type?.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
    })
}

/// How a media type is read. A response without a type is read as text:
/// what cannot be read is refused, not passed.
pub fn kind_of(media: &str) -> BodyKind {
    let (top, sub) = media.split_once('/').unwrap_or((media, ""));
    match (top, sub) {
        ("", _) => BodyKind::Text,
        (
            "application" | "binary",
            "octet-stream" | "unknown" | "x-unknown" | "download" | "force-download",
        ) => BodyKind::Unknown,
        ("application", "json") => BodyKind::Json,
        ("application", s) if s.ends_with("+json") => BodyKind::Json,
        ("text", "html") | ("application", "xhtml+xml") => BodyKind::Html,
        ("text", "event-stream") => BodyKind::EventStream,
        ("application", "x-www-form-urlencoded") => BodyKind::Form,
        ("text", _) | ("multipart", _) | ("message", _) => BodyKind::Text,
        (
            "application",
            "x-ndjson" | "ndjson" | "jsonl" | "x-jsonlines" | "json-seq" | "xml" | "javascript"
            | "x-javascript" | "ecmascript" | "graphql" | "x-yaml" | "yaml" | "toml" | "x-sh"
            | "sql" | "csv" | "rtf" | "x-log",
        ) => BodyKind::Text,
        ("application", s) if s.ends_with("+xml") || s.ends_with("+yaml") => BodyKind::Text,
        _ => BodyKind::Binary,
    }
}

/// True when the first bytes of a body read as text: UTF-8 (a sequence cut
/// at the end is fine) without NUL or other control bytes of binary formats.
pub fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    };
    valid
        && !head
            .iter()
            .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
}

/// Decides for a response to a request for `path` (already normalised).
pub fn decide(policy: &Policy, path: &str, media: &str) -> Decision {
    let kind = kind_of(media);
    let route = policy.routes.iter().find(|route| {
        route
            .path_prefix
            .as_deref()
            .is_none_or(|prefix| path.starts_with(prefix))
            && route
                .content_type
                .as_deref()
                .is_none_or(|t| media.starts_with(&t.to_ascii_lowercase()))
    });
    let action = match route {
        Some(route) => route.action,
        None if kind == BodyKind::Binary => policy.binary,
        // Generic bytes are looked at: text is redacted, the rest follows
        // the binary policy.
        None if kind == BodyKind::Unknown && policy.binary == Action::Block => Action::Block,
        None => Action::Redact,
    };
    match action {
        Action::Pass => Decision::Pass,
        Action::Block => Decision::Block,
        // A binary type a route wants redacted is read as text: if it is
        // not text, the response fails closed.
        Action::Redact if kind == BodyKind::Binary => Decision::Redact(BodyKind::Text),
        Action::Redact => Decision::Redact(kind),
    }
}

/// Whether a normalised path is under veilgate's reserved prefix
/// `/_veilgate/`, in any letter case.
pub fn is_reserved(route_path: &str) -> bool {
    let lower = route_path.to_ascii_lowercase();
    lower == "/_veilgate" || lower.starts_with("/_veilgate/")
}

/// A request path as routes see it: percent-decoded, `//` collapsed and
/// `.`/`..` resolved, so that `/a/%2e%2e/b` or `//b` cannot dodge a route.
/// `None` when it decodes to something that is not a path.
pub fn normalise_path(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    out.push_str(&segments.join("/"));
    if decoded.ends_with('/') && out.len() > 1 {
        out.push('/');
    }
    Some(out)
}

/// Characters a path segment cannot hold raw (RFC 3986 `pchar` allows the
/// rest), plus `%` so that nothing decodes twice.
const SEGMENT_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A normalised path encoded again for the upstream: what veilgate judged
/// is exactly what the upstream gets (`%2F` has become a separator, dot
/// segments are gone), so the two cannot read a path differently.
pub fn encode_path(normalised: &str) -> String {
    normalised
        .split('/')
        .map(|segment| percent_encoding::utf8_percent_encode(segment, SEGMENT_ESCAPES).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Route;

    #[test]
    fn text_types_are_redacted_and_binary_ones_pass() {
        let p = Policy::default();
        let d = |t: &str| decide(&p, "/", &media_type(Some(t)));
        assert_eq!(
            d("application/json; charset=utf-8"),
            Decision::Redact(BodyKind::Json)
        );
        assert_eq!(
            d("application/problem+json"),
            Decision::Redact(BodyKind::Json)
        );
        assert_eq!(d("text/html"), Decision::Redact(BodyKind::Html));
        assert_eq!(d("text/csv"), Decision::Redact(BodyKind::Text));
        assert_eq!(d("application/x-ndjson"), Decision::Redact(BodyKind::Text));
        assert_eq!(d("application/atom+xml"), Decision::Redact(BodyKind::Text));
        assert_eq!(
            d("text/event-stream"),
            Decision::Redact(BodyKind::EventStream)
        );
        assert_eq!(d(""), Decision::Redact(BodyKind::Text));
        assert_eq!(d("image/png"), Decision::Pass);
        assert_eq!(d("application/pdf"), Decision::Pass);
        assert_eq!(
            d("application/octet-stream"),
            Decision::Redact(BodyKind::Unknown)
        );
    }

    #[test]
    fn routes_decide_in_order() {
        let p = Policy {
            binary: Action::Block,
            websocket_binary: Action::Pass,
            routes: vec![
                Route {
                    path_prefix: Some("/assets/".into()),
                    content_type: None,
                    action: Action::Pass,
                },
                Route {
                    path_prefix: None,
                    content_type: Some("image/".into()),
                    action: Action::Pass,
                },
            ],
        };
        assert_eq!(
            decide(&p, "/assets/app.js", "application/javascript"),
            Decision::Pass
        );
        assert_eq!(decide(&p, "/x.png", "image/png"), Decision::Pass);
        assert_eq!(decide(&p, "/x.zip", "application/zip"), Decision::Block);
        assert_eq!(
            decide(&p, "/api/app.js", "application/javascript"),
            Decision::Redact(BodyKind::Text)
        );
    }

    #[test]
    fn paths_are_normalised_before_routing() {
        assert_eq!(normalise_path("/a//b/./c").unwrap(), "/a/b/c");
        assert_eq!(normalise_path("/assets/%2e%2e/api/x").unwrap(), "/api/x");
        assert_eq!(normalise_path("/a/b/").unwrap(), "/a/b/");
        assert_eq!(normalise_path("/../../etc").unwrap(), "/etc");
        assert!(normalise_path("/a%00b").is_none());
        assert!(normalise_path("/a%ffb").is_none());
    }

    #[test]
    fn normalised_paths_are_encoded_again_for_the_upstream() {
        let path = normalise_path("/api/v2/tickets/4102%2F..%2F4101/a%20b%3Fc").unwrap();
        assert_eq!(encode_path(&path), "/api/v2/tickets/4101/a%20b%3Fc");
        assert_eq!(encode_path("/a/b/"), "/a/b/");
        assert_eq!(encode_path("/é%"), "/%C3%A9%25");
    }

    #[test]
    fn charset_is_read_from_parameters() {
        assert_eq!(
            charset(Some("text/plain; Charset=\"ISO-8859-1\"")).unwrap(),
            "iso-8859-1"
        );
        assert_eq!(charset(Some("text/plain")), None);
    }
}
