//! What the page keeps on this device between visits, in IndexedDB: the examples the
//! user marked (feature vectors and labels, never photos) and the model they trained
//! or imported. Nothing here ever leaves the browser.
//!
//! One object store of a few keyed values is all this needs: each write replaces a
//! whole value, which stays small (82 numbers per example). The raw `Idb*` bindings
//! are wrapped in one promise helper instead of pulling in a crate for four calls.

use daynight_core::Label;
use js_sys::{Array, Float64Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

use crate::classifier::describe;
use crate::custom_model::CheckedModel;

const DB_NAME: &str = "daynight";
const DB_VERSION: u32 = 1;
const STORE: &str = "kv";
const EXAMPLES_KEY: &str = "examples";
const MODEL_KEY: &str = "model";

/// One marked example as stored: what the user said and the photo's features.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredExample {
    /// The photo's file name, so the Teach list can name it after a reload.
    pub name: String,
    /// The truth, as the user marked it.
    pub label: Label,
    /// The photo's features ([`daynight_core::N_FEATURES`] numbers).
    pub features: Vec<f64>,
}

/// A model the user trained or imported, as stored: already checked, so a reload
/// applies it without starting the trainer worker.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredModel {
    /// The model, checked by the trainer worker.
    pub model: CheckedModel,
    /// Where it came from, for the page's "model" line (see [`crate::models::Origin`]).
    pub origin: String,
}

/// Reads the marked examples; an empty list when there are none (or no IndexedDB,
/// e.g. a private window that refuses it). Malformed records are skipped.
pub async fn load_examples() -> Result<Vec<StoredExample>, String> {
    let value = get(EXAMPLES_KEY).await?;
    let Some(array) = value.dyn_ref::<Array>() else { return Ok(Vec::new()) };
    Ok(array.iter().filter_map(|record| read_example(&record)).collect())
}

/// Replaces the stored examples with `examples`.
pub async fn save_examples(examples: &[StoredExample]) -> Result<(), String> {
    let array = Array::new();
    for example in examples {
        let record = Object::new();
        let features = Float64Array::from(example.features.as_slice());
        let _ = Reflect::set(&record, &"name".into(), &example.name.as_str().into());
        let _ = Reflect::set(&record, &"label".into(), &example.label.as_str().into());
        let _ = Reflect::set(&record, &"features".into(), &features);
        array.push(&record);
    }
    put(EXAMPLES_KEY, &array).await
}

/// Reads the stored custom model, if any.
pub async fn load_model() -> Result<Option<StoredModel>, String> {
    let value = get(MODEL_KEY).await?;
    if value.is_undefined() {
        return Ok(None);
    }
    let field = |key: &str| Reflect::get(&value, &key.into()).unwrap_or(JsValue::UNDEFINED);
    let model = CheckedModel::from_js(&field("checked")).ok_or("it is not in a form this version of the app reads")?;
    Ok(Some(StoredModel { model, origin: field("origin").as_string().unwrap_or_default() }))
}

/// Stores `model` as the custom model, or forgets it (`None`: back to the built-in one).
pub async fn save_model(model: Option<&StoredModel>) -> Result<(), String> {
    match model {
        Some(model) => {
            let record = Object::new();
            let _ = Reflect::set(&record, &"checked".into(), &model.model.to_js());
            let _ = Reflect::set(&record, &"origin".into(), &model.origin.as_str().into());
            put(MODEL_KEY, &record).await
        }
        None => {
            let store = object_store(IdbTransactionMode::Readwrite).await?;
            done(&store.delete(&MODEL_KEY.into()).map_err(describe)?).await.map(drop)
        }
    }
}

fn read_example(record: &JsValue) -> Option<StoredExample> {
    let field = |key: &str| Reflect::get(record, &key.into()).ok();
    let label = match field("label")?.as_string()?.as_str() {
        "day" => Label::Day,
        "night" => Label::Night,
        _ => return None,
    };
    let features = field("features")?.dyn_into::<Float64Array>().ok()?.to_vec();
    if features.len() != daynight_core::N_FEATURES || !features.iter().all(|x| x.is_finite()) {
        return None;
    }
    Some(StoredExample { name: field("name")?.as_string().unwrap_or_default(), label, features })
}

async fn get(key: &str) -> Result<JsValue, String> {
    let store = object_store(IdbTransactionMode::Readonly).await?;
    done(&store.get(&key.into()).map_err(describe)?).await
}

async fn put(key: &str, value: &JsValue) -> Result<(), String> {
    let store = object_store(IdbTransactionMode::Readwrite).await?;
    done(&store.put_with_key(value, &key.into()).map_err(describe)?).await.map(drop)
}

/// The object store in a fresh transaction. The database is opened per call: it is
/// a handful of calls per user action, and no handle outlives a page's bfcache.
async fn object_store(mode: IdbTransactionMode) -> Result<IdbObjectStore, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("this browser keeps no local storage for this page")?;
    let open = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(describe)?;
    // First visit (or a newer layout): create the store before `success` fires.
    let upgrade = Closure::once(move |event: web_sys::Event| {
        let db = event.target().and_then(|t| t.dyn_into::<IdbRequest>().ok()).and_then(|r| r.result().ok());
        if let Some(db) = db.and_then(|db| db.dyn_into::<IdbDatabase>().ok()) {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db: IdbDatabase = done(&open).await?.dyn_into().map_err(describe)?;
    open.set_onupgradeneeded(None);
    let transaction = db.transaction_with_str_and_mode(STORE, mode).map_err(describe)?;
    transaction.object_store(STORE).map_err(describe)
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
