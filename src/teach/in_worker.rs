//! The trainer worker: model JSON and retraining, off the page's thread and out of
//! the page's and the classifier's wasm.
//!
//! Its bundle (`src/bin/trainer.rs`) is only fetched when the page first needs it:
//! a Retrain, a model import, the server's `model.json`. It reads and checks model
//! files (the JSON codec lives here alone), and retrains with the core's
//! [`daynight_core::retrain`] on the built-in examples, which it fetches once (same
//! origin, `model/examples.bin` under a content-hashed name) and keeps. Its messages
//! are [`super::protocol`]'s.

use std::cell::RefCell;
use std::rc::Rc;

use daynight_core::examples::Examples;
use daynight_core::model::EMBEDDED_JSON;
use daynight_core::retrain::{teach, Marked};
use daynight_core::{Model, N_FEATURES};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, Response};

use super::protocol::{Reply, Request, Retrain, Retrained};
use crate::model::CheckedModel;
use crate::worker::serve::{post, serve};
use crate::worker::wire::Wire;

thread_local! {
    // Fetched and read on the first retrain, kept for the next ones.
    static EXAMPLES: RefCell<Option<Rc<Examples>>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Starts the worker: the panic hook, the message loop, "ready".
pub fn run() {
    serve(handle);
}

async fn handle(message: Wire<JsValue>) {
    let (id, request) = match Request::from_wire(message) {
        Ok(request) => request,
        // Without a readable id there is nobody to answer.
        Err(why) => return web_sys::console::warn_1(&format!("daynight: an unexpected request: {why}").into()),
    };
    let outcome = match request {
        Request::Check { json } => check(&json).map(|model| Reply::Model { id, model }),
        Request::Builtin => check(EMBEDDED_JSON).map(|model| Reply::Model { id, model }),
        Request::Retrain(retrain) => run_retrain(retrain).await.map(|retrained| Reply::Trained { id, retrained }),
    };
    post(outcome.unwrap_or_else(|message| Reply::Failed { id, message }).into_wire());
}

/// Reads and checks a model file. The id and numbers are those the JSON reads as,
/// so they are what `daynight classify --model` gets from the same file.
fn check(json: &str) -> Result<CheckedModel, String> {
    let model = Model::from_json(json).map_err(|e| e.to_string())?;
    Ok(CheckedModel { id: model.id(), json: json.to_string(), numbers: model.to_numbers() })
}

async fn run_retrain(request: Retrain) -> Result<Retrained, String> {
    let marks = marks(&request)?;
    let examples = examples(&request.examples_url).await?;
    // The model the marks are compared with: the one the page names, else the built-in.
    let before = match &request.before {
        Some(numbers) => Model::from_numbers(numbers),
        None => Model::embedded(),
    }
    .map_err(|e| e.to_string())?;
    let taught = teach(&examples, &marks, request.weight, &before).map_err(|e| e.to_string())?;
    Ok(Retrained {
        model: check(&taught.model.to_json())?,
        before_right: taught.before_right,
        after_right: taught.after_right,
        trained: taught.trained,
        n_builtin: examples.samples.len() as u32,
        n_user: marks.len() as u32,
    })
}

/// The marked photos: [`N_FEATURES`] finite numbers and a label each.
fn marks(request: &Retrain) -> Result<Vec<Marked>, String> {
    if request.features.iter().any(|x| !x.is_finite()) {
        return Err(format!("each marked photo needs {N_FEATURES} finite feature numbers"));
    }
    Ok(request
        .features
        .chunks_exact(N_FEATURES)
        .zip(&request.nights)
        .map(|(chunk, &night)| {
            let mut features = [0.0; N_FEATURES];
            features.copy_from_slice(chunk);
            Marked { features, night }
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
