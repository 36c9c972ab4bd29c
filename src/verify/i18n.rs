//! The languages customers are spoken to in, and what is said in each
//! (`messages.toml`, data not code): the page, the enrollment page and the
//! prompt an agent pastes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::LANGUAGES;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Nl,
    Fr,
    De,
    Da,
    Fi,
}

impl Language {
    pub const ALL: [Language; 6] = [
        Language::En,
        Language::Nl,
        Language::Fr,
        Language::De,
        Language::Da,
        Language::Fi,
    ];

    pub fn code(self) -> &'static str {
        LANGUAGES[self as usize]
    }

    /// `nl`, `nl-BE`, `NL`: the primary subtag decides.
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best language of an `Accept-Language` header (RFC 9110 §12.5.4):
    /// the highest weight wins, the first of equal weights.
    pub fn negotiate(accept_language: &str) -> Option<Language> {
        let mut best: Option<(Language, u16)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let Some(language) = parts.next().and_then(Language::parse) else {
                continue;
            };
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), parse_weight);
            let Some(weight) = weight.filter(|w| *w > 0) else {
                continue;
            };
            if best.is_none_or(|(_, w)| weight > w) {
                best = Some((language, weight));
            }
        }
        best.map(|(language, _)| language)
    }
}

/// `0.8` → 800; anything malformed → `None`.
fn parse_weight(q: &str) -> Option<u16> {
    let value: f32 = q.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

/// Every text, by language and key.
pub struct Messages {
    by_language: BTreeMap<Language, BTreeMap<String, String>>,
}

impl Messages {
    /// The texts compiled into the binary.
    pub fn bundled() -> Messages {
        let by_language: BTreeMap<Language, BTreeMap<String, String>> =
            toml::from_str(include_str!("messages.toml")).expect("messages.toml is valid");
        Messages { by_language }
    }

    /// A text with `{name}` placeholders filled in; the English text when
    /// a translation lacks the key.
    pub fn get(&self, language: Language, key: &str, fill: &[(&str, &str)]) -> String {
        let text = self
            .by_language
            .get(&language)
            .and_then(|m| m.get(key))
            .or_else(|| self.by_language.get(&Language::En).and_then(|m| m.get(key)))
            .map_or(key, String::as_str);
        fill.iter().fold(text.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
    }

    pub fn prompt(&self, language: Language, link: &str, minutes: u64) -> String {
        self.get(
            language,
            "prompt",
            &[("link", link), ("minutes", &minutes.to_string())],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_text() {
        let messages = Messages::bundled();
        let english: Vec<&String> = messages.by_language[&Language::En].keys().collect();
        for language in Language::ALL {
            let keys: Vec<&String> = messages.by_language[&language].keys().collect();
            assert_eq!(keys, english, "{}", language.code());
        }
    }

    #[test]
    fn accept_language_picks_the_heaviest_known_language() {
        assert_eq!(
            Language::negotiate("sv-SE, fi;q=0.8, en;q=0.5"),
            Some(Language::Fi)
        );
        assert_eq!(
            Language::negotiate("de-CH;q=0.4, nl-BE"),
            Some(Language::Nl)
        );
        assert_eq!(Language::negotiate("da;q=0, fr;q=0.1"), Some(Language::Fr));
        assert_eq!(Language::negotiate("sv, *"), None);
        assert_eq!(Language::negotiate("en;q=abc"), None);
        assert_eq!(Language::parse("FR_ca"), Some(Language::Fr));
    }
}
