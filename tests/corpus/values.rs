//! Value generators: positives whose checksums are computed here from the
//! published definitions (independently of the crate's validators), and hard
//! negatives that look like data but are not personal or secret.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::locale::{self, Loc, Person};

pub type Rng8 = ChaCha8Rng;

pub const DIGITS: &str = "0123456789";
pub const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const HEX: &str = "0123456789abcdef";
pub const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
pub const BASE32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// ---------------------------------------------------------------- helpers

pub fn pick<T: Copy>(r: &mut Rng8, xs: &[T]) -> T {
    xs[r.random_range(0..xs.len())]
}

pub fn chance(r: &mut Rng8, p: f64) -> bool {
    r.random_bool(p)
}

/// A number in `lo..=hi`.
pub fn range(r: &mut Rng8, lo: u32, hi: u32) -> u32 {
    r.random_range(lo..=hi)
}

pub fn chars(r: &mut Rng8, alphabet: &str, n: usize) -> String {
    let a = alphabet.as_bytes();
    (0..n)
        .map(|_| a[r.random_range(0..a.len())] as char)
        .collect()
}

pub fn digits(r: &mut Rng8, n: usize) -> String {
    chars(r, DIGITS, n)
}

fn digit_values(s: &str) -> Vec<u32> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .collect()
}

/// Inserts `sep` between groups of the given sizes (the last group takes the rest).
pub fn group(s: &str, sizes: &[usize], sep: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    for (k, &n) in sizes.iter().enumerate() {
        if i >= s.len() {
            break;
        }
        if k > 0 {
            out.push_str(sep);
        }
        let end = (i + n).min(s.len());
        out.push_str(&s[i..end]);
        i = end;
    }
    if i < s.len() {
        out.push_str(sep);
        out.push_str(&s[i..]);
    }
    out
}

/// Groups of four from the left, as IBANs and cards are written.
pub fn group4(s: &str, sep: &str) -> String {
    let sizes = vec![4; s.len().div_ceil(4)];
    group(s, &sizes, sep)
}

// ------------------------------------------------------------------ dates

#[derive(Debug, Clone, Copy)]
pub struct Date {
    pub y: u32,
    pub m: u32,
    pub d: u32,
}

pub fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub fn date(r: &mut Rng8, from_year: u32, to_year: u32) -> Date {
    let y = range(r, from_year, to_year);
    let m = range(r, 1, 12);
    let d = range(r, 1, days_in_month(y, m));
    Date { y, m, d }
}

pub fn birth_date(r: &mut Rng8) -> Date {
    date(r, 1940, 2006)
}

impl Date {
    pub fn yy(&self) -> String {
        format!("{:02}", self.y % 100)
    }
    pub fn ddmmyy(&self) -> String {
        format!("{:02}{:02}{:02}", self.d, self.m, self.y % 100)
    }
    pub fn yymmdd(&self) -> String {
        format!("{:02}{:02}{:02}", self.y % 100, self.m, self.d)
    }
}

// -------------------------------------------------------------- checksums
//
// Each follows the published definition (see ../shared/FACTS.md); the
// accuracy test checks them against published example numbers.

/// Luhn (ISO/IEC 7812-1): double every second digit from the right.
pub fn luhn_ok(s: &str) -> bool {
    let d = digit_values(s);
    if d.is_empty() {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `payload` followed by the digit that makes it pass Luhn.
pub fn luhn_complete(payload: &str) -> String {
    (0..10)
        .map(|c| format!("{payload}{c}"))
        .find(|s| luhn_ok(s))
        .expect("one Luhn digit always fits")
}

/// ISO 7064 MOD 97-10 over an alphanumeric string, letters as 10..35.
pub fn mod97(s: &str) -> u32 {
    let mut rem: u64 = 0;
    for c in s.chars() {
        let v = c.to_digit(36).expect("alphanumeric") as u64;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem as u32
}

/// IBAN (ISO 13616): the first four characters moved to the end, mod 97 == 1.
pub fn iban_ok(iban: &str) -> bool {
    let c: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    c.len() > 4 && mod97(&format!("{}{}", &c[4..], &c[..4])) == 1
}

pub fn iban_make(cc: &str, bban: &str) -> String {
    let check = 98 - mod97(&format!("{bban}{cc}00"));
    format!("{cc}{check:02}{bban}")
}

/// NL BSN 11-proef: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11).
pub fn bsn_ok(s: &str) -> bool {
    let d = digit_values(s);
    if d.len() != 9 {
        return false;
    }
    let sum: i64 = (0..8).map(|i| (9 - i as i64) * d[i] as i64).sum::<i64>() - d[8] as i64;
    sum % 11 == 0 && d.iter().any(|&x| x != 0)
}

pub const HETU_CHARS: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// FI HETU: check character = table[DDMMYYNNN mod 31].
pub fn hetu_ok(s: &str) -> bool {
    if s.len() != 11 || !s.is_ascii() {
        return false;
    }
    let n: String = format!("{}{}", &s[..6], &s[7..10]);
    n.parse::<u64>()
        .is_ok_and(|v| HETU_CHARS[(v % 31) as usize] == s.as_bytes()[10])
}

/// FR NIR key: 97 − (first 13 digits mod 97), Corsica 2A → 19, 2B → 18.
pub fn nir_key(first13: &str) -> u32 {
    let n = first13.replace("2A", "19").replace("2B", "18");
    97 - (n.parse::<u64>().expect("13 digits") % 97) as u32
}

pub fn nir_ok(s: &str) -> bool {
    let c: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    c.len() == 15 && c[13..].parse::<u32>().is_ok_and(|k| k == nir_key(&c[..13]))
}

/// ISO 7064 MOD 11,10 check digit (DE Steuer-ID).
pub fn iso7064_mod11_10(payload: &str) -> u32 {
    let mut product = 10;
    for d in digit_values(payload) {
        let mut sum = (d + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = 11 - product;
    if check == 10 { 0 } else { check }
}

/// DE Steuer-ID: 11 digits, first not 0, in the first ten exactly one digit
/// occurs two or three times (three never all adjacent), the rest at most once;
/// ISO 7064 MOD 11,10 check digit.
pub fn steuer_id_ok(s: &str) -> bool {
    let d = digit_values(s);
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    let mut counts = [0u32; 10];
    for &x in &d[..10] {
        counts[x as usize] += 1;
    }
    let repeated: Vec<usize> = (0..10).filter(|&i| counts[i] > 1).collect();
    if repeated.len() != 1 || counts[repeated[0]] > 3 {
        return false;
    }
    if counts[repeated[0]] == 3 && d[..10].windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return false;
    }
    iso7064_mod11_10(&s[..10]) == d[10]
}

/// DE Rentenversicherungsnummer check digit (VKVV § 2 (6)): the letter
/// becomes its two-digit position in the alphabet; the twelve digits are
/// weighted 2,1,2,5,7,1,2,1,2,1,2,1; the digit sums of the products are
/// added; the check digit is that sum mod 10.
pub fn rvnr_check(first11: &str) -> u32 {
    let b = first11.as_bytes();
    let letter = u32::from(b[8] - b'A' + 1);
    let all = format!("{}{:02}{}", &first11[..8], letter, &first11[9..11]);
    const W: [u32; 12] = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
    digit_values(&all)
        .iter()
        .zip(W)
        .map(|(&d, w)| {
            let p = d * w;
            p / 10 + p % 10
        })
        .sum::<u32>()
        % 10
}

pub fn rvnr_ok(s: &str) -> bool {
    let c: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    c.len() == 12
        && c.as_bytes()[8].is_ascii_uppercase()
        && c.as_bytes()[11].is_ascii_digit()
        && rvnr_check(&c[..11]) == u32::from(c.as_bytes()[11] - b'0')
}

pub const ES_LETTERS: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// IT codice fiscale check character (DM 23/12/1976): odd positions (1-based)
/// through the odd table, even positions through their plain value, sum mod 26.
pub fn cf_check(first15: &str) -> char {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let sum: u32 = first15
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let v = if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                u32::from(b - b'A')
            };
            if i % 2 == 0 { ODD[v as usize] } else { v }
        })
        .sum();
    (b'A' + (sum % 26) as u8) as char
}

/// BE national number: 97 − (first 9 digits mod 97), with a 2 in front for
/// births from 2000.
pub fn be_check(first9: &str, born_2000s: bool) -> u32 {
    let n: u64 = first9.parse().expect("9 digits");
    let n = if born_2000s { 2_000_000_000 + n } else { n };
    97 - (n % 97) as u32
}

pub fn be_ok(s: &str) -> bool {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    d.len() == 11
        && d[9..]
            .parse::<u32>()
            .is_ok_and(|c| c == be_check(&d[..9], false) || c == be_check(&d[..9], true))
}

/// PL PESEL: weights 1,3,7,9,1,3,7,9,1,3; check = (10 − sum mod 10) mod 10.
pub fn pesel_check(first10: &str) -> u32 {
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = digit_values(first10)
        .iter()
        .zip(W)
        .map(|(d, w)| d * w)
        .sum();
    (10 - sum % 10) % 10
}

pub fn pesel_ok(s: &str) -> bool {
    let d = digit_values(s);
    d.len() == 11 && pesel_check(&s[..10]) == d[10]
}

/// CRC-32 (IEEE 802.3), for GitHub token checksums.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn base64(data: &[u8], alphabet: &str, pad: bool) -> String {
    let a = alphabet.as_bytes();
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let emit = chunk.len() + 1;
        for i in 0..4 {
            if i < emit {
                out.push(a[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------- contact & finance

fn ascii_fold(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            'ä' | 'à' | 'á' | 'â' | 'å' => out.push('a'),
            'Ä' | 'Å' => out.push('A'),
            'ö' | 'ó' | 'ô' => out.push('o'),
            'ø' => out.push_str("oe"),
            'Ø' => out.push_str("Oe"),
            'Ö' => out.push('O'),
            'æ' => out.push_str("ae"),
            'ü' | 'ú' | 'û' => out.push('u'),
            'Ü' => out.push('U'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'É' => out.push('E'),
            'ï' | 'î' => out.push('i'),
            'ç' => out.push('c'),
            'ß' => out.push_str("ss"),
            ' ' | '\'' => {}
            c => out.push(c),
        }
    }
    out
}

/// A name as an internationalised address writes it: lowercase, letters
/// kept, spaces and apostrophes dropped.
fn unfolded(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '\''))
        .flat_map(char::to_lowercase)
        .collect()
}

pub fn email(r: &mut Rng8, p: &Person) -> String {
    let first = ascii_fold(p.first).to_lowercase();
    let last = ascii_fold(p.last).to_lowercase();
    let local = match range(r, 0, 7) {
        0 => format!("{first}.{last}"),
        1 => format!("{}.{last}", &first[..1]),
        2 => format!("{first}{}", range(r, 70, 99)),
        3 => format!("{first}_{last}"),
        4 => format!(
            "{first}.{last}+{}",
            pick(r, &["support", "billing", "tickets", "shop"])
        ),
        5 => format!("{}{last}", &first[..1]),
        // Unfolded: addresses keep their ü and ø (RFC 6531).
        6 => format!(
            "{}-{}{}",
            unfolded(p.first),
            unfolded(p.last),
            range(r, 1, 9)
        ),
        _ => format!("{last}.{first}"),
    };
    let domain = if chance(r, 0.35) {
        pick(r, locale::COMPANY_DOMAINS).to_string()
    } else {
        pick(r, p.loc.mail_domains()).to_string()
    };
    format!("{local}@{domain}")
}

/// A phone number valid under libphonenumber for the region returned with it
/// (ISO 3166 code), written the way people of that locale write them.
pub fn phone(r: &mut Rng8, loc: Loc) -> (String, &'static str) {
    let intl = chance(r, 0.45);
    match loc {
        Loc::EnUs => {
            let area = pick(r, locale::US_AREA_CODES);
            let exch = loop {
                let e = range(r, 200, 989);
                if e % 100 != 11 && e != 555 && e != 950 && e != 958 && e != 959 && e != 976 {
                    break e;
                }
            };
            let sub = digits(r, 4);
            let s = if intl {
                match range(r, 0, 2) {
                    0 => format!("+1 {area} {exch} {sub}"),
                    1 => format!("+1-{area}-{exch}-{sub}"),
                    _ => format!("+1{area}{exch}{sub}"),
                }
            } else {
                match range(r, 0, 3) {
                    0 => format!("({area}) {exch}-{sub}"),
                    1 => format!("{area}-{exch}-{sub}"),
                    2 => format!("{area}.{exch}.{sub}"),
                    _ => format!("1-{area}-{exch}-{sub}"),
                }
            };
            (s, "US")
        }
        Loc::EnGb => {
            let nsn = if chance(r, 0.6) {
                // Mobile ranges of the Ofcom plan that libphonenumber knows
                // (the 07700 900xxx drama range is not among them).
                let pre = pick(
                    r,
                    &[
                        "7412", "7456", "7534", "7712", "7745", "7812", "7890", "7920", "7958",
                        "7971",
                    ],
                );
                format!("{pre} {}", digits(r, 6))
            } else {
                let (area, n) = pick(
                    r,
                    &[
                        ("20 7946 ", 4),
                        ("20 3", 7),
                        ("161 496 ", 4),
                        ("121 496 ", 4),
                        ("131 496 ", 4),
                        ("117 496 ", 4),
                    ],
                );
                let mut rest = digits(r, n);
                if n == 7 {
                    rest = format!("{} {}", &rest[..3], &rest[3..]);
                }
                format!("{area}{rest}")
            };
            let s = if intl {
                match range(r, 0, 9) {
                    0 => format!("+44 (0){nsn}"),
                    1..=2 => format!("+44{}", nsn.replace(' ', "")),
                    3 => format!("0044 {nsn}"),
                    _ => format!("+44 {nsn}"),
                }
            } else {
                format!("0{nsn}")
            };
            (s, "GB")
        }
        Loc::Nl => {
            let s = if chance(r, 0.65) {
                let n = format!("{}{}", range(r, 1, 5), digits(r, 7));
                if intl {
                    match range(r, 0, 9) {
                        0 => format!("+31 (0)6 {n}"),
                        1..=3 => format!("+316{n}"),
                        4 => format!("0031 6 {n}"),
                        5 => format!("+31 6 {} {} {}", &n[..2], &n[2..5], &n[5..]),
                        _ => format!("+31 6 {n}"),
                    }
                } else {
                    match range(r, 0, 3) {
                        0 => format!("06-{n}"),
                        1 => format!("06 {} {}", &n[..4], &n[4..]),
                        2 => format!("06{n}"),
                        _ => format!("06 {} {} {} {}", &n[..2], &n[2..4], &n[4..6], &n[6..]),
                    }
                }
            } else {
                let area = pick(r, &["20", "10", "30", "70", "40", "50"]);
                let n = format!("{}{}", range(r, 2, 8), digits(r, 6));
                if intl {
                    format!("+31 {area} {} {}", &n[..3], &n[3..])
                } else if chance(r, 0.5) {
                    format!("0{area}-{n}")
                } else {
                    format!("0{area} {} {}", &n[..3], &n[3..])
                }
            };
            (s, "NL")
        }
        Loc::Fr => {
            let first = if chance(r, 0.7) {
                pick(r, &["6", "7"])
            } else {
                pick(r, &["1", "2", "3", "4", "5"])
            };
            // 063x, 069x and 09 hold overseas and VoIP ranges: leave them out.
            let lead = match first {
                "7" => range(r, 3, 9),
                "6" => pick(r, &[0, 1, 2, 4, 5, 6, 7, 8]),
                _ => range(r, 1, 5),
            }
            .to_string();
            let rest = format!("{lead}{}", digits(r, 7));
            let pairs = group(&rest, &[2, 2, 2, 2], " ");
            let s = if intl {
                match range(r, 0, 5) {
                    0 => format!("+33 (0){first} {pairs}"),
                    1 => format!("+33{first}{rest}"),
                    _ => format!("+33 {first} {pairs}"),
                }
            } else {
                match range(r, 0, 4) {
                    0 => format!("0{first}.{}", group(&rest, &[2, 2, 2, 2], ".")),
                    1 => format!("0{first}{rest}"),
                    _ => format!("0{first} {pairs}"),
                }
            };
            (s, "FR")
        }
        Loc::De => {
            let (pre, rest) = if chance(r, 0.6) {
                let pre = pick(
                    r,
                    &[
                        "151", "152", "157", "160", "162", "163", "170", "171", "172", "173",
                        "175", "176", "177", "178", "179",
                    ],
                );
                let len = match pre {
                    "151" | "152" | "157" | "176" => 8,
                    "160" | "162" | "163" | "170" | "171" | "175" => 7,
                    _ => pick(r, &[7, 8]),
                };
                (pre, digits(r, len))
            } else {
                let (pre, len) = pick(
                    r,
                    &[
                        ("30", 8),
                        ("89", 7),
                        ("40", 8),
                        ("221", 7),
                        ("69", 8),
                        ("711", 7),
                    ],
                );
                (pre, format!("{}{}", range(r, 2, 9), digits(r, len - 1)))
            };
            let s = if intl {
                match range(r, 0, 5) {
                    0 => format!("+49 (0){pre} {rest}"),
                    1 => format!("+49{pre}{rest}"),
                    2 => format!("0049 {pre} {rest}"),
                    _ => format!("+49 {pre} {rest}"),
                }
            } else {
                match range(r, 0, 3) {
                    0 => format!("0{pre}/{rest}"),
                    1 => format!("0{pre}-{rest}"),
                    _ => format!("0{pre} {rest}"),
                }
            };
            (s, "DE")
        }
        Loc::Da => {
            // Two-digit blocks of the Danish plan, then a digit that is not 0.
            let block = pick(
                r,
                &[
                    "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "40",
                    "41", "42", "50", "51", "52", "53", "60", "61", "71", "81", "91", "93",
                ],
            );
            let n = format!("{block}{}{}", range(r, 1, 9), digits(r, 5));
            let spaced = group(&n, &[2, 2, 2, 2], " ");
            let s = if intl {
                match range(r, 0, 3) {
                    0 => format!("+45{n}"),
                    1 => format!("0045 {spaced}"),
                    _ => format!("+45 {spaced}"),
                }
            } else if chance(r, 0.7) {
                spaced
            } else {
                n
            };
            (s, "DK")
        }
        Loc::Fi => {
            let (pre, rest) = if chance(r, 0.7) {
                (pick(r, &["40", "50", "44", "45", "41"]), digits(r, 7))
            } else {
                (
                    pick(r, &["9", "2", "3", "5"]),
                    format!("{}{}", range(r, 1, 8), {
                        let n = pick(r, &[6, 7]);
                        digits(r, n)
                    }),
                )
            };
            let s = if intl {
                match range(r, 0, 3) {
                    0 => format!("+358{pre}{rest}"),
                    1 => format!("+358 {pre} {}", fi_groups(&rest)),
                    _ => format!("+358 {pre} {rest}"),
                }
            } else if chance(r, 0.6) {
                format!("0{pre} {}", fi_groups(&rest))
            } else {
                format!("0{pre} {rest}")
            };
            (s, "FI")
        }
    }
}

/// Finnish subscriber numbers as written: 123 456, 123 4567, 1234 5678.
fn fi_groups(rest: &str) -> String {
    let sizes: &[usize] = match rest.len() {
        8 => &[4, 4],
        7 => &[3, 4],
        _ => &[3, 3],
    };
    group(rest, sizes, " ")
}

pub fn card(r: &mut Rng8) -> String {
    let (payload, amex) = match range(r, 0, 9) {
        0..=3 => (format!("4{}", digits(r, 14)), false),
        4..=5 => (format!("5{}{}", range(r, 1, 5), digits(r, 13)), false),
        6 => (format!("{}{}", range(r, 2221, 2720), digits(r, 11)), false),
        7 => (format!("3{}{}", pick(r, &["4", "7"]), digits(r, 12)), true),
        8 => (format!("6011{}", digits(r, 11)), false),
        _ => (format!("65{}", digits(r, 13)), false),
    };
    let n = luhn_complete(&payload);
    let sizes: &[usize] = if amex { &[4, 6, 5] } else { &[4, 4, 4, 4] };
    match range(r, 0, 4) {
        0 | 1 => n,
        2 | 3 => group(&n, sizes, " "),
        _ => group(&n, sizes, "-"),
    }
}

pub fn iban(r: &mut Rng8, loc: Loc) -> String {
    let cc = if chance(r, 0.7) {
        match loc {
            Loc::Nl => "NL",
            Loc::De => "DE",
            Loc::Fr => "FR",
            Loc::EnGb => "GB",
            Loc::Da => "DK",
            Loc::Fi => "FI",
            Loc::EnUs => pick(r, &["GB", "DE", "NL"]),
        }
    } else {
        pick(r, &["NL", "DE", "FR", "GB", "BE", "DK", "FI", "ES", "IT"])
    };
    let bban = match cc {
        "NL" => format!(
            "{}{}",
            pick(
                r,
                &[
                    "ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"
                ]
            ),
            digits(r, 10)
        ),
        "DE" => format!(
            "{}{}",
            pick(
                r,
                &[
                    "10070000", "37040044", "50010517", "20041111", "70150000", "12030000"
                ]
            ),
            digits(r, 10)
        ),
        "FR" => {
            let bank = pick(r, &["30004", "30002", "20041", "10278", "30003", "11315"]);
            let branch = digits(r, 5);
            let account = digits(r, 11);
            let key = 97
                - ((89 * bank.parse::<u64>().unwrap()
                    + 15 * branch.parse::<u64>().unwrap()
                    + 3 * account.parse::<u64>().unwrap())
                    % 97);
            format!("{bank}{branch}{account}{key:02}")
        }
        "GB" => format!(
            "{}{}{}",
            pick(r, &["NWBK", "BARC", "HBUK", "LOYD", "MIDL", "BUKB"]),
            digits(r, 6),
            digits(r, 8)
        ),
        "BE" => {
            let ten = format!(
                "{}{}",
                pick(r, &["001", "068", "310", "363", "735", "143"]),
                digits(r, 7)
            );
            let c = ten.parse::<u64>().unwrap() % 97;
            format!("{ten}{:02}", if c == 0 { 97 } else { c })
        }
        "DK" => format!(
            "{}{}",
            pick(r, &["3000", "5301", "2000", "9570", "1551"]),
            digits(r, 10)
        ),
        "FI" => luhn_complete(&format!(
            "{}{}",
            pick(r, &["1000", "1234", "5000", "8000", "3131"]),
            digits(r, 9)
        )),
        "ES" => format!(
            "{}{}{}",
            pick(r, &["2100", "0049", "0182", "2080", "0081"]),
            digits(r, 4),
            digits(r, 12)
        ),
        _ => format!(
            "{}{}{}{}",
            chars(r, UPPER, 1),
            pick(r, &["03069", "02008", "05034", "01030"]),
            digits(r, 5),
            digits(r, 12)
        ),
    };
    let iban = iban_make(cc, &bban);
    debug_assert!(iban_ok(&iban));
    if chance(r, 0.55) {
        group4(&iban, " ")
    } else {
        iban
    }
}

pub fn ipv4(r: &mut Rng8) -> String {
    let first = pick(
        r,
        &[
            31, 37, 46, 62, 77, 78, 80, 81, 82, 84, 85, 86, 88, 89, 91, 92, 93, 94, 95, 109, 145,
            176, 178, 185, 188, 193, 194, 195, 212, 213, 217, 24, 50, 66, 67, 68, 71, 73, 98, 99,
        ],
    );
    format!(
        "{first}.{}.{}.{}",
        range(r, 0, 255),
        range(r, 0, 255),
        range(r, 1, 254)
    )
}

pub fn ipv6(r: &mut Rng8) -> String {
    let prefix = pick(
        r,
        &[
            "2a02", "2a01", "2001", "2a00", "2600", "2603", "2406", "2a03", "2a0a", "2c0f", "2804",
        ],
    );
    let mut groups: Vec<String> = vec![prefix.to_string()];
    for _ in 0..7 {
        let v = r.random_range(0..=0xffffu32);
        groups.push(format!("{v:x}"));
    }
    if prefix == "2001" && groups[1] == "db8" {
        groups[1] = "db9".into();
    }
    let s = match range(r, 0, 3) {
        0 => groups.join(":"),
        1 => {
            // A run of zeros compressed with "::".
            let at = range(r, 2, 5) as usize;
            let len = range(r, 1, 3) as usize;
            let head = groups[..at].join(":");
            let tail = groups[(at + len).min(8)..].join(":");
            if tail.is_empty() {
                format!("{head}::1")
            } else {
                format!("{head}::{tail}")
            }
        }
        2 => format!("{}:{}:{}::{}", groups[0], groups[1], groups[2], groups[7]),
        _ => groups
            .iter()
            .map(|g| format!("{g:0>4}"))
            .collect::<Vec<_>>()
            .join(":"),
    };
    if chance(r, 0.15) { s.to_uppercase() } else { s }
}

pub fn mac(r: &mut Rng8) -> String {
    let oui = pick(
        r,
        &[
            "00:1a:2b", "3c:22:fb", "f0:18:98", "ac:de:48", "00:50:56", "b8:27:eb", "dc:a6:32",
            "00:0c:29", "a4:83:e7", "5c:f9:38", "e4:5f:01", "00:15:5d",
        ],
    );
    let tail: Vec<String> = (0..3)
        .map(|_| format!("{:02x}", r.random_range(0..=255u32)))
        .collect();
    let s = format!("{oui}:{}", tail.join(":"));
    let s = if chance(r, 0.5) { s.to_uppercase() } else { s };
    match range(r, 0, 5) {
        0 => s.replace(':', "-"),
        1 => {
            let h: String = s
                .chars()
                .filter(|c| *c != ':')
                .collect::<String>()
                .to_lowercase();
            format!("{}.{}.{}", &h[..4], &h[4..8], &h[8..])
        }
        _ => s,
    }
}

pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date of birth written the way `loc` writes dates.
pub fn dob(r: &mut Rng8, loc: Loc, d: Date) -> String {
    let Date { y, m, d } = d;
    match loc {
        Loc::EnUs => match range(r, 0, 4) {
            0 | 1 => format!("{m:02}/{d:02}/{y}"),
            2 => format!("{} {d}, {y}", MONTHS_EN[m as usize - 1]),
            3 => format!("{m}/{d}/{y}"),
            _ => format!("{y}-{m:02}-{d:02}"),
        },
        Loc::EnGb => match range(r, 0, 3) {
            0 | 1 => format!("{d:02}/{m:02}/{y}"),
            2 => format!("{d} {} {y}", MONTHS_EN[m as usize - 1]),
            _ => format!("{y}-{m:02}-{d:02}"),
        },
        Loc::Nl => match range(r, 0, 2) {
            0 | 1 => format!("{d:02}-{m:02}-{y}"),
            _ => format!("{d}-{m}-{y}"),
        },
        Loc::Fr => format!("{d:02}/{m:02}/{y}"),
        Loc::De => match range(r, 0, 3) {
            0..=2 => format!("{d:02}.{m:02}.{y}"),
            _ => format!("{d}.{m}.{y}"),
        },
        Loc::Da => match range(r, 0, 2) {
            0 | 1 => format!("{d:02}.{m:02}.{y}"),
            _ => format!("{d:02}-{m:02}-{y}"),
        },
        Loc::Fi => format!("{d}.{m}.{y}"),
    }
}

pub fn postal_address(r: &mut Rng8, loc: Loc, multiline: bool) -> String {
    let sep = if multiline { "\n" } else { ", " };
    match loc {
        Loc::Nl => {
            let pc = loop {
                let letters = chars(r, UPPER, 2);
                if !["SA", "SD", "SS"].contains(&letters.as_str()) {
                    break format!("{}{} {letters}", range(r, 1, 9), digits(r, 3));
                }
            };
            let suffix = pick(r, &["", "", "", "A", "-2", " bis", "-III"]);
            format!(
                "{} {}{suffix}{sep}{pc} {}",
                pick(r, locale::NL_STREETS),
                range(r, 1, 240),
                pick(r, locale::NL_CITIES)
            )
        }
        Loc::De => {
            let suffix = pick(r, &["", "", "", "a", "b"]);
            format!(
                "{} {}{suffix}{sep}{:05} {}",
                pick(r, locale::DE_STREETS),
                range(r, 1, 180),
                range(r, 1067, 99998),
                pick(r, locale::DE_CITIES)
            )
        }
        Loc::Fr => {
            let (cp, city) = pick(r, locale::FR_CITIES);
            let bis = pick(r, &["", "", "", " bis", " ter"]);
            format!(
                "{}{bis} {}{sep}{cp} {city}",
                range(r, 1, 160),
                pick(r, locale::FR_STREETS)
            )
        }
        Loc::EnGb => {
            let (city, pc) = pick(r, locale::GB_CITIES);
            let flat = if chance(r, 0.2) {
                format!("Flat {}{sep}", range(r, 1, 40))
            } else {
                String::new()
            };
            format!(
                "{flat}{} {}{sep}{city} {pc}",
                range(r, 1, 220),
                pick(r, locale::GB_STREETS)
            )
        }
        Loc::EnUs => {
            let (city, st, zip) = pick(r, locale::US_CITIES);
            let apt = if chance(r, 0.25) {
                format!(" Apt {}{}", range(r, 1, 30), pick(r, &["A", "B", "C", ""]))
            } else {
                String::new()
            };
            let sep2 = if multiline { "\n" } else { ", " };
            format!(
                "{} {}{apt}{sep2}{city}, {st} {zip}",
                range(r, 100, 9800),
                pick(r, locale::US_STREETS)
            )
        }
        Loc::Da => {
            let (pc, city) = pick(r, locale::DK_CITIES);
            let floor = if chance(r, 0.3) {
                format!(", {}. {}", range(r, 1, 5), pick(r, &["tv.", "th.", "mf."]))
            } else {
                String::new()
            };
            format!(
                "{} {}{floor}{sep}{pc} {city}",
                pick(r, locale::DK_STREETS),
                range(r, 1, 150)
            )
        }
        Loc::Fi => {
            let (pc, city) = pick(r, locale::FI_CITIES);
            let stair = if chance(r, 0.4) {
                format!(" {} {}", pick(r, &["A", "B", "C"]), range(r, 1, 40))
            } else {
                String::new()
            };
            format!(
                "{} {}{stair}{sep}{pc} {city}",
                pick(r, locale::FI_STREETS),
                range(r, 1, 90)
            )
        }
    }
}

// ----------------------------------------------------------- national ids

pub fn nl_bsn(r: &mut Rng8) -> String {
    loop {
        let head = format!("{}{}", range(r, 1, 6), digits(r, 7));
        let d = digit_values(&head);
        let sum: u32 = (0..8).map(|i| (9 - i as u32) * d[i]).sum();
        let check = sum % 11;
        if check <= 9 {
            let s = format!("{head}{check}");
            debug_assert!(bsn_ok(&s));
            return if chance(r, 0.15) {
                format!("{}.{}.{}", &s[..4], &s[4..6], &s[6..])
            } else {
                s
            };
        }
    }
}

pub fn dk_cpr(r: &mut Rng8) -> String {
    let b = birth_date(r);
    let yy = b.y % 100;
    let century_digit = if b.y >= 2000 {
        if yy <= 36 {
            pick(r, &[4, 5, 6, 7, 8, 9])
        } else {
            pick(r, &[5, 6, 7, 8])
        }
    } else if yy >= 37 {
        pick(r, &[0, 1, 2, 3, 4, 9])
    } else {
        pick(r, &[0, 1, 2, 3])
    };
    let serial = format!("{century_digit}{}", digits(r, 3));
    if chance(r, 0.8) {
        format!("{}-{serial}", b.ddmmyy())
    } else {
        format!("{}{serial}", b.ddmmyy())
    }
}

pub fn fi_hetu(r: &mut Rng8) -> String {
    let b = birth_date(r);
    let sign = if b.y >= 2000 {
        pick(r, &['A', 'A', 'A', 'B', 'C'])
    } else {
        pick(r, &['-', '-', '-', '-', 'Y', 'X'])
    };
    let nnn = range(r, 2, 899);
    let n: u64 = format!("{}{nnn:03}", b.ddmmyy()).parse().unwrap();
    let c = HETU_CHARS[(n % 31) as usize] as char;
    let s = format!("{}{sign}{nnn:03}{c}", b.ddmmyy());
    debug_assert!(hetu_ok(&s));
    s
}

pub fn fr_nir(r: &mut Rng8) -> String {
    let b = birth_date(r);
    let sex = range(r, 1, 2);
    let dept = if chance(r, 0.08) {
        pick(r, &["2A", "2B"]).to_string()
    } else {
        let d = loop {
            let d = range(r, 1, 95);
            if d != 20 {
                break d;
            }
        };
        format!("{d:02}")
    };
    let commune = format!("{:03}", range(r, 1, 990));
    let order = format!("{:03}", range(r, 1, 999));
    let first13 = format!("{sex}{}{:02}{dept}{commune}{order}", b.yy(), b.m);
    let key = nir_key(&first13);
    let s = format!("{first13}{key:02}");
    debug_assert!(nir_ok(&s));
    if chance(r, 0.6) {
        format!(
            "{} {} {:02} {dept} {commune} {order} {key:02}",
            sex,
            b.yy(),
            b.m
        )
    } else {
        s
    }
}

pub fn de_steuer_id(r: &mut Rng8) -> String {
    loop {
        let mut pool: Vec<u32> = (0..10).collect();
        // shuffle
        for i in (1..pool.len()).rev() {
            let j = r.random_range(0..=i);
            pool.swap(i, j);
        }
        let triple = chance(r, 0.3);
        let mut ten: Vec<u32> = if triple {
            let mut v = pool[..8].to_vec();
            v.push(pool[0]);
            v.push(pool[0]);
            v
        } else {
            let mut v = pool[..9].to_vec();
            v.push(pool[0]);
            v
        };
        for i in (1..ten.len()).rev() {
            let j = r.random_range(0..=i);
            ten.swap(i, j);
        }
        let s: String = ten.iter().map(|d| char::from(b'0' + *d as u8)).collect();
        let full = format!("{s}{}", iso7064_mod11_10(&s));
        if steuer_id_ok(&full) {
            return if chance(r, 0.3) {
                format!(
                    "{} {} {} {}",
                    &full[..2],
                    &full[2..5],
                    &full[5..8],
                    &full[8..]
                )
            } else {
                full
            };
        }
    }
}

pub fn de_rvnr(r: &mut Rng8, p: &Person) -> String {
    let b = birth_date(r);
    let area = pick(
        r,
        &[
            "02", "03", "04", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18",
            "19", "20", "21", "23", "24", "25", "26", "28", "29", "38", "39", "42", "53", "65",
            "80", "81", "82", "89",
        ],
    );
    let letter = ascii_fold(p.last)
        .to_uppercase()
        .chars()
        .find(|c| c.is_ascii_uppercase())
        .unwrap_or('M');
    let serial = if p.female {
        range(r, 50, 99)
    } else {
        range(r, 0, 49)
    };
    let first11 = format!("{area}{}{letter}{serial:02}", b.ddmmyy());
    let c = rvnr_check(&first11);
    let s = format!("{first11}{c}");
    debug_assert!(rvnr_ok(&s));
    if chance(r, 0.5) {
        format!("{area} {} {letter} {serial:02}{c}", b.ddmmyy())
    } else {
        s
    }
}

pub fn gb_nino(r: &mut Rng8) -> String {
    let prefix = loop {
        let a = pick(r, b"ABCEGHJKLMNOPRSTWXYZ") as char;
        let b = pick(r, b"ABCEGHJKLMNPRSTWXYZ") as char;
        let p = format!("{a}{b}");
        if !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&p.as_str()) {
            break p;
        }
    };
    let n = digits(r, 6);
    let suffix = pick(r, &['A', 'B', 'C', 'D']);
    if chance(r, 0.5) {
        format!("{prefix} {} {} {} {suffix}", &n[..2], &n[2..4], &n[4..])
    } else {
        format!("{prefix}{n}{suffix}")
    }
}

pub fn us_ssn(r: &mut Rng8) -> String {
    let area = loop {
        let a = range(r, 1, 899);
        if a != 666 {
            break a;
        }
    };
    let group = range(r, 1, 99);
    let serial = range(r, 1, 9999);
    if chance(r, 0.85) {
        format!("{area:03}-{group:02}-{serial:04}")
    } else {
        format!("{area:03} {group:02} {serial:04}")
    }
}

pub fn es_dni(r: &mut Rng8) -> String {
    let n = range(r, 1_000_000, 99_999_999);
    let l = ES_LETTERS[(n % 23) as usize] as char;
    if chance(r, 0.2) {
        format!("{n:08}-{l}")
    } else {
        format!("{n:08}{l}")
    }
}

pub fn es_nie(r: &mut Rng8) -> String {
    let p = range(r, 0, 2);
    let n = range(r, 0, 9_999_999);
    let l = ES_LETTERS[((p * 10_000_000 + n) % 23) as usize] as char;
    let pl = ['X', 'Y', 'Z'][p as usize];
    if chance(r, 0.2) {
        format!("{pl}-{n:07}-{l}")
    } else {
        format!("{pl}{n:07}{l}")
    }
}

fn cf_part(name: &str, first_name: bool) -> String {
    let up: String = ascii_fold(name)
        .to_uppercase()
        .chars()
        .filter(char::is_ascii_uppercase)
        .collect();
    let cons: Vec<char> = up.chars().filter(|c| !"AEIOU".contains(*c)).collect();
    let vows: Vec<char> = up.chars().filter(|c| "AEIOU".contains(*c)).collect();
    if first_name && cons.len() >= 4 {
        return [cons[0], cons[2], cons[3]].iter().collect();
    }
    cons.iter()
        .chain(vows.iter())
        .chain(['X', 'X', 'X'].iter())
        .take(3)
        .collect()
}

pub fn it_codice_fiscale(r: &mut Rng8) -> String {
    let (first, last, female) = pick(r, locale::IT_PEOPLE);
    let b = birth_date(r);
    let month = b"ABCDEHLMPRST"[b.m as usize - 1] as char;
    let day = if female { b.d + 40 } else { b.d };
    let place = pick(
        r,
        &[
            "H501", "F205", "F839", "L219", "A662", "D612", "G273", "A944", "L736", "D969", "Z404",
            "Z112",
        ],
    );
    let first15 = format!(
        "{}{}{}{month}{day:02}{place}",
        cf_part(last, false),
        cf_part(first, true),
        b.yy()
    );
    format!("{first15}{}", cf_check(&first15))
}

pub fn se_personnummer(r: &mut Rng8) -> String {
    let b = birth_date(r);
    let day = if chance(r, 0.1) { b.d + 60 } else { b.d };
    let nine = format!("{:02}{:02}{day:02}{}", b.y % 100, b.m, digits(r, 3));
    let ten = luhn_complete(&nine);
    match range(r, 0, 4) {
        0 => format!("{}{}-{}", b.y / 100, &ten[..6], &ten[6..]),
        1 => format!("{}{ten}", b.y / 100),
        _ => format!("{}-{}", &ten[..6], &ten[6..]),
    }
}

pub fn be_national_number(r: &mut Rng8) -> String {
    let b = birth_date(r);
    let serial = range(r, 1, 997);
    let nine = format!("{}{serial:03}", b.yymmdd());
    let c = be_check(&nine, b.y >= 2000);
    let s = format!("{nine}{c:02}");
    debug_assert!(be_ok(&s));
    if chance(r, 0.6) {
        format!(
            "{}.{}.{}-{}.{}",
            &s[..2],
            &s[2..4],
            &s[4..6],
            &s[6..9],
            &s[9..]
        )
    } else {
        s
    }
}

pub fn pl_pesel(r: &mut Rng8) -> String {
    let b = birth_date(r);
    let mm = if b.y >= 2000 { b.m + 20 } else { b.m };
    let sex = if chance(r, 0.5) {
        pick(r, &[0, 2, 4, 6, 8])
    } else {
        pick(r, &[1, 3, 5, 7, 9])
    };
    let ten = format!("{:02}{mm:02}{:02}{}{sex}", b.y % 100, b.d, digits(r, 3));
    format!("{ten}{}", pesel_check(&ten))
}

// ---------------------------------------------------------------- secrets

pub fn aws_access_key(r: &mut Rng8) -> String {
    format!(
        "{}{}",
        pick(r, &["AKIA", "AKIA", "AKIA", "ASIA"]),
        chars(r, BASE32, 16)
    )
}

pub fn aws_secret_key(r: &mut Rng8) -> String {
    chars(r, B64, 40)
}

pub fn github_token(r: &mut Rng8) -> String {
    if chance(r, 0.7) {
        let prefix = pick(r, &["ghp_", "ghp_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"]);
        let body = chars(r, ALNUM, 30);
        let mut crc = crc32(body.as_bytes()) as u64;
        let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut enc = Vec::new();
        while crc > 0 {
            enc.push(alphabet[(crc % 62) as usize]);
            crc /= 62;
        }
        while enc.len() < 6 {
            enc.push(b'0');
        }
        enc.reverse();
        format!("{prefix}{body}{}", String::from_utf8(enc).unwrap())
    } else {
        format!(
            "github_pat_11{}_{}",
            chars(r, UPPER_DIGITS, 20),
            chars(r, ALNUM, 59)
        )
    }
}

pub fn slack_token(r: &mut Rng8) -> String {
    match range(r, 0, 3) {
        0 | 1 => format!(
            "xoxb-{}-{}-{}",
            {
                let n = range(r, 10, 13) as usize;
                digits(r, n)
            },
            {
                let n = range(r, 10, 13) as usize;
                digits(r, n)
            },
            chars(r, ALNUM, 24)
        ),
        2 => format!(
            "xoxp-{}-{}-{}-{}",
            digits(r, 11),
            digits(r, 12),
            digits(r, 13),
            chars(r, HEX, 32)
        ),
        _ => format!(
            "xapp-1-A{}-{}-{}",
            chars(r, UPPER_DIGITS, 10),
            digits(r, 13),
            chars(r, HEX, 64)
        ),
    }
}

/// The secret part of a Slack incoming-webhook URL: what follows
/// `https://hooks.slack.com/services/`.
pub fn slack_webhook(r: &mut Rng8) -> String {
    format!(
        "T{}/B{}/{}",
        {
            let n = range(r, 8, 10) as usize;
            chars(r, UPPER_DIGITS, n)
        },
        {
            let n = range(r, 8, 10) as usize;
            chars(r, UPPER_DIGITS, n)
        },
        chars(r, ALNUM, 24)
    )
}

pub fn stripe_key(r: &mut Rng8) -> String {
    if chance(r, 0.6) {
        format!("sk_live_51{}", chars(r, ALNUM, 97))
    } else {
        format!("sk_live_{}", chars(r, ALNUM, 24))
    }
}

pub fn stripe_publishable_key(r: &mut Rng8) -> String {
    if chance(r, 0.6) {
        format!("pk_live_51{}", chars(r, ALNUM, 97))
    } else {
        format!("pk_live_{}", chars(r, ALNUM, 24))
    }
}

pub fn google_api_key(r: &mut Rng8) -> String {
    format!("AIza{}", chars(r, B64URL, 35))
}

pub fn sendgrid_key(r: &mut Rng8) -> String {
    format!("SG.{}.{}", chars(r, B64URL, 22), chars(r, B64URL, 43))
}

pub fn jwt(r: &mut Rng8, p: &Person) -> String {
    let rs = chance(r, 0.4);
    let header = if rs {
        format!(
            r#"{{"alg":"RS256","typ":"JWT","kid":"{}"}}"#,
            chars(r, B64URL, 22)
        )
    } else {
        r#"{"alg":"HS256","typ":"JWT"}"#.to_string()
    };
    let iat = range(r, 1_700_000_000, 1_760_000_000);
    let payload = match range(r, 0, 2) {
        0 => format!(
            r#"{{"sub":"{}","iat":{iat},"exp":{}}}"#,
            range(r, 10_000, 9_999_999),
            iat + 3600
        ),
        1 => format!(
            r#"{{"sub":"{}","email":"{}","name":"{} {}","iat":{iat}}}"#,
            chars(r, HEX, 24),
            email(r, p),
            p.first,
            p.last
        ),
        _ => format!(
            r#"{{"iss":"https://auth.example.com/","aud":"api","scope":"read write","iat":{iat},"exp":{}}}"#,
            iat + 900
        ),
    };
    let sig = chars(r, B64URL, if rs { 342 } else { 43 });
    format!(
        "{}.{}.{sig}",
        base64(header.as_bytes(), B64URL, false),
        base64(payload.as_bytes(), B64URL, false)
    )
}

pub fn bearer_token(r: &mut Rng8) -> String {
    match range(r, 0, 3) {
        0 => format!("ya29.a0{}", {
            let n = range(r, 100, 160) as usize;
            chars(r, B64URL, n)
        }),
        1 => chars(r, HEX, 40),
        _ => {
            let n = range(r, 32, 64) as usize;
            chars(r, ALNUM, n)
        }
    }
}

pub fn basic_auth(r: &mut Rng8, p: &Person) -> String {
    let user = if chance(r, 0.5) {
        email(r, p)
    } else {
        pick(r, &["admin", "api", "deploy", "svc-sync", "jenkins"]).to_string()
    };
    let cred = format!("{user}:{}", password(r, PwdChars::Any));
    base64(cred.as_bytes(), B64, true)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PwdChars {
    /// No whitespace, quotes, `#`, `;`, `&` or `@`: safe in any key=value shape.
    Any,
    /// Unreserved URL characters only.
    Url,
}

pub fn password(r: &mut Rng8, kind: PwdChars) -> String {
    if chance(r, 0.45) {
        let word = pick(
            r,
            &[
                "Summer",
                "Winter",
                "Welkom",
                "Bonjour",
                "Sommer",
                "Kesa",
                "Sommar",
                "Monkey",
                "Dragon",
                "Football",
                "Letmein",
                "Voetbal",
                "Soleil",
                "Hamburg",
                "Aarhus",
                "Tampere",
                "Liverpool",
            ],
        );
        let sym = if kind == PwdChars::Url {
            pick(r, &["", "_", "-", "."])
        } else {
            pick(r, &["!", "?", "$", "*", "!!", "%", ""])
        };
        format!("{word}{}{sym}", range(r, 1, 2025))
    } else {
        // Starts with a letter or digit, as a value in any of YAML,
        // .properties, .env or a query string can.
        let first = chars(r, ALNUM, 1);
        let alpha = if kind == PwdChars::Url {
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
        } else {
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!$%*()-_=+[]{}:,.?/~^"
        };
        let n = range(r, 11, 27) as usize;
        format!("{first}{}", chars(r, alpha, n))
    }
}

pub fn generic_secret(r: &mut Rng8) -> String {
    match range(r, 0, 3) {
        0 => {
            let n = pick(r, &[32, 40, 64]);
            chars(r, HEX, n)
        }
        1 => format!(
            "{}~{}",
            chars(r, ALNUM, 4),
            chars(
                r,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-",
                34
            )
        ),
        _ => {
            let n = range(r, 32, 48) as usize;
            chars(r, ALNUM, n)
        }
    }
}

/// A PEM private key block, each line after the first prefixed by `indent`.
pub fn pem_private_key(r: &mut Rng8, indent: &str) -> String {
    let (label, head, len, width) = match range(r, 0, 5) {
        0 | 1 => ("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 1588, 64),
        2 => (
            "PRIVATE KEY",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ",
            1620,
            64,
        ),
        3 => ("EC PRIVATE KEY", "MHcCAQEEI", 160, 64),
        4 => (
            "OPENSSH PRIVATE KEY",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            399,
            70,
        ),
        _ => ("RSA PRIVATE KEY", "MIIJKAIBAAKCAgEA", 3180, 64),
    };
    let mut body = format!("{head}{}", chars(r, B64, len - head.len()));
    if len % 4 != 0 {
        body.push('=');
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(width) {
        out.push_str(indent);
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push('\n');
    }
    out.push_str(indent);
    out.push_str(&format!("-----END {label}-----"));
    out
}

// -------------------------------------------------------------- negatives

pub fn uuid(r: &mut Rng8) -> String {
    let h = chars(r, HEX, 32);
    let v = format!(
        "{}-{}-4{}-{}{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        pick(r, &['8', '9', 'a', 'b']),
        &h[17..20],
        &h[20..]
    );
    if chance(r, 0.1) { v.to_uppercase() } else { v }
}

pub fn order_number(r: &mut Rng8) -> String {
    match range(r, 0, 3) {
        0 => format!("ORD-{}-{:06}", range(r, 2021, 2025), range(r, 1, 999_999)),
        1 => format!("INV-{}{:05}", range(r, 2021, 2025), range(r, 1, 99_999)),
        2 => format!("PO-{}", range(r, 10_000, 99_999)),
        _ => format!("SO{}", range(r, 100_000, 999_999)),
    }
}

pub const MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub const DAYS_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A point in time in 2023–2025.
#[derive(Clone, Copy)]
pub struct Instant {
    pub date: Date,
    pub h: u32,
    pub min: u32,
    pub s: u32,
    pub ms: u32,
}

pub fn instant(r: &mut Rng8) -> Instant {
    Instant {
        date: date(r, 2023, 2025),
        h: range(r, 0, 23),
        min: range(r, 0, 59),
        s: range(r, 0, 59),
        ms: range(r, 0, 999),
    }
}

pub fn weekday(d: Date) -> usize {
    // Zeller-like: days since 1970-01-01 (a Thursday).
    let days = epoch_days(d);
    ((days + 3) % 7) as usize
}

fn epoch_days(d: Date) -> i64 {
    let (y, m) = if d.m <= 2 {
        (d.y as i64 - 1, d.m as i64 + 9)
    } else {
        (d.y as i64, d.m as i64 - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d.d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Instant {
    pub fn weekday(&self) -> usize {
        weekday(self.date)
    }
    pub fn epoch(&self) -> i64 {
        epoch_days(self.date) * 86_400 + (self.h * 3600 + self.min * 60 + self.s) as i64
    }
    pub fn iso_ms(&self) -> String {
        let Instant {
            date: Date { y, m, d },
            h,
            min,
            s,
            ms,
        } = *self;
        format!("{y}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
    }
    pub fn log(&self, sep: char) -> String {
        let Instant {
            date: Date { y, m, d },
            h,
            min,
            s,
            ms,
        } = *self;
        format!("{y}-{m:02}-{d:02} {h:02}:{min:02}:{s:02}{sep}{ms:03}")
    }
    pub fn nginx(&self) -> String {
        let Instant {
            date: Date { y, m, d },
            h,
            min,
            s,
            ..
        } = *self;
        format!(
            "{d:02}/{}/{y}:{h:02}:{min:02}:{s:02} +0000",
            MONTHS_SHORT[m as usize - 1]
        )
    }
    pub fn nginx_error(&self) -> String {
        let Instant {
            date: Date { y, m, d },
            h,
            min,
            s,
            ..
        } = *self;
        format!("{y}/{m:02}/{d:02} {h:02}:{min:02}:{s:02}")
    }
    pub fn syslog(&self) -> String {
        let Instant {
            date: Date { m, d, .. },
            h,
            min,
            s,
            ..
        } = *self;
        format!(
            "{} {d:>2} {h:02}:{min:02}:{s:02}",
            MONTHS_SHORT[m as usize - 1]
        )
    }
    pub fn hms(&self) -> String {
        format!("{:02}:{:02}:{:02}", self.h, self.min, self.s)
    }
}

/// A timestamp in one of the common log formats.
pub fn timestamp(r: &mut Rng8) -> String {
    let t = instant(r);
    let Instant {
        date: Date { y, m, d },
        h,
        min,
        s,
        ms,
    } = t;
    match range(r, 0, 13) {
        0 => t.iso_ms(),
        1 => format!(
            "{y}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}{}",
            pick(r, &["+01:00", "+02:00", "-05:00", "+00:00"])
        ),
        2 => format!(
            "{}, {d:02} {} {y} {h:02}:{min:02}:{s:02} +0000",
            DAYS_SHORT[weekday(t.date)],
            MONTHS_SHORT[m as usize - 1]
        ),
        3 => format!("[{}]", t.nginx()),
        4 => t.syslog(),
        5 => t.epoch().to_string(),
        6 => format!("{}{ms:03}", t.epoch()),
        7 => t.nginx_error(),
        8 => format!(
            "{y}-{m:02}-{d:02} {h:02}:{min:02}:{s:02}.{ms:03}{} +0000 UTC",
            digits(r, 6)
        ),
        9 => format!(
            "{} {} {d:02} {h:02}:{min:02}:{s:02} UTC {y}",
            DAYS_SHORT[weekday(t.date)],
            MONTHS_SHORT[m as usize - 1]
        ),
        10 => t.log(','),
        11 => format!(
            "{y}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}{}",
            digits(r, 3)
        ),
        12 => format!("{y}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z"),
        _ => format!("{h:02}:{min:02}:{s:02}.{ms:03}"),
    }
}

pub fn version(r: &mut Rng8) -> String {
    match range(r, 0, 5) {
        0 => format!(
            "{}.{}.{}",
            range(r, 0, 12),
            range(r, 0, 40),
            range(r, 0, 30)
        ),
        1 => format!(
            "v{}.{}.{}-rc.{}",
            range(r, 1, 5),
            range(r, 0, 30),
            range(r, 0, 9),
            range(r, 1, 4)
        ),
        2 => format!("10.0.{}.{}", range(r, 17763, 26100), range(r, 100, 5000)),
        3 => format!(
            "v{}.{}.{}",
            range(r, 0, 3),
            range(r, 0, 30),
            range(r, 0, 20)
        ),
        4 => format!(
            "{}.{}.{}-SNAPSHOT",
            range(r, 1, 6),
            range(r, 0, 20),
            range(r, 0, 9)
        ),
        _ => format!(
            "{}.{}.{}+build.{}",
            range(r, 1, 4),
            range(r, 0, 15),
            range(r, 0, 9),
            range(r, 100, 9999)
        ),
    }
}

pub fn git_hash(r: &mut Rng8) -> String {
    let n = if chance(r, 0.5) { 7 } else { 40 };
    chars(r, HEX, n)
}

pub fn sha256(r: &mut Rng8) -> String {
    chars(r, HEX, 64)
}

pub fn trace_id(r: &mut Rng8) -> String {
    match range(r, 0, 3) {
        0 => chars(r, HEX, 32),
        1 => chars(r, HEX, 16),
        2 => format!("req_{}", chars(r, ALNUM, 14)),
        _ => format!(
            "1-{:08x}-{}",
            range(r, 0x6500_0000, 0x6900_0000),
            chars(r, HEX, 24)
        ),
    }
}

pub fn port(r: &mut Rng8) -> String {
    pick(
        r,
        &[
            "8080", "8443", "5432", "3306", "6379", "9200", "5672", "27017", "3000", "8000",
            "9090", "11211", "1433", "443",
        ],
    )
    .to_string()
}

pub fn http_status(r: &mut Rng8) -> String {
    pick(
        r,
        &[
            "200", "201", "204", "301", "302", "304", "400", "401", "403", "404", "409", "422",
            "429", "500", "502", "503", "504",
        ],
    )
    .to_string()
}

pub fn numeric_id(r: &mut Rng8) -> String {
    let len = range(r, 5, 12) as usize;
    format!("{}{}", range(r, 1, 9), digits(r, len - 1))
}

pub fn duration(r: &mut Rng8) -> String {
    match range(r, 0, 4) {
        0 => format!("{}ms", range(r, 1, 30_000)),
        1 => format!("{}.{:03}s", range(r, 0, 59), range(r, 0, 999)),
        2 => format!("{}m{}s", range(r, 1, 59), range(r, 0, 59)),
        3 => format!("0.{:03}", range(r, 1, 999)),
        _ => format!("{}µs", range(r, 1, 999)),
    }
}

pub fn byte_count(r: &mut Rng8) -> String {
    match range(r, 0, 3) {
        0 => range(r, 0, 99_999).to_string(),
        1 => format!("{} bytes", range(r, 1, 9_999_999)),
        2 => format!("{}.{} MiB", range(r, 1, 999), range(r, 0, 9)),
        _ => format!("{}K", range(r, 1, 99_999)),
    }
}

/// A digit string that fails the checksum named by the kind: a valid number
/// with one digit changed, checked to fail.
pub fn checksum_fail(r: &mut Rng8, kind: &str) -> String {
    loop {
        let valid: String = match kind {
            "fail_luhn" => card(r).chars().filter(char::is_ascii_digit).collect(),
            "fail_bsn" => nl_bsn(r).replace('.', ""),
            "fail_pesel" => pl_pesel(r),
            "fail_steuer_id" => de_steuer_id(r).replace(' ', ""),
            "fail_nir" => fr_nir(r)
                .replace(' ', "")
                .replace("2A", "19")
                .replace("2B", "18"),
            _ => be_national_number(r).replace(['.', '-'], ""),
        };
        let mut b = valid.into_bytes();
        let i = r.random_range(0..b.len());
        let old = b[i];
        let new = loop {
            let c = b'0' + range(r, 0, 9) as u8;
            if c != old {
                break c;
            }
        };
        b[i] = new;
        let s = String::from_utf8(b).unwrap();
        let still_valid = match kind {
            "fail_luhn" => luhn_ok(&s),
            "fail_bsn" => bsn_ok(&s),
            "fail_pesel" => pesel_ok(&s),
            "fail_steuer_id" => steuer_id_ok(&s),
            "fail_nir" => nir_ok(&s),
            _ => be_ok(&s),
        };
        if !still_valid && !s.starts_with('0') {
            return s;
        }
    }
}
