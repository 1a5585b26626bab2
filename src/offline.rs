//! Registers the service worker (`web/sw.js`) that keeps the app working offline.

use wasm_bindgen::JsValue;

/// Registers `./sw.js` when the browser supports service workers (secure pages only)
/// and calls `on_registered` once it is, so the page only promises offline use when
/// it has it. Failure is harmless: the app simply needs the network next time.
pub fn register_service_worker(on_registered: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let supported = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    if !supported || !window.is_secure_context() {
        return;
    }
    // Relative: the worker's scope is the folder the app is served from, any sub-path.
    let registration = navigator.service_worker().register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(registration).await {
            Ok(_) => on_registered(),
            Err(e) => web_sys::console::warn_2(&"daynight: offline support is off:".into(), &e),
        }
    });
}
