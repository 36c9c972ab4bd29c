//! Checksum and structure validators that confirm what a rule's regex found.
//!
//! Each validator lives in its own module as a pure `is_valid(candidate: &str)
//! -> bool`, cites the published definition it implements and carries a table
//! of valid and invalid numbers. Candidates are the raw matched text: each
//! validator strips the separators people type in that kind of number, then
//! checks strictly. No validator panics, whatever the input.

mod common;

pub mod be_national_number;
pub mod de_rvnr;
pub mod de_steuer_id;
pub mod dk_cpr;
pub mod email;
pub mod entropy;
pub mod es_dni_nie;
pub mod fi_hetu;
pub mod fr_nir;
pub mod gb_nino;
pub mod iban;
pub mod ipv4;
pub mod ipv6;
pub mod it_codice_fiscale;
pub mod luhn;
pub mod mac;
pub mod nl_bsn;
mod numbering;
pub mod person_name;
pub mod phone;
pub mod pl_pesel;
pub mod se_personnummer;
pub mod us_ssn;

/// A validator named by a rule's `validator = "..."` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    Luhn,
    Iban,
    NlBsn,
    FiHetu,
    FrNir,
    DkCpr,
    DeSteuerId,
    DeRvnr,
    GbNino,
    UsSsn,
    EsDniNie,
    ItCodiceFiscale,
    SePersonnummer,
    BeNationalNumber,
    PlPesel,
    Phone,
    Ipv4,
    Ipv6,
    Mac,
    Entropy,
    PersonName,
    Email,
}

impl Validator {
    /// The names used in pattern packs, e.g. "luhn", "iban", "nl_bsn", "fi_hetu", "fr_nir", "dk_cpr", "de_steuer_id", "de_rvnr", "gb_nino", "us_ssn", "es_dni_nie", "it_codice_fiscale", "se_personnummer", "be_national_number", "pl_pesel", "phone", "ipv4", "ipv6", "mac", "entropy", "person_name", "email".
    pub const ALL: &[(&'static str, Validator)] = &[
        ("luhn", Validator::Luhn),
        ("iban", Validator::Iban),
        ("nl_bsn", Validator::NlBsn),
        ("fi_hetu", Validator::FiHetu),
        ("fr_nir", Validator::FrNir),
        ("dk_cpr", Validator::DkCpr),
        ("de_steuer_id", Validator::DeSteuerId),
        ("de_rvnr", Validator::DeRvnr),
        ("gb_nino", Validator::GbNino),
        ("us_ssn", Validator::UsSsn),
        ("es_dni_nie", Validator::EsDniNie),
        ("it_codice_fiscale", Validator::ItCodiceFiscale),
        ("se_personnummer", Validator::SePersonnummer),
        ("be_national_number", Validator::BeNationalNumber),
        ("pl_pesel", Validator::PlPesel),
        ("phone", Validator::Phone),
        ("ipv4", Validator::Ipv4),
        ("ipv6", Validator::Ipv6),
        ("mac", Validator::Mac),
        ("entropy", Validator::Entropy),
        ("person_name", Validator::PersonName),
        ("email", Validator::Email),
    ];

    /// The validator a pattern pack names, or `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<Validator> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, validator)| validator)
    }

    /// The name pattern packs use for this validator.
    pub fn name(self) -> &'static str {
        match self {
            Validator::Luhn => "luhn",
            Validator::Iban => "iban",
            Validator::NlBsn => "nl_bsn",
            Validator::FiHetu => "fi_hetu",
            Validator::FrNir => "fr_nir",
            Validator::DkCpr => "dk_cpr",
            Validator::DeSteuerId => "de_steuer_id",
            Validator::DeRvnr => "de_rvnr",
            Validator::GbNino => "gb_nino",
            Validator::UsSsn => "us_ssn",
            Validator::EsDniNie => "es_dni_nie",
            Validator::ItCodiceFiscale => "it_codice_fiscale",
            Validator::SePersonnummer => "se_personnummer",
            Validator::BeNationalNumber => "be_national_number",
            Validator::PlPesel => "pl_pesel",
            Validator::Phone => "phone",
            Validator::Ipv4 => "ipv4",
            Validator::Ipv6 => "ipv6",
            Validator::Mac => "mac",
            Validator::Entropy => "entropy",
            Validator::PersonName => "person_name",
            Validator::Email => "email",
        }
    }

    /// True when `candidate` (the text the regex matched, possibly with separators) passes.
    pub fn is_valid(self, candidate: &str) -> bool {
        match self {
            Validator::Luhn => luhn::is_valid(candidate),
            Validator::Iban => iban::is_valid(candidate),
            Validator::NlBsn => nl_bsn::is_valid(candidate),
            Validator::FiHetu => fi_hetu::is_valid(candidate),
            Validator::FrNir => fr_nir::is_valid(candidate),
            Validator::DkCpr => dk_cpr::is_valid(candidate),
            Validator::DeSteuerId => de_steuer_id::is_valid(candidate),
            Validator::DeRvnr => de_rvnr::is_valid(candidate),
            Validator::GbNino => gb_nino::is_valid(candidate),
            Validator::UsSsn => us_ssn::is_valid(candidate),
            Validator::EsDniNie => es_dni_nie::is_valid(candidate),
            Validator::ItCodiceFiscale => it_codice_fiscale::is_valid(candidate),
            Validator::SePersonnummer => se_personnummer::is_valid(candidate),
            Validator::BeNationalNumber => be_national_number::is_valid(candidate),
            Validator::PlPesel => pl_pesel::is_valid(candidate),
            Validator::Phone => phone::is_valid(candidate),
            Validator::Ipv4 => ipv4::is_valid(candidate),
            Validator::Ipv6 => ipv6::is_valid(candidate),
            Validator::Mac => mac::is_valid(candidate),
            Validator::Entropy => entropy::is_valid(candidate),
            Validator::PersonName => person_name::is_valid(candidate),
            Validator::Email => email::is_valid(candidate),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(Validator::ALL.len(), 22);
        for &(name, validator) in Validator::ALL {
            assert_eq!(validator.name(), name);
            assert_eq!(Validator::from_name(name), Some(validator));
        }
        assert_eq!(Validator::from_name("LUHN"), None);
        assert_eq!(Validator::from_name(""), None);
        assert_eq!(Validator::from_name("credit_card"), None);
    }

    #[test]
    fn dispatch_reaches_each_validator() {
        let examples = [
            (Validator::Luhn, "4242 4242 4242 4242"),
            (Validator::Iban, "NL91 ABNA 0417 1643 00"),
            (Validator::NlBsn, "123.456.782"),
            (Validator::FiHetu, "131052-308T"),
            (Validator::FrNir, "1 84 12 76 451 089 46"),
            (Validator::DkCpr, "070761-4285"),
            (Validator::DeSteuerId, "86095742719"),
            (Validator::DeRvnr, "65 170839 J 00 3"),
            (Validator::GbNino, "AB 12 34 56 C"),
            (Validator::UsSsn, "123-45-6789"),
            (Validator::EsDniNie, "12345678Z"),
            (Validator::ItCodiceFiscale, "RSSMRA85T10A562S"),
            (Validator::SePersonnummer, "811228-9874"),
            (Validator::BeNationalNumber, "85.07.30-033.28"),
            (Validator::PlPesel, "44051401359"),
            (Validator::Phone, "+44 20 7946 0958"),
            (Validator::Ipv4, "192.0.2.1"),
            (Validator::Ipv6, "2001:db8::1"),
            (Validator::Mac, "00:1A:2B:3C:4D:5E"),
            (Validator::Entropy, "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            (Validator::PersonName, "Jan van der Berg"),
            (Validator::Email, "jane@example.com"),
        ];
        assert_eq!(examples.len(), Validator::ALL.len());
        for (validator, candidate) in examples {
            assert!(
                validator.is_valid(candidate),
                "{} rejected {candidate:?}",
                validator.name()
            );
            assert!(
                !validator.is_valid(""),
                "{} accepted the empty string",
                validator.name()
            );
        }
    }

    #[test]
    fn odd_input_never_panics_and_never_passes() {
        let long_digits = "1".repeat(10_000);
        let long_secret = "aB3dE6gH9jK2".repeat(1_000) + "é";
        let odd = [
            "",
            " ",
            "é",
            "٣٣٣",
            "٣٣٣٣٣٣٣٣٣٣٣",
            "１２３４５６７８９",
            "\0",
            "\u{FEFF}",
            "🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀",
            "-",
            "+",
            "%",
            ":",
            ".",
            "00",
            "0000000000000000",
            long_digits.as_str(),
        ];
        // Valid numbers with the last character made non-ASCII; the generic
        // entropy check is meant to accept such mixed text.
        let corrupted = [
            "4242 4242 4242 424é",
            "NL91 ABNA 0417 1643 0é",
            "131052-308é",
            "RSSMRA85T10A562é",
            "+44 20 7946 095é",
            "2001:db8::é",
        ];
        for &(name, validator) in Validator::ALL {
            for candidate in odd {
                assert!(
                    !validator.is_valid(candidate),
                    "{name} accepted {:?}",
                    candidate.chars().take(40).collect::<String>()
                );
            }
            if validator != Validator::Entropy {
                for candidate in corrupted {
                    assert!(
                        !validator.is_valid(candidate),
                        "{name} accepted {candidate:?}"
                    );
                }
            }
            // Inputs that once crashed phone-number parsers: only check they return.
            for candidate in [
                "+;phone-context=",
                "tel:+1;phone-context=é",
                "+\u{1F4A9};phone-context=\u{1F4A9}",
            ] {
                let _ = validator.is_valid(candidate);
            }
            // Long high-entropy text is a secret by design, and nothing else.
            let expected = validator == Validator::Entropy;
            assert_eq!(validator.is_valid(&long_secret), expected, "{name}");
        }
    }
}
