//! Dutch citizen service numbers (BSN): 9 digits and the "11-proef" of the Wet algemene bepalingen burgerservicenummer (9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 mod 11).

use super::common::{self, SEPARATORS};

/// True for a BSN ("123456782", "123.456.782", or 8 digits read with a leading zero).
pub fn is_valid(candidate: &str) -> bool {
    let Some(mut digits) = common::digits_only(candidate, SEPARATORS) else {
        return false;
    };
    if digits.len() == 8 {
        digits.insert(0, '0');
    }
    if digits.len() != 9 || digits.bytes().all(|b| b == b'0') {
        return false;
    }
    let Some(values) = common::digit_values(&digits) else {
        return false;
    };
    // Weights 9, 8, …, 2 for the first eight digits and −1 for the last.
    let weighted: i64 = values
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(&d, w)| i64::from(d) * w)
        .sum();
    weighted % 11 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "111222333",
        "123456782",
        "123.456.782",
        "123 456 782",
        "1234 56 782",
        "012345672",
        "12345672", // 8 digits, read as 012345672
        "999999990",
    ];

    const INVALID: &[&str] = &[
        "123456783",  // last digit changed
        "123456728",  // last two digits transposed
        "213456782",  // first two digits transposed
        "111222334",  // last digit changed
        "12345678",   // 8 digits, 012345678 fails the 11-proef
        "1234567",    // too short
        "1234567820", // too long
        "000000000",  // all zeros pass the sum but are not a number
        "00000000",
        "123.456.782.",
        "123..456.782",
        "12345678Z",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
