//! German pension insurance numbers (Rentenversicherungsnummer / Versicherungsnummer, § 147 SGB VI and the VKVV): area, birth date, name initial, serial, and the DRV mod-10 check digit (weights 2,1,2,5,7,1,2,1,2,1,2,1 over cross sums).

use super::common::{self, SEPARATORS};

/// Weights of the DRV check over the 12 digits before the check digit,
/// the name initial written as two digits (A = 01 … Z = 26).
const WEIGHTS: [u32; 12] = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];

/// True for a number such as "65 170839 J 00 3" or "15070649C103".
///
/// The birth date is checked the way the DRV issues it: day 00 or month 00
/// stand for an unknown day or month, and when the serials of a date run out
/// the day is raised by 32 or 64 (or, for the 1st of a month, by 96).
/// The area number is not checked against the list of issuing carriers.
pub fn is_valid(candidate: &str) -> bool {
    let Some(compact) = common::strip_separators(candidate, SEPARATORS) else {
        return false;
    };
    let compact = compact.to_ascii_uppercase();
    let bytes = compact.as_bytes();
    if bytes.len() != 12 || !bytes[8].is_ascii_uppercase() {
        return false;
    }
    let (Some(area), Some(day), Some(month), Some(yy), Some(_serial), Some(check)) = (
        common::number_at(&compact, 0, 2),
        common::number_at(&compact, 2, 2),
        common::number_at(&compact, 4, 2),
        common::number_at(&compact, 6, 2),
        common::number_at(&compact, 9, 2),
        common::number_at(&compact, 11, 1),
    ) else {
        return false;
    };
    if area == 0 || !birth_date_ok(yy, month, day) {
        return false;
    }
    let letter = u32::from(bytes[8] - b'A') + 1;
    let digits = compact[..8]
        .bytes()
        .filter_map(common::digit)
        .chain([letter / 10, letter % 10])
        .chain(compact[9..11].bytes().filter_map(common::digit));
    let sum: u32 = digits.zip(WEIGHTS).map(|(d, w)| cross_sum(d * w)).sum();
    sum % 10 == check
}

/// The DDMMYY part as issued: see [`is_valid`].
fn birth_date_ok(yy: u32, month: u32, day: u32) -> bool {
    let real_day = match day {
        97 => 1,
        0..=95 => day % 32,
        _ => return false,
    };
    match (real_day, month) {
        (_, 13..) => false,
        (0, _) | (_, 0) => true,
        (day, month) => common::is_valid_date_two_digit_year(yy, month, day),
    }
}

/// The sum of the decimal digits of `n`.
fn cross_sum(mut n: u32) -> u32 {
    let mut sum = 0;
    while n > 0 {
        sum += n % 10;
        n /= 10;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "65 170839 J 00 3", // the DRV's textbook number, serial 00
        "65170839J003",
        "15070649C103", // python-stdnum / stdnum-js test number
        "15 070649 C 103",
        "10010490A443", // kryptografie.de worked example
        "10010490a443",
        "65 490839 J 00 0", // day 17 raised by 32
        "65 970839 J 00 0", // day 1 raised by 96
        "65 000839 J 00 3", // day unknown
        "65 170039 J 00 5", // month unknown
    ];

    const INVALID: &[&str] = &[
        "65 170839 J 00 4", // check digit changed
        "65 170839 K 00 3", // letter changed
        "56 170839 J 00 3", // area digits transposed
        "15070649C102",
        "15071349C103", // month 13
        "15300249C107", // 30 February, right check digit
        "15960649C107", // day 96, right check digit
        "00070649C106", // area 00, right check digit
        "150706499103", // digit in the letter's place
        "15JU0649C102",
        "1507064CC102",
        "15070649CC03",
        "15070649C10",   // too short
        "15070649C1033", // too long
        "000000000000",
        "00000000A001",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }

    #[test]
    fn cross_sums() {
        assert_eq!(cross_sum(0), 0);
        assert_eq!(cross_sum(35), 8);
        assert_eq!(cross_sum(18), 9);
    }
}
