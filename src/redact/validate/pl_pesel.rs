//! Polish PESEL numbers (Ustawa o ewidencji ludności, art. 15): YYMMDD with the century in the month, serial, and the check digit (10 − Σ weights 1,3,7,9,1,3,7,9,1,3 mod 10) mod 10.

use super::common::{self, SEPARATORS};

const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// True for an 11-digit PESEL such as "44051401359" with a real birth date.
pub fn is_valid(candidate: &str) -> bool {
    let Some(digits) = common::digits_only(candidate, SEPARATORS) else {
        return false;
    };
    let Some(values) = common::digit_values(&digits) else {
        return false;
    };
    let [yy1, yy2, m1, m2, d1, d2, _, _, _, _, check] = values[..] else {
        return false;
    };
    // The month carries the century: +80 for the 1800s, +0, +20, +40, +60 after.
    let month = m1 * 10 + m2;
    let (century, month) = match month {
        81..=92 => (1800, month - 80),
        1..=12 => (1900, month),
        21..=32 => (2000, month - 20),
        41..=52 => (2100, month - 40),
        61..=72 => (2200, month - 60),
        _ => return false,
    };
    let year = century + yy1 * 10 + yy2;
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    common::is_valid_date(year, month, d1 * 10 + d2) && (10 - sum % 10) % 10 == check
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "44051401359",
        "84010101238",
        "00222901239", // 29 February 2000
        "04320101236", // 1 December 2004
        "99810101236", // 1 January 1899
    ];

    const INVALID: &[&str] = &[
        "44051401358", // check digit changed
        "44051401395", // last two digits transposed
        "44051041359", // two digits transposed
        "45051401359", // a digit changed
        "02222901233", // right check, but 29 February 2002
        "00022901233", // right check, but 29 February 1900
        "25423101231", // right check, but 31 February 2125
        "44131401359", // month 13
        "4405140135",
        "440514013590",
        "00000000000",
        "4405140135a",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
