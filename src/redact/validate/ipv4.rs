//! IPv4 addresses in dotted-decimal notation as defined for URIs by RFC 3986 § 3.2.2 (four decimal octets 0–255, no leading zeros), parsed with `std::net::Ipv4Addr`.

use std::net::Ipv4Addr;

/// True for a dotted-quad address such as "192.0.2.1".
///
/// Only syntax is checked: whether 0.0.0.0 or private ranges are personal data
/// is a matter for the rule's allow-list.
pub fn is_valid(candidate: &str) -> bool {
    candidate.parse::<Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::validate::common;

    const VALID: &[&str] = &[
        "192.0.2.1",
        "198.51.100.255",
        "203.0.113.0",
        "10.0.0.1",
        "255.255.255.255",
        "0.0.0.0",
        "8.8.8.8",
    ];

    const INVALID: &[&str] = &[
        "01.02.03.04", // leading zeros (octal in some parsers)
        "192.0.2.01",
        "256.0.0.1",   // octet out of range
        "192.0.2",     // three octets
        "192.0.2.1.5", // five octets
        "192.0.2.",
        ".192.0.2.1",
        "192..0.2",
        "192.0.2.1 ",
        " 192.0.2.1",
        "192.0.2.1/24", // a prefix, not an address
        "0x7f.0.0.1",
        "3232235777", // integer form
        "+1.2.3.4",
        "١٩٢.٠.٢.١",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
