//! UK National Insurance numbers (NINO): the prefix, six-digit and suffix structure of HMRC's National Insurance Manual NIM39110 (there is no checksum).

use super::common::MAX_CANDIDATE_LEN;

/// Prefixes whose letters are individually allowed but that are never issued.
const UNUSED_PREFIXES: &[&[u8; 2]] = &[b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"];

/// True for "AB123456C", "AB 12 34 56 C" (letters in either case).
///
/// Single spaces are accepted only between the prefix, the digit pairs and the suffix.
pub fn is_valid(candidate: &str) -> bool {
    if candidate.len() > MAX_CANDIDATE_LEN {
        return false;
    }
    let mut compact = Vec::with_capacity(9);
    let mut after_space = false;
    for b in candidate.bytes() {
        if b == b' ' {
            if after_space || !matches!(compact.len(), 2 | 4 | 6 | 8) {
                return false;
            }
            after_space = true;
        } else {
            compact.push(b.to_ascii_uppercase());
            after_space = false;
        }
    }
    let [first, second, digits @ .., suffix] = compact.as_slice() else {
        return false;
    };
    digits.len() == 6
        && digits.iter().all(u8::is_ascii_digit)
        && first.is_ascii_uppercase()
        && second.is_ascii_uppercase()
        && !b"DFIQUV".contains(first)
        && !b"DFIOQUV".contains(second)
        && !UNUSED_PREFIXES.contains(&&[*first, *second])
        && (b'A'..=b'D').contains(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::validate::common;

    const VALID: &[&str] = &[
        "AB123456C",
        "AB 12 34 56 C",
        "AB 123456 C",
        "ab123456c",
        "OA123456A", // O is allowed first
        "ZA000000D",
        "CE987654B",
    ];

    const INVALID: &[&str] = &[
        "QQ123456C", // the HMRC placeholder: Q is never used
        "DA123456A", // D first
        "FA123456A",
        "IA123456A",
        "UA123456A",
        "VA123456A",
        "AO123456A", // O second
        "AD123456A",
        "BG123456A", // never-issued prefixes
        "GB123456A",
        "KN123456A",
        "NK123456A",
        "NT123456A",
        "TN123456A",
        "ZZ123456A",
        "AB123456E",  // suffix beyond D
        "AB123456",   // no suffix
        "AB12345C",   // five digits
        "AB1234567C", // seven digits
        "A1123456C",
        "AB 1 23456 C",
        "AB  123456 C",
        " AB123456C",
        "AB123456C ",
        "AB-12-34-56-C",
        "ÄB123456C",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
