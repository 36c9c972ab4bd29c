//! `veilgate scan` and `veilgate patterns test` through the real binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn veilgate(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_veilgate"))
        .args(args)
        .env_remove("VEILGATE_HASH_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("veilgate starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The process may exit before reading everything (bad input).
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("veilgate runs");
    writer.join().expect("writer thread");
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("output is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn text_loses_the_value_and_keeps_everything_else() {
    let input = "2024-03-12T10:22:01.123Z ERROR mail to jane.doe@example.com failed (status=500)\n";
    let out = veilgate(&["scan"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "2024-03-12T10:22:01.123Z ERROR mail to [email] failed (status=500)\n"
    );
}

#[test]
fn escaped_values_are_found_in_every_encoding() {
    let input = "GET /search?q=jane.doe%40example.com HTTP/1.1\n\
                 {\"note\":\"reach me at bob\\u0040example.org\"}\n\
                 <a href=\"mailto:eve&#64;example.net\">x</a>\n";
    let out = veilgate(&["scan", "--format", "text"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for gone in [
        "jane.doe",
        "bob",
        "eve&#64;",
        "example.com",
        "example.org",
        "example.net",
    ] {
        assert!(!text.contains(gone), "{gone} survived in {text}");
    }
    assert!(
        text.starts_with("GET /search?q=[email] HTTP/1.1\n"),
        "{text}"
    );
}

#[test]
fn tags_need_a_key_and_tell_values_apart() {
    let input = "a@example.com b@example.com a@example.com\n";
    let plain = stdout(&veilgate(&["scan"], input.as_bytes()));
    assert_eq!(plain, "[email] [email] [email]\n");
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    std::fs::write(&key, "0123456789abcdef0123456789abcdef").unwrap();
    let key = key.to_str().unwrap();
    let tagged = stdout(&veilgate(
        &["scan", "--hash-key-file", key],
        input.as_bytes(),
    ));
    let tags: Vec<&str> = tagged.split_whitespace().collect();
    assert_eq!(tags.len(), 3);
    assert!(
        tags.iter()
            .all(|t| t.starts_with("[email:") && t.len() == "[email:".len() + 7)
    );
    assert_eq!(tags[0], tags[2]);
    assert_ne!(tags[0], tags[1]);
}

#[test]
fn explain_reports_spans_never_values() {
    let input = "x jane@example.com y";
    let out = veilgate(&["scan", "--explain"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("jane"));
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("one JSON line");
    assert_eq!(line["rule"], "pii.email");
    assert_eq!(line["class"], "pii");
    assert_eq!(line["action"], "replace");
    let (start, end) = (
        line["start"].as_u64().unwrap() as usize,
        line["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&input[start..end], "jane@example.com");
}

#[test]
fn json_stays_valid_and_keeps_its_bytes() {
    let input = r#"{ "id": 42, "subject": "Login fails",
  "requester": {"email": "jane\u0040example.com"},
  "comments": [ {"body": "contact: bob@example.org\nthanks", "public": true} ],
  "weird\/key": "http:\/\/example.com\/path" }"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ticket.json");
    std::fs::write(&path, input).unwrap();
    let out = veilgate(&["scan", path.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("output is JSON");
    assert_eq!(parsed["requester"]["email"], "[email]");
    assert_eq!(parsed["comments"][0]["body"], "contact: [email]\nthanks");
    let expected = input
        .replace(r"jane\u0040example.com", "[email]")
        .replace("bob@example.org", "[email]");
    assert_eq!(text, expected);
}

#[test]
fn html_inside_a_json_string_is_read_as_html() {
    // Zendesk's `html_body`: as plain text, `<br>` would glue the labelled
    // name to the next field and hide it.
    let input = r#"{"id": 90001, "html_body": "<div class=\"zd-comment\"><p>Look the charge up on your side.</p><p>Name: Emily Carter<br>Phone: ask me<br>Mail: emily&#64;example.com</p><p>Best regards,<br>Oliver Hayes</p></div>", "body": "at Foo.<init>(Foo.java:10) a < b"}"#;
    let out = veilgate(&["scan", "--format", "json"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let parsed: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("output is JSON");
    let html = parsed["html_body"].as_str().unwrap();
    for name in ["Emily", "Carter", "Oliver", "Hayes"] {
        assert!(!html.contains(name), "{html}");
    }
    assert!(!html.contains("emily"), "{html}");
    assert!(
        html.starts_with(
            "<div class=\"zd-comment\"><p>Look the charge up on your side.</p><p>Name: "
        ),
        "{html}"
    );
    assert!(html.contains("<br>Phone: ask me<br>"), "{html}");
    // A log line with `<init>` is not HTML and stays byte for byte.
    assert_eq!(parsed["body"], "at Foo.<init>(Foo.java:10) a < b");
}

#[test]
fn html_is_redacted_after_entity_decoding() {
    let input =
        "<!DOCTYPE html><p title=\"from eve&#64;example.net\">Mail: jane&#x40;example.com</p>\n";
    let out = veilgate(&["scan"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "<!DOCTYPE html><p title=\"from [email]\">Mail: [email]</p>\n"
    );
}

#[test]
fn a_password_inputs_value_is_replaced_whatever_it_looks_like() {
    // A settings page that prefills the SMTP password: the value looks like
    // nothing any rule knows, and `type` may come after `value`.
    let input = concat!(
        "<!DOCTYPE html><form>",
        "<input type=\"password\" name=\"smtp_pass\" value=\"plain words\">",
        "<input value=Tr0ub&amp;dor TYPE=PassWord name=p>",
        "<input type=\"hidden\" name=\"csrf\" value=\"c5rf-t0ken-kept\">",
        "<input type=\"text\" name=\"user\" value=\"support-bot\">",
        "</form>\n"
    );
    let out = veilgate(&["scan"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        concat!(
            "<!DOCTYPE html><form>",
            "<input type=\"password\" name=\"smtp_pass\" value=\"[password]\">",
            "<input value=[password] TYPE=PassWord name=p>",
            "<input type=\"hidden\" name=\"csrf\" value=\"c5rf-t0ken-kept\">",
            "<input type=\"text\" name=\"user\" value=\"support-bot\">",
            "</form>\n"
        )
    );
    let explained = stdout(&veilgate(&["scan", "--explain"], input.as_bytes()));
    assert_eq!(
        explained
            .matches("\"rule\":\"html.password-input\"")
            .count(),
        2,
        "{explained}"
    );
    // The same form in a JSON string (a ticket's `html_body`) is HTML too.
    let json = r#"{"html_body": "<form><input type=\"password\" value=\"json pw\"></form>"}"#;
    let out = veilgate(&["scan", "--format", "json"], json.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        r#"{"html_body": "<form><input type=\"password\" value=\"[password]\"></form>"}"#
    );
}

#[test]
fn passwords_given_to_tools_and_sql_lose_every_character() {
    // Each line as a ticket quotes it; every password is distinct so that
    // any surviving piece of one shows.
    let lines = [
        (
            "CREATE USER 'app'@'%' IDENTIFIED BY \"Pw1-dq-Sql!\";",
            "Pw1-dq-Sql!",
        ),
        (
            "ALTER USER app IDENTIFIED WITH caching_sha2_password BY 'Pw2-plugin';",
            "Pw2-plugin",
        ),
        (
            "net use Z: \\\\fs01\\share Pw3-NetUse /user:CORP\\jane",
            "Pw3-NetUse",
        ),
        (
            "net use \\\\fs01\\share /user:CORP\\jane Pw4-NetUse",
            "Pw4-NetUse",
        ),
        ("user: jane / pw: Pw5-label thanks", "Pw5-label"),
        (
            "smbclient //fs01/share -U CORP/jane%Pw6-smb -c ls",
            "Pw6-smb",
        ),
        (
            "ConvertTo-SecureString \"Pw7 Power Shell\" -AsPlainText -Force",
            "Pw7 Power Shell",
        ),
        (
            "ssh-keygen -t ed25519 -N \"Pw8 key phrase\" -f deploy",
            "key phrase",
        ),
        ("zip -r -P Pw9-zip out.zip logs/", "Pw9-zip"),
        ("7z a -pPw10-7z out.7z logs", "Pw10-7z"),
        (
            "openssl enc -aes-256-cbc -k Pw11-enc -in a -out b",
            "Pw11-enc",
        ),
        ("sshpass -p 'Pw12 with spaces' ssh deploy@db", "with spaces"),
        (
            "gpg --batch --passphrase \"Pw14 gpg phrase\" -c f",
            "gpg phrase",
        ),
        (
            "echo 'Pw13-echo' | docker login -u jane --password-stdin",
            "Pw13-echo",
        ),
        ("card 4111.1111.1111.1111 declined", "4111.1111.1111"),
        // A settings page's source pasted as text, not read as HTML.
        (
            "<input type=\"password\" name=\"p\" value=\"Pw15 pasted\">",
            "Pw15",
        ),
    ];
    let input: String = lines.iter().map(|(line, _)| format!("{line}\n")).collect();
    let out = veilgate(&["scan", "--format", "text"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let output = stdout(&out);
    for (line, secret) in lines {
        assert!(!output.contains(secret), "{line}\n→ {output}");
    }
    // The commands themselves stay readable.
    for kept in [
        "net use Z: \\\\fs01\\share ",
        "zip -r -P ",
        " -AsPlainText -Force",
        "1111 declined",
    ] {
        assert!(output.contains(kept), "{kept} in {output}");
    }
}

/// `count` lines of seeded base64 key material, `width` characters each.
fn key_lines(seed: u64, count: usize, width: usize) -> Vec<String> {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state = seed;
    (0..count)
        .map(|_| {
            (0..width)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    B64[(state >> 58) as usize] as char
                })
                .collect()
        })
        .collect()
}

/// `input` scanned as `format`: the output, after asserting that no line of
/// `secret` survives in it.
fn scan_without(format: &str, input: &str, secret: &[String]) -> String {
    let out = veilgate(&["scan", "--format", format], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let redacted = stdout(&out);
    for line in secret {
        assert!(
            !redacted.contains(line.as_str()),
            "{line} survived in {format}"
        );
    }
    redacted
}

#[test]
fn private_keys_longer_than_one_match_lose_every_line() {
    // A 120-line PGP block (7.9 KB), an 8192-bit RSA key (99 lines) in YAML,
    // and that key in a JSON string: the bounded regexes these replaced
    // took 40 lines after BEGIN and 40 before END, and left the middle.
    let pgp = key_lines(1, 120, 64);
    let rsa = key_lines(2, 99, 64);
    let certificate = key_lines(3, 30, 64);
    let text = format!(
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n{}\n=Ab1C\n\
         -----END PGP PRIVATE KEY BLOCK-----\n\ntls:\n  key: |\n    \
         -----BEGIN RSA PRIVATE KEY-----\n    {}\n    -----END RSA PRIVATE KEY-----\n  \
         cert: |\n    -----BEGIN CERTIFICATE-----\n    {}\n    -----END CERTIFICATE-----\n",
        pgp.join("\n"),
        rsa.join("\n    "),
        certificate.join("\n    "),
    );
    let both: Vec<String> = pgp.iter().chain(&rsa).cloned().collect();
    let redacted = scan_without("text", &text, &both);
    for line in &certificate {
        assert!(
            redacted.contains(line.as_str()),
            "the certificate lost {line}"
        );
    }
    assert!(redacted.contains("-----BEGIN CERTIFICATE-----"));

    let json = format!(
        "{{\"comment\": {}}}",
        serde_json::to_string(&format!(
            "my key:\n-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            rsa.join("\n")
        ))
        .expect("a string serializes")
    );
    let redacted = scan_without("json", &json, &rsa);
    assert!(redacted.contains("my key:"), "{redacted}");

    // Pasted into a rich-text ticket: Outlook's paragraph per line, and
    // no-break spaces for indentation.
    let html = format!(
        "<html><body>\r\n{}<p class=MsoNormal>Regards<o:p></o:p></p>\r\n</body></html>",
        std::iter::once("-----BEGIN RSA PRIVATE KEY-----")
            .chain(rsa.iter().map(String::as_str))
            .chain(["-----END RSA PRIVATE KEY-----"])
            .map(|line| format!("<p class=MsoNormal>&nbsp;&nbsp;{line}<o:p></o:p></p>\r\n"))
            .collect::<String>()
    );
    let redacted = scan_without("html", &html, &rsa);
    assert!(redacted.contains("Regards"), "{redacted}");
}

#[test]
fn a_contact_card_table_loses_its_phone_numbers() {
    // A label cell before the value cell reads as `Tlf.<tab>32 12 34 56`;
    // a tel: link is a phone number whatever its form.
    let input = concat!(
        "<table class=\"contact\">\n",
        "<tr><td>Tlf.</td><td><a href=\"tel:32123456\">32 12 34 56</a></td></tr>\n",
        "<tr><td>Tel.</td><td><a href=\"tel:00493012345678\">0049 30 12345678</a></td></tr>\n",
        "<tr><td>Tlf.</td><td>32 12 34 57</td></tr>\n",
        "<tr><td>Version</td><td>12 34 56 78</td></tr>\n",
        "</table>\n"
    );
    let out = veilgate(&["scan", "--format", "html"], input.as_bytes());
    assert_eq!(
        stdout(&out),
        concat!(
            "<table class=\"contact\">\n",
            "<tr><td>Tlf.</td><td><a href=\"tel:[phone]\">[phone]</a></td></tr>\n",
            "<tr><td>Tel.</td><td><a href=\"tel:[phone]\">[phone]</a></td></tr>\n",
            "<tr><td>Tlf.</td><td>[phone]</td></tr>\n",
            "<tr><td>Version</td><td>12 34 56 78</td></tr>\n",
            "</table>\n"
        )
    );
}

#[test]
fn a_tab_after_a_label_cell_is_a_label_separator() {
    // Rows pasted from a spreadsheet, and HTML table rows (read as one
    // tab-separated line), put a tab where a form puts a colon. A header
    // row of column names is not a name, and the label cell stays.
    let text = concat!(
        "Name\tEmail\tPhone\n",
        "Name\tJane Smith\tjane@example.com\n",
        "Voornaam\tJan\n",
        "Adres\tKerkstraat 12\n",
        "Password\tHunter2-Secret!\n",
        "Gebruiker\tjan\tWachtwoord\tZomer2024#Fiets\n",
    );
    let out = veilgate(&["scan", "--format", "text"], text.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        concat!(
            "Name\tEmail\tPhone\n",
            "Name\t[name]\t[email]\n",
            "Voornaam\t[name]\n",
            "Adres\t[address]\n",
            "Password\t[password]\n",
            "Gebruiker\tjan\tWachtwoord\t[password]\n",
        )
    );
    let html = concat!(
        "<table>\n",
        "<tr><th>Naam</th><th>Wachtwoord</th></tr>\n",
        "<tr><td>Naam</td><td>Jan de Vries</td></tr>\n",
        "<tr><td>Wachtwoord</td><td>Zomer2024#Fiets</td></tr>\n",
        "</table>\n"
    );
    let out = veilgate(&["scan", "--format", "html"], html.as_bytes());
    assert_eq!(
        stdout(&out),
        concat!(
            "<table>\n",
            "<tr><th>Naam</th><th>Wachtwoord</th></tr>\n",
            "<tr><td>Naam</td><td>[name]</td></tr>\n",
            "<tr><td>Wachtwoord</td><td>[password]</td></tr>\n",
            "</table>\n"
        )
    );
}

#[test]
fn invalid_utf8_is_a_clear_error() {
    let mut input = b"first line jane@example.com\n".to_vec();
    input.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let out = veilgate(&["scan"], &input);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not valid UTF-8"), "{}", stderr(&out));
    assert!(!stdout(&out).contains("jane"));
}

#[test]
fn invalid_and_deep_json_are_refused_when_json_is_asked_for() {
    let out = veilgate(
        &["scan", "--format", "json"],
        br#"{"email": "jane@example.com""#,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid JSON at byte"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    assert!(!stderr(&out).contains("jane"));

    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let out = veilgate(&["scan", "--format", "json"], deep.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nested deeper"), "{}", stderr(&out));
}

#[test]
fn broken_json_in_auto_mode_is_still_redacted() {
    let out = veilgate(&["scan"], br#"{"email": "jane@example.com", oops"#);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), r#"{"email": "[email]", oops"#);
}

/// A temporary directory holding one pack file.
fn pack_dir(name: &str, pack: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), pack).unwrap();
    dir
}

#[test]
fn a_broken_pack_names_file_rule_and_problem() {
    let dir = pack_dir(
        "custom.toml",
        r#"
[[rule]]
id = "acme.order"
class = "pii"
regex = 'ORD-[0-9]+'
action = "replace"
label = "order"
examples.match = ["ORD-1"]
"#,
    );
    let out = veilgate(&["scan", "--patterns", dir.path().to_str().unwrap()], b"x");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("custom.toml"), "{err}");
    assert!(err.contains("acme.order"), "{err}");
    assert!(err.contains("no maximum match length"), "{err}");
}

#[test]
fn a_unicode_word_boundary_is_refused_with_the_ascii_spelling() {
    let dir = pack_dir(
        "custom.toml",
        r#"
[[rule]]
id = "acme.order"
class = "pii"
regex = '\bORD-[0-9]{6}'
action = "replace"
label = "order"
"#,
    );
    let out = veilgate(&["patterns", "test", dir.path().to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("acme.order"), "{err}");
    assert!(err.contains("(?-u:\\b)"), "{err}");
}

#[test]
fn finder_and_cache_settings_are_checked() {
    let rule = |detector: &str| {
        format!(
            "[[rule]]\nid = \"acme.key\"\nclass = \"secret\"\n{detector}\naction = \"remove\"\nexamples.match = [\"x\"]\n"
        )
    };
    for (detector, problem) in [
        (
            "finder = \"pem-public-key\"",
            "unknown finder `pem-public-key` (known: pem-private-key)",
        ),
        (
            "finder = \"pem-private-key\"\nregex = 'KEY-[0-9]{4}'",
            "set only one of `regex`, `keys` and `finder`",
        ),
        (
            "finder = \"pem-private-key\"\nkeywords = [\"key\"]",
            "`keywords` only apply to `regex` rules",
        ),
        (
            "finder = \"pem-private-key\"\ndfa_cache_kib = 3072",
            "`dfa_cache_kib` only applies to `regex` rules",
        ),
        (
            "regex = 'KEY-[0-9]{4}'\ndfa_cache_kib = 32",
            "`dfa_cache_kib` must be between 64 and 16384",
        ),
    ] {
        let dir = pack_dir("custom.toml", &rule(detector));
        let out = veilgate(&["patterns", "test", dir.path().to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(2), "{detector}");
        let err = stderr(&out);
        assert!(err.contains("acme.key") && err.contains(problem), "{err}");
    }
}

#[test]
fn custom_packs_extend_the_defaults() {
    let dir = pack_dir(
        "acme.toml",
        r#"
[[rule]]
id = "acme.customer-number"
class = "account"
regex = '(?-u:\b)ACME-[0-9]{6}(?-u:\b)'
keywords = ["acme-"]
action = "mask"
keep_last = 2
examples.match = ["customer «ACME-123456» called"]
examples.no_match = ["ACME-12"]
"#,
    );
    let dir = dir.path().to_str().unwrap();
    let out = veilgate(
        &["scan", "--patterns", dir],
        b"ACME-123456 and jane@example.com",
    );
    assert_eq!(stdout(&out), "•••• 56 and [email]");
    let out = veilgate(&["patterns", "test", dir], b"");
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn default_packs_pass_their_own_examples() {
    let out = veilgate(&["patterns", "test"], b"");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains(", 0 failed"));
}

#[test]
fn failing_examples_exit_with_one() {
    let dir = pack_dir(
        "bad.toml",
        r#"
[[rule]]
id = "acme.bad"
class = "pii"
regex = '(?-u:\b)ACME-[0-9]{6}(?-u:\b)'
keywords = ["acme-"]
action = "remove"
examples.match = ["«ACME-12»"]
"#,
    );
    let out = veilgate(&["patterns", "test", dir.path().to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("acme.bad"));
}

#[test]
fn usage_errors_exit_with_two() {
    let out = veilgate(&["scan", "--format", "yaml"], b"");
    assert_eq!(out.status.code(), Some(2));
    let out = veilgate(&["scan", "/nonexistent/file.log"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/file.log"));
}

/// Found by fuzzing: an unterminated tag whose attributes were already
/// searched produced overlapping edits and a panic.
#[test]
fn regression_unterminated_tag_with_attributes_does_not_panic() {
    let input = b"%94|<VS\r \n\r=\r\r9;::899<";
    let out = veilgate(&["scan", "--format", "html"], input);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = veilgate(
        &["scan", "--format", "html"],
        b"<p title=\"jane@example.com\" x=",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("jane"), "{}", stdout(&out));
}

#[test]
fn journal_units_and_git_remotes_are_not_addresses() {
    // journalctl output and `git clone` errors are pasted into tickets
    // often: a unit instance and the Git hosts' shared SSH user name no one,
    // while an address on an internal domain is still someone's.
    let text = concat!(
        "Nov 22 10:15:30 web1 systemd[1]: Started getty@tty1.service - Getty on tty1.\n",
        "Nov 22 10:15:31 web1 systemd[1]: user@1000.service: Consumed 2.113s CPU time.\n",
        "git@github.com: Permission denied (publickey).\n",
        "Please reply to jan.jansen@corp.local or jane@example.com.\n",
    );
    let out = veilgate(&["scan", "--format", "text"], text.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        concat!(
            "Nov 22 10:15:30 web1 systemd[1]: Started getty@tty1.service - Getty on tty1.\n",
            "Nov 22 10:15:31 web1 systemd[1]: user@1000.service: Consumed 2.113s CPU time.\n",
            "git@github.com: Permission denied (publickey).\n",
            "Please reply to [email] or [email].\n",
        )
    );
}

#[test]
fn a_har_file_keeps_its_requests_and_loses_its_credentials() {
    // Support teams ask customers for HAR files: every header, cookie,
    // query parameter and form field of a session, as name/value objects.
    let har = r#"{"log":{"version":"1.2","entries":[{"request":{"method":"POST","url":"https://app.example.com/api/login?next=%2Fdashboard",
"headers":[{"name":"Host","value":"app.example.com"},{"name":"X-Api-Key","value":"q8Xk2mVn4Lp7Rt9Wz3Yb6Hd1"},{"name":"Cookie","value":"_ga=GA1.2.1234567890.1710238921; sid=s%3AkP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0.Xy7Qw"}],
"queryString":[{"name":"next","value":"/dashboard"},{"name":"access_token","value":"mN4bV8cX2zL6kJ9hG3fD7sA1"}],
"cookies":[{"name":"sid","value":"s%3AkP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0.Xy7Qw","path":"/","httpOnly":true},{"name":"theme","value":"dark"}],
"postData":{"mimeType":"application/x-www-form-urlencoded","text":"username=jane.doe%40example.com&password=Sommer2024%21",
"params":[{"name":"username","value":"jane.doe@example.com"},{"name":"password","value":"Sommer2024!"}]}},
"response":{"status":200,"cookies":[{"name":"_gh_sess","value":"Zx81Lk29Qp47Mn03Vb56aQ","path":"/"}],
"content":{"mimeType":"application/json","text":"{\"user\":{\"email\":\"jane.doe@example.com\"}}"}}}]}}"#;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("session.har");
    std::fs::write(&path, har).expect("HAR written");
    let out = veilgate(&["scan", path.to_str().expect("UTF-8 path")], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let redacted = stdout(&out);
    serde_json::from_str::<serde_json::Value>(&redacted).expect("the HAR stays JSON");
    for secret in [
        "q8Xk2mVn4Lp7Rt9Wz3Yb6Hd1",
        "kP9xQ2mV7nL4tR8wZ3yB6hD1fG5jK0",
        "mN4bV8cX2zL6kJ9hG3fD7sA1",
        "Sommer2024",
        "jane.doe",
        "Zx81Lk29Qp47Mn03Vb56aQ",
    ] {
        assert!(!redacted.contains(secret), "{secret} left in {redacted}");
    }
    for kept in [
        r#""url":"https://app.example.com/api/login?next=%2Fdashboard""#,
        r#"{"name":"Host","value":"app.example.com"}"#,
        r#"{"name":"next","value":"/dashboard"}"#,
        r#"{"name":"theme","value":"dark"}"#,
        r#""name":"sid""#,
        r#""name":"_gh_sess""#,
    ] {
        assert!(redacted.contains(kept), "{kept} lost from {redacted}");
    }
}
