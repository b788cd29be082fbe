//! Workers KV as a dedupe store: one `get` before the hand-off, one `put` with a TTL after.
//! KV is eventually consistent (a write can take up to 60 s to be seen elsewhere), so two
//! deliveries racing through different locations can both be handed on; strict mode (a
//! Durable Object) is the answer to that.
//!
//! The binding's own `get` and `put`, called directly: the `worker` crate's builders add
//! an options object and conversions per call on the hot path.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use worker::Env;

use crate::dedupe::{DedupeStore, StoreError};

pub struct KvDedupe {
    binding: JsValue,
    get: Function,
    put: Function,
}

impl KvDedupe {
    /// The KV binding `name`, if `env` has one.
    pub fn bind(env: &Env, name: &str) -> Option<Self> {
        let binding = Reflect::get(env, &name.into()).ok().filter(JsValue::is_object)?;
        let method = |m: &str| Reflect::get(&binding, &m.into()).ok()?.dyn_into::<Function>().ok();
        Some(Self { get: method("get")?, put: method("put")?, binding })
    }
}

async fn settle(call: Result<JsValue, JsValue>, what: &str) -> Result<JsValue, StoreError> {
    let why = |e: JsValue| {
        let message = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
        StoreError(format!("KV {what}: {}", message.or_else(|| e.as_string()).unwrap_or_else(|| "failed".into())))
    };
    let promise: Promise = call.and_then(JsCast::dyn_into).map_err(why)?;
    JsFuture::from(promise).await.map_err(why)
}

impl DedupeStore for KvDedupe {
    async fn seen(&self, key: &str) -> Result<bool, StoreError> {
        let value = settle(self.get.call1(&self.binding, &key.into()), "get").await?;
        Ok(!value.is_null() && !value.is_undefined())
    }

    async fn remember(&self, key: &str, ttl_secs: u64) -> Result<(), StoreError> {
        let options = Object::new();
        Reflect::set(&options, &"expirationTtl".into(), &JsValue::from_f64(ttl_secs as f64)).map_err(|_| StoreError("KV put: options".into()))?;
        settle(self.put.call3(&self.binding, &key.into(), &"1".into(), &options), "put").await.map(|_| ())
    }
}
