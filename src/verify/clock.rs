//! Time as the verification service sees it. Production reads the system
//! clock; tests pin a manual clock (through the admin API when
//! `verification.testing_clock` is on) so expiry is tested without sleeps.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
pub enum Clock {
    System,
    /// Milliseconds since the Unix epoch, set from outside.
    Manual(Arc<AtomicU64>),
}

impl Clock {
    /// A manual clock that starts at the current system time.
    pub fn manual() -> Clock {
        Clock::Manual(Arc::new(AtomicU64::new(system_ms())))
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        match self {
            Clock::System => system_ms(),
            Clock::Manual(ms) => ms.load(Ordering::SeqCst),
        }
    }

    pub fn now_secs(&self) -> u64 {
        self.now_ms() / 1000
    }

    /// Sets a manual clock; `false` for the system clock, which cannot be set.
    pub fn set_ms(&self, ms: u64) -> bool {
        match self {
            Clock::System => false,
            Clock::Manual(now) => {
                now.store(ms, Ordering::SeqCst);
                true
            }
        }
    }
}

fn system_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// RFC 3339 with milliseconds, UTC, for audit records and API responses.
pub fn rfc3339(ms: u64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + std::time::Duration::from_millis(ms)).to_string()
}
