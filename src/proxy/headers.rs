//! Header rules for both directions: hop-by-hop headers (RFC 9110 §7.6.1)
//! stop here, the upstream sees X-Forwarded-*, and response headers that
//! carry user data are redacted like bodies.

use std::net::IpAddr;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::redact::{Finding, Redactor};

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1,
/// plus the non-standard ones proxies are known to see).
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Response headers whose values can carry user data: a redirect to
/// `/users?email=…`, a download named after a customer, links with ids.
const USER_DATA_HEADERS: &[HeaderName] = &[
    header::LOCATION,
    header::CONTENT_LOCATION,
    header::CONTENT_DISPOSITION,
    header::LINK,
    header::REFRESH,
];

/// The response header (or trailer) that counts findings per class.
pub const FINDINGS: HeaderName = HeaderName::from_static("veilgate-findings");

/// The comma-separated tokens of every `name` field, trimmed
/// (`Connection: keep-alive, Upgrade`).
pub fn tokens<'a>(headers: &'a HeaderMap, name: &HeaderName) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
}

/// The header names a `Connection` or `Trailer` field lists.
fn named_headers(headers: &HeaderMap, name: &HeaderName) -> Vec<HeaderName> {
    tokens(headers, name)
        .filter_map(|t| HeaderName::from_bytes(t.as_bytes()).ok())
        .collect()
}

/// Declares in `Trailer` the fields a body will end with.
pub fn declare_trailers<'a>(headers: &mut HeaderMap, names: impl Iterator<Item = &'a HeaderName>) {
    let names: Vec<&str> = names.map(HeaderName::as_str).collect();
    if let Ok(value) = HeaderValue::from_str(&names.join(", ")) {
        headers.insert(header::TRAILER, value);
    }
}

/// Removes hop-by-hop headers, including every header the `Connection`
/// header names.
pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    for name in named_headers(headers, &header::CONNECTION) {
        headers.remove(name);
    }
    for name in HOP_BY_HOP {
        headers.remove(*name);
    }
}

/// What the upstream learns about the original request.
pub struct Forwarded<'a> {
    pub client: IpAddr,
    /// `http` or `https`: how the agent reached veilgate.
    pub proto: &'static str,
    /// The Host the agent asked for.
    pub host: Option<&'a HeaderValue>,
}

/// Rewrites request headers for the upstream: hop-by-hop gone, Range gone
/// (a byte range of a redacted body is not a range of the original, and
/// would let a value slip past detection cut in two), X-Forwarded-*, the
/// encodings veilgate can decode.
pub fn request_for_upstream(headers: &mut HeaderMap, host: HeaderValue, forwarded: &Forwarded) {
    let original_host = forwarded.host.cloned();
    strip_hop_by_hop(headers);
    headers.remove(header::RANGE);
    headers.remove(header::IF_RANGE);
    headers.insert(header::HOST, host);
    headers.insert(
        header::ACCEPT_ENCODING,
        HeaderValue::from_static("gzip, deflate, br, zstd"),
    );
    // veilgate reads trailers (and passes them on redacted) whatever the
    // agent said; the only TE value HTTP/2 allows.
    headers.insert(header::TE, HeaderValue::from_static("trailers"));
    let client = forwarded.client.to_string();
    let chain = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(before) if !before.trim().is_empty() => format!("{before}, {client}"),
        _ => client,
    };
    if let Ok(value) = HeaderValue::from_str(&chain) {
        headers.insert("x-forwarded-for", value);
    }
    headers.insert(
        "x-forwarded-proto",
        HeaderValue::from_static(forwarded.proto),
    );
    match original_host {
        Some(h) => {
            headers.insert("x-forwarded-host", h);
        }
        None => {
            headers.remove("x-forwarded-host");
        }
    }
}

/// Rewrites response headers once veilgate has changed the body: its
/// length and encoding are no longer the upstream's, a strong validator no
/// longer holds, and byte ranges are not offered.
pub fn response_for_rewritten_body(headers: &mut HeaderMap) {
    strip_hop_by_hop(headers);
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::CONTENT_ENCODING);
    headers.remove(header::CONTENT_RANGE);
    headers.remove("content-md5");
    headers.remove("digest");
    headers.remove("content-digest");
    headers.remove("repr-digest");
    weaken_etag(headers);
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("none"));
}

/// `"abc"` becomes `W/"abc"`: the representation is now only semantically
/// equivalent to the upstream's, so a strong comparison must fail.
fn weaken_etag(headers: &mut HeaderMap) {
    if let Some(etag) = headers.get(header::ETAG)
        && !etag.as_bytes().starts_with(b"W/")
    {
        let mut weak = b"W/".to_vec();
        weak.extend_from_slice(etag.as_bytes());
        match HeaderValue::from_bytes(&weak) {
            Ok(value) => {
                headers.insert(header::ETAG, value);
            }
            Err(_) => {
                headers.remove(header::ETAG);
            }
        }
    }
}

/// Redacts the response headers that can carry user data. A value that is
/// not text is dropped rather than passed unread.
pub fn redact_user_data(headers: &mut HeaderMap, redactor: &Redactor, found: &mut Vec<Finding>) {
    for name in USER_DATA_HEADERS {
        let values: Vec<HeaderValue> = headers.get_all(name).iter().cloned().collect();
        if values.is_empty() {
            continue;
        }
        headers.remove(name);
        for value in values {
            if let Some(value) = redact_value(&value, redactor, found) {
                headers.append(name, value);
            }
        }
    }
}

/// A header value redacted like text; `None` (dropped) when it is not text.
fn redact_value(
    value: &HeaderValue,
    redactor: &Redactor,
    found: &mut Vec<Finding>,
) -> Option<HeaderValue> {
    let redacted = redactor.redact_text(value.to_str().ok()?);
    found.extend(redacted.findings);
    HeaderValue::from_str(&redacted.output).ok()
}

/// Trailer fields that describe the upstream's bytes, which a redacted body
/// no longer has.
const BYTE_DIGESTS: &[&str] = &["content-digest", "repr-digest", "digest", "content-md5"];

/// The names an upstream declared in its `Trailer` header (read before the
/// hop-by-hop headers are stripped), minus the digests of its bytes.
pub fn declared_trailers(headers: &HeaderMap) -> Vec<HeaderName> {
    let mut names = named_headers(headers, &header::TRAILER);
    names.retain(|name| !BYTE_DIGESTS.contains(&name.as_str()) && !is_hop_by_hop(name));
    names
}

/// The upstream's trailers as the agent may see them: digests of the
/// original bytes and hop-by-hop fields dropped, every value redacted like
/// text (a value that is not text is dropped).
pub fn trailers_for_agent(
    trailers: HeaderMap,
    redactor: &Redactor,
    found: &mut Vec<Finding>,
) -> HeaderMap {
    let mut out = HeaderMap::new();
    for (name, value) in &trailers {
        if BYTE_DIGESTS.contains(&name.as_str()) || is_hop_by_hop(name) {
            continue;
        }
        if let Some(value) = redact_value(value, redactor, found) {
            out.append(name, value);
        }
    }
    out
}

fn is_hop_by_hop(name: &HeaderName) -> bool {
    HOP_BY_HOP.contains(&name.as_str()) || name == header::CONTENT_LENGTH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_named_headers_are_stripped() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONNECTION,
            HeaderValue::from_static("close, x-secret-hop"),
        );
        h.insert("x-secret-hop", HeaderValue::from_static("1"));
        h.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        strip_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1);
        assert!(h.contains_key(header::CONTENT_TYPE));
    }

    #[test]
    fn strong_etags_are_weakened_once() {
        let mut h = HeaderMap::new();
        h.insert(header::ETAG, HeaderValue::from_static("\"v1\""));
        response_for_rewritten_body(&mut h);
        assert_eq!(h[header::ETAG], "W/\"v1\"");
        response_for_rewritten_body(&mut h);
        assert_eq!(h[header::ETAG], "W/\"v1\"");
        assert_eq!(h[header::ACCEPT_RANGES], "none");
    }

    #[test]
    fn forwarded_for_is_appended() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("10.1.1.1"));
        h.insert(header::RANGE, HeaderValue::from_static("bytes=0-10"));
        let host = HeaderValue::from_static("agent.example");
        request_for_upstream(
            &mut h,
            HeaderValue::from_static("up.example"),
            &Forwarded {
                client: "127.0.0.1".parse().unwrap(),
                proto: "http",
                host: Some(&host),
            },
        );
        assert_eq!(h["x-forwarded-for"], "10.1.1.1, 127.0.0.1");
        assert_eq!(h["x-forwarded-host"], "agent.example");
        assert_eq!(h[header::HOST], "up.example");
        assert!(!h.contains_key(header::RANGE));
    }
}
