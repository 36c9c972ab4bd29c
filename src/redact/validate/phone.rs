//! Telephone numbers: ITU-T E.164 numbers checked against libphonenumber's per-country numbering-plan metadata (through the `phonenumber` crate).

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use phonenumber::country::Id;

/// Regions tried, in order, for a number written without an international prefix.
pub const NATIONAL_REGIONS: &[Id] = &[Id::US, Id::GB, Id::NL, Id::FR, Id::DE, Id::DK, Id::FI];

/// Fewest digits accepted (after any "00" international prefix).
pub const MIN_DIGITS: usize = 7;

/// Most digits accepted: the E.164 maximum.
pub const MAX_DIGITS: usize = 15;

/// Longest candidate looked at, in bytes: 15 digits with generous punctuation.
const MAX_LEN: usize = 40;

/// A candidate reduced to its digits.
enum Number {
    /// Written with "+" or "00": country code first, no region needed.
    International(String),
    /// Written as dialled at home, possibly with a trunk prefix such as 0.
    National(String),
}

/// Numbers remembered per thread: parsing with libphonenumber's metadata
/// costs about 0.1 ms, and the same numbers recur in logs and threads.
const CACHE_ENTRIES: usize = 4096;

thread_local! {
    static CACHE: std::cell::RefCell<std::collections::HashMap<String, bool>> = Default::default();
}

/// True when the number is valid in its own country ("+44 20 7946 0958"), or,
/// without an international prefix, in any of [`NATIONAL_REGIONS`].
pub fn is_valid(candidate: &str) -> bool {
    let Some(number) = normalise(candidate) else {
        return false;
    };
    let key = match &number {
        Number::International(digits) => format!("+{digits}"),
        Number::National(digits) => digits.clone(),
    };
    if let Some(known) = CACHE.with(|c| c.borrow().get(&key).copied()) {
        return known;
    }
    let valid = match number {
        Number::International(digits) => parses_valid_international(&key, &digits),
        Number::National(digits) => NATIONAL_REGIONS
            .iter()
            .any(|&region| parses_valid(Some(region), &digits)),
    };
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, valid);
    });
    valid
}

/// Cheap checks before any parsing: only digits and the usual punctuation
/// (space, dash, dot, slash, one pair of parentheses), a "+" only first, and
/// 7–15 digits after the international prefix.
fn normalise(candidate: &str) -> Option<Number> {
    if candidate.len() > MAX_LEN {
        return None;
    }
    let (plus, rest) = match candidate.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, candidate),
    };
    let mut digits = String::with_capacity(rest.len());
    let mut open_paren = false;
    let mut parens_seen = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '/' => {}
            '(' if !parens_seen => {
                open_paren = true;
                parens_seen = true;
            }
            ')' if open_paren => open_paren = false,
            _ => return None,
        }
    }
    if open_paren {
        return None;
    }
    let number = if plus {
        Number::International(digits)
    } else if let Some(after) = digits.strip_prefix("00") {
        Number::International(after.to_owned())
    } else {
        Number::National(digits)
    };
    let (Number::International(d) | Number::National(d)) = &number;
    (MIN_DIGITS..=MAX_DIGITS)
        .contains(&d.len())
        .then_some(number)
}

fn parses_valid(region: Option<Id>, number: &str) -> bool {
    let database = database();
    if let Some(region) = region
        && !could_be_national(database, region, number)
    {
        return false;
    }
    parses_valid_in(database, region, number)
}

/// `+digits`: parsed in the region the compiled plans find for a shared
/// country code, so that the crate does not look for it with its own
/// regular expressions (see `numbering::region_of_international`).
fn parses_valid_international(number: &str, digits: &str) -> bool {
    let database = database();
    let region =
        super::numbering::region_of_international(database, digits).and_then(|id| id.parse().ok());
    parses_valid_in(database, region, number)
}

fn parses_valid_in(
    database: &'static phonenumber::metadata::Database,
    region: Option<Id>,
    number: &str,
) -> bool {
    if let Some(region) = region {
        compile_ascii(database, region);
    }
    phonenumber::parse_with(database, region, number)
        .is_ok_and(|parsed| super::numbering::is_valid(database, &parsed))
}

/// Regular expressions the metadata keeps compiled. The crate's default of
/// 100 is less than the patterns of our seven regions: every number then
/// recompiled some of them, which made a check cost about 0.1 ms.
const COMPILED_PATTERNS: usize = 1024;

fn database() -> &'static phonenumber::metadata::Database {
    static ENLARGED: std::sync::Once = std::sync::Once::new();
    let database = &*phonenumber::metadata::DATABASE;
    ENLARGED.call_once(|| {
        if let Ok(mut cache) = database.cache().lock() {
            cache.set_capacity(COMPILED_PATTERNS);
        }
    });
    database
}

/// Puts `region`'s parsing patterns into the crate's regex cache, compiled
/// for ASCII, before the crate compiles them itself. It would compile them
/// Unicode-aware, where `\d` is sixty ranges of digits, with 2 MB lazy-DFA
/// caches: searched unanchored for every number parsed, they grew to 5 MB
/// over a 1 GB log. The numbers parsed are ASCII digits, on which both
/// read the same (a test compares them).
fn compile_ascii(database: &phonenumber::metadata::Database, region: Id) {
    static DONE: LazyLock<Mutex<HashSet<Id>>> = LazyLock::new(Default::default);
    let Some(meta) = database.by_id(region.as_ref()) else {
        return;
    };
    let Ok(mut done) = DONE.lock() else {
        return;
    };
    if !done.insert(region) {
        return;
    }
    let cache = database.cache();
    let Ok(mut cache) = cache.lock() else {
        return;
    };
    for ascii in parsing_patterns(meta).filter_map(ascii_regex) {
        cache.save(ascii);
    }
}

/// The patterns of `meta` that parsing a number in its region searches.
fn parsing_patterns(meta: &phonenumber::metadata::Metadata) -> impl Iterator<Item = &str> {
    [
        Some(meta.descriptors().general().national_number()),
        meta.national_prefix_for_parsing(),
        meta.international_prefix(),
    ]
    .into_iter()
    .flatten()
    .map(|re| re.as_str())
}

/// `source` as the crate's metadata loader compiles it, but for ASCII and
/// with a smaller lazy-DFA cache; None when it does not compile so (the
/// crate then compiles it).
fn ascii_regex(source: &str) -> Option<regex::Regex> {
    regex::RegexBuilder::new(source)
        .ignore_whitespace(true)
        .unicode(false)
        .dfa_size_limit(256 << 10)
        .build()
        .ok()
}

/// Whether `digits`, dialled at home in `region`, have a length the region's
/// numbering plan allows, with or without its trunk prefix: most digit runs
/// fail this and never reach the parser.
fn could_be_national(database: &phonenumber::metadata::Database, region: Id, digits: &str) -> bool {
    let Some(meta) = database.by_id(region.as_ref()) else {
        return true;
    };
    let lengths = meta.descriptors().general().possible_length();
    if lengths.is_empty() {
        return true;
    }
    let fits = |n: usize| lengths.iter().any(|&l| usize::from(l) == n);
    fits(digits.len())
        || meta
            .national_prefix()
            .is_some_and(|prefix| digits.starts_with(prefix) && fits(digits.len() - prefix.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::validate::common;
    use phonenumber::Type;

    const VALID: &[&str] = &[
        "+1 415 555 2671",
        "+14155552671",
        "(415) 555-2671",
        "415-555-2671",
        "415.555.2671",
        "+44 20 7946 0958",
        "0044 20 7946 0958",
        "020 7946 0958",
        "+31 6 12345678",
        "06-12345678",
        "+33 6 12 34 56 78",
        "01 42 68 53 00",
        "+49 30 901820",
        "030 901820",
        "030/901820",
        "+45 32 12 34 56",
        "+358 40 1234567",
        "040 1234567",
    ];

    const INVALID: &[&str] = &[
        "12345",
        "0000000000",
        "1234567890123456",
        "+1 415 555 267",    // one digit short for the US
        "+44 20 7946 09581", // one digit long for London
        "+999 1234 5678",    // no country code 999
        "+1 (415 555-2671",  // unbalanced parenthesis
        "+1 415) 555-2671",
        "+1 (415) (555) 2671", // two pairs
        "1+415 555 2671",
        "+1 415 555 2671 ext", // letters
        "٣٣٣٣٣٣٣٣٣٣",
        "+",
        "00",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }

    #[test]
    fn digit_counts_are_checked_before_parsing() {
        assert!(normalise("123456").is_none());
        assert!(normalise("1234567").is_some());
        assert!(normalise("123456789012345").is_some());
        assert!(normalise("1234567890123456").is_none());
        assert!(normalise("00 123456").is_none());
        assert!(
            matches!(normalise("0031 6 12345678"), Some(Number::International(d)) if d == "31612345678")
        );
    }

    /// The parsing patterns compiled for ASCII find what the crate's own
    /// compilation finds, in every region, on its example numbers (with and
    /// without the trunk prefix, last digits changed) and on random digits.
    #[test]
    fn ascii_parsing_patterns_find_what_the_crates_own_find() {
        let database = database();
        let mut random = common::Seeded(0x5eed_0044_0002_0001);
        let mut compared = 0;
        for meta in (1..1000u16)
            .filter_map(|code| database.by_code(&code))
            .flatten()
        {
            let examples: Vec<String> = [Type::FixedLine, Type::Mobile, Type::TollFree]
                .iter()
                .filter_map(|&t| meta.descriptors().get(t)?.example())
                .flat_map(|e| {
                    [
                        e.to_string(),
                        format!("{}{e}", meta.national_prefix().unwrap_or("0")),
                    ]
                })
                .collect();
            for source in parsing_patterns(meta) {
                let crates = regex::RegexBuilder::new(source)
                    .ignore_whitespace(true)
                    .build()
                    .expect("the crate compiles it");
                let ascii = ascii_regex(source).expect("compiles for ASCII");
                for i in 0..24 {
                    let number = match examples.get(i % 4) {
                        Some(example) if i % 3 > 0 => random.retailed(example, 3),
                        _ => {
                            let len = 4 + random.below(14) as usize;
                            random.digits(len)
                        }
                    };
                    assert_eq!(
                        crates.find(&number).map(|m| m.range()),
                        ascii.find(&number).map(|m| m.range()),
                        "{} on {number}",
                        meta.id()
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 10_000, "{compared} comparisons");
    }

    /// Seeded international numbers under every shared country code, half
    /// from the member regions' example numbers with their last digits
    /// changed, half random: parsed in the region the compiled plans find,
    /// each must be judged as the crate judges it when it looks for the
    /// region itself.
    #[test]
    fn shared_country_codes_are_judged_as_the_crate_judges_them() {
        let database = database();
        let mut random = common::Seeded(0x5eed_0044_0001_0007);
        let shared: Vec<(u16, Vec<String>)> = (1..1000u16)
            .filter_map(|code| {
                let regions = database.region(&code)?;
                let examples: Vec<String> = regions
                    .iter()
                    .filter_map(|r| database.by_id(*r))
                    .flat_map(|meta| {
                        [Type::FixedLine, Type::Mobile, Type::TollFree]
                            .iter()
                            .filter_map(|&t| meta.descriptors().get(t)?.example())
                            .map(str::to_owned)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                (regions.len() > 1 && !examples.is_empty()).then_some((code, examples))
            })
            .collect();
        assert!(shared.len() >= 10, "{} shared codes", shared.len());
        let (mut valid, mut checked, mut placed) = (0, 0, 0);
        for i in 0..6000 {
            let (code, examples) = &shared[random.below(shared.len() as u64) as usize];
            let national = if i % 2 == 0 {
                let example = &examples[random.below(examples.len() as u64) as usize];
                random.retailed(example, 3)
            } else {
                let len = 5 + random.below(9) as usize;
                random.digits(len)
            };
            let digits = format!("{code}{national}");
            let number = format!("+{digits}");
            let expected = parses_valid_in(database, None, &number);
            assert_eq!(
                parses_valid_international(&number, &digits),
                expected,
                "{number}"
            );
            checked += 1;
            valid += usize::from(expected);
            placed += usize::from(
                super::super::numbering::region_of_international(database, &digits).is_some(),
            );
        }
        assert!(
            valid > 1000 && checked - valid > 1000 && placed > 2000,
            "{valid} valid, {placed} placed of {checked}"
        );
    }
}
