//! Workers KV as a dedupe store: one `get` before the hand-off, one `put` with a TTL after.
//! KV is eventually consistent (a write can take up to 60 s to be seen elsewhere), so two
//! deliveries racing through different locations can both be handed on; strict mode (a
//! Durable Object) is the answer to that.

use worker::kv::KvStore;

use crate::dedupe::{DedupeStore, StoreError};

pub struct KvDedupe(pub KvStore);

impl DedupeStore for KvDedupe {
    async fn seen(&self, key: &str) -> Result<bool, StoreError> {
        self.0.get(key).text().await.map(|v| v.is_some()).map_err(|e| StoreError(format!("KV get: {e}")))
    }

    async fn remember(&self, key: &str, ttl_secs: u64) -> Result<(), StoreError> {
        let put = self.0.put(key, "1").map_err(|e| StoreError(format!("KV put: {e}")))?;
        put.expiration_ttl(ttl_secs).execute().await.map_err(|e| StoreError(format!("KV put: {e}")))
    }
}
