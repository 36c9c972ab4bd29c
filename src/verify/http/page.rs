//! The customer-facing pages, rendered on the server: no JavaScript, one
//! inline stylesheet allowed by its hash, readable on a phone, usable with
//! a keyboard and a screen reader (a real label, a described input,
//! `role="alert"` for errors, a visible focus ring).

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

use crate::verify::i18n::{Language, Messages};

const CSS: &str = "\
:root{color-scheme:light dark;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5}\
body{margin:0;padding:1.25rem;background:Canvas;color:CanvasText}\
main{max-width:28rem;margin:0 auto;font-size:1.125rem}\
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}\
label{display:block;font-weight:600;margin-top:1.25rem}\
input[type=text]{box-sizing:border-box;width:100%;font-size:1.75rem;letter-spacing:.2em;padding:.5rem .75rem;margin-top:.35rem;border:2px solid #555;border-radius:.4rem;background:Field;color:FieldText}\
.hint{margin:.35rem 0 1rem;color:#555}\
@media (prefers-color-scheme:dark){.hint{color:#bbb}}\
button{font-size:1.125rem;padding:.75rem 1.5rem;min-height:44px;border:0;border-radius:.4rem;background:#1a5fb4;color:#fff;cursor:pointer}\
:focus-visible{outline:3px solid #e66100;outline-offset:3px}\
.error{border-left:4px solid #c01c28;padding:.5rem .75rem;background:#fdecea;color:#5a0d12}\
.ok{border-left:4px solid #26a269;padding:.5rem .75rem;background:#e8f6ee;color:#0d3d22}\
img.qr{display:block;width:14rem;max-width:100%;height:auto;margin:1rem 0;image-rendering:pixelated;background:#fff;padding:.5rem}\
code.key{font-size:1rem;word-break:break-all}\
nav{margin-top:2.5rem;font-size:1rem}\
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.75rem}\
nav a{display:inline-block;min-height:44px;line-height:44px;padding:0 .25rem}\
";

/// `Content-Security-Policy`: nothing but this stylesheet, inline images
/// (the QR code) and forms posting back to this origin.
static CSP: LazyLock<HeaderValue> = LazyLock::new(|| {
    let hash = BASE64.encode(Sha256::digest(CSS.as_bytes()));
    HeaderValue::from_str(&format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src data:; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'"
    ))
    .expect("ASCII")
});

/// The headers every public response carries.
pub fn security_headers(headers: &mut HeaderMap, https: bool) {
    headers.insert(header::CONTENT_SECURITY_POLICY, CSP.clone());
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
}

/// A message above the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    None,
    Failed,
    Locked { minutes: u64 },
    Stale,
    Unavailable,
}

/// What every page needs to say things.
pub struct Speaker<'a> {
    pub messages: &'a Messages,
    pub language: Language,
    pub issuer: &'a str,
    pub digits: u8,
}

impl Speaker<'_> {
    fn say(&self, key: &str) -> String {
        let digits = self.digits.to_string();
        self.messages.get(
            self.language,
            key,
            &[("issuer", self.issuer), ("digits", &digits)],
        )
    }

    fn notice(&self, notice: Notice) -> String {
        let message = match notice {
            Notice::None => return String::new(),
            Notice::Failed => self.say("failed"),
            Notice::Stale => self.say("stale_form"),
            Notice::Unavailable => self.say("unavailable"),
            Notice::Locked { minutes } => self.messages.get(
                self.language,
                "locked",
                &[("minutes", &minutes.to_string())],
            ),
        };
        format!(
            r#"<p class="error" role="alert" id="notice">{}</p>"#,
            text(&message)
        )
    }

    fn layout(&self, title: &str, body: &str) -> String {
        let switch: String = Language::ALL
            .iter()
            .map(|l| {
                let current = if *l == self.language {
                    r#" aria-current="true""#
                } else {
                    ""
                };
                format!(
                    r#"<li><a href="?lang={code}" lang="{code}" hreflang="{code}"{current}>{name}</a></li>"#,
                    code = l.code(),
                    name = text(&self.messages.get(*l, "language_name", &[])),
                )
            })
            .collect();
        format!(
            r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{CSS}</style>
</head>
<body>
<main>
{body}
<nav aria-label="{switch_label}"><ul>{switch}</ul></nav>
</main>
</body>
</html>
"#,
            lang = self.language.code(),
            title = text(title),
            switch_label = attr(&self.say("language_switch")),
        )
    }

    /// The code form, shared by the verification and enrollment pages.
    fn form(&self, action: &str, csrf: &str, notice: Notice) -> String {
        let described = if notice == Notice::None {
            "hint"
        } else {
            "notice hint"
        };
        format!(
            r#"{notice}
<form method="post" action="{action}">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="lang" value="{lang}">
<label for="code">{label}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 \-]*" maxlength="32" required autofocus aria-describedby="{described}"{invalid}>
<p class="hint" id="hint">{hint}</p>
<button type="submit">{submit}</button>
</form>"#,
            notice = self.notice(notice),
            action = attr(action),
            csrf = attr(csrf),
            lang = self.language.code(),
            label = text(&self.say("label")),
            invalid = if matches!(notice, Notice::Failed) {
                r#" aria-invalid="true""#
            } else {
                ""
            },
            hint = text(&self.say("hint")),
            submit = text(&self.say("submit")),
        )
    }

    pub fn verify_form(&self, token: &str, csrf: &str, notice: Notice) -> String {
        let title = self.say("page_title");
        let body = format!(
            "<h1>{}</h1>\n<p>{}</p>\n{}",
            text(&title),
            text(&self.say("intro")),
            self.form(&format!("/verify/{token}"), csrf, notice)
        );
        self.layout(&title, &body)
    }

    pub fn verified(&self) -> String {
        let title = self.say("success_heading");
        let body = format!(
            r#"<h1>{}</h1>
<p class="ok" role="status">{}</p>"#,
            text(&title),
            text(&self.say("success_text"))
        );
        self.layout(&title, &body)
    }

    pub fn invalid(&self) -> String {
        let title = self.say("invalid_heading");
        let body = format!(
            "<h1>{}</h1>\n<p>{}</p>",
            text(&title),
            text(&self.say("invalid_text"))
        );
        self.layout(&title, &body)
    }

    pub fn unavailable(&self) -> String {
        let title = self.say("page_title");
        let body = format!(
            "<h1>{}</h1>\n{}",
            text(&title),
            self.notice(Notice::Unavailable)
        );
        self.layout(&title, &body)
    }

    pub fn enroll_form(
        &self,
        token: &str,
        csrf: &str,
        qr_png: &str,
        manual_key: &str,
        notice: Notice,
    ) -> String {
        let title = self.say("enroll_title");
        let body = format!(
            r#"<h1>{title}</h1>
<p>{intro}</p>
<img class="qr" src="data:image/png;base64,{qr}" alt="{alt}">
<p>{manual}<br><code class="key">{key}</code></p>
{form}"#,
            title = text(&title),
            intro = text(&self.say("enroll_intro")),
            qr = attr(qr_png),
            alt = attr(&self.say("enroll_qr_alt")),
            manual = text(&self.say("enroll_manual")),
            key = text(manual_key),
            form = self.form(&format!("/enroll/{token}"), csrf, notice),
        );
        self.layout(&title, &body)
    }

    pub fn enrolled(&self) -> String {
        let title = self.say("enroll_title");
        let body = format!(
            r#"<h1>{}</h1>
<p class="ok" role="status">{}</p>"#,
            text(&title),
            text(&self.say("enroll_success"))
        );
        self.layout(&title, &body)
    }
}
