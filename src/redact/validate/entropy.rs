//! Generic secrets: values whose Shannon entropy (C. E. Shannon, "A Mathematical Theory of Communication", 1948) per character is high and that mix character classes, for values found under secret-sounding keys.

/// Fewest bits of entropy per character for a value to count as a secret.
pub const MIN_BITS_PER_CHAR: f64 = 3.0;

/// Fewest characters for a value to count as a secret.
pub const MIN_CHARS: usize = 12;

/// Fewest of the classes lower-case, upper-case and digits that must appear.
pub const MIN_CLASSES: usize = 2;

/// The Shannon entropy of the character distribution of `s`, in bits per
/// character (0 for the empty string).
pub fn shannon_bits_per_char(s: &str) -> f64 {
    // Sorted, the characters come in runs, one per distinct character, in
    // a fixed order: the sum, and so the result, is deterministic. (A map
    // of counts did the same at several times the cost: this runs on every
    // value under a secret-sounding key.)
    let mut chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return 0.0;
    }
    chars.sort_unstable();
    let total = chars.len() as f64;
    chars
        .chunk_by(|a, b| a == b)
        .map(|run| {
            let p = run.len() as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// True for a value of at least [`MIN_CHARS`] characters mixing at least
/// [`MIN_CLASSES`] of lower-case, upper-case and digits with at least
/// [`MIN_BITS_PER_CHAR`] bits of entropy per character.
pub fn is_valid(candidate: &str) -> bool {
    let classes = [
        candidate.bytes().any(|b| b.is_ascii_lowercase()),
        candidate.bytes().any(|b| b.is_ascii_uppercase()),
        candidate.bytes().any(|b| b.is_ascii_digit()),
    ];
    classes.iter().filter(|&&present| present).count() >= MIN_CLASSES
        && candidate.chars().count() >= MIN_CHARS
        && shannon_bits_per_char(candidate) >= MIN_BITS_PER_CHAR
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::validate::common;

    const VALID: &[&str] = &[
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "xoxb-263594206564-FGqddMF8t08v8N7Oq4i57vs1",
        "aB3dE6gH9jK2", // 12 distinct characters, three classes
        "password1234", // low-quality but still a secret value
    ];

    const INVALID: &[&str] = &[
        "aB3dE6gH9jK",      // 11 characters
        "abcdefghijklmnop", // one class only
        "ABCDEFGHIJKLMNOP",
        "1234567890123456",
        "aaaaaaaaaaaa1111", // two classes, low entropy
        "abababab12121212",
        "Aa1Aa1Aa1Aa1Aa1Aa1",
        "true",
        "",
        "ééééééééééééééé1",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }

    #[test]
    fn entropy_values() {
        assert_eq!(shannon_bits_per_char(""), 0.0);
        assert_eq!(shannon_bits_per_char("aaaa"), 0.0);
        assert!((shannon_bits_per_char("abab") - 1.0).abs() < 1e-12);
        assert!((shannon_bits_per_char("abcdefgh") - 3.0).abs() < 1e-12);
        assert!((shannon_bits_per_char("日本語か") - 2.0).abs() < 1e-12);
    }
}
