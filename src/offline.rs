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

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The parts of `ServiceWorker` used here (web-sys' needs a feature of its own).
    type ServiceWorker;
    #[wasm_bindgen(method, catch, js_name = postMessage)]
    fn post_message(this: &ServiceWorker, message: &JsValue) -> Result<(), JsValue>;
}

/// Asks the service worker to fetch the trainer's files and the built-in examples
/// (`<meta name="daynight-trainer">`) into its cache, so that Retrain works offline
/// from the first visit on. Called once the page is ready (its first answer never
/// waits for them), and it waits for an idle moment too. A browser without service
/// workers, or a page that does not name the files, is left as it is: the first
/// Retrain fetches them then.
pub fn cache_trainer_when_idle() {
    let Some(window) = web_sys::window() else { return };
    if !js_sys::Reflect::has(&window.navigator(), &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let Ok(files) = crate::worker::files::listed("daynight-trainer") else { return };
    let Ok(ready) = window.navigator().service_worker().ready() else { return };
    let post = move || {
        let ready = ready.clone();
        let files = files.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else { return };
            let Ok(active) = js_sys::Reflect::get(&registration, &JsValue::from_str("active")) else { return };
            if active.is_null() || active.is_undefined() {
                return;
            }
            let message = js_sys::Object::new();
            let list: js_sys::Array = files.iter().map(|f| JsValue::from_str(f)).collect();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"cache-trainer".into());
            let _ = js_sys::Reflect::set(&message, &"files".into(), &list);
            let _ = wasm_bindgen::JsCast::unchecked_into::<ServiceWorker>(active).post_message(&message);
        });
    };
    // Safari has no requestIdleCallback.
    if leptos::prelude::request_idle_callback_with_handle(post.clone()).is_err() {
        leptos::prelude::set_timeout(post, std::time::Duration::from_secs(1));
    }
}
