//! Spanish identity numbers: DNI (8 digits) and NIE (X/Y/Z + 7 digits) with the control letter of Real Decreto 1553/2005 and Orden INT/2058/2008, "TRWAGMYFPDXBNJZSQVHLCKE"[n mod 23].

use super::common;

/// Control letters indexed by the number mod 23.
const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// True for "12345678Z", "12345678-Z", "X1234567L", "X-1234567-L" or
/// "x1234567 l" (either case).
pub fn is_valid(candidate: &str) -> bool {
    if !candidate.is_ascii() {
        return false;
    }
    let upper = candidate.to_ascii_uppercase();
    // NIE: X, Y and Z stand for the leading digits 0, 1 and 2, and may be
    // followed by a dash ("X-1234567-L", the form on residence cards).
    let (lead, digits) = match upper.as_bytes().first() {
        Some(b'X') => ("0", &upper[1..]),
        Some(b'Y') => ("1", &upper[1..]),
        Some(b'Z') => ("2", &upper[1..]),
        _ => ("", upper.as_str()),
    };
    let digits = match digits.strip_prefix('-') {
        Some(rest) if !lead.is_empty() => rest,
        _ => digits,
    };
    // An optional dash or space may stand before the control letter.
    let Some(number_len) = digits.len().checked_sub(1) else {
        return false;
    };
    let (number, letter) = digits.split_at(number_len);
    let number = number.strip_suffix(['-', ' ']).unwrap_or(number);
    if number.len() + lead.len() != 8 {
        return false;
    }
    let Some(number) = common::parse_number(&format!("{lead}{number}")) else {
        return false;
    };
    // `number % 23` is below 23, so the index is in range.
    number != 0 && letter.as_bytes() == [LETTERS[(number % 23) as usize]]
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
        "X-1234567-L",
        "x-1234567l",
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
        "1-2345678Z", // a dash after a DNI's first digit
        "X--1234567L",
        "X-1234567--L",
        "X 1234567L", // only a dash follows the NIE letter
        "X-1234567T",
        "-1234567L",
        "Z",
        "",
        "X1234567é",
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
