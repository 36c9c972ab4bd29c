//! The verification commands of the CLI: keys, enroll, rotate, and a
//! refusal to start verification mode without keys.

mod common;

use std::process::Command;

use common::verify::{T0, code, config, helpdesk, keyring, start};
use http::StatusCode;

fn veilgate(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_veilgate"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn keys_generate_writes_a_private_keyring_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring(dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("active = \"k1\""), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let again = veilgate(&["keys", "generate", "--out", path.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "untouched");
}

#[test]
fn serve_refuses_verification_without_a_keyring_and_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vg.toml");
    std::fs::write(
        &file,
        "[upstream]\nurl = \"http://127.0.0.1:9\"\n[listen]\nagent = \"127.0.0.1:0\"\npublic = \"127.0.0.1:0\"\nadmin = \"127.0.0.1:0\"\n[verification]\nkeyring_env = \"VEILGATE_TEST_NO_SUCH_KEYRING\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_veilgate"))
        .args(["serve", "--config", file.to_str().unwrap()])
        .env("VEILGATE_ADMIN_TOKEN", "x".repeat(40))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("veilgate keys generate"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing was served");
}

#[tokio::test]
async fn cli_enrollment_then_key_rotation_keeps_customers_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keyring(dir.path());
    let upstream = helpdesk().await;
    let config_file = config(upstream, dir.path(), &keys, "");
    let config_path = config_file.path().to_str().unwrap().to_string();

    // Import an existing secret through stdin (the CLI never takes it as an
    // argument).
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let mut child = Command::new(env!("CARGO_BIN_EXE_veilgate"))
        .args([
            "enroll",
            "imported@example.com",
            "--import",
            "--config",
            &config_path,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), secret.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("status:     active") && !stdout.contains(secret),
        "{stdout}"
    );

    // A new enrollment prints its link and a QR code for the terminal.
    let out = veilgate(&["enroll", "fresh@example.com", "--config", &config_path]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("/enroll/") && stdout.contains('█') && stdout.contains("otpauth://totp/"),
        "{stdout}"
    );
    let again = veilgate(&["enroll", "imported@example.com", "--config", &config_path]);
    assert_eq!(again.status.code(), Some(2), "already enrolled");

    let out = veilgate(&["keys", "rotate", "--config", &config_path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("key k2 is now active") && stdout.contains("2 secrets re-sealed"),
        "{stdout}"
    );
    assert!(
        std::fs::read_to_string(&keys)
            .unwrap()
            .contains("active = \"k2\"")
    );
    assert!(keys.with_extension("previous").exists());

    // With only the new key the store's secrets still open: drop k1.
    let rotated = std::fs::read_to_string(&keys).unwrap();
    let without_k1: String = rotated
        .lines()
        .filter(|l| !l.starts_with("k1 ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&keys, without_k1).unwrap();

    let vg = start(config(upstream, dir.path(), &keys, ""));
    vg.set_clock(T0).await;
    let uri = format!("otpauth://totp/veilgate:imported?secret={secret}&issuer=veilgate");
    let challenge = vg.challenge("imported@example.com", "ticket:1").await;
    let (status, body) = vg
        .answer(challenge["link"].as_str().unwrap(), &code(&uri, T0))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // While veilgate runs, the embedded store is its own.
    let busy = veilgate(&["enroll", "late@example.com", "--config", &config_path]);
    assert_eq!(busy.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&busy.stderr).contains("admin API"));
}
