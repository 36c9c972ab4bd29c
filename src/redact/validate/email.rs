//! E-mail addresses: the regex finds the shape, this turns away the one
//! address-shaped thing in support logs that is no mailbox. A systemd unit
//! instance (`getty@tty1.service`, `user@1000.service`,
//! `wg-quick@wg0.service`) ends in its unit type (systemd.unit(5)), and no
//! unit type is a delegated top-level domain (checked against the Public
//! Suffix List; `target` is one, a brand TLD, so `.target` units stay
//! redacted). Internal domains (`.local`, `.corp`) are not in any list and
//! stay mailboxes: the check names what to let through, never what to catch.

/// The systemd unit types that are not top-level domains.
const UNIT_TYPES: &[&str] = &[
    "service",
    "socket",
    "timer",
    "mount",
    "automount",
    "slice",
    "scope",
    "swap",
    "path",
    "device",
];

/// True for "jane@example.com"; false for "getty@tty1.service".
pub fn is_valid(candidate: &str) -> bool {
    let Some((local, domain)) = candidate.rsplit_once('@') else {
        return false;
    };
    let Some((_, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    !local.is_empty()
        && !tld.is_empty()
        && !UNIT_TYPES.iter().any(|unit| tld.eq_ignore_ascii_case(unit))
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn mailboxes_pass() {
        for address in [
            "jane@example.com",
            "o'brien+tickets@mail.example.co.uk",
            "jan@corp.local",
            "ops@shop.target",
            "x@services.example.services",
            "jane@example.Com",
        ] {
            assert!(is_valid(address), "{address}");
        }
    }

    #[test]
    fn systemd_unit_instances_fail() {
        for unit in [
            "getty@tty1.service",
            "user@1000.service",
            "wg-quick@wg0.service",
            "systemd-fsck@dev-sda1.SERVICE",
            "sshd@0.socket",
            "backup@daily.timer",
            "user-runtime-dir@1000.slice",
            "session@c1.scope",
            "dev-disk@by.device",
        ] {
            assert!(!is_valid(unit), "{unit}");
        }
    }

    #[test]
    fn shapeless_input_fails() {
        for odd in [
            "",
            "@",
            "jane@",
            "@example.com",
            "jane@example",
            "jane@example.",
        ] {
            assert!(!is_valid(odd), "{odd:?}");
        }
    }
}
