//! JavaScript values in words.

use wasm_bindgen::{JsCast, JsValue};

/// A thrown JS value as text.
pub fn describe(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
