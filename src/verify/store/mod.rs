//! One store interface, two backends: an embedded, crash-safe file
//! ([`embedded`], redb, the default) and Redis ([`redis`], for several
//! replicas). The interface is a handful of atomic primitives that both
//! backends do natively; what they mean (enrollments, challenges, grants,
//! replay steps, failure counts) lives in the verification service.
//!
//! Every record may carry an expiry in the service's clock (milliseconds
//! since the epoch). Both backends treat a record past its expiry as absent,
//! whatever the wall clock says, so tests can move time; the embedded store
//! sweeps expired records, Redis gets a matching TTL.

pub mod embedded;
pub mod redis;

use std::path::Path;

/// A store failure. Verification fails closed on any of them.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    #[error("the store holds a record veilgate cannot read: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Clone)]
pub enum Store {
    Embedded(embedded::Embedded),
    Redis(redis::RedisStore),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Store::Embedded(_) => "Store::Embedded",
            Store::Redis(_) => "Store::Redis",
        })
    }
}

/// Dispatches a call to whichever backend this store is.
macro_rules! dispatch {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self {
            Store::Embedded(store) => store.$method($($arg),*).await,
            Store::Redis(store) => store.$method($($arg),*).await,
        }
    };
}

impl Store {
    /// Opens (creating if needed) the embedded store file.
    ///
    /// # Errors
    /// When the file cannot be created, is not a store, or another process
    /// holds it open.
    pub fn embedded(path: &Path) -> StoreResult<Store> {
        embedded::Embedded::open(path).map(Store::Embedded)
    }

    /// Connects to Redis; keys are prefixed with `prefix`.
    ///
    /// # Errors
    /// When the URL is malformed. An unreachable server is reported by the
    /// operations, which fail closed, and is retried by them.
    pub fn redis(url: &str, prefix: &str) -> StoreResult<Store> {
        redis::RedisStore::new(url, prefix).map(Store::Redis)
    }

    pub async fn get(&self, key: &str, now: u64) -> StoreResult<Option<Vec<u8>>> {
        dispatch!(self.get(key, now))
    }

    /// Writes a record, replacing any other.
    pub async fn put(
        &self,
        key: &str,
        value: &[u8],
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<()> {
        dispatch!(self.put(key, value, expires, now))
    }

    /// Writes a record only if none is live under the key.
    pub async fn insert_new(
        &self,
        key: &str,
        value: &[u8],
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        dispatch!(self.insert_new(key, value, expires, now))
    }

    /// Removes a record; `true` if a live one was there.
    pub async fn delete(&self, key: &str, now: u64) -> StoreResult<bool> {
        dispatch!(self.delete(key, now))
    }

    /// Replaces the record only if it is live and holds exactly `expected`
    /// (compare-and-swap): of two replicas racing, one wins.
    pub async fn replace_if(
        &self,
        key: &str,
        expected: &[u8],
        value: &[u8],
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        dispatch!(self.replace_if(key, expected, value, expires, now))
    }

    /// Records `step` only if it is larger than the step recorded under the
    /// key: a TOTP time step is accepted once, even by racing replicas.
    pub async fn advance(
        &self,
        key: &str,
        step: u64,
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        dispatch!(self.advance(key, step, expires, now))
    }

    /// Records one event and returns how many events the key saw in the
    /// last `window` milliseconds, this one included (a sliding window
    /// that keeps at most `keep` events).
    pub async fn count_event(
        &self,
        key: &str,
        window: u64,
        keep: usize,
        now: u64,
    ) -> StoreResult<u32> {
        dispatch!(self.count_event(key, window, keep, now))
    }

    /// The keys of live records that start with `prefix`.
    pub async fn keys(&self, prefix: &str, now: u64) -> StoreResult<Vec<String>> {
        dispatch!(self.keys(prefix, now))
    }

    /// Drops expired records (the embedded store; Redis expires its own).
    pub async fn sweep(&self, now: u64) -> StoreResult<usize> {
        match self {
            Store::Embedded(store) => store.sweep(now).await,
            Store::Redis(_) => Ok(0),
        }
    }
}

/// A stored record: its expiry (0 for never) before the payload, so that
/// both backends judge liveness the same way.
fn encode(value: &[u8], expires: Option<u64>) -> Vec<u8> {
    let mut out = format!("{}:", expires.unwrap_or(0)).into_bytes();
    out.extend_from_slice(value);
    out
}

/// The payload of a record that is live at `now`.
fn decode_live(record: &[u8], now: u64) -> StoreResult<Option<&[u8]>> {
    let colon = record
        .iter()
        .position(|&b| b == b':')
        .ok_or_else(|| StoreError::Corrupt("a record without an expiry".into()))?;
    let expires: u64 = std::str::from_utf8(&record[..colon])
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| StoreError::Corrupt("a record with a malformed expiry".into()))?;
    Ok((expires == 0 || expires > now).then(|| &record[colon + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_expire_by_the_service_clock() {
        let record = encode(b"v:1", Some(1000));
        assert_eq!(decode_live(&record, 999).unwrap(), Some(&b"v:1"[..]));
        assert_eq!(decode_live(&record, 1000).unwrap(), None);
        assert_eq!(
            decode_live(&encode(b"", None), u64::MAX).unwrap(),
            Some(&b""[..])
        );
        assert!(decode_live(b"garbage", 0).is_err());
    }
}
