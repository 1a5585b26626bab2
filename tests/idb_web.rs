//! The page's IndexedDB in headless Chromium (`tests/e2e/wasm-test.sh`): a database
//! left by an earlier version of the app (layout 1: every marked example in one
//! array under `kv`/`examples`) is upgraded in place, keeping each photo once.

#![cfg(target_arch = "wasm32")]

use daynight_core::N_FEATURES;
use daynight_web::teach::Teach;
use daynight_web::util::idb;
use leptos::prelude::GetUntracked;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Writes layout 1 as version 1 of the app did, with the raw IndexedDB API.
const WRITE_LAYOUT_1: &str = r#"
return new Promise((resolve, reject) => {
  const gone = indexedDB.deleteDatabase("daynight");
  gone.onerror = () => reject(gone.error);
  gone.onsuccess = () => {
    const open = indexedDB.open("daynight", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("kv");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction("kv", "readwrite");
      const example = (name, label, x) => ({ name, label, features: new Float64Array(N).fill(x) });
      tx.objectStore("kv").put([
        example("street.jpg", "night", 0.25),
        example("street copy.jpg", "day", 0.25),
        example("beach.jpg", "day", 0.75),
        { name: "broken", label: "dusk", features: new Float64Array(3) },
      ], "examples");
      tx.objectStore("kv").put({ origin: "trained:2" }, "model");
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  };
});
"#;

async fn run_js(body: &str) -> Result<JsValue, JsValue> {
    let function = js_sys::Function::new_with_args("N", body);
    let promise: js_sys::Promise = function.call1(&JsValue::NULL, &(N_FEATURES as u32).into())?.into();
    JsFuture::from(promise).await
}

#[wasm_bindgen_test]
async fn layout_1_is_upgraded_keeping_each_photo_once() {
    idb::close();
    run_js(WRITE_LAYOUT_1).await.expect("layout 1 written");

    let teach = Teach::new(10.0);
    teach.restore().await;
    let names: Vec<(String, &str)> =
        teach.examples.get_untracked().iter().map(|e| (e.stored.name.clone(), e.stored.label.as_str())).collect();
    assert_eq!(names.len(), 2, "the same photo twice is one example, the broken record is dropped: {names:?}");
    assert!(names.contains(&("beach.jpg".into(), "day")), "{names:?}");
    assert!(names.iter().any(|(n, _)| n.starts_with("street")), "{names:?}");
    assert_eq!(teach.store_error.get_untracked(), None);

    // The old array is gone; the rest of `kv` is untouched.
    assert!(idb::get(idb::KV, "examples").await.unwrap().is_undefined());
    assert!(!idb::get(idb::KV, "model").await.unwrap().is_undefined());
    assert_eq!(idb::get_all(idb::EXAMPLES).await.unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn one_connection_serves_every_call_and_reopens_after_a_close() {
    idb::put(idb::KV, "probe", &"one".into()).await.unwrap();
    assert_eq!(idb::get(idb::KV, "probe").await.unwrap().as_string().as_deref(), Some("one"));
    idb::close();
    assert_eq!(idb::get(idb::KV, "probe").await.unwrap().as_string().as_deref(), Some("one"), "reopened");
    idb::delete(idb::KV, "probe").await.unwrap();
    assert!(idb::get(idb::KV, "probe").await.unwrap().is_undefined());
}
