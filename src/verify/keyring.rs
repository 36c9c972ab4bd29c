//! The keys of verification mode: AEAD keys that seal TOTP secrets at rest
//! (several, by id, so they can be rotated) and the key that turns a contact
//! (an e-mail address or external id) into the opaque id under which
//! everything about it is stored, so the store never holds the contact
//! itself.
//!
//! The keyring is a small TOML file (or the same text in an environment
//! variable) written by `veilgate keys generate`:
//!
//! ```toml
//! active = "k1"
//! contact_ids = "<base64, 32 bytes>"
//! [keys]
//! k1 = "<base64, 32 bytes>"
//! ```

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error("the keyring is not valid TOML: {0}")]
    Syntax(String),
    #[error("key `{0}` is not {KEY_LEN} bytes of base64")]
    BadKey(String),
    #[error("the active key `{0}` is not in [keys]")]
    NoActiveKey(String),
    #[error("a sealed secret names key `{0}`, which the keyring does not hold")]
    UnknownKey(String),
    #[error("a sealed secret does not open: wrong key, or the record was altered")]
    Tampered,
}

/// The keys, held in memory only as long as the process runs. `Debug`
/// prints key ids, never key material.
#[derive(Clone)]
pub struct Keyring {
    active: String,
    keys: BTreeMap<String, Key>,
    contact_ids: Key,
}

#[derive(Clone)]
struct Key(Zeroizing<[u8; KEY_LEN]>);

impl Key {
    fn random() -> Key {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        rand::rng().fill_bytes(bytes.as_mut());
        Key(bytes)
    }

    fn parse(name: &str, text: &str) -> Result<Key, KeyringError> {
        let mut decoded = BASE64
            .decode(text.trim())
            .map_err(|_| KeyringError::BadKey(name.to_string()))?;
        let result = <[u8; KEY_LEN]>::try_from(decoded.as_slice())
            .map(|bytes| Key(Zeroizing::new(bytes)))
            .map_err(|_| KeyringError::BadKey(name.to_string()));
        decoded.zeroize();
        result
    }

    fn encode(&self) -> String {
        BASE64.encode(self.0.as_ref())
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("active", &self.active)
            .field("keys", &self.keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyringFile {
    active: String,
    contact_ids: String,
    keys: BTreeMap<String, String>,
}

/// A secret sealed with one of the keyring's keys.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub key_id: String,
    #[serde(with = "base64_bytes")]
    pub nonce: Vec<u8>,
    #[serde(with = "base64_bytes")]
    pub ciphertext: Vec<u8>,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Keyring {
    /// A fresh keyring with one key, `k1`.
    pub fn generate() -> Keyring {
        Keyring {
            active: "k1".into(),
            keys: BTreeMap::from([("k1".to_string(), Key::random())]),
            contact_ids: Key::random(),
        }
    }

    /// Parses the keyring's TOML text.
    ///
    /// # Errors
    /// When the text is not a keyring or a key is malformed.
    pub fn parse(text: &str) -> Result<Keyring, KeyringError> {
        let file: KeyringFile =
            toml::from_str(text).map_err(|e| KeyringError::Syntax(e.message().to_string()))?;
        let keys = file
            .keys
            .iter()
            .map(|(id, text)| Ok((id.clone(), Key::parse(&format!("keys.{id}"), text)?)))
            .collect::<Result<BTreeMap<_, _>, KeyringError>>()?;
        if !keys.contains_key(&file.active) {
            return Err(KeyringError::NoActiveKey(file.active));
        }
        Ok(Keyring {
            active: file.active,
            keys,
            contact_ids: Key::parse("contact_ids", &file.contact_ids)?,
        })
    }

    /// The TOML text of this keyring (key material included: write it only
    /// to a file readable by veilgate alone).
    pub fn to_toml(&self) -> Zeroizing<String> {
        let file = KeyringFile {
            active: self.active.clone(),
            contact_ids: self.contact_ids.encode(),
            keys: self
                .keys
                .iter()
                .map(|(id, key)| (id.clone(), key.encode()))
                .collect(),
        };
        let mut text = String::from("# veilgate keyring: keep it secret, keep it safe.\n");
        text.push_str(&toml::to_string(&file).unwrap_or_default());
        Zeroizing::new(text)
    }

    pub fn active_key_id(&self) -> &str {
        &self.active
    }

    /// Adds a new key and makes it the active one; returns its id. Old keys
    /// stay so that secrets sealed with them still open until re-sealed.
    pub fn rotate(&mut self) -> String {
        let next = (1..)
            .map(|n| format!("k{n}"))
            .find(|id| !self.keys.contains_key(id))
            .unwrap_or_default();
        self.keys.insert(next.clone(), Key::random());
        self.active.clone_from(&next);
        next
    }

    /// The opaque id of a contact: a keyed hash of the contact as typed,
    /// trimmed, and lower-cased when it is an e-mail address.
    pub fn contact_id(&self, contact: &str) -> String {
        let contact = contact.trim();
        let normalised = if contact.contains('@') {
            contact.to_lowercase()
        } else {
            contact.to_string()
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(self.contact_ids.0.as_ref())
            .expect("HMAC takes any key length");
        mac.update(normalised.as_bytes());
        let digest = mac.finalize().into_bytes();
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A key for one purpose (`csrf`), derived from the contact-id key so
    /// that every replica with the same keyring agrees on it.
    pub fn derived_key(&self, purpose: &str) -> Zeroizing<[u8; KEY_LEN]> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.contact_ids.0.as_ref())
            .expect("HMAC takes any key length");
        mac.update(b"veilgate-derived-key:");
        mac.update(purpose.as_bytes());
        Zeroizing::new(mac.finalize().into_bytes().into())
    }

    /// Seals `secret` with the active key, bound to `contact_id` so a
    /// sealed secret moved to another contact's record does not open.
    pub fn seal(&self, contact_id: &str, secret: &[u8]) -> Sealed {
        let key = &self.keys[&self.active];
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new_from_slice(key.0.as_ref()).expect("32-byte key");
        let aad = aad(&self.active, contact_id);
        let ciphertext = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: secret,
                    aad: aad.as_bytes(),
                },
            )
            .expect("encryption of a short secret cannot fail");
        Sealed {
            key_id: self.active.clone(),
            nonce: nonce.to_vec(),
            ciphertext,
        }
    }

    /// Opens a sealed secret.
    ///
    /// # Errors
    /// When the key is unknown or the record does not authenticate.
    pub fn open(
        &self,
        contact_id: &str,
        sealed: &Sealed,
    ) -> Result<Zeroizing<Vec<u8>>, KeyringError> {
        let key = self
            .keys
            .get(&sealed.key_id)
            .ok_or_else(|| KeyringError::UnknownKey(sealed.key_id.clone()))?;
        let nonce = <[u8; NONCE_LEN]>::try_from(sealed.nonce.as_slice())
            .map_err(|_| KeyringError::Tampered)?;
        let cipher = XChaCha20Poly1305::new_from_slice(key.0.as_ref()).expect("32-byte key");
        let aad = aad(&sealed.key_id, contact_id);
        cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| KeyringError::Tampered)
    }
}

fn aad(key_id: &str, contact_id: &str) -> String {
    format!("veilgate-totp-secret:{key_id}:{contact_id}")
}

pub(super) mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BASE64.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        BASE64.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_contact_and_survives_rotation() {
        let mut ring = Keyring::generate();
        let sealed = ring.seal("c1", b"twenty bytes secret!");
        assert_eq!(
            ring.open("c1", &sealed).unwrap().as_slice(),
            b"twenty bytes secret!"
        );
        assert!(matches!(
            ring.open("c2", &sealed),
            Err(KeyringError::Tampered)
        ));

        let mut altered = sealed.clone();
        altered.ciphertext[0] ^= 1;
        assert!(matches!(
            ring.open("c1", &altered),
            Err(KeyringError::Tampered)
        ));

        assert_eq!(ring.rotate(), "k2");
        let reparsed = Keyring::parse(&ring.to_toml()).unwrap();
        assert_eq!(reparsed.active_key_id(), "k2");
        assert_eq!(
            reparsed.open("c1", &sealed).unwrap().as_slice(),
            b"twenty bytes secret!"
        );
        assert_eq!(reparsed.seal("c1", b"x").key_id, "k2");
        assert_eq!(
            reparsed.contact_id("Ann@Example.com "),
            ring.contact_id("ann@example.com")
        );
        assert_ne!(reparsed.contact_id("AB-1"), ring.contact_id("ab-1"));
    }

    #[test]
    fn debug_output_holds_no_key_material() {
        let ring = Keyring::generate();
        let text = ring.to_toml();
        let debug = format!("{ring:?}");
        let key_line = text.lines().find(|l| l.starts_with("k1 = ")).unwrap();
        let key = key_line.trim_start_matches("k1 = ").trim_matches('"');
        assert!(!debug.contains(key), "{debug}");
        let sealed = ring.seal("c", b"secret-secret-secret");
        assert!(!format!("{sealed:?}").contains("ciphertext"));
    }

    #[test]
    fn a_broken_keyring_is_named() {
        assert!(matches!(
            Keyring::parse("active = \"k9\"\ncontact_ids = \"AAAA\"\n[keys]\nk9 = \"AAAA\"\n"),
            Err(KeyringError::BadKey(k)) if k == "keys.k9"
        ));
        let ring = Keyring::generate();
        let text = ring.to_toml().replace("active = \"k1\"", "active = \"k7\"");
        assert!(matches!(Keyring::parse(&text), Err(KeyringError::NoActiveKey(k)) if k == "k7"));
    }
}
