//! International Bank Account Numbers: ISO 13616-1 structure, per-country lengths from the SWIFT IBAN registry, and the ISO/IEC 7064 MOD 97-10 check.

use super::common;

/// Separators accepted between groups ("NL91 ABNA 0417 1643 00").
const IBAN_SEPARATORS: &[char] = &[' ', '-'];

/// IBAN length per country code, from the SWIFT IBAN registry (all SEPA
/// countries and the other registered ones). Sorted by code for binary search.
const LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// The IBAN length registered for a two-letter country code.
pub fn length_for(country: &str) -> Option<usize> {
    LENGTHS
        .binary_search_by(|(code, _)| (*code).cmp(country))
        .ok()
        .map(|i| LENGTHS[i].1)
}

/// True for an IBAN of a registered country, of that country's length, whose
/// MOD 97-10 remainder is 1. The country code must be upper case; the BBAN
/// may be written in either case.
pub fn is_valid(candidate: &str) -> bool {
    let Some(compact) = common::strip_separators(candidate, IBAN_SEPARATORS) else {
        return false;
    };
    let (Some(country), Some(check)) = (compact.get(..2), compact.get(2..4)) else {
        return false;
    };
    // People type `nl28 rabo …` too; the packs decide where lower case is
    // plausible (after an IBAN label, in groups of four).
    let country = country.to_ascii_uppercase();
    if !country.bytes().all(|b| b.is_ascii_uppercase())
        || length_for(&country) != Some(compact.len())
    {
        return false;
    }
    // A computed check is always 02–98; 00, 01 and 99 can satisfy mod 97 but
    // are never issued.
    if !matches!(common::parse_number(check), Some(2..=98)) {
        return false;
    }
    mod97(compact[4..].bytes().chain(compact[..4].bytes())) == Some(1)
}

/// The remainder mod 97 of the digits obtained by writing each letter as
/// 10–35 (A = 10 … Z = 35, either case). `None` for any other byte.
fn mod97(mut chars: impl Iterator<Item = u8>) -> Option<u32> {
    chars.try_fold(0u32, |rem, b| {
        if let Some(d) = common::digit(b) {
            Some((rem * 10 + d) % 97)
        } else if b.is_ascii_alphabetic() {
            let value = u32::from(b.to_ascii_uppercase() - b'A') + 10;
            Some((rem * 100 + value) % 97)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "GB82WEST12345698765432",
        "GB82 WEST 1234 5698 7654 32",
        "GB33BUKB20201555555555",
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00",
        "NL02ABNA0123456789",
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",
        "FR1420041010050500013M02606",
        "BE68539007547034",
        "CH9300762011623852957",
        "ES9121000418450200051332",
        "IT60X0542811101000000123456",
        "AT611904300234573201",
        "NO9386011117947",
        "MT84MALT011000012345MTLCAST001S",
        "SA0380000000608010167519",
        "PL61109010140000071219812874",
        "SE4550000000058398257466",
        "DK5000400440116243",
        "FI2112345600000785",
        "IE29AIBK93115212345678",
        "PT50000201231234567890154",
        "LU280019400644750000",
        "GB82west12345698765432", // BBAN letters in lower case
        "gb82WEST12345698765432", // country code in lower case
        "nl28 rabo 0318 4920 67",
    ];

    const INVALID: &[&str] = &[
        "GB82WEST12345698765433",  // last digit changed
        "GB28WEST12345698765432",  // check digits transposed
        "GB82WEST12345698765423",  // last two digits transposed
        "GB82WEST1234569876543",   // one character short
        "GB82WEST123456987654321", // one character long
        "nl28 rabo 0318 4920 68",  // lower case, wrong check
        "NL91ABNA0417164301",
        "DE89370400440532013001",
        "DE00370400440532013000",
        "XX82WEST12345698765432", // no such country
        "US64SVBKUS6S3300958879", // the US has no IBAN
        "GB00000000000000000000",
        "0000000000000000000000",
        "GB82 WEST 1234 5698 7654 32 ",
        "GB82  WEST 1234 5698 7654 32",
        "GB82_WEST_1234_5698_7654_32",
        "GB",
        "GB82",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }

    #[test]
    fn length_table_is_sorted_and_complete_for_sepa() {
        assert!(LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
        for code in [
            "AD", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
            "GI", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL",
            "NO", "PL", "PT", "RO", "SE", "SI", "SK", "SM", "VA", "AL", "MD", "ME", "MK",
        ] {
            assert!(length_for(code).is_some(), "{code}");
        }
    }

    #[test]
    fn check_digits_99_are_refused_even_when_mod_97_is_1() {
        // 99 ≡ 02 (mod 97): build an IBAN with check 02, then swap in 99.
        let base = "GB02WEST12345698765432";
        let fixed = (0..=9)
            .flat_map(|a| (0..=9).map(move |b| format!("{}{a}{b}", &base[..20])))
            .find(|s| mod97(s[4..].bytes().chain(s[..4].bytes())) == Some(1));
        let with_02 = fixed.expect("some final two digits give remainder 1");
        assert!(is_valid(&with_02));
        let with_99 = with_02.replacen("02", "99", 1);
        assert_eq!(
            mod97(with_99[4..].bytes().chain(with_99[..4].bytes())),
            Some(1)
        );
        assert!(!is_valid(&with_99));
    }
}
