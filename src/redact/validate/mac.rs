//! MAC addresses (IEEE 802 EUI-48): six hex octets in the IEEE 802 canonical form with `-` or `:` as used by most systems, or the dotted form xxxx.xxxx.xxxx; the all-zero and broadcast addresses are refused.

/// True for "00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e" or "001a.2b3c.4d5e".
pub fn is_valid(candidate: &str) -> bool {
    parse(candidate).is_some_and(|octets| octets != [0x00; 6] && octets != [0xff; 6])
}

/// The six octets of a MAC address written in one of the accepted forms.
fn parse(candidate: &str) -> Option<[u8; 6]> {
    let bytes = candidate.as_bytes();
    // Separator positions and the hex-digit positions between them.
    let separators: &[usize] = match bytes.len() {
        17 => &[2, 5, 8, 11, 14],
        14 => &[4, 9],
        _ => return None,
    };
    let separator = *bytes.get(separators[0])?;
    let separator_ok = match bytes.len() {
        17 => separator == b':' || separator == b'-',
        _ => separator == b'.',
    };
    if !separator_ok || separators.iter().any(|&i| bytes.get(i) != Some(&separator)) {
        return None;
    }
    let mut nibbles = bytes
        .iter()
        .enumerate()
        .filter(|(i, _)| !separators.contains(i))
        .map(|(_, &b)| hex_value(b));
    let mut octets = [0u8; 6];
    for octet in &mut octets {
        *octet = (nibbles.next()?? << 4) | nibbles.next()??;
    }
    Some(octets)
}

/// The value of one ASCII hex digit (either case).
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::validate::common;

    const VALID: &[&str] = &[
        "00:1A:2B:3C:4D:5E",
        "00:1a:2b:3c:4d:5e",
        "00-1A-2B-3C-4D-5E",
        "001a.2b3c.4d5e",
        "FF:FF:FF:FF:FF:FE",
        "00:00:00:00:00:01",
        "02:42:ac:11:00:02",
    ];

    const INVALID: &[&str] = &[
        "00:00:00:00:00:00", // all zeros
        "ff:ff:ff:ff:ff:ff", // broadcast
        "FF-FF-FF-FF-FF-FF",
        "0000.0000.0000",
        "ffff.ffff.ffff",
        "00:1A:2B-3C:4D:5E", // mixed separators
        "00:1A:2B:3C:4D",    // five octets
        "00:1A:2B:3C:4D:5E:6F",
        "00:1A:2B:3C:4D:5G", // not hex
        "0:1A:2B:3C:4D:5E",
        "001A2B3C4D5E", // no separators
        "00.1A.2B.3C.4D.5E",
        "001a:2b3c:4d5e",
        "001a.2b3c-4d5e",
        "+0:1A:2B:3C:4D:5E",
        "00:1A:2B:3C:4D:5é",
    ];

    #[test]
    fn table() {
        common::check_table(is_valid, VALID, INVALID);
    }
}
