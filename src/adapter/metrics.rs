//! Workers Analytics Engine: one data point per request or delivery outcome
//! ([`crate::log::DataPoint`]) when the optional binding [`BINDING`] exists. Without it
//! nothing is written. `writeDataPoint` returns at once; the platform sends it later.

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast as _, JsValue};
use super::Env;

use crate::log::DataPoint;

/// The dataset's binding name.
pub const BINDING: &str = "HOOKGATE_METRICS";

#[wasm_bindgen]
extern "C" {
    /// An `AnalyticsEngineDataset` binding.
    type Dataset;
}

// The point built and written in one call (a binding reached over RPC refuses its method
// called detached, so it is called on the dataset).
#[wasm_bindgen(inline_js = "export function point(d, index, b0, b1, b2, b3, b4, n0, n1, n2) { d.writeDataPoint({ blobs: [b0, b1, b2, b3, b4], doubles: [n0, n1, n2], indexes: [index] }); }")]
extern "C" {
    #[wasm_bindgen(catch)]
    #[allow(clippy::too_many_arguments)]
    fn point(d: &Dataset, index: &str, b0: &str, b1: &str, b2: &str, b3: &str, b4: &str, n0: f64, n1: f64, n2: f64) -> Result<(), JsValue>;
}

thread_local! {
    /// The dataset, looked up once per isolate (bindings do not change while it lives).
    static DATASET: RefCell<Option<Option<Dataset>>> = const { RefCell::new(None) };
}

/// Looks the binding up, the first time only.
pub fn bind(env: &Env) {
    DATASET.with(|d| {
        if d.borrow().is_some() {
            return;
        }
        let found = Reflect::get(env, &BINDING.into()).ok().filter(JsValue::is_object).filter(|dataset| {
            Reflect::get(dataset, &"writeDataPoint".into()).is_ok_and(|w| w.is_function())
        });
        let found = found.map(JsValue::unchecked_into::<Dataset>);
        *d.borrow_mut() = Some(found);
    });
}

/// Writes the point, if the binding exists. A failure is not the request's: it is ignored.
pub fn write(p: &DataPoint<'_>) {
    DATASET.with(|d| {
        if let Some(Some(dataset)) = d.borrow().as_ref() {
            let [b0, b1, b2, b3, b4] = p.blobs;
            let [n0, n1, n2] = p.doubles;
            let _ = point(dataset, p.index, b0, b1, b2, b3, b4, n0, n1, n2);
        }
    });
}
