//! The page's handle on the trainer worker ([`crate::trainer_worker`]): started on
//! first use, so a visit that never retrains or imports a model never downloads it.
//!
//! Requests are answered in any order, matched by id. If the worker dies (a trap),
//! every open request fails with a plain message and the next request starts a
//! fresh worker.

use std::cell::RefCell;

use daynight_core::{Label, N_FEATURES};
use futures_channel::oneshot;
use js_sys::{Float64Array, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions};

use crate::classifier::{describe, worker_error};
use crate::custom_model::CheckedModel;
use crate::protocol::{field, number, object, text};

/// Each marked photo weighs as much as this many built-in examples unless the user
/// says otherwise (see [`daynight_core::retrain::DEFAULT_USER_WEIGHT`]).
pub const DEFAULT_USER_WEIGHT: f64 = daynight_core::retrain::DEFAULT_USER_WEIGHT;

/// A model file larger than this is refused before it is read: a real one is about
/// 20 KB, so this is something else.
pub const MAX_MODEL_BYTES: usize = 1 << 20;

/// A worker not ready after this long is taken for one that failed to load (a wasm
/// that did not arrive rejects a promise inside the worker, which fires no `error`
/// event on the page's side), so its requests fail instead of waiting forever.
const START_TIMEOUT_MS: i32 = 30_000;

/// A retrained model and how it does on the user's marked photos.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrained {
    /// The new model.
    pub model: CheckedModel,
    /// Share of the marked photos the built-in model got right (it never saw them).
    pub cv_before: f64,
    /// Share right in 5-fold cross-validation: each marked photo answered by a model
    /// trained without it (and without the others of its fold).
    pub cv_after: f64,
    /// Share the new model gets right (it trained on them).
    pub trained: f64,
    /// Marked photos trained on.
    pub n_user: usize,
    /// Built-in examples trained on.
    pub n_builtin: usize,
}

type Answer = Result<JsValue, String>;

struct Trainer {
    worker: Worker,
    ready: bool,
    /// Requests written before the worker could listen.
    waiting: Vec<JsValue>,
    /// Requests sent and not answered yet, by id (a few at most: a list will do).
    open: Vec<(u32, oneshot::Sender<Answer>)>,
    next_id: u32,
    last_panic: Option<String>,
    // The worker's callbacks, alive as long as it is.
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

thread_local! {
    static TRAINER: RefCell<Option<Trainer>> = const { RefCell::new(None) };
}

/// Retrains on the built-in examples plus `examples` (the features of the user's
/// marked photos, [`crate::protocol::Classified::features`], with their true labels),
/// each weighing `user_weight` built-in examples. "Before" is measured on `before`
/// (the server's or an imported model in use), else on the built-in model; never on
/// a model retrained on these same marks: it has seen them, so its "before" would not
/// be a fair comparison.
pub async fn retrain(
    examples: Vec<(Vec<f64>, Label)>,
    user_weight: f64,
    before: Option<&CheckedModel>,
) -> Result<Retrained, String> {
    if examples.iter().any(|(f, _)| f.len() != N_FEATURES) {
        return Err("a marked photo has no stored features; mark it again".into());
    }
    let features: Vec<f64> = examples.iter().flat_map(|(f, _)| f.iter().copied()).collect();
    let nights: Vec<u8> = examples.iter().map(|(_, label)| u8::from(*label == Label::Night)).collect();
    let reply = request(&[
        ("op", "retrain".into()),
        ("examples", files()?.examples.into()),
        ("features", Float64Array::from(features.as_slice()).into()),
        ("nights", Uint8Array::from(nights.as_slice()).into()),
        ("weight", user_weight.into()),
        ("before", before.map_or(JsValue::NULL, |m| Float64Array::from(m.numbers.as_slice()).into())),
    ])
    .await?;
    let count = |key| number(&reply, key).unwrap_or(0.0) as usize;
    Ok(Retrained {
        model: model_of(&reply)?,
        cv_before: number(&reply, "before").unwrap_or(f64::NAN),
        cv_after: number(&reply, "after").unwrap_or(f64::NAN),
        trained: number(&reply, "trained").unwrap_or(f64::NAN),
        n_user: count("n_user"),
        n_builtin: count("n_builtin"),
    })
}

/// Reads and checks a model file (an import, the server's `model.json`): format
/// version, feature list, finite numbers. `Err` is a sentence for people.
pub async fn check_model(json: String) -> Result<CheckedModel, String> {
    if json.len() > MAX_MODEL_BYTES {
        return Err(format!("this file is {} KB; a daynight model file is about 20 KB", json.len() / 1024));
    }
    let reply = request(&[("op", "check".into()), ("json", json.into())]).await?;
    model_of(&reply)
}

/// The built-in model as a [`CheckedModel`] (for exporting it).
pub async fn builtin_model() -> Result<CheckedModel, String> {
    model_of(&request(&[("op", "builtin".into())]).await?)
}

fn model_of(reply: &JsValue) -> Result<CheckedModel, String> {
    CheckedModel::from_js(&field(reply, "model")).ok_or_else(|| "the trainer sent no model".into())
}

/// Sends a request, starting the worker if there is none, and waits for its reply.
async fn request(fields: &[(&str, JsValue)]) -> Answer {
    let (reply, answer) = oneshot::channel();
    TRAINER.with(|cell| -> Result<(), String> {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(spawn()?);
        }
        let Some(trainer) = cell.as_mut() else { return Err("the trainer did not start".into()) };
        trainer.next_id += 1;
        let id = trainer.next_id;
        let mut fields = fields.to_vec();
        fields.push(("id", id.into()));
        let message = object(&fields);
        trainer.open.push((id, reply));
        if trainer.ready {
            trainer.worker.post_message(&message).map_err(describe)?;
        } else {
            trainer.waiting.push(message);
        }
        Ok(())
    })?;
    answer.await.unwrap_or_else(|_| Err("the trainer stopped before it answered".into()))
}

/// The trainer's files, from the page's `<meta name="daynight-trainer">` (written at
/// build time by `scripts/hash-worker.sh`), as absolute URLs.
struct Files {
    loader: String,
    examples: String,
}

fn files() -> Result<Files, String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let names = document
        .query_selector(r#"meta[name="daynight-trainer"]"#)
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .ok_or("the page does not name its trainer (was it built with Trunk?)")?;
    let base = document.base_uri().ok().flatten().unwrap_or_default();
    let absolute = |name: &str| web_sys::Url::new_with_base(name, &base).map(|u| u.href()).map_err(describe);
    let mut names = names.split_whitespace();
    let loader = absolute(names.next().ok_or("the page names no trainer script")?)?;
    let examples = absolute(names.find(|n| n.ends_with(".bin")).ok_or("the page names no built-in examples")?)?;
    Ok(Files { loader, examples })
}

fn spawn() -> Result<Trainer, String> {
    let options = WorkerOptions::new();
    options.set_name("daynight trainer");
    let worker = Worker::new_with_options(&files()?.loader, &options).map_err(describe)?;
    // The callbacks find the trainer through the thread-local, and ignore events of
    // a worker that was already replaced.
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| on_message(&event));
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        event.prevent_default();
        if is_current(&event) {
            stopped(worker_error(&event));
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let starting = worker.clone();
    let check_started = Closure::once_into_js(move || {
        let stuck = TRAINER.with(|cell| cell.borrow().as_ref().is_some_and(|t| t.worker == starting && !t.ready));
        if stuck {
            stopped(format!("not ready after {} s", START_TIMEOUT_MS / 1000));
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(check_started.unchecked_ref(), START_TIMEOUT_MS);
    }
    Ok(Trainer {
        worker,
        ready: false,
        waiting: Vec::new(),
        open: Vec::new(),
        next_id: 0,
        last_panic: None,
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn is_current(event: &web_sys::Event) -> bool {
    let target = event.target().map(JsValue::from);
    TRAINER.with(|cell| cell.borrow().as_ref().is_some_and(|t| Some(JsValue::from(&t.worker)) == target))
}

fn on_message(event: &MessageEvent) {
    if !is_current(event) {
        return;
    }
    let data = event.data();
    let done = TRAINER.with(|cell| {
        let mut cell = cell.borrow_mut();
        let trainer = cell.as_mut()?;
        match text(&data, "reply").as_deref() {
            Some("ready") => {
                trainer.ready = true;
                for message in std::mem::take(&mut trainer.waiting) {
                    let _ = trainer.worker.post_message(&message);
                }
                None
            }
            Some("panic") => {
                trainer.last_panic = text(&data, "message");
                None
            }
            Some(kind) => {
                let id = number(&data, "id")? as u32;
                let answer = if kind == "failed" { Err(text(&data, "message").unwrap_or_default()) } else { Ok(data.clone()) };
                let at = trainer.open.iter().position(|(open, _)| *open == id)?;
                Some((trainer.open.swap_remove(at).1, answer))
            }
            None => None,
        }
    });
    // Answered outside the borrow: the waiting task may send the next request at once.
    if let Some((reply, answer)) = done {
        let _ = reply.send(answer);
    }
}

/// The worker died: every open request fails, and the next one starts a new worker.
fn stopped(why: String) {
    let Some(trainer) = TRAINER.with(|cell| cell.borrow_mut().take()) else { return };
    let Trainer { worker, open, last_panic, _on_message, _on_error, .. } = trainer;
    worker.terminate();
    let why = last_panic.unwrap_or(why);
    web_sys::console::warn_2(&"daynight: the trainer worker stopped:".into(), &why.as_str().into());
    for (_, reply) in open {
        let _ = reply.send(Err("the trainer stopped unexpectedly; try again".into()));
    }
    // This runs inside `_on_error`: a closure must not be freed while it runs, so the
    // callbacks go after this task.
    wasm_bindgen_futures::spawn_local(async move { drop((_on_message, _on_error)) });
}
