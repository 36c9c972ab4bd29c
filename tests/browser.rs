//! The verification page in a real browser: headless Chromium driven over
//! WebDriver (Debian's chromium and chromium-driver, installed by
//! `scripts/install-test-services.sh`). The customer's browser asks for
//! Dutch, they switch to English, type the code from their app and see the
//! success message; the scope is then granted.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::verify::{T0, code, config, helpdesk, keyring, start};
use fantoccini::{ClientBuilder, Locator};

struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    fn start() -> ChromeDriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start chromedriver ({e}); run scripts/install-test-services.sh")
            });
        let driver = ChromeDriver { child, port };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return driver;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("chromedriver did not start");
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_customer_verifies_in_headless_chromium_in_two_languages() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keyring(dir.path());
    let upstream = helpdesk().await;
    let vg = start(config(upstream, dir.path(), &keys, ""));
    vg.set_clock(T0).await;
    let uri = vg.enroll_and_confirm("browser@example.com", T0).await;
    let now = T0 + 60_000;
    vg.set_clock(now).await;
    let challenge = vg.challenge("browser@example.com", "ticket:77").await;
    let link = challenge["link"].as_str().unwrap().to_string();

    let driver = ChromeDriver::start();
    // fantoccini's client is built on rustls; WebDriver itself is plain HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let profile = tempfile::tempdir().unwrap();
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": { "intl.accept_languages": "nl-NL,nl" }
        }
    });
    let browser = ClientBuilder::rustls()
        .unwrap()
        .capabilities(capabilities.as_object().unwrap().clone())
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session with headless Chromium");

    let result = async {
        browser.goto(&link).await?;
        let heading = browser.find(Locator::Css("h1")).await?.text().await?;
        assert_eq!(heading, "Bevestig dat u het bent", "the browser's language");
        let label = browser
            .find(Locator::Css("label[for=code]"))
            .await?
            .text()
            .await?;
        assert_eq!(label, "Verificatiecode");

        browser
            .find(Locator::LinkText("English"))
            .await?
            .click()
            .await?;
        let heading = browser.find(Locator::Css("h1")).await?.text().await?;
        assert_eq!(heading, "Confirm it's you", "the language switch");

        let typed = code(&uri, now);
        let input = browser.find(Locator::Id("code")).await?;
        input
            .send_keys(&format!("{} {}", &typed[..3], &typed[3..]))
            .await?;
        browser
            .find(Locator::Css("button[type=submit]"))
            .await?
            .click()
            .await?;
        // The answer page has a status (success) or an alert (failure).
        let outcome = browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("[role=status], [role=alert]"))
            .await?;
        assert_eq!(
            outcome.attr("role").await?.as_deref(),
            Some("status"),
            "{}",
            outcome.text().await?
        );
        let heading = browser.find(Locator::Css("h1")).await?.text().await?;
        assert_eq!(heading, "Thank you, you're verified");
        let status = browser
            .find(Locator::Css("[role=status]"))
            .await?
            .text()
            .await?;
        assert!(status.contains("close this page"), "{status}");
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = browser.close().await;
    result.unwrap();
    assert!(vg.grant_active("ticket:77").await);
}
