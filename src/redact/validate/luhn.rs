//! Payment card numbers (PANs): issuer prefix and length per ISO/IEC 7812-1, and the Luhn (mod 10) check digit of its Annex B.

use super::common;

/// Separators accepted between digit groups ("4242 4242 4242 4242", "4242-4242-…",
/// "4242.4242.…"); which groupings count is the rules' business.
const CARD_SEPARATORS: &[char] = &[' ', '-', '.'];

/// A card scheme: its prefix ranges (inclusive, both ends with the same number
/// of digits) and the card lengths it issues.
struct Issuer {
    name: &'static str,
    prefixes: &'static [(&'static str, &'static str)],
    lengths: &'static [usize],
}

const ISSUERS: &[Issuer] = &[
    Issuer {
        name: "visa",
        prefixes: &[("4", "4")],
        lengths: &[13, 16, 19],
    },
    Issuer {
        name: "mastercard",
        prefixes: &[("51", "55"), ("2221", "2720")],
        lengths: &[16],
    },
    Issuer {
        name: "amex",
        prefixes: &[("34", "34"), ("37", "37")],
        lengths: &[15],
    },
    Issuer {
        name: "discover",
        prefixes: &[("6011", "6011"), ("644", "649"), ("65", "65")],
        lengths: &[16, 17, 18, 19],
    },
    Issuer {
        name: "jcb",
        prefixes: &[("3528", "3589")],
        lengths: &[16, 17, 18, 19],
    },
    Issuer {
        name: "diners",
        prefixes: &[("300", "305"), ("36", "36"), ("38", "38")],
        lengths: &[14, 15, 16, 17, 18, 19],
    },
    Issuer {
        name: "unionpay",
        prefixes: &[("62", "62")],
        lengths: &[16, 17, 18, 19],
    },
    Issuer {
        name: "maestro",
        prefixes: &[("50", "50"), ("56", "69")],
        lengths: &[12, 13, 14, 15, 16, 17, 18, 19],
    },
];

/// The scheme whose prefix and length match `digits` (ASCII digits only).
pub fn issuer(digits: &str) -> Option<&'static str> {
    ISSUERS
        .iter()
        .find(|issuer| {
            issuer.lengths.contains(&digits.len())
                && issuer.prefixes.iter().any(|(low, high)| {
                    // Equal-length ASCII digit strings compare like the numbers they write.
                    digits
                        .get(..low.len())
                        .is_some_and(|head| *low <= head && head <= *high)
                })
        })
        .map(|issuer| issuer.name)
}

/// The Luhn check over ASCII digits: doubling every second digit from the
/// right, the digit sum must be a multiple of 10. Non-digits fail.
pub fn checksum_ok(digits: &str) -> bool {
    let mut sum = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        let Some(d) = common::digit(b) else {
            return false;
        };
        sum += if i % 2 == 1 {
            let doubled = d * 2;
            if doubled > 9 { doubled - 9 } else { doubled }
        } else {
            d
        };
    }
    !digits.is_empty() && sum % 10 == 0
}

/// True for a 12–19 digit card number from a known issuer that passes Luhn.
pub fn is_valid(candidate: &str) -> bool {
    let Some(digits) = common::digits_only(candidate, CARD_SEPARATORS) else {
        return false;
    };
    (12..=19).contains(&digits.len())
        && !common::all_same(&digits)
        && issuer(&digits).is_some()
        && checksum_ok(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "4111111111111111",
        "4242424242424242",
        "4242 4242 4242 4242",
        "4242-4242-4242-4242",
        "4242.4242.4242.4242",
        "4012888888881881",
        "4222222222222",       // Visa, 13 digits
        "4000000000000000006", // Visa, 19 digits
        "5555555555554444",    // Mastercard
        "5105105105105100",
        "2223003122003222", // Mastercard 2-series
        "2720999999999996", // top of the 2-series range
        "378282246310005",  // Amex
        "3782 822463 10005",
        "371449635398431",
        "6011111111111117", // Discover
        "6011000990139424",
        "3530111333300000", // JCB
        "3566002020360505",
        "30569309025904", // Diners, 14 digits
        "36227206271667",
        "3056930009020004", // Diners, 16 digits
        "6200000000000005", // UnionPay
        "6759649826438453", // Maestro
        "5018000000000009",
        "6304000000000000",
        "501111111115", // Maestro, 12 digits
    ];

    const INVALID: &[&str] = &[
        "4111111111111112",  // last digit changed
        "4242424242424224",  // last two digits transposed
        "4242424242424241",  // one digit changed
        "2424242424242424",  // no issuer starts with 24
        "424242424242424",   // 15 digits: not a Visa length
        "42424242424242424", // 17 digits: not a Visa length
        "3700000000000007",  // Amex prefix with 16 digits
        "2721999999999995",  // just past the Mastercard 2-series, Luhn-valid
        "9111111111111110",  // Luhn-valid, unknown prefix
        "1222222222222226",  // Luhn-valid, unknown prefix
        "0000000000000000",  // all zeros
        "6666666666666",     // Luhn-valid Maestro-shaped, but one repeated digit
        "0000 0000 0000 0000",
        "41111111111",          // too short
        "41111111111111111111", // too long
        "4242 4242 4242 4242 ",
        "4242  4242 4242 4242",
        "4242 4242 4242 424a",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }

    #[test]
    fn issuers() {
        assert_eq!(issuer("4111111111111111"), Some("visa"));
        assert_eq!(issuer("2221000000000009"), Some("mastercard"));
        assert_eq!(issuer("378282246310005"), Some("amex"));
        assert_eq!(issuer("6441000000000000"), Some("discover"));
        assert_eq!(issuer("3589000000000000"), Some("jcb"));
        assert_eq!(issuer("3527000000000000"), None);
        assert_eq!(issuer("30569309025904"), Some("diners"));
        assert_eq!(issuer("6200000000000005"), Some("unionpay"));
        assert_eq!(issuer("501111111115"), Some("maestro"));
        assert_eq!(issuer(""), None);
    }

    #[test]
    fn checksum() {
        assert!(checksum_ok("79927398713"));
        assert!(!checksum_ok("79927398710"));
        assert!(!checksum_ok(""));
        assert!(!checksum_ok("7992739871a"));
    }
}
