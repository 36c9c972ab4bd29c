//! Italian tax codes for people (codice fiscale): the 16-character structure of DM 23/12/1976 with omocodia substitutions, and its check letter from the official odd/even position tables.

/// Letters that replace the digits 0–9 in omocodia (homocode) variants.
const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";

/// Month letters for January to December.
const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";

/// Check values of characters in odd positions (1st, 3rd, …), indexed by
/// A–Z; the digits 0–9 take the values of A–J.
const ODD_VALUES: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// Byte positions that hold digits, or omocodia letters in their place.
const DIGIT_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

/// True for a personal codice fiscale such as "RSSMRA85T10A562S" (either case).
pub fn is_valid(candidate: &str) -> bool {
    if candidate.len() != 16 || !candidate.is_ascii() {
        return false;
    }
    let code = candidate.to_ascii_uppercase().into_bytes();
    let letters_ok = [0, 1, 2, 3, 4, 5, 8, 11, 15]
        .iter()
        .all(|&i| code[i].is_ascii_uppercase());
    let digits_ok = DIGIT_POSITIONS
        .iter()
        .all(|&i| code[i].is_ascii_digit() || OMOCODIA.contains(&code[i]));
    if !letters_ok || !digits_ok {
        return false;
    }
    let (Some(yy), Some(day)) = (decode(&code[6..8]), decode(&code[9..11])) else {
        return false;
    };
    let Some(month) = MONTHS.iter().position(|&m| m == code[8]) else {
        return false;
    };
    // Women's codes add 40 to the day of birth.
    let day = if day > 40 { day - 40 } else { day };
    // `position` is below 12, so `month + 1` fits.
    let month = month as u32 + 1;
    super::common::is_valid_date_two_digit_year(yy, month, day)
        && code[15] == check_letter(&code[..15])
}

/// The number written by digits or omocodia letters.
fn decode(chars: &[u8]) -> Option<u32> {
    chars.iter().try_fold(0, |acc, &c| {
        let d = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            _ => OMOCODIA.iter().position(|&o| o == c)? as u32,
        };
        Some(acc * 10 + d)
    })
}

/// The check letter of the first 15 (upper-case ASCII alphanumeric) characters.
fn check_letter(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let index = match c {
                b'0'..=b'9' => c - b'0',
                _ => c.wrapping_sub(b'A') % 26,
            };
            // Positions are counted from 1, so even indexes are odd positions.
            if i % 2 == 0 {
                ODD_VALUES[usize::from(index)]
            } else {
                u32::from(index)
            }
        })
        .sum();
    // `sum % 26` is below 26, so it fits in a byte.
    b'A' + (sum % 26) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::validate::common;

    const VALID: &[&str] = &[
        "RSSMRA85T10A562S",
        "rssmra85t10a562s",
        "MRTMTT25D09F205Z",
        "BNCGNN80A01H501T",
        "RSSMRA85T50A562W", // a woman born on the 10th: day + 40
        "RSSMRA85T10A56NH", // omocodia: the last digit 2 written as N
        "VRDGPP13A10B006D",
    ];

    const INVALID: &[&str] = &[
        "RSSMRA85T10A562T", // check letter changed
        "RSSMRA85T10A563S", // a digit changed
        "RSSMRA58T10A562S", // year digits transposed
        "SRSMRA85T10A562S", // letters transposed
        "RSSMRA85F10A562S", // F is not a month letter
        "RSSMRA85T32A562S", // day 32
        "RSSMRA85T72A562S", // day 72 (32 + 40)
        "RSSMRA85T00A562S", // day 00
        "RSSMRA85B30A562S", // 30 February
        "RSSMRA85T10A562",  // 15 characters
        "RSSMRA85T10A562SS",
        "RSSMR485T10A562S", // digit in a name position
        "RSSMRA85T10A5W2S", // W is not an omocodia letter
        "RSSMRA85T10A562 ",
        "0000000000000000",
        "AAAAAAAAAAAAAAAA",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
