//! The store's primitives mean the same on both backends: the embedded
//! file and a real Redis. Expiry follows the service's clock in both.

mod common;

use common::verify::Redis;
use veilgate::verify::store::Store;

async fn contract(store: &Store) {
    let t = 1_000_000;
    assert_eq!(store.get("k", t).await.unwrap(), None);
    store.put("k", b"v1", Some(t + 100), t).await.unwrap();
    assert_eq!(
        store.get("k", t + 99).await.unwrap().as_deref(),
        Some(&b"v1"[..])
    );
    assert_eq!(
        store.get("k", t + 100).await.unwrap(),
        None,
        "expired by the clock"
    );

    // insert_new: only where nothing live is.
    assert!(store.insert_new("k", b"v2", None, t + 100).await.unwrap());
    assert!(!store.insert_new("k", b"v3", None, t + 100).await.unwrap());

    // replace_if: compare and swap on the exact record.
    assert!(!store.replace_if("k", b"v1", b"x", None, t).await.unwrap());
    assert!(
        store
            .replace_if("k", b"v2", b"v4", Some(t + 500), t)
            .await
            .unwrap()
    );
    assert_eq!(
        store.get("k", t).await.unwrap().as_deref(),
        Some(&b"v4"[..])
    );

    // advance: a step is accepted once, and never an older one.
    assert!(store.advance("step", 10, Some(t + 1000), t).await.unwrap());
    assert!(!store.advance("step", 10, Some(t + 1000), t).await.unwrap());
    assert!(!store.advance("step", 9, Some(t + 1000), t).await.unwrap());
    assert!(store.advance("step", 11, Some(t + 1000), t).await.unwrap());

    // count_event: a sliding window that keeps at most `keep`.
    let mut counts = Vec::new();
    for i in 0..4 {
        counts.push(
            store
                .count_event("fails", 100, 3, t + i * 40)
                .await
                .unwrap(),
        );
    }
    assert_eq!(
        counts,
        [1, 2, 3, 3],
        "events older than the window drop out"
    );
    assert!(
        store.delete("fails", t + 200).await.unwrap(),
        "an event log deletes"
    );
    assert_eq!(
        store.count_event("fails", 100, 3, t + 200).await.unwrap(),
        1
    );

    // keys: live keys under a prefix.
    store.put("enrollment:a", b"1", None, t).await.unwrap();
    store
        .put("enrollment:b", b"1", Some(t + 1), t)
        .await
        .unwrap();
    store.put("pending:a", b"1", None, t).await.unwrap();
    assert_eq!(
        store.keys("enrollment:", t + 5).await.unwrap(),
        ["enrollment:a"]
    );

    assert!(store.delete("k", t).await.unwrap());
    assert!(!store.delete("k", t).await.unwrap());
}

#[tokio::test]
async fn the_embedded_store_keeps_the_contract_and_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/store.redb");
    {
        let store = Store::embedded(&path).unwrap();
        contract(&store).await;
        assert!(Store::embedded(&path).is_err(), "one process at a time");
        assert_eq!(
            store.sweep(2_000_000).await.unwrap(),
            3,
            "the step, the event log and enrollment:b"
        );
    }
    let reopened = Store::embedded(&path).unwrap();
    assert_eq!(
        reopened.keys("enrollment:", 1_000_005).await.unwrap(),
        ["enrollment:a"]
    );
}

#[tokio::test]
async fn the_redis_store_keeps_the_contract() {
    let redis = Redis::start();
    let store = Store::redis(&redis.url(), "contract:").unwrap();
    contract(&store).await;
    // Another prefix sees none of it.
    let other = Store::redis(&redis.url(), "other:").unwrap();
    assert!(
        other
            .keys("enrollment:", 1_000_005)
            .await
            .unwrap()
            .is_empty()
    );
}
