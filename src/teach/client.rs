//! The page's handle on the trainer worker (`in_worker`): started on first use, so
//! a visit that never retrains or imports a model never downloads it.
//!
//! Requests are answered in any order, matched by id. If the worker dies (a trap, a
//! script that cannot load), every open request fails with a plain message and the
//! next request starts a fresh worker (see [`Supervisor`]).

use std::cell::RefCell;

use daynight_core::{Label, N_FEATURES};
use futures_channel::oneshot;
use wasm_bindgen::JsValue;

use super::protocol::{Reply, Request, Retrain, Retrained};
use crate::model::CheckedModel;
use crate::worker::files;
use crate::worker::supervisor::{Events, Restart, Spec, Stopped, Supervisor};
use crate::worker::wire::Wire;

/// Each marked photo weighs as much as this many built-in examples unless the user
/// says otherwise (see [`daynight_core::retrain::DEFAULT_USER_WEIGHT`]).
pub const DEFAULT_USER_WEIGHT: f64 = daynight_core::retrain::DEFAULT_USER_WEIGHT;

/// A model file larger than this is refused before it is read: a real one is about
/// 20 KB, so this is something else.
pub const MAX_MODEL_BYTES: usize = 1 << 20;

const SPEC: Spec = Spec {
    name: "the trainer",
    meta: "daynight-trainer",
    module: false,
    restart: Restart::OnDemand,
    max_failed_starts: 3,
    start_timeout_ms: 30_000,
};

/// Who waits for a request's reply.
type Waiter = oneshot::Sender<Result<Reply, String>>;

struct Trainer {
    supervisor: Supervisor,
    /// Requests sent and not answered yet, by id (a few at most: a list will do).
    open: RefCell<Vec<(u32, Waiter)>>,
    next_id: std::cell::Cell<u32>,
}

thread_local! {
    static TRAINER: Trainer = Trainer {
        supervisor: Supervisor::new(SPEC, Events {
            ready: Box::new(|| ()),
            message: Box::new(on_message),
            stopped: Box::new(on_stopped),
        }),
        open: RefCell::new(Vec::new()),
        next_id: std::cell::Cell::new(0),
    };
}

/// Retrains on the built-in examples plus `examples` (the features of the user's
/// marked photos, with their true labels), each weighing `user_weight` built-in
/// examples. "Before" is measured on `before` (the server's or an imported model in
/// use), else on the built-in model.
pub async fn retrain(
    examples: Vec<(Vec<f64>, Label)>,
    user_weight: f64,
    before: Option<&CheckedModel>,
) -> Result<Retrained, String> {
    if examples.iter().any(|(f, _)| f.len() != N_FEATURES) {
        return Err("a marked photo has no stored features; mark it again".into());
    }
    let examples_url = files::listed("daynight-trainer")?
        .into_iter()
        .find(|file| file.ends_with(".bin"))
        .ok_or("the page names no built-in examples")?;
    let request = Request::Retrain(Retrain {
        examples_url,
        features: examples.iter().flat_map(|(f, _)| f.iter().copied()).collect(),
        nights: examples.iter().map(|(_, label)| *label == Label::Night).collect(),
        weight: user_weight,
        before: before.map(|m| m.numbers.clone()),
    });
    match request_reply(request).await? {
        Reply::Trained { retrained, .. } => Ok(retrained),
        other => Err(unexpected(&other)),
    }
}

/// Reads and checks a model file (an import, the server's `model.json`): format
/// version, feature list, finite numbers. `Err` is a sentence for people.
pub async fn check_model(json: String) -> Result<CheckedModel, String> {
    if json.len() > MAX_MODEL_BYTES {
        return Err(format!("this file is {} KB; a daynight model file is about 20 KB", json.len() / 1024));
    }
    model_of(request_reply(Request::Check { json }).await?)
}

/// The built-in model as a [`CheckedModel`] (for exporting it).
pub async fn builtin_model() -> Result<CheckedModel, String> {
    model_of(request_reply(Request::Builtin).await?)
}

fn model_of(reply: Reply) -> Result<CheckedModel, String> {
    match reply {
        Reply::Model { model, .. } => Ok(model),
        other => Err(unexpected(&other)),
    }
}

fn unexpected(reply: &Reply) -> String {
    let what = match reply {
        Reply::Model { .. } => "a model",
        Reply::Trained { .. } => "a retrained model",
        Reply::Failed { .. } => "a failure",
    };
    format!("the trainer answered with {what}, which was not what was asked")
}

/// Sends a request (starting the worker if there is none) and waits for its reply;
/// a [`Reply::Failed`] comes back as its message.
async fn request_reply(request: Request) -> Result<Reply, String> {
    let (reply, answer) = oneshot::channel();
    TRAINER.with(|trainer| {
        let id = trainer.next_id.get() + 1;
        trainer.next_id.set(id);
        trainer.open.borrow_mut().push((id, reply));
        let sent = trainer.supervisor.post(request.into_wire::<JsValue>(id).into_js(), None);
        if let Err(why) = sent {
            answer_request(id, Err(why));
        }
    });
    match answer.await.unwrap_or_else(|_| Err("the trainer stopped before it answered".into()))? {
        Reply::Failed { message, .. } => Err(message),
        reply => Ok(reply),
    }
}

/// Answers the open request `id`, if it is still open.
fn answer_request(id: u32, outcome: Result<Reply, String>) {
    let waiter = TRAINER.with(|t| {
        let mut open = t.open.borrow_mut();
        let at = open.iter().position(|(open, _)| *open == id)?;
        Some(open.swap_remove(at).1)
    });
    // Answered outside the borrow: the waiting task may send the next request at once.
    if let Some(waiter) = waiter {
        let _ = waiter.send(outcome);
    }
}

fn on_message(wire: Wire<JsValue>) {
    let id = match wire.get("id") {
        Some(Wire::Num(id)) => *id as u32,
        _ => return web_sys::console::warn_1(&"daynight: the trainer said something without an id".into()),
    };
    let outcome = Reply::from_wire(wire).map_err(|why| format!("the trainer's answer could not be understood ({why})"));
    answer_request(id, outcome);
}

/// The worker died: every open request fails; the next one starts a new worker.
fn on_stopped(stopped: Stopped) {
    let open = TRAINER.with(|t| std::mem::take(&mut *t.open.borrow_mut()));
    let message = stopped.gave_up.unwrap_or_else(|| "the trainer stopped unexpectedly; try again".into());
    for (_, waiter) in open {
        let _ = waiter.send(Err(message.clone()));
    }
}
