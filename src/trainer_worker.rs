//! The trainer worker: model JSON and retraining, off the page's thread and out of
//! the page's and the classifier's wasm.
//!
//! Its bundle (`src/bin/trainer.rs`) is only fetched when the page first needs it:
//! a Retrain, a model import, the server's `model.json`. It reads and checks model
//! files (the JSON codec lives here alone), and retrains with the core's
//! [`daynight_core::retrain`] on the built-in examples, which it fetches once (same
//! origin, `model/examples.bin` under a content-hashed name) and keeps.
//!
//! Messages (plain objects; `id` matches a reply to its request):
//! - `{op: "check", id, json}` → `{reply: "model", id, model}`: the file checked
//!   (format version, feature list, finite and bounded numbers);
//! - `{op: "builtin", id}` → `{reply: "model", id, model}`: the built-in model;
//! - `{op: "retrain", id, examples, features: Float64Array, nights: Uint8Array, weight,
//!   before: Float64Array | null}` (`before`: the numbers of the model to compare with;
//!   null for the built-in one)
//!   → `{reply: "trained", id, model, before, after, trained, n_builtin, n_user}`;
//! - any failure → `{reply: "failed", id, message}`; a panic → `{reply: "panic", message}`.
//!
//! `model` is a [`CheckedModel::to_js`] object.

use std::cell::RefCell;
use std::rc::Rc;

use daynight_core::examples::Examples;
use daynight_core::model::EMBEDDED_JSON;
use daynight_core::retrain::{teach, Marked};
use daynight_core::{Model, N_FEATURES};
use js_sys::{Float64Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Response};

use crate::custom_model::CheckedModel;
use crate::protocol::{field, number, object, text};

thread_local! {
    // Fetched and read on the first retrain, kept for the next ones.
    static EXAMPLES: RefCell<Option<Rc<Examples>>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &JsValue) {
    // Posting a plain object to our own page cannot fail.
    let _ = scope().post_message(message);
}

/// Starts the worker: installs the panic hook, listens for requests, says it is ready.
pub fn run() {
    std::panic::set_hook(Box::new(|info| {
        // The full message in the console for diagnosis, and to the page for its message.
        let message = info.to_string();
        web_sys::console::error_1(&message.as_str().into());
        post(&object(&[("reply", "panic".into()), ("message", message.into())]));
    }));
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        wasm_bindgen_futures::spawn_local(handle(event.data()));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its page: the handler is never dropped.
    on_message.forget();
    post(&object(&[("reply", "ready".into())]));
}

async fn handle(data: JsValue) {
    let Some(id) = number(&data, "id") else { return };
    let model = |m: CheckedModel| object(&[("reply", "model".into()), ("id", id.into()), ("model", m.to_js())]);
    let reply = match text(&data, "op").as_deref() {
        Some("check") => {
            text(&data, "json").ok_or_else(|| "no model file was given".to_string()).and_then(|j| check(&j)).map(model)
        }
        Some("builtin") => check(EMBEDDED_JSON).map(model),
        Some("retrain") => retrain(&data).await.map(|t| {
            object(&[
                ("reply", "trained".into()),
                ("id", id.into()),
                ("model", t.model.to_js()),
                ("before", t.before.into()),
                ("after", t.after.into()),
                ("trained", t.trained.into()),
                ("n_builtin", (t.n_builtin as f64).into()),
                ("n_user", (t.n_user as f64).into()),
            ])
        }),
        _ => Err("the trainer does not know this request".into()),
    };
    post(&reply.unwrap_or_else(|message| object(&[("reply", "failed".into()), ("id", id.into()), ("message", message.into())])));
}

/// Reads and checks a model file. The id and numbers are those the JSON reads as,
/// so they are what `daynight classify --model` gets from the same file.
fn check(json: &str) -> Result<CheckedModel, String> {
    let model = Model::from_json(json).map_err(|e| e.to_string())?;
    Ok(CheckedModel { id: model.id(), json: json.to_string(), numbers: model.to_numbers() })
}

/// What a retrain gives back.
struct Trained {
    model: CheckedModel,
    before: f64,
    after: f64,
    trained: f64,
    n_builtin: usize,
    n_user: usize,
}

async fn retrain(data: &JsValue) -> Result<Trained, String> {
    let marks = marks(data)?;
    let weight = number(data, "weight").ok_or("no weight for the marked photos")?;
    let url = text(data, "examples").ok_or("the page does not name the built-in examples")?;
    let examples = examples(&url).await?;
    // The model the marks are compared with: the one the page names, else the built-in.
    let before = match field(data, "before").dyn_into::<Float64Array>() {
        Ok(numbers) => Model::from_numbers(&numbers.to_vec()),
        Err(_) => Model::embedded(),
    }
    .map_err(|e| e.to_string())?;
    let taught = teach(&examples, &marks, weight, &before).map_err(|e| e.to_string())?;
    Ok(Trained {
        model: check(&taught.model.to_json())?,
        before: taught.before,
        after: taught.after,
        trained: taught.trained,
        n_builtin: examples.samples.len(),
        n_user: marks.len(),
    })
}

/// The marked photos: `features` holds [`N_FEATURES`] numbers per photo, `nights`
/// one byte per photo (1 for night).
fn marks(data: &JsValue) -> Result<Vec<Marked>, String> {
    let features = field(data, "features").dyn_into::<Float64Array>().map_err(|_| "no features were sent")?.to_vec();
    let nights = field(data, "nights").dyn_into::<Uint8Array>().map_err(|_| "no labels were sent")?.to_vec();
    if features.len() != nights.len() * N_FEATURES || features.iter().any(|x| !x.is_finite()) {
        return Err(format!("each marked photo needs {N_FEATURES} finite feature numbers"));
    }
    Ok(features
        .chunks_exact(N_FEATURES)
        .zip(nights)
        .map(|(chunk, night)| {
            let mut features = [0.0; N_FEATURES];
            features.copy_from_slice(chunk);
            Marked { features, night: night == 1 }
        })
        .collect())
}

/// The built-in examples, fetched from `url` the first time.
async fn examples(url: &str) -> Result<Rc<Examples>, String> {
    if let Some(kept) = EXAMPLES.with(|e| e.borrow().clone()) {
        return Ok(kept);
    }
    let offline = |_| "the built-in examples could not be downloaded (offline?); try again when connected".to_string();
    let response: Response = JsFuture::from(scope().fetch_with_str(url)).await.map_err(offline)?.unchecked_into();
    if !response.ok() {
        return Err(format!("the server answered {} for the built-in examples", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(offline)?).await.map_err(offline)?;
    let examples = Rc::new(Examples::from_bytes(&Uint8Array::new(&buffer).to_vec()).map_err(|e| e.to_string())?);
    EXAMPLES.with(|e| *e.borrow_mut() = Some(examples.clone()));
    Ok(examples)
}
