//! Danish civil registration numbers (CPR-nummer): DDMMYY-SSSS with the century read from the 7th digit per the CPR Office's table; the old modulus-11 check is deliberately not applied (numbers without it are issued since 2007).

use super::common;

/// The full birth year for two-digit `yy` and the 7th digit of the number.
fn birth_year(yy: u32, seventh: u32) -> u32 {
    let century = match seventh {
        0..=3 => 1900,
        4 | 9 if yy <= 36 => 2000,
        4 | 9 => 1900,
        5..=8 if yy <= 57 => 2000,
        _ => 1800,
    };
    century + yy
}

/// True for "070761-4285", "070761 4285" or "0707614285" with a real birth date.
pub fn is_valid(candidate: &str) -> bool {
    let digits = match candidate.len() {
        10 => candidate.to_owned(),
        11 => match (candidate.get(..6), candidate.get(6..7), candidate.get(7..)) {
            (Some(date), Some("-" | " "), Some(serial)) => format!("{date}{serial}"),
            _ => return false,
        },
        _ => return false,
    };
    let (Some(day), Some(month), Some(yy), Some(seventh), Some(_serial)) = (
        common::number_at(&digits, 0, 2),
        common::number_at(&digits, 2, 2),
        common::number_at(&digits, 4, 2),
        common::number_at(&digits, 6, 1),
        common::number_at(&digits, 6, 4),
    ) else {
        return false;
    };
    common::is_valid_date(birth_year(yy, seventh), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "070761-4285",
        "070761 4285",
        "0707614285",
        "070761-4286", // fails the retired mod-11 check, which must not reject
        "290200-4123", // 7th digit 4, year 00: 2000, a leap year
        "290200-5123", // 7th digit 5, year 00: 2000
        "010158-5123", // 7th digit 5, year 58: 1858
        "311299-9999", // 7th digit 9, year 99: 1999
    ];

    const INVALID: &[&str] = &[
        "290200-0123", // 7th digit 0, year 00: 1900, not a leap year
        "290258-5123", // 1858 is not a leap year
        "310261-4285", // 31 February
        "070061-4285", // month 00
        "071361-4285", // month 13
        "320761-4285", // day 32
        "000000-0000",
        "070761--4285",
        "070761/4285",
        "070761-428",
        "070761-42851",
        "07076-14285",
        "O70761-4285",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }

    #[test]
    fn century_table() {
        assert_eq!(birth_year(61, 4), 1961);
        assert_eq!(birth_year(36, 4), 2036);
        assert_eq!(birth_year(37, 9), 1937);
        assert_eq!(birth_year(57, 7), 2057);
        assert_eq!(birth_year(58, 8), 1858);
        assert_eq!(birth_year(99, 3), 1999);
    }
}
