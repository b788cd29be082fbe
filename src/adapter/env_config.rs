//! The configuration from `Env`, parsed once per isolate: vars and secrets do not change
//! while an isolate lives (a deploy starts new ones).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use super::Env;

use crate::config::{Config, CONFIG_VAR};


type Loaded = Rc<std::result::Result<Config, Vec<String>>>;

thread_local! {
    static CACHE: RefCell<Option<Loaded>> = const { RefCell::new(None) };
}

fn read(env: &Env) -> std::result::Result<Config, Vec<String>> {
    let value = js_sys::Reflect::get(env, &JsValue::from_str(CONFIG_VAR))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
        .ok_or_else(|| vec![format!("{CONFIG_VAR}: not set (add [vars.{CONFIG_VAR}] to wrangler.toml)")])?;
    let text = match value.as_string() {
        Some(s) => s,
        None => js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| vec![format!("{CONFIG_VAR}: not JSON-serialisable")])?,
    };
    let secret = |name: &str| {
        js_sys::Reflect::get(env, &JsValue::from_str(name)).ok().and_then(|v| v.as_string())
    };
    Config::load_serving(&text, &secret).map_err(|errs| errs.iter().map(ToString::to_string).collect())
}

/// The configuration (sources with problems set aside in `broken`), or every problem that
/// stops it from loading at all (field paths, never values).
pub fn load(env: &Env) -> Loaded {
    CACHE.with(|cache| {
        if let Some(loaded) = cache.borrow().as_ref() {
            return Rc::clone(loaded);
        }
        let loaded = Rc::new(read(env));
        *cache.borrow_mut() = Some(Rc::clone(&loaded));
        loaded
    })
}
