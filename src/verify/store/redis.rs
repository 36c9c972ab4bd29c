//! The shared store for several replicas: Redis. Every primitive that reads
//! and then writes is one Lua script, which Redis runs atomically, so two
//! replicas racing to accept the same TOTP step or consume the same token
//! cannot both win. Records carry their expiry in the service's clock (see
//! the module above) and a Redis TTL to match, so Redis reclaims them.
//!
//! The connection is made lazily and re-made after a failure: veilgate
//! starts while Redis is down, verification fails closed until it is back,
//! and redaction never waits for it.

use std::sync::LazyLock;
use std::time::Duration;

use rand::RngCore;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, Script};

use super::{StoreError, StoreResult, decode_live, encode};

/// Shared by the scripts: `live(record, now)` is the payload of a record
/// that has not expired, `store(key, record, ttl)` writes with a TTL.
const PRELUDE: &str = r"
local function live(v, now)
  if not v then return nil end
  local i = string.find(v, ':', 1, true)
  if not i then return nil end
  local exp = tonumber(string.sub(v, 1, i - 1))
  if exp ~= 0 and exp <= now then return nil end
  return string.sub(v, i + 1)
end
local function store(key, record, ttl)
  if ttl > 0 then redis.call('SET', key, record, 'PX', ttl) else redis.call('SET', key, record) end
end
local now = tonumber(ARGV[1])
";

fn script(body: &str) -> Script {
    Script::new(&format!("{PRELUDE}{body}"))
}

static INSERT_NEW: LazyLock<Script> = LazyLock::new(|| {
    script(
        "if live(redis.call('GET', KEYS[1]), now) then return 0 end
         store(KEYS[1], ARGV[2], tonumber(ARGV[3])) return 1",
    )
});

/// Event logs are sorted sets, not records: they count as live.
static DELETE: LazyLock<Script> = LazyLock::new(|| {
    script(
        "local kind = redis.call('TYPE', KEYS[1]).ok
         if kind == 'none' then return 0 end
         local was = kind ~= 'string' or live(redis.call('GET', KEYS[1]), now)
         redis.call('DEL', KEYS[1]) if was then return 1 end return 0",
    )
});

static REPLACE_IF: LazyLock<Script> = LazyLock::new(|| {
    script(
        "if live(redis.call('GET', KEYS[1]), now) ~= ARGV[2] then return 0 end
         store(KEYS[1], ARGV[3], tonumber(ARGV[4])) return 1",
    )
});

static ADVANCE: LazyLock<Script> = LazyLock::new(|| {
    script(
        "local last = live(redis.call('GET', KEYS[1]), now)
         if last and tonumber(last) >= tonumber(ARGV[2]) then return 0 end
         store(KEYS[1], ARGV[3], tonumber(ARGV[4])) return 1",
    )
});

/// A sorted set of event times: drop those outside the window, add this
/// one, keep the newest `keep`, count.
static COUNT_EVENT: LazyLock<Script> = LazyLock::new(|| {
    script(
        "local window = tonumber(ARGV[2])
         redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
         redis.call('ZADD', KEYS[1], now, ARGV[4])
         redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
         redis.call('PEXPIRE', KEYS[1], window)
         return redis.call('ZCARD', KEYS[1])",
    )
});

#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
}

/// The error's kind and Redis's error code (`NOSCRIPT`, `BUSY`), never its
/// detail, which may quote a key or an argument.
fn unavailable(e: &redis::RedisError) -> StoreError {
    match e.code() {
        Some(code) => StoreError::Unavailable(format!("redis: {:?} ({code})", e.kind())),
        None => StoreError::Unavailable(format!("redis: {:?}", e.kind())),
    }
}

/// The TTL Redis keeps a record for, 0 for none.
fn ttl(expires: Option<u64>, now: u64) -> u64 {
    expires.map_or(0, |e| e.saturating_sub(now).max(1))
}

impl RedisStore {
    pub fn new(url: &str, prefix: &str) -> StoreResult<RedisStore> {
        let client = redis::Client::open(url)
            .map_err(|e| StoreError::Unavailable(format!("redis URL: {:?}", e.kind())))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(2));
        let connection = client
            .get_connection_manager_lazy(config)
            .map_err(|e| unavailable(&e))?;
        Ok(RedisStore {
            connection,
            prefix: prefix.to_string(),
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    async fn run(&self, script: &Script, key: &str, args: Vec<Vec<u8>>) -> StoreResult<u64> {
        let mut invocation = script.key(self.key(key));
        for arg in args {
            invocation.arg(arg);
        }
        let mut connection = self.connection.clone();
        invocation
            .invoke_async(&mut connection)
            .await
            .map_err(|e| unavailable(&e))
    }

    pub async fn get(&self, key: &str, now: u64) -> StoreResult<Option<Vec<u8>>> {
        let mut connection = self.connection.clone();
        let record: Option<Vec<u8>> = connection
            .get(self.key(key))
            .await
            .map_err(|e| unavailable(&e))?;
        match record {
            Some(record) => Ok(decode_live(&record, now)?.map(<[u8]>::to_vec)),
            None => Ok(None),
        }
    }

    pub async fn put(
        &self,
        key: &str,
        value: &[u8],
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<()> {
        let mut connection = self.connection.clone();
        let record = encode(value, expires);
        let result: redis::RedisResult<()> = match ttl(expires, now) {
            0 => connection.set(self.key(key), record).await,
            ms => connection.pset_ex(self.key(key), record, ms).await,
        };
        result.map_err(|e| unavailable(&e))
    }

    pub async fn insert_new(
        &self,
        key: &str,
        value: &[u8],
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        let record = encode(value, expires);
        let args = vec![text(now), record, text(ttl(expires, now))];
        Ok(self.run(&INSERT_NEW, key, args).await? == 1)
    }

    pub async fn delete(&self, key: &str, now: u64) -> StoreResult<bool> {
        Ok(self.run(&DELETE, key, vec![text(now)]).await? == 1)
    }

    pub async fn replace_if(
        &self,
        key: &str,
        expected: &[u8],
        value: &[u8],
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        let record = encode(value, expires);
        let args = vec![
            text(now),
            expected.to_vec(),
            record,
            text(ttl(expires, now)),
        ];
        Ok(self.run(&REPLACE_IF, key, args).await? == 1)
    }

    pub async fn advance(
        &self,
        key: &str,
        step: u64,
        expires: Option<u64>,
        now: u64,
    ) -> StoreResult<bool> {
        let step_text = step.to_string();
        let record = encode(step_text.as_bytes(), expires);
        let args = vec![
            text(now),
            step_text.as_bytes().to_vec(),
            record,
            text(ttl(expires, now)),
        ];
        Ok(self.run(&ADVANCE, key, args).await? == 1)
    }

    pub async fn count_event(
        &self,
        key: &str,
        window: u64,
        keep: usize,
        now: u64,
    ) -> StoreResult<u32> {
        // Members must be unique, or two events in one millisecond count once.
        let member = format!("{now}:{:016x}", rand::rng().next_u64());
        let args = vec![text(now), text(window), text(keep), member.into_bytes()];
        let count = self.run(&COUNT_EVENT, key, args).await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    pub async fn keys(&self, prefix: &str, now: u64) -> StoreResult<Vec<String>> {
        let mut connection = self.connection.clone();
        let pattern = format!("{}*", escape_glob(&self.key(prefix)));
        let mut found: Vec<String> = Vec::new();
        let mut cursor = 0u64;
        loop {
            let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(500)
                .query_async(&mut connection)
                .await
                .map_err(|e| unavailable(&e))?;
            found.extend(batch);
            if next == 0 {
                break;
            }
            cursor = next;
        }
        let mut live = Vec::new();
        for full in found {
            let key = full[self.prefix.len()..].to_string();
            if self.get(&key, now).await?.is_some() {
                live.push(key);
            }
        }
        live.sort();
        live.dedup();
        Ok(live)
    }
}

fn text(n: impl ToString) -> Vec<u8> {
    n.to_string().into_bytes()
}

fn escape_glob(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
