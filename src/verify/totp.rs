//! RFC 6238 checks through totp-rs, with veilgate's settings, and the
//! normalisation of what a customer types.

use totp_rs::{Algorithm, Builder, Totp};

use crate::config::{TotpAlgorithm, TotpSettings};

/// Secrets veilgate generates: 160 bits, as RFC 4226 recommends.
pub const SECRET_LEN: usize = 20;

/// Builds the TOTP for a secret. `label` is what the authenticator app shows
/// beside the issuer.
///
/// # Errors
/// When the secret is shorter than 128 bits (an imported one) or the
/// settings are out of range.
pub fn totp(
    settings: &TotpSettings,
    issuer: &str,
    label: &str,
    secret: &[u8],
) -> Result<Totp, String> {
    Builder::new()
        .with_algorithm(match settings.algorithm {
            TotpAlgorithm::Sha1 => Algorithm::SHA1,
            TotpAlgorithm::Sha256 => Algorithm::SHA256,
            TotpAlgorithm::Sha512 => Algorithm::SHA512,
        })
        .with_digits(settings.digits)
        .with_skew(u16::from(settings.skew))
        .with_step_duration(settings.step.as_secs())
        .with_secret(secret.to_vec())
        .with_account_name(label.replace(':', " "))
        .with_issuer(Some(issuer))
        .build()
        .map_err(|e| e.to_string())
}

/// The code as the app shows it, from what the customer typed: spaces and
/// dashes (any Unicode space or dash) are dropped; anything else that is not
/// an ASCII digit makes it no code at all.
pub fn normalise_code(typed: &str, digits: u8) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && !is_dash(*c))
        .collect();
    (code.len() == usize::from(digits) && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_lose_spaces_and_dashes_only() {
        assert_eq!(normalise_code(" 123 456 ", 6).as_deref(), Some("123456"));
        assert_eq!(normalise_code("123-456", 6).as_deref(), Some("123456"));
        assert_eq!(
            normalise_code("123\u{2013}456", 6).as_deref(),
            Some("123456")
        );
        assert_eq!(normalise_code("123\u{a0}456", 6).as_deref(), Some("123456"));
        assert_eq!(normalise_code("12345", 6), None);
        assert_eq!(normalise_code("1234567", 6), None);
        assert_eq!(normalise_code("12345a", 6), None);
        assert_eq!(normalise_code("١٢٣٤٥٦", 6), None);
        assert_eq!(normalise_code("", 6), None);
    }

    #[test]
    fn rfc_6238_sha1_vector() {
        // RFC 6238 appendix B: the ASCII secret "12345678901234567890",
        // time 59 gives 94287082 with 8 digits.
        let settings = TotpSettings {
            digits: 8,
            ..TotpSettings::default()
        };
        let totp = totp(&settings, "veilgate", "test", b"12345678901234567890").unwrap();
        assert_eq!(totp.generate(59).to_string(), "94287082");
        assert_eq!(totp.check("94287082", 59), Some(1));
        assert!(super::totp(&settings, "veilgate", "t", b"too short").is_err());
    }
}
