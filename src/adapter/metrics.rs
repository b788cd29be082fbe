//! Workers Analytics Engine: one data point per request or delivery outcome
//! ([`crate::log::DataPoint`]) when the optional binding [`BINDING`] exists. Without it
//! nothing is written. `writeDataPoint` returns at once; the platform sends it later.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
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
    /// Called as a method (`dataset.writeDataPoint(point)`): a binding reached over RPC
    /// refuses its method called detached.
    #[wasm_bindgen(method, catch, js_name = writeDataPoint)]
    fn write_data_point(this: &Dataset, point: &Object) -> Result<JsValue, JsValue>;
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
pub fn write(point: &DataPoint<'_>) {
    DATASET.with(|d| {
        let d = d.borrow();
        let Some(Some(dataset)) = d.as_ref() else { return };
        let blobs: Array = point.blobs.iter().map(|b| JsValue::from_str(b)).collect();
        let doubles: Array = point.doubles.iter().map(|n| JsValue::from_f64(*n)).collect();
        let indexes: Array = std::iter::once(JsValue::from_str(point.index)).collect();
        let fields = Object::new();
        let set = Reflect::set(&fields, &"blobs".into(), &blobs)
            .and_then(|_| Reflect::set(&fields, &"doubles".into(), &doubles))
            .and_then(|_| Reflect::set(&fields, &"indexes".into(), &indexes));
        if set.is_ok() {
            let _ = dataset.write_data_point(&fields);
        }
    });
}
