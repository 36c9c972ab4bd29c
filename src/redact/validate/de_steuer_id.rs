//! German tax identification numbers (Steuerliche Identifikationsnummer, § 139b AO): 11 digits, the digit-repetition rule of the Federal Central Tax Office (as tightened in 2016) and an ISO/IEC 7064 MOD 11,10 check digit.

use super::common::{self, SEPARATORS};

/// True for a Steuer-ID such as "86095742719" or "86 095 742 719".
pub fn is_valid(candidate: &str) -> bool {
    let Some(digits) = common::digits_only(candidate, SEPARATORS) else {
        return false;
    };
    let Some(values) = common::digit_values(&digits) else {
        return false;
    };
    let [body @ .., check] = values.as_slice() else {
        return false;
    };
    values.len() == 11
        && body.first().is_some_and(|&d| d != 0)
        && repetition_ok(body)
        && iso7064_mod_11_10(body) == *check
}

/// In the first ten digits exactly one digit occurs two or three times and
/// every other digit at most once; no digit fills three adjacent places.
fn repetition_ok(body: &[u32]) -> bool {
    let mut counts = [0u8; 10];
    for &d in body {
        match counts.get_mut(d as usize) {
            Some(count) => *count += 1,
            None => return false,
        }
    }
    let repeated: Vec<u8> = counts.iter().copied().filter(|&c| c > 1).collect();
    let one_repeat = matches!(repeated.as_slice(), [2 | 3]);
    let three_in_a_row = body.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
    one_repeat && !three_in_a_row
}

/// The ISO/IEC 7064 MOD 11,10 check digit of `digits`.
pub fn iso7064_mod_11_10(digits: &[u32]) -> u32 {
    let mut product = 10;
    for &d in digits {
        let mut sum = (d + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = 11 - product;
    if check == 10 { 0 } else { check }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "86095742719",
        "86 095 742 719",
        "47901824563", // 4 twice
        "11234567890", // a pair may be adjacent
        "12113456784", // 1 three times, not all adjacent
    ];

    const INVALID: &[&str] = &[
        "86095742718",  // check digit changed
        "86095742791",  // last two digits transposed
        "68095742719",  // first two digits transposed
        "86095742729",  // a digit changed
        "06095742719",  // first digit 0
        "11123456786",  // right check digit, but 1 three times in a row
        "56473182904",  // right check digit, but no digit repeats
        "11223456789",  // two digits repeat
        "8609574271",   // too short
        "860957427190", // too long
        "00000000000",
        "86095742719a",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }

    #[test]
    fn check_digit() {
        assert_eq!(iso7064_mod_11_10(&[8, 6, 0, 9, 5, 7, 4, 2, 7, 1]), 9);
    }
}
