//! Numbers as text, and the clock, from the browser: Rust's float formatting would
//! add several KB to the wasm for the same text.

use js_sys::Reflect;
use wasm_bindgen::JsCast;

/// `performance.now()` in whichever global this runs (page or worker).
pub fn now_ms() -> f64 {
    Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// `x` with `digits` decimals (`Number.toFixed`).
pub fn fixed(x: f64, digits: u8) -> String {
    js_sys::Number::from(x).to_fixed(digits).map(String::from).unwrap_or_default()
}

/// `x` in the shortest form that reads back exactly (`Number.toString`).
pub fn exact(x: f64) -> String {
    js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_default()
}
