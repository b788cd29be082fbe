//! Strict mode's store: one Durable Object per event key (`get_by_name(key)`), asked to
//! claim, commit or release. Per-key objects never contend with each other, each is created
//! near the location that first sees its event, and one object's limit (about 1,000 requests
//! a second) then bounds only copies of a single event. The rules live in `crate::lease`; the
//! object (`dedupe_object.rs`) applies them.

use worker::ObjectNamespace;

use crate::dedupe::{LeaseStore, StoreError};
use crate::lease::{self, Claim, Op};

pub struct StrictDedupe(pub ObjectNamespace);

impl StrictDedupe {
    async fn call(&self, key: &str, op: Op) -> Result<worker::Response, StoreError> {
        let stub = self.0.get_by_name(key).map_err(|e| StoreError(format!("Durable Object stub: {e}")))?;
        stub.fetch_with_str(&format!("https://dedupe{}", op.path()))
            .await
            .map_err(|e| StoreError(format!("Durable Object {}: {e}", op.path())))
    }

    async fn store(&self, key: &str, op: Op) -> Result<(), StoreError> {
        let resp = self.call(key, op).await?;
        match resp.status_code() {
            lease::status::STORED => Ok(()),
            code => Err(StoreError(format!("Durable Object {} answered {code}", op.path()))),
        }
    }
}

impl LeaseStore for StrictDedupe {
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
