//! The page's side of a worker's life: start, watch, restart, give up.
//!
//! A worker can die three ways: its wasm traps (an `error` event, which the panic
//! hook's message precedes), its script cannot load (an `error` event that is a
//! plain `Event`, with no message to read), or it never gets ready (a script that
//! loads but whose wasm does not arrive rejects a promise inside the worker, which
//! the page never hears of: a start timeout catches that). Its owner may also judge
//! it hung ([`Supervisor::fail`]). Each time the worker is terminated, the owner is
//! told ([`Stopped`]), and a new one is started at once ([`Restart::Now`]) or with
//! the next message ([`Restart::OnDemand`]). Workers that die before they are ready
//! [`Spec::max_failed_starts`] times in a row make the supervisor give up, with a
//! sentence for people.
//!
//! Events from a worker already replaced (a late message, a late error) are ignored.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::wire::Wire;
use super::{files, Lifecycle};
use crate::util::js::describe;

/// When a dead worker is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restart {
    /// At once: the classifier, which the page always needs.
    Now,
    /// When the next message is posted: the trainer, needed now and then.
    OnDemand,
}

/// What a supervisor runs.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The worker's name in the browser's tools, and in messages ("the classifier").
    pub name: &'static str,
    /// The `<meta>` that names its loader script (see [`files`]).
    pub meta: &'static str,
    /// A module worker (its loader imports the app's ES module) or a classic one.
    pub module: bool,
    /// When a dead worker is replaced.
    pub restart: Restart,
    /// Workers that may die before they are ready, in a row, before giving up.
    pub max_failed_starts: u32,
    /// A worker not ready after this long is taken for one that failed to load.
    pub start_timeout_ms: i32,
}

/// Why a worker was terminated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// What happened, for the console: the panic's message when there was one.
    pub why: String,
    /// Set when the supervisor gave up: a sentence for people, which every later
    /// [`Supervisor::post`] returns too.
    pub gave_up: Option<String>,
}

/// What the owner hears.
pub struct Events {
    /// A worker is ready (the first, or one that replaced a dead one).
    pub ready: Box<dyn Fn()>,
    /// A message of the owner's protocol.
    pub message: Box<dyn Fn(Wire<JsValue>)>,
    /// The worker was terminated.
    pub stopped: Box<dyn Fn(Stopped)>,
}

#[derive(Default)]
struct Run {
    worker: Option<Worker>,
    ready: bool,
    /// Messages posted before the worker could listen, in order.
    waiting: Vec<(JsValue, Option<Array>)>,
    /// The worker's last panic message, sent by its panic hook just before the trap.
    last_panic: Option<String>,
    failed_starts: u32,
    restarts: u32,
    gave_up: Option<String>,
}

struct State {
    spec: Spec,
    run: RefCell<Run>,
    events: Events,
    // The JS callbacks, made once and shared by every worker this supervisor starts.
    on_message: Closure<dyn Fn(MessageEvent)>,
    on_error: Closure<dyn Fn(web_sys::Event)>,
    on_start_timeout: Closure<dyn Fn(JsValue)>,
}

/// One supervised worker. Cheap to clone; clones share the worker.
#[derive(Clone)]
pub struct Supervisor(Rc<State>);

impl Supervisor {
    /// A supervisor for `spec`; with [`Restart::Now`] the worker starts at once.
    pub fn new(spec: Spec, events: Events) -> Supervisor {
        let state = Rc::new_cyclic(|weak: &Weak<State>| {
            let (w1, w2, w3) = (weak.clone(), weak.clone(), weak.clone());
            State {
                spec,
                run: RefCell::new(Run::default()),
                events,
                on_message: Closure::new(move |event: MessageEvent| {
                    if let Some(state) = w1.upgrade() {
                        Supervisor(state).on_message(&event);
                    }
                }),
                on_error: Closure::new(move |event: web_sys::Event| {
                    // The worker's panic hook has already logged the details.
                    event.prevent_default();
                    if let Some(state) = w2.upgrade() {
                        Supervisor(state).on_error(&event);
                    }
                }),
                on_start_timeout: Closure::new(move |worker: JsValue| {
                    if let Some(state) = w3.upgrade() {
                        Supervisor(state).start_timed_out(&worker);
                    }
                }),
            }
        });
        let supervisor = Supervisor(state);
        if spec.restart == Restart::Now {
            supervisor.start();
        }
        supervisor
    }

    /// Posts a message, starting a worker if none runs; it waits until the worker is
    /// ready. `transfer` moves objects (a camera frame) instead of copying them.
    /// `Err` when the supervisor gave up, or the browser refused the message.
    pub fn post(&self, message: JsValue, transfer: Option<Array>) -> Result<(), String> {
        if let Some(why) = self.gave_up() {
            return Err(why);
        }
        self.start();
        let mut run = self.0.run.borrow_mut();
        match (&run.worker, run.ready) {
            (Some(worker), true) => {
                let sent = match &transfer {
                    Some(transfer) => worker.post_message_with_transfer(&message, transfer),
                    None => worker.post_message(&message),
                };
                sent.map_err(describe)
            }
            (Some(_), false) => {
                run.waiting.push((message, transfer));
                Ok(())
            }
            (None, _) => Err(run.gave_up.clone().unwrap_or_else(|| format!("{} did not start", self.0.spec.name))),
        }
    }

    /// Whether a worker is ready for messages.
    pub fn is_ready(&self) -> bool {
        self.0.run.borrow().ready
    }

    /// The sentence the supervisor gave up with, if it did.
    pub fn gave_up(&self) -> Option<String> {
        self.0.run.borrow().gave_up.clone()
    }

    /// How many times a dead worker was replaced.
    pub fn restarts(&self) -> u32 {
        self.0.run.borrow().restarts
    }

    /// The owner judged the worker hung: terminate it, as if it had died.
    pub fn fail(&self, why: String) {
        self.stop(why);
    }

    /// Starts a worker unless one runs or the supervisor gave up.
    fn start(&self) {
        {
            let run = self.0.run.borrow();
            if run.worker.is_some() || run.gave_up.is_some() {
                return;
            }
        }
        match self.spawn() {
            Ok(worker) => {
                if let Some(window) = web_sys::window() {
                    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_1(
                        self.0.on_start_timeout.as_ref().unchecked_ref(),
                        self.0.spec.start_timeout_ms,
                        &worker,
                    );
                }
                self.0.run.borrow_mut().worker = Some(worker);
            }
            Err(why) => {
                let sentence = format!("{} could not start in this browser ({why})", self.0.spec.name);
                self.0.run.borrow_mut().gave_up = Some(sentence.clone());
                (self.0.events.stopped)(Stopped { why, gave_up: Some(sentence) });
            }
        }
    }

    fn spawn(&self) -> Result<Worker, String> {
        let options = WorkerOptions::new();
        options.set_name(&format!("daynight {}", self.0.spec.name.trim_start_matches("the ")));
        if self.0.spec.module {
            options.set_type(WorkerType::Module);
        }
        let worker = Worker::new_with_options(&files::loader(self.0.spec.meta)?, &options).map_err(describe)?;
        // Set before this task ends, so no message from the worker can be missed.
        worker.set_onmessage(Some(self.0.on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(self.0.on_error.as_ref().unchecked_ref()));
        Ok(worker)
    }

    /// Whether `target` is the worker in use, not one already replaced.
    fn is_current(&self, target: &JsValue) -> bool {
        self.0.run.borrow().worker.as_ref().is_some_and(|w| JsValue::from(w) == *target)
    }

    fn on_message(&self, event: &MessageEvent) {
        if !event.target().is_some_and(|t| self.is_current(&t)) {
            return;
        }
        let message = Wire::from_js(&event.data());
        match Lifecycle::from_wire(&message) {
            Some(Lifecycle::Ready) => {
                let waiting = {
                    let mut run = self.0.run.borrow_mut();
                    run.ready = true;
                    run.failed_starts = 0;
                    std::mem::take(&mut run.waiting)
                };
                // The owner's ready first: it may put messages ahead of those waiting
                // (the classifier re-sends the model in use before any image).
                (self.0.events.ready)();
                for (message, transfer) in waiting {
                    if let Err(why) = self.post(message, transfer) {
                        web_sys::console::warn_1(&why.into());
                    }
                }
            }
            Some(Lifecycle::Panic(message)) => self.0.run.borrow_mut().last_panic = Some(message),
            None => (self.0.events.message)(message),
        }
    }

    fn on_error(&self, event: &web_sys::Event) {
        if event.target().is_some_and(|t| self.is_current(&t)) {
            self.stop(load_error(event));
        }
    }

    fn start_timed_out(&self, worker: &JsValue) {
        if self.is_current(worker) && !self.is_ready() {
            self.stop(format!("not ready after {} s", self.0.spec.start_timeout_ms / 1000));
        }
    }

    /// Terminates the worker, tells the owner, and restarts or gives up.
    fn stop(&self, why: String) {
        let stopped = {
            let mut run = self.0.run.borrow_mut();
            let Some(worker) = run.worker.take() else { return };
            worker.terminate();
            let why = run.last_panic.take().unwrap_or(why);
            web_sys::console::warn_2(&format!("daynight: {} worker stopped:", self.0.spec.name).into(), &why.as_str().into());
            if !run.ready {
                run.failed_starts += 1;
            }
            run.ready = false;
            run.restarts += 1;
            run.waiting.clear();
            if run.failed_starts >= self.0.spec.max_failed_starts {
                run.gave_up = Some(format!(
                    "{} keeps failing to start in this browser ({why}); reload the page to try again",
                    self.0.spec.name
                ));
            }
            Stopped { why, gave_up: run.gave_up.clone() }
        };
        let restart = stopped.gave_up.is_none() && self.0.spec.restart == Restart::Now;
        (self.0.events.stopped)(stopped);
        if restart {
            self.start();
        }
    }
}

/// What a worker's `error` event says. An error thrown inside the worker comes as an
/// `ErrorEvent` with a message; a worker whose script could not be loaded at all
/// (refused by the Content-Security-Policy, missing, offline) gets a plain `Event`,
/// whose missing message must not be read as a string.
fn load_error(event: &web_sys::Event) -> String {
    event
        .dyn_ref::<ErrorEvent>()
        .map(ErrorEvent::message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "its script could not be loaded (blocked by the page's security policy, missing, or offline)".into())
}
