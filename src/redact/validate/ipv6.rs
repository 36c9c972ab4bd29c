//! IPv6 addresses in the text forms of RFC 4291 § 2.2 (with RFC 5952 compression), optionally followed by an RFC 4007 § 11 `%zone` suffix, parsed with `std::net::Ipv6Addr`.

use std::net::Ipv6Addr;

/// True for an address such as "2001:db8::1" or "fe80::1%eth0".
pub fn is_valid(candidate: &str) -> bool {
    let address = match candidate.split_once('%') {
        Some((address, zone)) if zone_ok(zone) => address,
        Some(_) => return false,
        None => candidate,
    };
    address.parse::<Ipv6Addr>().is_ok()
}

/// A zone is an interface name or index: non-empty, ASCII letters, digits, `-`, `_`, `.`.
fn zone_ok(zone: &str) -> bool {
    !zone.is_empty()
        && zone
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::validate::common;

    const VALID: &[&str] = &[
        "2001:db8::1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "2001:DB8::FF00:42:8329",
        "::1",
        "::",
        "fe80::1%eth0",
        "fe80::1%3",
        "fe80::a:b:c:d%en0.100",
        "::ffff:192.0.2.1",
        "64:ff9b::192.0.2.33",
    ];

    const INVALID: &[&str] = &[
        "2001:db8::1::2",         // two "::"
        "2001:db8:1",             // too few groups
        "2001:db8:0:0:0:0:0:0:1", // nine groups
        "2001:db8::g",            // not hex
        "2001:db8::12345",        // group too long
        "fe80::1%",               // empty zone
        "fe80::1%eth 0",
        "fe80::1%eth0%1",
        "%eth0",
        "[2001:db8::1]",
        "2001:db8::1/64",
        " ::1",
        "192.0.2.1",
        ":",
        "١::١",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
