//! Strict mode's store: the Durable Object shard that owns an event key
//! (`dedupe::shard`), asked to claim, commit or release it. The rules live in
//! `crate::lease`; the object (`dedupe_object.rs`) applies them.

use worker::ObjectNamespace;

use crate::dedupe::{self, LeaseStore, StoreError};
use crate::lease::{self, Claim, Op};

pub struct StrictDedupe<'a> {
    pub objects: ObjectNamespace,
    pub source: &'a str,
    pub shards: u32,
}

impl StrictDedupe<'_> {
    async fn call(&self, key: &str, op: Op) -> Result<worker::Response, StoreError> {
        let name = dedupe::shard(self.source, key, self.shards);
        let stub = self.objects.get_by_name(&name).map_err(|e| StoreError(format!("Durable Object stub: {e}")))?;
        stub.fetch_with_str(&format!("https://dedupe{}", op.path(key)))
            .await
            .map_err(|e| StoreError(format!("Durable Object {}: {e}", op.name())))
    }

    async fn store(&self, key: &str, op: Op) -> Result<(), StoreError> {
        let resp = self.call(key, op).await?;
        match resp.status_code() {
            lease::status::STORED => Ok(()),
            code => Err(StoreError(format!("Durable Object {} answered {code}", op.name()))),
        }
    }
}

impl LeaseStore for StrictDedupe<'_> {
    async fn claim(&self, key: &str, lease_ms: u64) -> Result<(Claim, u64), StoreError> {
        // Tells holders apart; not a secret (only a holder's release is matched on it).
        let token = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
        let resp = self.call(key, Op::Claim { token, lease_ms }).await?;
        let retry_after_ms = resp.headers().get(lease::RETRY_AFTER_MS_HEADER).ok().flatten().and_then(|v| v.parse().ok());
        let code = resp.status_code();
        let claim = Claim::from_status(code, retry_after_ms)
            .ok_or_else(|| StoreError(format!("Durable Object claim answered {code}")))?;
        Ok((claim, token))
    }

    async fn commit(&self, key: &str, window_secs: u64) -> Result<(), StoreError> {
        self.store(key, Op::Commit { window_ms: window_secs.saturating_mul(1000) }).await
    }

    async fn release(&self, key: &str, token: u64) -> Result<(), StoreError> {
        self.store(key, Op::Release { token }).await
    }
}
