//! A Workers KV binding, called directly (`get`, `put`, `delete`, `list`): the `worker`
//! crate's builders add an options object and conversions per call, and their code (about
//! 15 KB gzipped for `list` alone) is the wasm's to carry.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use super::task::Settled;
use super::Env;

pub struct Kv {
    binding: JsValue,
}

/// One page of `list`.
pub struct Page {
    pub names: Vec<String>,
    pub cursor: Option<String>,
}

/// What the runtime said when a call failed (its message, never a value).
fn reason(what: &str, e: &JsValue) -> String {
    format!("KV {what}: {}", super::js_message(e).unwrap_or_else(|| "failed".into()))
}

impl Kv {
    /// The KV binding `name`, if `env` has one.
    pub fn bind(env: &Env, name: &str) -> Option<Self> {
        let binding = Reflect::get(env, &name.into()).ok().filter(JsValue::is_object)?;
        Some(Self { binding })
    }

    async fn call(&self, what: &str, args: &[&JsValue]) -> Result<JsValue, String> {
        let method: Function = Reflect::get(&self.binding, &what.into())
            .and_then(JsCast::dyn_into)
            .map_err(|e| reason(what, &e))?;
        let result = match args {
            [a] => method.call1(&self.binding, a),
            [a, b] => method.call2(&self.binding, a, b),
            [a, b, c] => method.call3(&self.binding, a, b, c),
            _ => method.call0(&self.binding),
        };
        let promise: Promise = result.and_then(JsCast::dyn_into).map_err(|e| reason(what, &e))?;
        Settled::from(promise).await.map_err(|e| reason(what, &e))
    }

    /// The value under `key` as text, `None` when there is none.
    pub async fn get(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.call("get", &[&key.into()]).await?.as_string())
    }

    /// Whether `key` has a value (read as text, which is all hookgate stores).
    pub async fn has(&self, key: &str) -> Result<bool, String> {
        let value = self.call("get", &[&key.into()]).await?;
        Ok(!value.is_null() && !value.is_undefined())
    }

    /// Stores `value` under `key`, for `ttl_secs` if given.
    pub async fn put(&self, key: &str, value: &str, ttl_secs: Option<u64>) -> Result<(), String> {
        let options = Object::new();
        if let Some(ttl) = ttl_secs {
            Reflect::set(&options, &"expirationTtl".into(), &JsValue::from_f64(ttl as f64)).map_err(|e| reason("put", &e))?;
        }
        self.call("put", &[&key.into(), &value.into(), &options]).await.map(|_| ())
    }

    pub async fn delete(&self, key: &str) -> Result<(), String> {
        self.call("delete", &[&key.into()]).await.map(|_| ())
    }

    /// Up to `limit` key names under `prefix`, from `cursor` on.
    pub async fn list(&self, prefix: &str, limit: u32, cursor: Option<String>) -> Result<Page, String> {
        let options = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&options, &k.into(), v).map(|_| ()).map_err(|e| reason("list", &e));
        set("prefix", &prefix.into())?;
        set("limit", &JsValue::from(limit))?;
        if let Some(c) = cursor {
            set("cursor", &c.into())?;
        }
        let result = self.call("list", &[&options]).await?;
        let field = |k: &str| Reflect::get(&result, &k.into()).map_err(|e| reason("list", &e));
        let keys = js_sys::Array::from(&field("keys")?);
        let names = keys.iter().filter_map(|k| Reflect::get(&k, &"name".into()).ok()?.as_string()).collect();
        let complete = field("list_complete")?.as_bool().unwrap_or(true);
        let cursor = if complete { None } else { field("cursor")?.as_string() };
        Ok(Page { names, cursor })
    }
}
