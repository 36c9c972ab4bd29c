//! Properties of redaction over generated input: it is idempotent, no
//! planted value survives in any encoding, JSON stays valid, and nothing
//! panics whatever the input.

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::{Redactor, StreamRedactor, html, json};

fn redactor() -> &'static Arc<Redactor> {
    static REDACTOR: OnceLock<Arc<Redactor>> = OnceLock::new();
    REDACTOR.get_or_init(|| {
        let rules = packs::load(&PackSource::default()).expect("default packs load");
        Arc::new(Redactor::new(rules, None).expect("detector builds"))
    })
}

/// Values every default pack set must find, whatever surrounds them.
const VALUES: &[&str] = &[
    "jane.doe@example.com",
    "o'brien+support@mail.example.co.uk",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "NL91ABNA0417164300",
    "GB82 WEST 1234 5698 7654 32",
    "ghp_R8pQ3sVx0bLm2NcT7yWk9ZaE4dHf1Ju6Gi5o",
    "AKIAZ7Q3W5R2T4Y6U8I0",
    "xoxb-2741902611-6183450982245-Xq7LpWnR4cTz9bVm2KdHsY8e",
    "+31 6 12345678",
    "+44 20 7946 0958",
    "2001:db8:85a3::8a2e:370:7334",
    // No IPv4 address: next to a version word (`v`, `build`) one is kept on
    // purpose, and random filler makes such words; the network pack's own
    // examples cover IPv4.
];

/// Text around values: words, digits, punctuation, escapes and non-ASCII.
fn filler() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ]{0,12}",
        "[ \n\t.,;:()\\[\\]{}<>\"'=/&#%\\\\-]{0,6}",
        "[0-9 :.-]{0,10}",
        "\\PC{0,6}",
        Just(" ".to_string()),
    ]
}

/// A document of filler and planted values; returns it with the values.
fn document() -> impl Strategy<Value = (String, Vec<&'static str>)> {
    prop::collection::vec(
        (filler(), prop::option::of(prop::sample::select(VALUES))),
        1..12,
    )
    .prop_map(|parts| {
        let mut text = String::new();
        let mut planted = Vec::new();
        for (fill, value) in parts {
            text.push_str(&fill);
            if let Some(v) = value {
                // Values stand apart from the filler, as after a label and
                // before a delimiter. (A phone number with another digit
                // group right before or after it, `0 +31 6 12345678 0`, is
                // ambiguous and not found yet, a known gap of the phone
                // rules; and a veto word such as `v` or `version` right
                // before an IP address keeps it, on purpose.)
                text.push_str("\nreported value: ");
                text.push_str(v);
                text.push_str(" ;");
                planted.push(v);
            }
        }
        (text, planted)
    })
}

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    // Seeded: the same cases on every run and every machine.
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

fn percent_encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b == b'@' {
                "%40".to_string()
            } else {
                (b as char).to_string()
            }
        })
        .collect()
}

#[test]
fn redaction_is_idempotent() {
    runner(300)
        .run(&document(), |(text, _)| {
            let once = redactor().redact_text(&text).output;
            let twice = redactor().redact_text(&once).output;
            prop_assert_eq!(twice, once);
            Ok(())
        })
        .unwrap();
}

#[test]
fn no_planted_value_survives_in_any_encoding() {
    runner(300)
        .run(&document(), |(text, planted)| {
            let plain = redactor().redact_text(&text).output;
            for v in &planted {
                prop_assert!(!plain.contains(v), "{} survived", v);
            }
            // The same document with every `@` percent-encoded, as in a URL.
            let encoded = percent_encode(&text);
            let out = redactor().redact_text(&encoded).output;
            for v in &planted {
                prop_assert!(!out.contains(&percent_encode(v)), "encoded {} survived", v);
            }
            // And as the content of an HTML paragraph.
            let page = format!("<p>{}</p>", html_escape::encode_text(&text));
            let out = html::redact_html(redactor(), &page).output;
            for v in &planted {
                let escaped = html_escape::encode_text(v).to_string();
                prop_assert!(!out.contains(&escaped), "HTML {} survived", v);
            }
            Ok(())
        })
        .unwrap();
}

/// JSON values whose strings are documents with planted values.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        document().prop_map(|(text, _)| serde_json::Value::String(text)),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop_oneof!["[a-z_]{1,10}", "password|api_key|token|email"],
                    inner
                ),
                0..6
            )
            .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
        ]
    })
}

#[test]
fn json_stays_valid_and_loses_every_value() {
    runner(200)
        .run(&json_value(), |value| {
            let text = serde_json::to_string_pretty(&value).unwrap();
            let out = json::redact_json(redactor(), &text).expect("valid JSON is accepted");
            let parsed: serde_json::Value =
                serde_json::from_str(&out.output).expect("output is valid JSON");
            let flat = parsed.to_string();
            for v in VALUES {
                prop_assert!(!flat.contains(v), "{} survived", v);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn arbitrary_input_never_panics() {
    runner(500)
        .run(&prop::collection::vec(any::<u8>(), 0..400), |bytes| {
            let r = redactor();
            let mut stream = StreamRedactor::new(Arc::clone(r));
            let (mut out, mut found) = (String::new(), Vec::new());
            let _ = stream
                .push(&bytes, &mut out, &mut found)
                .and_then(|()| stream.finish(&mut out, &mut found));
            let text = String::from_utf8_lossy(&bytes);
            let _ = r.redact_text(&text);
            let _ = json::redact_json(r, &text);
            let _ = html::redact_html(r, &text);
            Ok(())
        })
        .unwrap();
}
