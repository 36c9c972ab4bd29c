//! US Social Security numbers: the AAA-GG-SSSS ranges the Social Security Administration never assigns (area 000, 666, 900–999; group 00; serial 0000) and its known voided numbers.

use super::common;

/// Numbers published in advertising or wallets and voided by the SSA.
const VOIDED: &[&str] = &["078051120", "219099999"];

/// True for "123-45-6789", "123 45 6789" or "123456789" in the assignable ranges.
pub fn is_valid(candidate: &str) -> bool {
    let digits = match candidate.len() {
        9 => candidate.to_owned(),
        11 => match (
            candidate.get(..3),
            candidate.get(3..4),
            candidate.get(4..6),
            candidate.get(6..7),
            candidate.get(7..),
        ) {
            (Some(area), Some(s1), Some(group), Some(s2), Some(serial))
                if s1 == s2 && (s1 == "-" || s1 == " ") =>
            {
                format!("{area}{group}{serial}")
            }
            _ => return false,
        },
        _ => return false,
    };
    let (Some(area), Some(group), Some(serial)) = (
        common::number_at(&digits, 0, 3),
        common::number_at(&digits, 3, 2),
        common::number_at(&digits, 5, 4),
    ) else {
        return false;
    };
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !VOIDED.contains(&digits.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "123-45-6789",
        "123 45 6789",
        "123456789",
        "001-01-0001",
        "665-99-9999",
        "899-99-9999",
        "078-05-1121",
    ];

    const INVALID: &[&str] = &[
        "000-12-3456", // area 000
        "666-12-3456", // area 666
        "900-12-3456", // area 900–999
        "999-12-3456",
        "123-00-6789", // group 00
        "123-45-0000", // serial 0000
        "078-05-1120", // the Woolworth wallet number
        "078051120",
        "219-09-9999", // the SSA's 1940s advertising number
        "000000000",
        "123-45 6789", // mixed separators
        "123.45.6789",
        "12-345-6789", // wrong grouping
        "123-456-789",
        "123-45-678",
        "1234567890",
        "12345678",
        "12a-45-6789",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
