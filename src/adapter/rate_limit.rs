//! The Workers Rate Limiting binding (`[[ratelimits]]`): `binding.limit({ key })` answers
//! `{ success }`. Called through `js_sys` rather than `worker::RateLimiter`, whose binding
//! check expects the production class name, which local bindings need not have.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use super::task::Settled;
use super::Env;

use crate::limit::{Count, RateLimit};

/// Counts one authentic request of `source` against its limit.
pub async fn count(env: &Env, limit: &RateLimit, source: &str) -> Count {
    let Ok(binding) = Reflect::get(env, &JsValue::from(limit.binding.as_str())) else { return Count::Unavailable };
    let Some(call) = Reflect::get(&binding, &JsValue::from("limit")).ok().and_then(|f| f.dyn_into::<Function>().ok()) else {
        return Count::Unavailable;
    };
    let options = Object::new();
    if Reflect::set(&options, &JsValue::from("key"), &JsValue::from(RateLimit::key(source))).is_err() {
        return Count::Unavailable;
    }
    let Some(promise) = call.call1(&binding, &options).ok().and_then(|p| p.dyn_into::<Promise>().ok()) else {
        return Count::Unavailable;
    };
    let Ok(outcome) = Settled::from(promise).await else { return Count::Unavailable };
    match Reflect::get(&outcome, &JsValue::from("success")).ok().and_then(|s| s.as_bool()) {
        Some(true) => Count::Within,
        Some(false) => Count::Over,
        None => Count::Unavailable,
    }
}
