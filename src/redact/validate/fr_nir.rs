//! French social security numbers (NIR, numéro de sécurité sociale): the INSEE 13-character structure and its key, 97 − (number mod 97), with Corsica's 2A read as 19 and 2B as 18.

use super::common::{self, SEPARATORS};

/// True for a NIR with its key, such as "1 84 12 76 451 089 46" or "2 55 08 2A 123 456 46".
pub fn is_valid(candidate: &str) -> bool {
    let Some(compact) = common::strip_separators(candidate, SEPARATORS) else {
        return false;
    };
    if compact.len() != 15 {
        return false;
    }
    // Department: two digits, or 2A / 2B for Corsica (read as 19 / 18 for the key).
    let department = match compact[5..7].to_ascii_uppercase().as_str() {
        "2A" => "19".to_owned(),
        "2B" => "18".to_owned(),
        digits => digits.to_owned(),
    };
    let number = format!("{}{department}{}", &compact[..5], &compact[7..13]);
    let (Some(number), Some(key), Some(sex), Some(month)) = (
        common::parse_number(&number),
        common::number_at(&compact, 13, 2),
        common::number_at(&compact, 0, 1),
        common::number_at(&compact, 3, 2),
    ) else {
        return false;
    };
    // Sex 1/2, with 3/4 and 7/8 for provisional and foreign-born registrations.
    let sex_ok = matches!(sex, 1..=4 | 7 | 8);
    // INSEE month: 01–12, 20–42 (unknown or fictitious month) or 50–99.
    let month_ok = matches!(month, 1..=12 | 20..=42 | 50..=99);
    sex_ok && month_ok && u64::from(key) == 97 - number % 97
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "1 84 12 76 451 089 46",
        "184127645108946",
        "1.84.12.76.451.089.46",
        "2 55 08 2A 123 456 46", // Corsica-du-Sud: key computed with 19
        "2 55 08 2a 123 456 46",
        "2 55 08 19 123 456 46", // Corrèze: same key by construction
        "2 55 08 2B 123 456 73", // Haute-Corse: key computed with 18
        "2 55 08 18 123 456 73",
        "1 84 30 76 451 089 43", // fictitious month 30
    ];

    const INVALID: &[&str] = &[
        "1 84 12 76 451 089 47", // key changed
        "1 84 12 76 451 098 46", // two digits transposed
        "1 48 12 76 451 089 46", // year digits transposed
        "2 84 12 76 451 089 46", // sex changed
        "5 84 12 76 451 089 46", // no sex digit 5
        "1 84 00 76 451 089 46", // month 00
        "1 84 13 76 451 089 46", // month 13
        "2 55 08 2B 123 456 46", // 2B with the 2A key
        "2 55 08 2C 123 456 46",
        "2 55 08 A2 123 456 46",
        "1 84 12 76 451 089", // no key
        "1 84 12 76 451 089 4",
        "1 84 12 76 451 089 460",
        "000000000000000",
        "0 00 00 00 000 000 97",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
