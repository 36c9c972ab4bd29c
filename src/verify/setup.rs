//! Building the verification service from configuration: the keyring, the
//! admin token, the store, the clock and the audit log — each failure named
//! by its key, with what to do about it.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use zeroize::Zeroizing;

use super::clock::Clock;
use super::keyring::Keyring;
use super::service::Verifier;
use super::store::Store;
use crate::config::{StoreKind, Verification};

/// Reads the keyring from `verification.keyring_file` or the environment.
///
/// # Errors
/// When there is none (saying how to make one) or it is malformed.
pub fn keyring(settings: &Verification) -> Result<Keyring, String> {
    let text = match &settings.keyring_file {
        Some(path) => Zeroizing::new(
            std::fs::read_to_string(path)
                .map_err(|e| format!("verification.keyring_file: {}: {e}", path.display()))?,
        ),
        None => match std::env::var(&settings.keyring_env) {
            Ok(text) => Zeroizing::new(text),
            Err(_) => {
                return Err(format!(
                    "verification needs a keyring and has none: run `veilgate keys generate --out veilgate-keys.toml`, \
                     then set verification.keyring_file to that file (or put its contents in ${})",
                    settings.keyring_env
                ));
            }
        },
    };
    let source = settings.keyring_file.as_ref().map_or_else(
        || format!("${}", settings.keyring_env),
        |p| p.display().to_string(),
    );
    Keyring::parse(&text).map_err(|e| format!("verification keyring ({source}): {e}"))
}

/// Reads the admin API's bearer token.
///
/// # Errors
/// When there is none or it is too short to resist guessing.
pub fn admin_token(settings: &Verification) -> Result<Zeroizing<String>, String> {
    let (token, source) = match &settings.admin_token_file {
        Some(path) => (
            std::fs::read_to_string(path)
                .map_err(|e| format!("verification.admin_token_file: {}: {e}", path.display()))?,
            "verification.admin_token_file",
        ),
        None => (
            std::env::var(&settings.admin_token_env).map_err(|_| {
                format!(
                    "verification needs an admin token for its admin API: set verification.admin_token_file \
                     or ${} (at least 32 characters; `openssl rand -hex 32` makes one)",
                    settings.admin_token_env
                )
            })?,
            "the admin token variable",
        ),
    };
    let token = Zeroizing::new(token.trim().to_string());
    if token.len() < 32 {
        return Err(format!(
            "{source}: the admin token must be at least 32 characters"
        ));
    }
    Ok(token)
}

/// Opens the configured store.
///
/// # Errors
/// When the embedded file cannot be opened (in use by another veilgate, not
/// a store) or the Redis URL is malformed.
pub fn store(settings: &Verification) -> Result<Store, String> {
    match settings.store {
        StoreKind::Embedded => Store::embedded(&settings.store_path).map_err(|e| {
            format!(
                "verification.store_path: {e} (a running veilgate holds the embedded store; \
                 use its admin API, or Redis for several processes)"
            )
        }),
        StoreKind::Redis => Store::redis(&settings.redis_url, &settings.redis_prefix)
            .map_err(|e| format!("verification.redis_url: {e}")),
    }
}

/// The whole service. `public_base` is where customers reach the public
/// listener (`verification.public_url`, or the bound address).
///
/// # Errors
/// As the parts above, and an audit log that cannot be opened.
pub fn verifier(settings: &Verification, public_base: String) -> Result<Verifier, String> {
    let keyring = keyring(settings)?;
    let store = store(settings)?;
    let clock = if settings.testing_clock {
        tracing::warn!(
            "verification.testing_clock is on: the admin API can set the clock. Never run production like this"
        );
        Clock::manual()
    } else {
        Clock::System
    };
    Verifier::new(settings.clone(), keyring, store, clock, public_base)
}

/// Drops expired records every minute (the embedded store; Redis expires
/// its own).
pub fn spawn_sweeper(verifier: Arc<Verifier>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = verifier.store().sweep(verifier.now()).await {
                tracing::warn!(error = %e, "could not sweep expired verification records");
            }
        }
    });
}

/// Writes a new file readable by its owner only; refuses to overwrite.
///
/// # Errors
/// When the file exists or cannot be written.
pub fn write_private_file(path: &Path, contents: &str) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Replaces a file atomically (write beside it, then rename), keeping it
/// private; the old one is kept as `FILE.previous`.
///
/// # Errors
/// When a file cannot be written or renamed.
pub fn replace_private_file(path: &Path, contents: &str) -> Result<(), String> {
    let fresh = path.with_extension("new");
    let _ = std::fs::remove_file(&fresh);
    write_private_file(&fresh, contents)?;
    let previous = path.with_extension("previous");
    let _ = std::fs::remove_file(&previous);
    std::fs::hard_link(path, &previous).map_err(|e| format!("{}: {e}", previous.display()))?;
    std::fs::rename(&fresh, path).map_err(|e| format!("{}: {e}", path.display()))
}
