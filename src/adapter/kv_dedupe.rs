//! Workers KV as a dedupe store: one `get` before the hand-off, one `put` with a TTL after.
//! KV is eventually consistent (a write can take up to 60 s to be seen elsewhere), so two
//! deliveries racing through different locations can both be handed on; strict mode (a
//! Durable Object) is the answer to that.

use super::kv::Kv;
use crate::dedupe::{DedupeStore, StoreError};

pub struct KvDedupe(pub Kv);

impl DedupeStore for KvDedupe {
    async fn seen(&self, key: &str) -> Result<bool, StoreError> {
        self.0.has(key).await.map_err(StoreError)
    }

    async fn remember(&self, key: &str, ttl_secs: u64) -> Result<(), StoreError> {
        self.0.put(key, "1", Some(ttl_secs)).await.map_err(StoreError)
    }
}
