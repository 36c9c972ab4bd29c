//! Swedish personal identity numbers (personnummer, Folkbokföringslagen 1991:481 § 18) and coordination numbers (day + 60): a real birth date and the Luhn check over YYMMDDNNNC, as described in Skatteverket's SKV 704.

use super::{common, luhn};

/// True for "811228-9874", "811228+9874", "8112289874", "19811228-9874" or "198112289874".
///
/// The `+` separator (used from the year a person turns 100) only appears in
/// the ten-digit form.
pub fn is_valid(candidate: &str) -> bool {
    let (century, ten) = match candidate.len() {
        10 => (None, candidate.to_owned()),
        11 => match (candidate.get(..6), candidate.get(6..7), candidate.get(7..)) {
            (Some(date), Some("-" | "+"), Some(rest)) => (None, format!("{date}{rest}")),
            _ => return false,
        },
        12 => match (candidate.get(..2), candidate.get(2..)) {
            (Some(cc), Some(rest)) => (Some(cc), rest.to_owned()),
            _ => return false,
        },
        13 => match (
            candidate.get(..2),
            candidate.get(2..8),
            candidate.get(8..9),
            candidate.get(9..),
        ) {
            (Some(cc), Some(date), Some("-"), Some(rest)) => (Some(cc), format!("{date}{rest}")),
            _ => return false,
        },
        _ => return false,
    };
    let (Some(yy), Some(month), Some(day), Some(_serial)) = (
        common::number_at(&ten, 0, 2),
        common::number_at(&ten, 2, 2),
        common::number_at(&ten, 4, 2),
        common::number_at(&ten, 6, 4),
    ) else {
        return false;
    };
    // Coordination numbers add 60 to the day of birth.
    let day = if day > 60 { day - 60 } else { day };
    let date_ok = match century {
        None => common::is_valid_date_two_digit_year(yy, month, day),
        Some(cc) => match common::parse_number(cc) {
            Some(cc @ 18..=20) => {
                // `cc` is at most 20, so the year fits.
                common::is_valid_date(cc as u32 * 100 + yy, month, day)
            }
            _ => false,
        },
    };
    date_ok && luhn::checksum_ok(&ten)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "811228-9874",
        "811228+9874",
        "8112289874",
        "19811228-9874",
        "198112289874",
        "811288-9871", // coordination number: day 28 + 60
        "121212-1212",
        "640823-3234",
    ];

    const INVALID: &[&str] = &[
        "811228-9875",   // check digit changed
        "811228-9784",   // digits transposed
        "812228-9874",   // a digit changed
        "811328-9874",   // month 13
        "811232-9874",   // day 32
        "811292-9874",   // day 32 as a coordination number
        "811200-9874",   // day 00
        "19811228+9874", // + is only used in the ten-digit form
        "17811228-9874", // no 18th-century births
        "811228 9874",
        "811228--9874",
        "81122-89874",
        "811228-987",
        "0000000000",
        "000000-0000",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
