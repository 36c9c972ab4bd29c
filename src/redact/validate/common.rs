//! Helpers shared by the validators: separator stripping, digit parsing and calendar checks.

/// The separators people type inside numbers: space, dash, dot and slash.
pub const SEPARATORS: &[char] = &[' ', '-', '.', '/'];

/// The longest candidate, in bytes, that a structured-number validator looks at.
///
/// The longest identifier checked here is an IBAN (34 characters, 42 with
/// group spaces); anything longer is refused before any allocation.
pub const MAX_CANDIDATE_LEN: usize = 64;

/// Removes `separators` from `candidate` and returns the ASCII alphanumeric rest.
///
/// A separator is accepted only singly and between two alphanumerics, as
/// people write numbers ("4242 4242", "85.07.30-033.28"). Returns `None` when
/// the candidate is empty, longer than [`MAX_CANDIDATE_LEN`], starts or ends
/// with a separator, has two separators in a row, or holds any other character.
pub fn strip_separators(candidate: &str, separators: &[char]) -> Option<String> {
    if candidate.len() > MAX_CANDIDATE_LEN {
        return None;
    }
    let mut out = String::with_capacity(candidate.len());
    // A separator is not allowed first, so start as if one had just been seen.
    let mut after_separator = true;
    for c in candidate.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            after_separator = false;
        } else if separators.contains(&c) && !after_separator {
            after_separator = true;
        } else {
            return None;
        }
    }
    (!after_separator).then_some(out)
}

/// Like [`strip_separators`], but everything left must be an ASCII digit.
pub fn digits_only(candidate: &str, separators: &[char]) -> Option<String> {
    strip_separators(candidate, separators).filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
}

/// The value of one ASCII digit, or `None` for any other byte.
pub fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

/// The values of the ASCII digits in `s`, or `None` if any byte is not a digit.
pub fn digit_values(s: &str) -> Option<Vec<u32>> {
    s.bytes().map(digit).collect()
}

/// Parses a non-empty run of at most 18 ASCII digits (no sign, no spaces).
pub fn parse_number(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 18 {
        return None;
    }
    s.bytes()
        .try_fold(0u64, |acc, b| Some(acc * 10 + u64::from(digit(b)?)))
}

/// The number written by the `len` ASCII digits of `s` starting at byte `start`.
pub fn number_at(s: &str, start: usize, len: usize) -> Option<u32> {
    let end = start.checked_add(len)?;
    let value = parse_number(s.get(start..end)?)?;
    u32::try_from(value).ok()
}

/// True when every character of `s` is the same (and `s` is not empty).
pub fn all_same(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|first| chars.all(|c| c == first))
}

/// Gregorian leap year.
pub fn is_leap_year(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1–12) of `year`; 0 for a month outside 1–12.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// True for a real Gregorian calendar date.
pub fn is_valid_date(year: u32, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

/// True when `yy`-`month`-`day` is a real date in some century.
///
/// For numbers that carry only a two-digit year, 29 February is accepted
/// whenever `yy` is divisible by 4 (00 is a leap year in 2000, not in 1900).
pub fn is_valid_date_two_digit_year(yy: u32, month: u32, day: u32) -> bool {
    let year = if yy.is_multiple_of(4) { 2000 } else { 2001 };
    is_valid_date(year, month, day)
}

/// A seeded xorshift generator of test numbers.
#[cfg(test)]
pub struct Seeded(pub u64);

#[cfg(test)]
impl Seeded {
    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    /// `count` random digits.
    pub fn digits(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    /// `number` with its last 1 to `most` digits replaced by random ones.
    pub fn retailed(&mut self, number: &str, most: u64) -> String {
        let keep = number.len().saturating_sub(1 + self.below(most) as usize);
        let tail = self.digits(number.len() - keep);
        format!("{}{tail}", &number[..keep])
    }
}

/// Checks a validator against tables of numbers that must pass and must fail,
/// reporting every mismatch at once.
#[cfg(test)]
pub fn check_table(is_valid: fn(&str) -> bool, valid: &[&str], invalid: &[&str]) {
    let mut wrong = Vec::new();
    wrong.extend(
        valid
            .iter()
            .filter(|c| !is_valid(c))
            .map(|c| format!("rejected valid {c:?}")),
    );
    wrong.extend(
        invalid
            .iter()
            .filter(|c| is_valid(c))
            .map(|c| format!("accepted invalid {c:?}")),
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_separators_accepts_single_inner_separators() {
        assert_eq!(
            strip_separators("4242 4242", SEPARATORS).as_deref(),
            Some("42424242")
        );
        assert_eq!(
            strip_separators("85.07.30-033.28", SEPARATORS).as_deref(),
            Some("85073003328")
        );
        assert_eq!(
            strip_separators("AB12", SEPARATORS).as_deref(),
            Some("AB12")
        );
    }

    #[test]
    fn strip_separators_rejects_odd_placement_and_characters() {
        for bad in [
            "", " 1234", "1234 ", "12  34", "12 -34", "12_34", "12é4", "١٢٣٤", "-",
        ] {
            assert_eq!(strip_separators(bad, SEPARATORS), None, "{bad:?}");
        }
        assert_eq!(strip_separators("12/34", &[' ']), None);
        assert_eq!(
            strip_separators(&"1".repeat(MAX_CANDIDATE_LEN + 1), SEPARATORS),
            None
        );
    }

    #[test]
    fn digits_only_rejects_letters() {
        assert_eq!(
            digits_only("123 456", SEPARATORS).as_deref(),
            Some("123456")
        );
        assert_eq!(digits_only("123A56", SEPARATORS), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("0042"), Some(42));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("+42"), None);
        assert_eq!(parse_number(&"9".repeat(19)), None);
        assert_eq!(number_at("851230", 2, 2), Some(12));
        assert_eq!(number_at("851230", 5, 2), None);
        assert_eq!(number_at("85é230", 2, 2), None);
        assert_eq!(digit_values("109"), Some(vec![1, 0, 9]));
        assert_eq!(digit_values("1a9"), None);
    }

    #[test]
    fn all_same_detects_repeats() {
        assert!(all_same("0000"));
        assert!(!all_same("0001"));
        assert!(!all_same(""));
    }

    #[test]
    fn calendar() {
        assert!(is_valid_date(2000, 2, 29));
        assert!(!is_valid_date(1900, 2, 29));
        assert!(is_valid_date(2024, 2, 29));
        assert!(!is_valid_date(2023, 2, 29));
        assert!(!is_valid_date(2023, 4, 31));
        assert!(!is_valid_date(2023, 0, 1));
        assert!(!is_valid_date(2023, 13, 1));
        assert!(!is_valid_date(2023, 1, 0));
        assert!(is_valid_date_two_digit_year(0, 2, 29));
        assert!(is_valid_date_two_digit_year(84, 2, 29));
        assert!(!is_valid_date_two_digit_year(83, 2, 29));
    }
}
