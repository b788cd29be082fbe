//! Panic recovery, as worker-build's shim (`build/index.js`) expects it of the wasm: it reads
//! `__worker_init_state()` once and, when a call finds `criticalError` set, calls
//! `__wbg_reset_state()` (a fresh instance) before going on, so one panic (which should never
//! happen) does not poison the isolate for later requests. The shim sets the flag itself on a
//! `WebAssembly.RuntimeError`; the panic hook here sets it too, and logs the panic.
//!
//! scripts/build.sh builds std with `panic=immediate-abort`: a panic is then a bare trap
//! (`RuntimeError: unreachable` in the log, a 500 the provider retries) and the hook never
//! runs. It stays for a build with the prebuilt std (`HOOKGATE_PREBUILT_STD=1`).

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen(inline_js = "export const state = { criticalError: false, instanceId: 0 };")]
extern "C" {
    type InitState;

    #[wasm_bindgen(thread_local_v2, js_name = state)]
    static STATE: InitState;

    #[wasm_bindgen(method, setter, js_name = criticalError)]
    fn set_critical_error(this: &InitState, critical: bool);

    #[wasm_bindgen(method, getter, js_name = instanceId)]
    fn instance_id(this: &InitState) -> u32;

    #[wasm_bindgen(method, setter, js_name = instanceId)]
    fn set_instance_id(this: &InitState, id: u32);
}

/// Runs when an instance starts (again after each reset).
#[wasm_bindgen(start, private)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let panic = js_sys::Error::new(&format!("Rust panic: {info}"));
        web_sys::console::error_2(&"Critical".into(), &panic);
        STATE.with(|s| s.set_critical_error(true));
    }));
    STATE.with(|s| s.set_instance_id(s.instance_id().wrapping_add(1)));
    // A panic aborts this build: the glue marks the instance terminated and, with this,
    // instantiates the module afresh before the next call, whichever entry it comes through
    // (src/adapter/entry.mjs calls the handlers without the shim's proxies).
    wasm_bindgen::handler::set_on_abort(wasm_bindgen::handler::schedule_reinit);
}

/// The state object the shim watches.
#[wasm_bindgen(js_name = "__worker_init_state")]
pub fn init_state() -> JsValue {
    STATE.with(|s| JsValue::from(s))
}
