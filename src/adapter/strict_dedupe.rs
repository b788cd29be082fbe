//! Strict mode's store: the Durable Object shard that owns an event key
//! (`dedupe::shard`), asked to claim, commit or release it. The rules live in
//! `crate::lease`; the object (`dedupe_object.rs`) applies them.

//!
//! The namespace's `getByName` and the stub's `fetch` are called directly, with the URL as a
//! string: the `worker` crate builds a Request for each call and converts the answer
//! (reading its `cf` object), twice per event.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use super::task::Settled;
use web_sys::Response;

use super::Env;

use crate::dedupe::{self, LeaseStore, StoreError};
use crate::lease::{self, Claim, Op};

pub struct StrictDedupe<'a> {
    objects: JsValue,
    get_by_name: Function,
    pub source: &'a str,
    pub shards: u32,
}

fn reason(e: &JsValue) -> String {
    super::js_message(e).unwrap_or_else(|| "failed".into())
}

impl<'a> StrictDedupe<'a> {
    /// The Durable Object namespace `binding`, if `env` has one.
    pub fn bind(env: &Env, binding: &str, source: &'a str, shards: u32) -> Option<Self> {
        let objects = Reflect::get(env, &binding.into()).ok().filter(JsValue::is_object)?;
        let get_by_name = Reflect::get(&objects, &"getByName".into()).ok()?.dyn_into().ok()?;
        Some(Self { objects, get_by_name, source, shards })
    }

    async fn call(&self, key: &str, op: Op) -> Result<Response, StoreError> {
        let name = dedupe::shard(self.source, key, self.shards);
        let stub = self.get_by_name.call1(&self.objects, &name.into()).map_err(|e| StoreError(format!("Durable Object stub: {}", reason(&e))))?;
        let failed = |e: JsValue| StoreError(format!("Durable Object {}: {}", op.name(), reason(&e)));
        let fetch: Function = Reflect::get(&stub, &"fetch".into()).and_then(JsCast::dyn_into).map_err(failed)?;
        let url = format!("https://dedupe{}", op.path(key));
        let promise: Promise = fetch.call1(&stub, &url.into()).and_then(JsCast::dyn_into).map_err(failed)?;
        Settled::from(promise).await.and_then(JsCast::dyn_into).map_err(failed)
    }

    async fn store(&self, key: &str, op: Op) -> Result<(), StoreError> {
        let resp = self.call(key, op).await?;
        match resp.status() {
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
        let code = resp.status();
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
