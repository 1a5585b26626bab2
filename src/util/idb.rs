//! The page's IndexedDB: one connection, opened on first use and kept, and the
//! upgrade path from every earlier layout. Nothing stored here leaves the device.
//!
//! Layouts (`VERSION`):
//! 1. one object store, `kv`: `examples` (an array of every marked example) and
//!    `model` (the user's model);
//! 2. marked examples move to their own store, `examples`, one record per photo keyed
//!    by its content ([`crate::teach::example::content_key`]): the same photo marked
//!    twice is one record, and a mark writes one record instead of the whole list.
//!
//! The raw `Idb*` bindings are wrapped in one promise helper instead of pulling in a
//! crate for a handful of calls.

use std::cell::RefCell;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::teach::example::StoredExample;
use crate::util::js::describe;
use crate::worker::wire::Wire;

/// The database's name.
pub const NAME: &str = "daynight";
/// The layout this code reads and writes.
pub const VERSION: u32 = 2;
/// Small values by name: `model`.
pub const KV: &str = "kv";
/// Marked examples by content key (layout 2 on).
pub const EXAMPLES: &str = "examples";
/// Where layout 1 kept every marked example, in [`KV`].
const V1_EXAMPLES: &str = "examples";

thread_local! {
    static CONNECTION: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// The value under `key` in `store` (`undefined` when there is none).
pub async fn get(store: &str, key: &str) -> Result<JsValue, String> {
    let store = object_store(store, IdbTransactionMode::Readonly).await?;
    done(&store.get(&key.into()).map_err(describe)?).await
}

/// Every value in `store`, in key order.
pub async fn get_all(store: &str) -> Result<Vec<JsValue>, String> {
    let store = object_store(store, IdbTransactionMode::Readonly).await?;
    let all = done(&store.get_all().map_err(describe)?).await?;
    Ok(Array::from(&all).iter().collect())
}

/// Stores `value` under `key` in `store`.
pub async fn put(store: &str, key: &str, value: &JsValue) -> Result<(), String> {
    let store = object_store(store, IdbTransactionMode::Readwrite).await?;
    done(&store.put_with_key(value, &key.into()).map_err(describe)?).await.map(drop)
}

/// Removes `key` from `store`.
pub async fn delete(store: &str, key: &str) -> Result<(), String> {
    let store = object_store(store, IdbTransactionMode::Readwrite).await?;
    done(&store.delete(&key.into()).map_err(describe)?).await.map(drop)
}

/// Empties `store`.
pub async fn clear(store: &str) -> Result<(), String> {
    let store = object_store(store, IdbTransactionMode::Readwrite).await?;
    done(&store.clear().map_err(describe)?).await.map(drop)
}

/// Closes the kept connection (the next call opens a new one). For tests, and for
/// another tab that asks to upgrade the layout.
pub fn close() {
    if let Some(db) = CONNECTION.with(|c| c.borrow_mut().take()) {
        db.close();
    }
}

/// `store` in a fresh transaction on the kept connection.
async fn object_store(store: &str, mode: IdbTransactionMode) -> Result<IdbObjectStore, String> {
    let db = connection().await?;
    let transaction = match db.transaction_with_str_and_mode(store, mode) {
        Ok(transaction) => transaction,
        // Closed under us (the browser may close an idle connection): open again once.
        Err(_) => {
            close();
            connection().await?.transaction_with_str_and_mode(store, mode).map_err(describe)?
        }
    };
    transaction.object_store(store).map_err(describe)
}

async fn connection() -> Result<IdbDatabase, String> {
    if let Some(db) = CONNECTION.with(|c| c.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("this browser keeps no local storage for this page")?;
    let open = factory.open_with_u32(NAME, VERSION).map_err(describe)?;
    let upgrade = Closure::once(move |event: web_sys::IdbVersionChangeEvent| upgrade(&event));
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = done(&open).await;
    open.set_onupgradeneeded(None);
    let db: IdbDatabase = opened?.dyn_into().map_err(describe)?;
    // Another tab with a newer layout asks for this connection to go: let it.
    let on_version_change = Closure::<dyn Fn()>::new(close);
    db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    on_version_change.forget();
    // A race with another task opening it too: keep the first, close this one.
    let kept = CONNECTION.with(|c| c.borrow_mut().get_or_insert_with(|| db.clone()).clone());
    if kept != db {
        db.close();
    }
    Ok(kept)
}

/// Brings an older layout (or none) up to [`VERSION`], inside the upgrade's transaction.
fn upgrade(event: &web_sys::IdbVersionChangeEvent) {
    let Some(request) = event.target().and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok()) else { return };
    let Some(db) = request.result().ok().and_then(|r| r.dyn_into::<IdbDatabase>().ok()) else { return };
    let Some(transaction) = request.transaction() else { return };
    let old = event.old_version() as u32;
    if old < 1 {
        let _ = db.create_object_store(KV);
    }
    if old < 2 {
        let _ = db.create_object_store(EXAMPLES);
        if old >= 1 {
            move_examples(&transaction);
        }
    }
}

/// Layout 1 → 2: the array under `kv`/`examples` becomes one record per photo, keyed
/// by content (duplicates fold into one, the later mark winning).
fn move_examples(transaction: &IdbTransaction) {
    let (Ok(kv), Ok(examples)) = (transaction.object_store(KV), transaction.object_store(EXAMPLES)) else { return };
    let Ok(read) = kv.get(&V1_EXAMPLES.into()) else { return };
    let on_read = Closure::once_into_js({
        let read = read.clone();
        move || {
            let array = read.result().ok().and_then(|r| r.dyn_into::<Array>().ok()).unwrap_or_default();
            for record in array.iter() {
                // A record this version cannot read is dropped, as layout 1 dropped it on reading.
                if let Ok(example) = StoredExample::from_wire(Wire::from_js(&record)) {
                    let _ = examples.put_with_key(&record, &example.key().into());
                }
            }
            let _ = kv.delete(&V1_EXAMPLES.into());
        }
    });
    read.set_onsuccess(Some(on_read.unchecked_ref()));
}

/// Waits for a request to succeed (its result) or fail (its error, in words).
async fn done(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    match outcome {
        Ok(_) => request.result().map_err(describe),
        Err(_) => Err(request.error().ok().flatten().map_or_else(|| "the browser's storage refused it".into(), |e| e.message())),
    }
}
