//! Finnish personal identity codes (henkilötunnus, HETU): DDMMYY, century sign, individual number and the mod-31 check character of the Population Information Act (Väestötietolaki 661/2009, § 11, signs as amended in 2023).

use super::common;

/// Check characters indexed by DDMMYYNNN mod 31 (G, I, O, Q and Z are skipped).
const CHECK_CHARS: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// The first year of the century a century sign stands for.
fn century(sign: u8) -> Option<u32> {
    match sign {
        b'+' => Some(1800),
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => Some(1900),
        b'A'..=b'F' => Some(2000),
        _ => None,
    }
}

/// True for a HETU such as "131052-308T" (letters in either case).
pub fn is_valid(candidate: &str) -> bool {
    if candidate.len() != 11 || !candidate.is_ascii() {
        return false;
    }
    let upper = candidate.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let Some(century) = century(bytes[6]) else {
        return false;
    };
    let (Some(day), Some(month), Some(yy), Some(individual)) = (
        common::number_at(&upper, 0, 2),
        common::number_at(&upper, 2, 2),
        common::number_at(&upper, 4, 2),
        common::number_at(&upper, 7, 3),
    ) else {
        return false;
    };
    if !common::is_valid_date(century + yy, month, day) || !(2..=899).contains(&individual) {
        return false;
    }
    let number = u64::from(day) * 10_000_000
        + u64::from(month) * 100_000
        + u64::from(yy) * 1_000
        + u64::from(individual);
    // `number % 31` is below 31, so the index is in range.
    bytes[10] == CHECK_CHARS[(number % 31) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "131052-308T",
        "131052-308t",
        "131052Y308T", // the 2023 century signs for the 1900s
        "131052X308T",
        "131052U308T",
        "010594Y202E",
        "010100A002H", // born 2000
        "010100F002H",
        "290200A1239", // 29 February 2000
        "311299+8997", // born 1899
    ];

    const INVALID: &[&str] = &[
        "131052-308U", // check character changed
        "131052-309T", // individual number changed
        "130152-308T", // day and month digits swapped
        "131052Z308T", // no such century sign
        "131052G308T",
        "131052-001T", // individual numbers start at 002
        "131052-900T", // and end at 899
        "290201A1239", // 29 February 2001
        "290200-1239", // 29 February 1900
        "320152-308T", // day 32
        "131352-308T", // month 13
        "131052 308T",
        "131052308T", // no century sign
        "131052--308T",
        "000000-0000",
        "131052-308T ",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
