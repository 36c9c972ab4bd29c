//! How the keyword automaton spells a keyword. The automaton folds ASCII
//! letters only, while a rule's regex also matches what `(?i)` folds a
//! letter with (the Kelvin sign for `k`, the long s for `s`, `Ü` for `ü`)
//! and, nearly always, a tab or a no-break space where the keyword has a
//! space (`[ \t\x{A0}]`): each keyword enters the automaton in all those
//! spellings, so that such text wakes the rule too.

/// The Kelvin sign, which `(?i)` folds with `k`.
pub const KELVIN_SIGN: char = '\u{212A}';

/// The long s, which `(?i)` folds with `s`.
pub const LONG_S: char = '\u{17F}';

/// What a character of a keyword also stands for.
fn alternatives(c: char) -> &'static [char] {
    match c {
        ' ' => &['\t', '\u{A0}'],
        'k' | 'K' => &[KELVIN_SIGN],
        's' | 'S' => &[LONG_S],
        _ => &[],
    }
}

/// At most this many characters of a keyword get their other spellings
/// (at most 3^4 spellings), so the keyword automaton stays small.
const MAX_RESPELT: usize = 4;

/// `keyword` and its other spellings: with a tab or a no-break space for
/// each space, the Kelvin sign for `k`, the long s for `s` (up to
/// [`MAX_RESPELT`] characters), and each of those with its non-ASCII
/// letters in capitals (`grÜ` for `grü`).
pub fn spellings(keyword: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut respelt = 0;
    for c in keyword.chars() {
        let others = if respelt < MAX_RESPELT {
            alternatives(c)
        } else {
            &[]
        };
        respelt += usize::from(!others.is_empty());
        out = out
            .iter()
            .flat_map(|prefix| {
                std::iter::once(c)
                    .chain(others.iter().copied())
                    .map(move |c| format!("{prefix}{c}"))
            })
            .collect();
    }
    // Words in capitals are capitals throughout: one more spelling each.
    let capitals: Vec<String> = out
        .iter()
        .map(|spelling| {
            spelling
                .chars()
                .map(|c| match single_upper(c) {
                    // `ſ` is an `S`, which the ASCII folding covers.
                    Some(upper) if !c.is_ascii() && !upper.is_ascii() => upper,
                    _ => c,
                })
                .collect()
        })
        .filter(|capitalised| !out.contains(capitalised))
        .collect();
    out.extend(capitals);
    out
}

/// The upper case of `c` when it is one character.
fn single_upper(c: char) -> Option<char> {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => Some(u),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyword_is_spelt_as_its_rule_folds_it() {
        assert_eq!(spellings("sk").len(), 4);
        assert_eq!(spellings("passphrase").len(), 8);
        // Bounded: only the first four such characters.
        assert_eq!(spellings("sskkss").len(), 16);
        assert_eq!(
            spellings("ask"),
            vec!["ask", "as\u{212A}", "a\u{17F}k", "a\u{17F}\u{212A}"]
        );
        // A space stands for a tab and a no-break space too.
        assert_eq!(spellings("hi "), vec!["hi ", "hi\t", "hi\u{A0}"]);
        assert_eq!(spellings("t. a. v").len(), 9);
        // Non-ASCII letters in capitals: one more spelling each (ß has no
        // one-letter capital and stays).
        assert_eq!(spellings("grü"), vec!["grü", "grÜ"]);
        assert_eq!(spellings("grüße"), vec!["grüße", "grÜße"]);
    }
}
