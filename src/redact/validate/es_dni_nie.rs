//! Spanish identity numbers: DNI (8 digits) and NIE (X/Y/Z + 7 digits) with the control letter of Real Decreto 1553/2005 and Orden INT/2058/2008, "TRWAGMYFPDXBNJZSQVHLCKE"[n mod 23].

use super::common;

/// Control letters indexed by the number mod 23.
const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// True for "12345678Z", "12345678-Z", "X1234567L" or "x1234567 l" (either case).
pub fn is_valid(candidate: &str) -> bool {
    // An optional dash or space may stand before the control letter only.
    let compact = match candidate.len() {
        9 => candidate.to_ascii_uppercase(),
        10 => match (candidate.get(..8), candidate.get(8..9), candidate.get(9..)) {
            (Some(number), Some("-" | " "), Some(letter)) => {
                format!("{number}{letter}").to_ascii_uppercase()
            }
            _ => return false,
        },
        _ => return false,
    };
    let (Some(first), Some(rest), Some(&letter)) = (
        compact.get(..1),
        compact.get(1..8),
        compact.as_bytes().get(8),
    ) else {
        return false;
    };
    // NIE: X, Y and Z stand for the leading digits 0, 1 and 2.
    let lead = match first {
        "X" => "0",
        "Y" => "1",
        "Z" => "2",
        digit => digit,
    };
    let Some(number) = common::parse_number(&format!("{lead}{rest}")) else {
        return false;
    };
    // `number % 23` is below 23, so the index is in range.
    number != 0 && letter == LETTERS[(number % 23) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "12345678Z",
        "12345678z",
        "12345678-Z",
        "12345678 Z",
        "87654321X",
        "99999999R",
        "X1234567L",
        "x1234567l",
        "X1234567-L",
        "Y1234567X",
        "Z1234567R",
    ];

    const INVALID: &[&str] = &[
        "12345678A",  // wrong letter
        "12345679Z",  // a digit changed
        "21345678Z",  // two digits transposed
        "1234567Z",   // seven digits
        "123456789Z", // nine digits
        "X1234567T",  // wrong letter
        "Y1234567L",  // the X letter with Y
        "W1234567L",  // no such NIE prefix
        "X12345678L", // NIE with eight digits
        "00000000T",  // all zeros, though T is the mod-23 letter of 0
        "X0000000T",
        "12345678--Z",
        "12345678_Z",
        "12345678/Z",
        "1234-5678Z",
        "123456789",
        "ZZZZZZZZZ",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
