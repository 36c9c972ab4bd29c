//! libphonenumber's validity test for a parsed number, over numbering plans
//! compiled once per region.
//!
//! `phonenumber::is_valid_with` looks every pattern up in the crate's shared
//! regex cache on every use (a mutex and a hash of the pattern text, often
//! a kilobyte long) and tries the number types one pattern at a time: about
//! 85 µs per number, most of the validator's cost on logs full of distinct
//! numbers. Here each region's number-type patterns form one automaton,
//! asked once which of them match. The decision is the crate's, rule for
//! rule (`number_type` and `source_for` in its `validator` module); a test
//! compares the two on thousands of numbers.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use phonenumber::metadata::{Database, Metadata};
use phonenumber::{PhoneNumber, Type};
use regex_automata::meta::Regex;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};

/// The number types that make a number valid, besides the general pattern
/// every valid number matches. Their order does not matter here: only
/// whether one of them matches.
const VALID_TYPES: [Type; 10] = [
    Type::PremiumRate,
    Type::TollFree,
    Type::SharedCost,
    Type::Voip,
    Type::PersonalNumber,
    Type::Pager,
    Type::Uan,
    Type::Voicemail,
    Type::FixedLine,
    Type::Mobile,
];

/// One region's plan: its general pattern first, then every number type it
/// has, in one automaton.
struct RegionPlan {
    /// Reports every pattern with a match that starts at the number's start,
    /// as the crate's `Descriptor::is_match` asks (it does not require the
    /// match to reach the end).
    patterns: Regex,
    /// The possible lengths of each pattern (empty: any length).
    lengths: Vec<Vec<u16>>,
    /// Which region a number of a shared country code belongs to, when its
    /// leading digits say so (`+1` for the US and Canada).
    leading_digits: Option<Regex>,
}

impl RegionPlan {
    /// None when a pattern does not compile here (the `regex` crate that
    /// phonenumber uses accepts it): the crate then decides for the region.
    fn compile(meta: &Metadata) -> Option<RegionPlan> {
        let descriptors = meta.descriptors();
        let mut sources = vec![descriptors.general().national_number().as_str()];
        let mut lengths = vec![descriptors.general().possible_length().to_vec()];
        for descriptor in VALID_TYPES.iter().filter_map(|&t| descriptors.get(t)) {
            sources.push(descriptor.national_number().as_str());
            lengths.push(descriptor.possible_length().to_vec());
        }
        let patterns = Regex::builder()
            .syntax(metadata_syntax())
            .configure(anchored_config().match_kind(MatchKind::All))
            .build_many(&sources)
            .ok()?;
        let leading_digits = match meta.leading_digits() {
            Some(re) => Some(
                Regex::builder()
                    .syntax(metadata_syntax())
                    .configure(anchored_config())
                    .build(re.as_str())
                    .ok()?,
            ),
            None => None,
        };
        Some(RegionPlan {
            patterns,
            lengths,
            leading_digits,
        })
    }

    /// The crate's `number_type(meta, national) != Type::Unknown`: the
    /// general pattern and one number type match, each at a possible length.
    fn is_valid(&self, national: &str) -> bool {
        let patterns = &self.patterns;
        let length = u16::try_from(national.len()).unwrap_or(u16::MAX);
        let fits = |p: usize| self.lengths[p].is_empty() || self.lengths[p].contains(&length);
        let mut set = PatternSet::new(patterns.pattern_len());
        patterns.which_overlapping_matches(&Input::new(national).anchored(Anchored::Yes), &mut set);
        set.contains(0.into())
            && fits(0)
            && set.iter().any(|p| p.as_usize() > 0 && fits(p.as_usize()))
    }

    /// Whether the region's leading digits begin `national`.
    fn leads(&self, national: &str) -> Option<bool> {
        let re = self.leading_digits.as_ref()?;
        Some(re.is_match(Input::new(national).anchored(Anchored::Yes)))
    }
}

/// How the crate compiles the metadata's patterns (they are written with
/// insignificant white space), but with ASCII classes: the numbers checked
/// are ASCII digits, on which `\d` means the same, and the automata
/// compile five times faster without Unicode's digit ranges.
fn metadata_syntax() -> syntax::Config {
    syntax::Config::new().ignore_whitespace(true).unicode(false)
}

/// Every search here is anchored at the number's start, where a prefilter
/// (an Aho-Corasick automaton of the patterns' literal prefixes, a MB over
/// the regions of a large log) never runs.
fn anchored_config() -> regex_automata::meta::Config {
    Regex::config().auto_prefilter(false)
}

/// A region by id and country code: the id of every non-geographic code
/// (`+800`, `+882`) is `001`.
type RegionKey = (&'static str, u16);

/// A region's plan, or its failure to compile.
type CompiledPlan = Option<Arc<RegionPlan>>;

/// Plans compiled so far.
static PLANS: LazyLock<Mutex<HashMap<RegionKey, CompiledPlan>>> = LazyLock::new(Default::default);

fn plan(meta: &'static Metadata) -> CompiledPlan {
    let mut plans = PLANS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    plans
        .entry((meta.id(), meta.country_code()))
        .or_insert_with(|| RegionPlan::compile(meta).map(Arc::new))
        .clone()
}

/// The crate's `is_valid_with(database, number)`, which also decides when
/// a plan this needs does not compile.
pub fn is_valid(database: &'static Database, number: &PhoneNumber) -> bool {
    let national = number.national().to_string();
    decide(database, number.code().value(), &national)
        .unwrap_or_else(|| phonenumber::is_valid_with(database, number))
}

/// Whether `national` is valid under country code `code`; None when a plan
/// it needs does not compile.
fn decide(database: &'static Database, code: u16, national: &str) -> Option<bool> {
    let Some(regions) = database.region(&code) else {
        return Some(false);
    };
    if let [only] = regions[..] {
        let meta = if only == "001" {
            database
                .by_code(&code)
                .and_then(|metas| metas.into_iter().next())
        } else {
            database.by_id(only)
        };
        return match meta {
            Some(meta) => Some(plan(meta)?.is_valid(national)),
            None => Some(false),
        };
    }
    match shared_region(database, &regions, national)? {
        Some((_, plan)) => Some(plan.is_valid(national)),
        None => Some(false),
    }
}

/// The region a number under a shared country code (`+1`, `+44`, `+7`)
/// belongs to, as the crate's `source_for` finds it: the first whose
/// leading digits begin it, or, among regions without leading digits, the
/// first whose plan it fits. `Some(None)` when none does; None when a plan
/// it needs does not compile.
fn shared_region(
    database: &'static Database,
    regions: &[&str],
    national: &str,
) -> Option<Option<(&'static Metadata, Arc<RegionPlan>)>> {
    for meta in regions.iter().filter_map(|r| database.by_id(*r)) {
        let plan = plan(meta)?;
        let belongs = match plan.leads(national) {
            Some(leads) => leads,
            None => plan.is_valid(national),
        };
        if belongs {
            return Some(Some((meta, plan)));
        }
    }
    Some(None)
}

/// The region to parse `+digits` in when its country code is shared by
/// several regions, found with the compiled plans. The crate finds it
/// itself by trying each region's patterns through its shared regex cache,
/// whose lazy DFAs grow with every new number (6 MB over a 1 GB log); given
/// the region, it parses the number the same way. None when the code is not
/// shared, or no region or no compiled plan decides: the crate then looks.
pub fn region_of_international(database: &'static Database, digits: &str) -> Option<&'static str> {
    // Country codes are prefix-free and none starts with 0: the first one
    // that exists is the one, as the crate reads it.
    if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (code, rest) = (1..=3.min(digits.len())).find_map(|len| {
        let code: u16 = digits[..len].parse().ok()?;
        database.by_code(&code).map(|_| (code, &digits[len..]))
    })?;
    let regions = database.region(&code)?;
    if regions.len() < 2 {
        return None;
    }
    let (meta, _) = shared_region(database, &regions, rest.trim_start_matches('0'))??;
    Some(meta.id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::country::Id;

    /// Seeded numbers, half of them the regions' example numbers with their
    /// last digits changed (mostly valid), half random digits (mostly not),
    /// in the regions the phone rules try and under a spread of country
    /// codes: the compiled plans must decide every one as the crate does.
    #[test]
    fn agrees_with_the_crate_on_thousands_of_numbers() {
        let database = &*phonenumber::metadata::DATABASE;
        let mut random = crate::redact::validate::common::Seeded(0x5eed_1234_abcd_0001);
        let regions = [
            Id::US,
            Id::GB,
            Id::NL,
            Id::FR,
            Id::DE,
            Id::DK,
            Id::FI,
            Id::CA,
            Id::IT,
            Id::BR,
        ];
        let codes = [
            "1", "44", "31", "33", "49", "45", "358", "39", "7", "800", "882", "979",
        ];
        let (mut valid, mut checked) = (0, 0);
        for i in 0..6000 {
            let region = regions[random.below(regions.len() as u64) as usize];
            let parsed = if i % 3 == 0 {
                let meta = database.by_id(region.as_ref()).expect("region");
                let examples: Vec<&str> = VALID_TYPES
                    .iter()
                    .filter_map(|&t| meta.descriptors().get(t)?.example())
                    .collect();
                let example = examples[random.below(examples.len() as u64) as usize];
                let digits = random.retailed(example, 4);
                phonenumber::parse_with(database, Some(region), &digits)
            } else {
                let len = 6 + random.below(10) as usize;
                let digits = random.digits(len);
                if i % 3 == 1 {
                    phonenumber::parse_with(database, Some(region), &digits)
                } else {
                    let code = codes[random.below(codes.len() as u64) as usize];
                    phonenumber::parse_with(database, None, format!("+{code}{digits}"))
                }
            };
            let Ok(parsed) = parsed else { continue };
            let expected = phonenumber::is_valid_with(database, &parsed);
            assert_eq!(is_valid(database, &parsed), expected, "{parsed:?}");
            checked += 1;
            valid += usize::from(expected);
        }
        // Both answers must be well represented for the comparison to mean
        // anything.
        assert!(
            checked > 4000 && valid > 500 && checked - valid > 500,
            "{valid}/{checked}"
        );
    }
}
