//! What a redacted value becomes: a label, a mask or nothing.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::rules::Action;

/// The character masks are drawn with.
pub const MASK: char = '•';

/// Hex digits of keyed hash shown in a tag: enough to tell values apart in
/// one ticket, far too few to confirm a guess offline without the key.
const TAG_HEX_LEN: usize = 6;

/// A secret key for the short keyed hashes in `[email:3f9a1c]` tags. Without
/// one, tags are left out: an unkeyed hash of a phone number is reversible.
#[derive(Clone)]
pub struct HashKey(Vec<u8>);

impl HashKey {
    /// # Errors
    /// When the key is shorter than 16 bytes.
    pub fn new(bytes: Vec<u8>) -> Result<HashKey, &'static str> {
        if bytes.len() < 16 {
            return Err("hash key must be at least 16 bytes");
        }
        Ok(HashKey(bytes))
    }

    fn tag(&self, label: &str, value: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(label.as_bytes());
        mac.update(&[0]);
        mac.update(normalize(value).as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut hex = String::with_capacity(TAG_HEX_LEN);
        for b in digest.iter().take(TAG_HEX_LEN / 2) {
            hex.push_str(&format!("{b:02x}"));
        }
        hex
    }
}

impl std::fmt::Debug for HashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashKey(..)")
    }
}

/// The same value typed differently (`Jane@X.com`, `4242-4242…`) gets the
/// same tag.
fn normalize(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '@')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text that replaces `value` under `action`.
pub fn render(action: &Action, value: &str, key: Option<&HashKey>) -> String {
    match action {
        Action::Replace { label, tag } => match (tag, key) {
            (true, Some(key)) => format!("[{label}:{}]", key.tag(label, value)),
            _ => format!("[{label}]"),
        },
        Action::Mask {
            keep_last,
            keep_domain,
        } => mask(value, *keep_last, *keep_domain),
        Action::Remove => String::new(),
    }
}

fn mask(value: &str, keep_last: usize, keep_domain: bool) -> String {
    let bullets: String = std::iter::repeat_n(MASK, 4).collect();
    if keep_domain && let Some(at) = value.rfind('@') {
        return format!("{bullets}@{}", &value[at + 1..]);
    }
    let alnum: Vec<char> = value.chars().filter(|c| c.is_alphanumeric()).collect();
    // Never show more than half of a value, however short it is.
    let keep = keep_last.min(alnum.len() / 2);
    if keep == 0 {
        return bullets;
    }
    let tail: String = alnum[alnum.len() - keep..].iter().collect();
    format!("{bullets} {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> HashKey {
        HashKey::new(b"0123456789abcdef0123456789abcdef".to_vec()).unwrap()
    }

    #[test]
    fn replace_tags_only_with_a_key() {
        let action = Action::Replace {
            label: "email".into(),
            tag: true,
        };
        assert_eq!(render(&action, "jane@example.com", None), "[email]");
        let tagged = render(&action, "jane@example.com", Some(&key()));
        assert_eq!(tagged.len(), "[email:".len() + TAG_HEX_LEN + 1);
        assert_eq!(tagged, render(&action, "Jane@Example.com", Some(&key())));
        assert_ne!(tagged, render(&action, "john@example.com", Some(&key())));
        assert!(!tagged.contains("jane"));
    }

    #[test]
    fn mask_keeps_at_most_half() {
        let card = Action::Mask {
            keep_last: 4,
            keep_domain: false,
        };
        assert_eq!(render(&card, "4242 4242 4242 4242", None), "•••• 4242");
        assert_eq!(render(&card, "123456", None), "•••• 456");
        assert_eq!(render(&card, "1", None), "••••");
        let email = Action::Mask {
            keep_last: 0,
            keep_domain: true,
        };
        assert_eq!(render(&email, "jane@example.com", None), "••••@example.com");
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(HashKey::new(b"short".to_vec()).is_err());
    }
}
