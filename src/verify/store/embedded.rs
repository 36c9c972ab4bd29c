//! The default store: one redb file. redb commits are durable and atomic
//! (copy-on-write with checksummed roots), so a crash loses at most the
//! operation in flight; write transactions are serialised, which makes every
//! primitive here atomic. Calls run on tokio's blocking pool because a
//! commit waits for the disk.

use std::path::Path;
use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};

use super::{StoreError, StoreResult, decode_live, encode};

const RECORDS: TableDefinition<&str, &[u8]> = TableDefinition::new("records");

#[derive(Clone)]
pub struct Embedded {
    db: Arc<Database>,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

impl Embedded {
    pub fn open(path: &Path) -> StoreResult<Embedded> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display())))?;
        }
        let db = Database::create(path)
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", path.display())))?;
        let store = Embedded { db: Arc::new(db) };
        // Create the table up front so that reads never meet its absence.
        store.write_sync(|_| Ok(()))?;
        Ok(store)
    }

    fn write_sync<T>(
        &self,
        f: impl FnOnce(&mut redb::Table<&str, &[u8]>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let txn: WriteTransaction = self.db.begin_write().map_err(unavailable)?;
        let result = {
            let mut table = txn.open_table(RECORDS).map_err(unavailable)?;
            f(&mut table)?
        };
        txn.commit().map_err(unavailable)?;
        Ok(result)
    }

    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut redb::Table<&str, &[u8]>) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.write_sync(f))
            .await
            .map_err(unavailable)?
    }

    pub async fn get(&self, key: &str, now: u64) -> StoreResult<Option<Vec<u8>>> {
        let db = Arc::clone(&self.db);
        let key = key.to_string();
        tokio::task::spawn_blocking(move || {
            let txn = db.begin_read().map_err(unavailable)?;
            let table = txn.open_table(RECORDS).map_err(unavailable)?;
            let record = table.get(key.as_str()).map_err(unavailable)?;
            match record {
                Some(guard) => Ok(decode_live(guard.value(), now)?.map(<[u8]>::to_vec)),
                None => Ok(None),
            }
        })
        .await
        .map_err(unavailable)?
    }

    pub async fn put(
        &self,
        key: &str,
        value: &[u8],
        expires: Option<u64>,
        _now: u64,
    ) -> StoreResult<()> {
        let (key, record) = (key.to_string(), encode(value, expires));
        self.write(move |table| {
            table
                .insert(key.as_str(), record.as_slice())
                .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    pub async fn insert_new(
        &self,
        key: &str,
        value: &[u8],
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        let (key, record) = (key.to_string(), encode(value, expires));
        self.write(move |table| {
            if live(table, &key, now)?.is_some() {
                return Ok(false);
            }
            table
                .insert(key.as_str(), record.as_slice())
                .map_err(unavailable)?;
            Ok(true)
        })
        .await
    }

    pub async fn delete(&self, key: &str, now: u64) -> StoreResult<bool> {
        let key = key.to_string();
        self.write(move |table| {
            let was_live = live(table, &key, now)?.is_some();
            table.remove(key.as_str()).map_err(unavailable)?;
            Ok(was_live)
        })
        .await
    }

    pub async fn replace_if(
        &self,
        key: &str,
        expected: &[u8],
        value: &[u8],
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        let (key, expected, record) = (key.to_string(), expected.to_vec(), encode(value, expires));
        self.write(move |table| {
            if live(table, &key, now)?.as_deref() != Some(expected.as_slice()) {
                return Ok(false);
            }
            table
                .insert(key.as_str(), record.as_slice())
                .map_err(unavailable)?;
            Ok(true)
        })
        .await
    }

    pub async fn advance(
        &self,
        key: &str,
        step: u64,
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        let key = key.to_string();
        self.write(move |table| {
            let last = match live(table, &key, now)? {
                Some(payload) => Some(parse_u64(&payload)?),
                None => None,
            };
            if last.is_some_and(|last| last >= step) {
                return Ok(false);
            }
            let record = encode(step.to_string().as_bytes(), expires);
            table
                .insert(key.as_str(), record.as_slice())
                .map_err(unavailable)?;
            Ok(true)
        })
        .await
    }

    pub async fn count_event(
        &self,
        key: &str,
        window: u64,
        keep: usize,
        now: u64,
    ) -> StoreResult<u32> {
        let key = key.to_string();
        self.write(move |table| {
            let mut events: Vec<u64> = match live(table, &key, now)? {
                Some(payload) => serde_json::from_slice(&payload)
                    .map_err(|e| StoreError::Corrupt(format!("an event log: {e}")))?,
                None => Vec::new(),
            };
            events.retain(|&t| t + window > now);
            events.push(now);
            if events.len() > keep {
                events.drain(..events.len() - keep);
            }
            let payload = serde_json::to_vec(&events).expect("numbers serialise");
            let record = encode(&payload, Some(now + window));
            table
                .insert(key.as_str(), record.as_slice())
                .map_err(unavailable)?;
            Ok(u32::try_from(events.len()).unwrap_or(u32::MAX))
        })
        .await
    }

    pub async fn keys(&self, prefix: &str, now: u64) -> StoreResult<Vec<String>> {
        let db = Arc::clone(&self.db);
        let prefix = prefix.to_string();
        tokio::task::spawn_blocking(move || {
            let txn = db.begin_read().map_err(unavailable)?;
            let table = txn.open_table(RECORDS).map_err(unavailable)?;
            let mut keys = Vec::new();
            for entry in table.range(prefix.as_str()..).map_err(unavailable)? {
                let (key, record) = entry.map_err(unavailable)?;
                if !key.value().starts_with(prefix.as_str()) {
                    break;
                }
                if decode_live(record.value(), now)?.is_some() {
                    keys.push(key.value().to_string());
                }
            }
            Ok(keys)
        })
        .await
        .map_err(unavailable)?
    }

    pub async fn sweep(&self, now: u64) -> StoreResult<usize> {
        self.write(move |table| {
            let mut removed = 0;
            table
                .retain(|_, record| {
                    // Unreadable records stay, for an operator to look at.
                    let keep = matches!(decode_live(record, now), Ok(Some(_)) | Err(_));
                    removed += usize::from(!keep);
                    keep
                })
                .map_err(unavailable)?;
            Ok(removed)
        })
        .await
    }
}

fn live(table: &redb::Table<&str, &[u8]>, key: &str, now: u64) -> StoreResult<Option<Vec<u8>>> {
    match table.get(key).map_err(unavailable)? {
        Some(guard) => Ok(decode_live(guard.value(), now)?.map(<[u8]>::to_vec)),
        None => Ok(None),
    }
}

pub(super) fn parse_u64(payload: &[u8]) -> StoreResult<u64> {
    std::str::from_utf8(payload)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| StoreError::Corrupt("a replay step that is not a number".into()))
}
