//! A model other than the built-in one (retrained in the page, imported, or the
//! server's `model.json`), checked and ready for the classifier worker.
//!
//! Only the trainer worker reads model JSON (it has the JSON codec; the page and the
//! classifier worker stay small without one). It hands out a [`CheckedModel`]: the
//! JSON as the user exports it, plus the numbers that JSON reads as
//! ([`daynight_core::Model::to_numbers`]), which the classifier worker turns back
//! into a model with the core's checks and no parsing.

use js_sys::{Float64Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A model that passed the trainer's checks.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedModel {
    /// [`daynight_core::Model::id`] of the numbers the JSON reads as: the id
    /// `daynight classify --model` prints for the same file.
    pub id: String,
    /// The model file, exactly what `daynight classify --model FILE` reads.
    pub json: String,
    /// The model's numbers, [`daynight_core::Model::NUMBERS`] of them.
    pub(crate) numbers: Vec<f64>,
}

impl CheckedModel {
    /// A plain object `{ id, json, numbers: Float64Array }`: structured-cloneable, so
    /// it can be stored in IndexedDB as is and posted to a worker.
    pub fn to_js(&self) -> JsValue {
        let object = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &"id".into(), &self.id.as_str().into());
        let _ = Reflect::set(&object, &"json".into(), &self.json.as_str().into());
        let _ = Reflect::set(&object, &"numbers".into(), &Float64Array::from(self.numbers.as_slice()));
        object.into()
    }

    /// Reads back what [`CheckedModel::to_js`] made (from IndexedDB, say); `None` for
    /// anything else. The numbers are checked again by the classifier worker, so a
    /// tampered store gets a message there, never a wrong model.
    pub fn from_js(value: &JsValue) -> Option<CheckedModel> {
        let get = |key: &str| Reflect::get(value, &key.into()).ok();
        let numbers = get("numbers")?.dyn_into::<Float64Array>().ok()?.to_vec();
        Some(CheckedModel { id: get("id")?.as_string()?, json: get("json")?.as_string()?, numbers })
    }
}
