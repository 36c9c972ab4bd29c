//! Decoded views (text behind `%40`, `\u0040`, `&#64;`) are searched only
//! near what decoding changed; the rest of a view is the raw text, searched
//! already. These tests hold the focused search to the whole-view search it
//! replaced, and try values whose only giveaway is escaped.

use veilgate::redact::Redactor;
use veilgate::redact::packs::{self, PackSource};

#[path = "corpus/mod.rs"]
mod corpus;

fn redactor() -> Redactor {
    let rules = packs::load(&PackSource::default()).expect("default packs load");
    Redactor::new(rules, None).expect("detector builds")
}

/// Compares the two searches piece by piece (lines, ~16 KiB at a time, as a
/// stream would cut them), naming the first difference.
fn assert_same_findings(r: &Redactor, text: &str) {
    let mut start = 0;
    while start < text.len() {
        let end = text[(start + 16_384).min(text.len())..]
            .find('\n')
            .map_or(text.len(), |i| (start + 16_384).min(text.len()) + i + 1);
        let piece = &text[start..end];
        let focused = r.find_in_text(piece);
        let whole = r.find_in_text_searching_whole_views(piece);
        if focused != whole {
            let name = |f: &veilgate::redact::Finding| {
                format!("{} at {:?}", r.rules().rules[f.rule].id, f.span)
            };
            let missed: Vec<String> = whole
                .iter()
                .filter(|f| !focused.contains(f))
                .map(name)
                .collect();
            let extra: Vec<String> = focused
                .iter()
                .filter(|f| !whole.contains(f))
                .map(name)
                .collect();
            panic!("focused search missed {missed:?} and added {extra:?}");
        }
        start = end;
    }
}

#[test]
fn focused_views_find_what_whole_views_find_in_generated_logs() {
    let r = redactor();
    assert_same_findings(&r, &corpus::log_text(11, 600_000));
}

#[test]
fn focused_views_find_what_whole_views_find_in_escape_dense_json() {
    // Ticket JSON read as text: every string is full of `\n`, `\"` and
    // `\u` escapes, so views cover most of it.
    let r = redactor();
    assert_same_findings(&r, &corpus::ticket_json(12, 300_000));
}

#[test]
fn values_given_away_only_by_escaped_text_are_found() {
    let r = redactor();
    let padding = "x".repeat(150);
    let cases = [
        // The key is escaped; the value is plain.
        ("pass%77ord=Xk9.vQ2mZr7TbW4p", "Xk9.vQ2mZr7TbW4p"),
        // A form-encoded JSON member.
        (
            "body=%7B%22password%22%3A%22Xk9.vQ2mZr7TbW4p%22%7D",
            "Xk9.vQ2mZr7TbW4p",
        ),
        // The e-mail's `@` is the only escape, far into a long token.
        (
            &format!("GET /q?ref={padding}&to=jan.jansen%40example.nl HTTP/1.1"),
            "jan.jansen%40example.nl",
        ),
        // The context word is escaped, the number plain.
        (
            "t%C3%A9l%C3%A9phone%C2%A0: +33 6 12 34 56 78",
            "+33 6 12 34 56 78",
        ),
        // The keyword is plain, the rest of the value escaped in the
        // tokens after it: only a search that reaches from the keyword
        // into the decoded text finds the value whole.
        (
            "Adres: Kerkstraat 12%2C%201234%20AB%20Amsterdam",
            "Kerkstraat 12%2C%201234%20AB%20Amsterdam",
        ),
        ("Naam: Jan%20Jansen", "Jan%20Jansen"),
        // An entity inside the value, the rest of the line plain.
        (
            "Contact: jan.jansen&#64;example.nl",
            "jan.jansen&#64;example.nl",
        ),
    ];
    for (text, value) in cases {
        let found: Vec<&str> = r
            .find_in_text(text)
            .iter()
            .map(|f| &text[f.span.clone()])
            .collect();
        assert!(
            found.iter().any(|f| f.contains(value)),
            "{value:?} not found in {text:?}: {found:?}"
        );
        assert_same_findings(&r, text);
    }
}
