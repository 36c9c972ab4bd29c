//! Belgian national register numbers (Rijksregisternummer / numéro de registre national, and BIS numbers): YY.MM.DD-SSS.CC with check 97 − (first 9 digits mod 97), a 2 prefixed for births from 2000, per the Rijksregister's published structure.

use super::common::{self, SEPARATORS};

/// True for "85.07.30-033.28" or "85073003328".
///
/// Month and day 00 (date of birth unknown) are accepted, as are BIS numbers,
/// whose month is raised by 20 or 40.
pub fn is_valid(candidate: &str) -> bool {
    let Some(digits) = common::digits_only(candidate, SEPARATORS) else {
        return false;
    };
    if digits.len() != 11 {
        return false;
    }
    let (Some(body), Some(check), Some(yy), Some(month), Some(day), Some(serial)) = (
        common::number_at(&digits, 0, 9),
        common::number_at(&digits, 9, 2),
        common::number_at(&digits, 0, 2),
        common::number_at(&digits, 2, 2),
        common::number_at(&digits, 4, 2),
        common::number_at(&digits, 6, 3),
    ) else {
        return false;
    };
    if serial == 0 {
        return false;
    }
    let body = u64::from(body);
    let check = u64::from(check);
    [(1900, body), (2000, 2_000_000_000 + body)]
        .into_iter()
        .any(|(century, number)| 97 - number % 97 == check && date_ok(century + yy, month, day))
}

/// The birth date part: month 00–12 (plus 20 or 40 for BIS numbers), day 00–31,
/// and a real date when both are known.
fn date_ok(year: u32, month: u32, day: u32) -> bool {
    let month = match month {
        0..=12 => month,
        20..=32 => month - 20,
        40..=52 => month - 40,
        _ => return false,
    };
    match (month, day) {
        (_, 32..) => false,
        (0, _) | (_, 0) => true,
        (month, day) => common::is_valid_date(year, month, day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "85073003328",
        "85.07.30-033.28",
        "85 07 30 033 28",
        "00010100105", // born 1 January 2000: check computed with the 2 prefix
        "00.01.01-001.05",
        "85000003306", // date of birth unknown
        "85273003371", // BIS number, month + 20
        "85473003317", // BIS number, month + 40
        "00022900145", // 29 February 2000
    ];

    const INVALID: &[&str] = &[
        "85073003329",  // check changed
        "85073003382",  // check digits transposed
        "58073003328",  // year digits transposed
        "85073003428",  // serial changed
        "00022900116",  // 29 February 1900 (the 1900 check)
        "17023100151",  // right 2000 check, but 31 February
        "85133003370",  // month 13, right check
        "85073203365",  // day 32, right check
        "85073000061",  // serial 000, right check
        "8507300332",   // too short
        "850730033288", // too long
        "00000000000",
        "00000000097",
        "85.07.30-033.28.",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
