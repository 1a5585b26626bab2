//! Photos the page is opened with rather than given on it: shared into the installed
//! app from another app's share menu, or opened with it from the file manager. Both
//! join the results like picked files.
//!
//! - Sharing (the manifest's `share_target`): the service worker (`web/sw.js`) takes
//!   the POST, keeps the photos in a cache on this device and opens `./?shared=N`.
//!   At start the page takes whatever that cache holds and deletes it. When the POST
//!   reached the server instead (no service worker yet), nginx sends the page to
//!   `./?shared=lost` and the page says so.
//! - Opening (the manifest's `file_handlers`): the Launch Queue API hands the page
//!   file handles, each read with `getFile()`.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use crate::results::Results;

/// The cache `web/sw.js` keeps shared photos in (its `SHARED`).
const SHARED: &str = "daynight.shared";

// The few parts of the Cache and Launch Queue APIs used here, declared directly:
// web-sys has no Launch Queue, and its Cache needs features of its own.
#[wasm_bindgen]
extern "C" {
    type CacheStorage;
    #[wasm_bindgen(method, catch)]
    fn has(this: &CacheStorage, name: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn open(this: &CacheStorage, name: &str) -> Result<js_sys::Promise, JsValue>;

    type Cache;
    #[wasm_bindgen(method, catch)]
    fn keys(this: &Cache) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = match)]
    fn lookup(this: &Cache, key: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn delete(this: &Cache, key: &JsValue) -> Result<js_sys::Promise, JsValue>;

    type LaunchQueue;
    #[wasm_bindgen(method, catch, js_name = setConsumer)]
    fn set_consumer(this: &LaunchQueue, consumer: &js_sys::Function) -> Result<(), JsValue>;

    type LaunchParams;
    #[wasm_bindgen(method, getter)]
    fn files(this: &LaunchParams) -> Option<js_sys::Array>;

    type FileHandle;
    #[wasm_bindgen(method, getter)]
    fn kind(this: &FileHandle) -> Option<String>;
    #[wasm_bindgen(method, catch, js_name = getFile)]
    fn get_file(this: &FileHandle) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = history, js_name = replaceState, catch)]
    fn replace_state(data: &JsValue, unused: &str, url: &str) -> Result<(), JsValue>;
}

/// Starts taking shared and opened photos into `results`. Returns what the page
/// should tell the user about a share that did not arrive (else `None`).
pub fn receive(results: Results) -> RwSignal<Option<&'static str>> {
    let note = RwSignal::new(None);
    let shared = take_shared_param();
    if shared.as_deref() == Some("lost") {
        note.set(Some(
            "The photos you shared did not reach daynight: it was not ready to work offline yet. \
             Share them again, or choose them below.",
        ));
    }
    // Always, not only with ?shared: photos left by a start that was cut short are
    // still the user's share, and must not linger on the device.
    leptos::task::spawn_local(async move {
        match take_shared().await {
            Ok(images) => results.add(images),
            Err(e) => web_sys::console::warn_2(&"daynight: could not read the shared photos:".into(), &e),
        }
    });
    consume_launches(results);
    note
}

/// The `shared` parameter of the address, removed from it (so a reload or a bookmark
/// does not carry it).
fn take_shared_param() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    let url = web_sys::Url::new(&href).ok()?;
    let value = url.search_params().get("shared")?;
    url.search_params().delete("shared");
    let _ = replace_state(&JsValue::NULL, "", &url.href());
    Some(value)
}

/// The photos the service worker keeps for the page, in the order shared, each
/// deleted from its cache once read.
async fn take_shared() -> Result<Vec<(String, Blob)>, JsValue> {
    let Some(window) = web_sys::window() else { return Ok(Vec::new()) };
    let caches = js_sys::Reflect::get(&window, &"caches".into())?;
    if caches.is_undefined() {
        return Ok(Vec::new()); // not a secure context
    }
    let caches: CacheStorage = caches.unchecked_into();
    if JsFuture::from(caches.has(SHARED)?).await?.as_bool() != Some(true) {
        return Ok(Vec::new());
    }
    let cache: Cache = JsFuture::from(caches.open(SHARED)?).await?.unchecked_into();
    let keys: js_sys::Array = JsFuture::from(cache.keys()?).await?.unchecked_into();
    let mut images = Vec::new();
    for key in keys.iter() {
        let found = JsFuture::from(cache.lookup(&key)?).await?;
        if let Some(response) = found.dyn_ref::<web_sys::Response>() {
            let name = response
                .headers()
                .get("x-name")
                .ok()
                .flatten()
                .and_then(|n| js_sys::decode_uri_component(&n).ok())
                .map(String::from)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("shared photo {}", images.len() + 1));
            let blob: Blob = JsFuture::from(response.blob()?).await?.unchecked_into();
            images.push((name, blob));
        }
        JsFuture::from(cache.delete(&key)?).await?;
    }
    Ok(images)
}

/// Hands the files of every launch (the app opened with files from the file
/// manager) to `results`; directories are skipped.
fn consume_launches(results: Results) {
    let Some(window) = web_sys::window() else { return };
    let Ok(queue) = js_sys::Reflect::get(&window, &"launchQueue".into()) else { return };
    if queue.is_undefined() || queue.is_null() {
        return;
    }
    let consumer = Closure::<dyn Fn(JsValue)>::new(move |params: JsValue| {
        let Some(files) = params.unchecked_into::<LaunchParams>().files() else { return };
        leptos::task::spawn_local(async move {
            let mut images = Vec::new();
            for handle in files.iter().map(JsCast::unchecked_into::<FileHandle>) {
                if handle.kind().as_deref() == Some("directory") {
                    continue;
                }
                let file = match handle.get_file() {
                    Ok(promise) => JsFuture::from(promise).await,
                    Err(e) => Err(e),
                };
                match file.map(JsCast::dyn_into::<web_sys::File>) {
                    Ok(Ok(file)) => images.push((file.name(), file.unchecked_into())),
                    Ok(Err(other)) => web_sys::console::warn_2(&"daynight: a launch gave no file:".into(), &other),
                    Err(e) => web_sys::console::warn_2(&"daynight: could not open a launched file:".into(), &e),
                }
            }
            results.add(images);
        });
    });
    if queue.unchecked_into::<LaunchQueue>().set_consumer(consumer.as_ref().unchecked_ref()).is_ok() {
        // The queue calls it for every launch while the page lives.
        consumer.forget();
    }
}

/// The note about a share that did not arrive, when there is one.
#[component]
pub fn ShareNote(note: RwSignal<Option<&'static str>>) -> impl IntoView {
    move || note.get().map(|text| view! { <p class="share-note" role="status">{text}</p> })
}
