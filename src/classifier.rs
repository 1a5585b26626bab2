//! The page's handle on the classifier worker: a queue, one job in flight, and a
//! restart whenever the worker dies.
//!
//! A panic or trap in the worker's wasm (or a decode that never returns) must cost
//! one image, not the page. The worker is watched two ways: its `error` event (a
//! trap is an uncaught exception there; the panic hook sends the message first) and
//! a timeout. Either fails the image in flight with a plain message, terminates the
//! worker and starts a fresh one; the queue goes on.
//! Only one job is in flight at a time, so the failed image is always known exactly,
//! and a long batch never holds more than one decoded photo in memory.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use futures_channel::oneshot;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::custom_model::CheckedModel;
use crate::protocol::{self, Classified, Job, Reply, Source};

/// What a caller hears when the classifier was dropped before answering.
const STOPPED: &str = "the classifier was stopped";

/// A job taking longer than this is taken for a hung worker.
const TIMEOUT_MS: i32 = 30_000;

/// Worker starts that may fail in a row before the classifier gives up.
const MAX_FAILED_STARTS: u32 = 3;

/// What a job resolves to: the answer (and a thumbnail for files) or a message for people.
pub type Outcome = Result<(Classified, Option<web_sys::Blob>), String>;

/// Who waits for a job's answer.
enum Waiter {
    /// A caller of `classify` or `rescore`.
    Image(oneshot::Sender<Outcome>),
    /// A model switch: its numbers (`None`: the built-in model), kept once it
    /// succeeds so a restarted worker gets them again, and the caller of
    /// `set_model` (none for that automatic re-send).
    Model { numbers: Option<Vec<f64>>, reply: Option<oneshot::Sender<Result<String, String>>> },
}

impl Waiter {
    /// Tells the waiter that the job failed with `message`.
    fn fail(self, message: String) {
        // The caller may have stopped waiting (results cleared): nothing to do then.
        match self {
            Waiter::Image(reply) => drop(reply.send(Err(message))),
            Waiter::Model { reply, .. } => drop(reply.map(|r| r.send(Err(message)))),
        }
    }
}

/// How a job ended, as the worker said.
enum Finished {
    Image(Classified, Option<web_sys::Blob>),
    Model(String),
    Failed(String),
}

struct Pending {
    id: u32,
    source: Source,
    payload: JsValue,
    waiter: Waiter,
}

struct InFlight {
    id: u32,
    waiter: Waiter,
    timer: i32,
}

#[derive(Default)]
struct Inner {
    worker: Option<Worker>,
    ready: bool,
    queue: VecDeque<Pending>,
    in_flight: Option<InFlight>,
    next_id: u32,
    /// The worker's last panic message, sent by its panic hook just before the trap.
    last_panic: Option<String>,
    failed_starts: u32,
    /// Set when the classifier gave up starting workers; every job fails with it.
    broken: Option<String>,
    crash_next: bool,
    restarts: u32,
    /// The model's id, from the worker's ready message or the last model switch.
    model_id: Option<String>,
    /// The numbers of the custom model in use (`None`: the built-in one): sent again
    /// to every worker that replaces a dead one, before any image.
    custom: Option<Vec<f64>>,
}

/// Handle to the classifier worker. Cheap to clone; all clones share the worker.
#[derive(Clone)]
pub struct Classifier {
    inner: Rc<RefCell<Inner>>,
    handlers: Rc<Handlers>,
}

/// The JS callbacks, created once and reused for every worker this handle starts.
struct Handlers {
    on_message: Closure<dyn Fn(MessageEvent)>,
    on_error: Closure<dyn Fn(web_sys::Event)>,
    on_timeout: Closure<dyn Fn(u32)>,
    on_ready: Box<dyn Fn()>,
}

impl Classifier {
    /// Starts the worker; `on_ready` runs each time a worker has loaded and can take jobs.
    pub fn new(on_ready: impl Fn() + 'static) -> Classifier {
        let inner = Rc::new(RefCell::new(Inner::default()));
        let handlers = Rc::new_cyclic(|weak: &Weak<Handlers>| {
            // Each callback rebuilds a handle from the shared state; the handlers
            // themselves are only reachable through a weak link, so there is no cycle.
            let this = {
                let (inner, weak) = (inner.clone(), weak.clone());
                move || Classifier { inner: inner.clone(), handlers: weak.upgrade().expect("handlers outlive their workers") }
            };
            let (t1, t2, t3) = (this.clone(), this.clone(), this);
            Handlers {
                on_message: Closure::new(move |event: MessageEvent| t1().on_message(event)),
                on_error: Closure::new(move |event: web_sys::Event| t2().on_error(event)),
                on_timeout: Closure::new(move |id: u32| t3().timed_out(id)),
                on_ready: Box::new(on_ready),
            }
        });
        let classifier = Classifier { inner, handlers };
        classifier.spawn_worker();
        classifier
    }

    /// Classifies a file or a camera frame (see [`Source`]); waits behind earlier jobs.
    pub async fn classify(&self, source: Source, payload: JsValue) -> Outcome {
        let (reply, answer) = oneshot::channel();
        self.enqueue(source, payload, Waiter::Image(reply));
        answer.await.unwrap_or_else(|_| Err(STOPPED.into()))
    }

    /// The answer for features computed earlier ([`Classified::features`]) with the
    /// model in use: how a retrained or imported model sees a photo already read.
    pub async fn rescore(&self, features: Vec<f64>) -> Outcome {
        self.classify(Source::Features, js_sys::Float64Array::from(features.as_slice()).into()).await
    }

    /// Classifies with `model` from now on (`None`: the built-in model) and returns
    /// the id of the model in use. Jobs queued earlier finish with the old model,
    /// later ones use the new. If the worker refuses the model (its numbers fail the
    /// core's checks), the message comes back and the model in use stays. A worker
    /// started after a crash gets the model again before any image.
    pub async fn set_model(&self, model: Option<CheckedModel>) -> Result<String, String> {
        let (reply, answer) = oneshot::channel();
        let numbers = model.map(|m| m.numbers);
        let payload = numbers.as_deref().map_or(JsValue::NULL, |n| js_sys::Float64Array::from(n).into());
        self.enqueue(Source::Model, payload, Waiter::Model { numbers, reply: Some(reply) });
        answer.await.unwrap_or_else(|_| Err(STOPPED.into()))
    }

    fn enqueue(&self, source: Source, payload: JsValue, waiter: Waiter) {
        {
            let mut inner = self.inner.borrow_mut();
            if let Some(why) = inner.broken.clone() {
                drop(inner);
                return waiter.fail(why);
            }
            inner.next_id += 1;
            let id = inner.next_id;
            inner.queue.push_back(Pending { id, source, payload, waiter });
        }
        self.pump();
    }

    /// The id of the model the worker classifies with, once it is ready.
    pub fn model_id(&self) -> Option<String> {
        self.inner.borrow().model_id.clone()
    }

    /// How many times a dead worker was replaced.
    pub fn restarts(&self) -> u32 {
        self.inner.borrow().restarts
    }

    /// Test hook: the next job makes the worker panic (see [`Job::crash`]).
    pub fn crash_next(&self) {
        self.inner.borrow_mut().crash_next = true;
    }

    fn spawn_worker(&self) {
        match self.try_spawn() {
            Ok(worker) => self.inner.borrow_mut().worker = Some(worker),
            Err(why) => self.give_up(format!("the classifier could not start in this browser ({why})")),
        }
    }

    fn try_spawn(&self) -> Result<Worker, String> {
        let options = WorkerOptions::new();
        options.set_name("daynight classifier");
        // A module worker: its loader imports the app's own (ES module) script.
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&worker_url()?, &options).map_err(describe)?;
        // Set before this task ends, so no message from the worker can be missed.
        worker.set_onmessage(Some(self.handlers.on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(self.handlers.on_error.as_ref().unchecked_ref()));
        Ok(worker)
    }

    /// Whether an event comes from the worker in use, not one already replaced: a
    /// terminated worker's queued message or error must not touch its successor.
    fn is_current(&self, event: &web_sys::Event) -> bool {
        let current = self.inner.borrow().worker.clone();
        current.is_some() && current.as_ref().map(JsValue::from) == event.target().map(JsValue::from)
    }

    fn on_error(&self, event: web_sys::Event) {
        // Stop the default "uncaught error" report: the worker's panic hook has
        // already logged the details.
        event.prevent_default();
        if self.is_current(&event) {
            self.crashed(worker_error(&event));
        }
    }

    fn on_message(&self, event: MessageEvent) {
        if !self.is_current(&event) {
            return;
        }
        let data = event.data();
        if let Some(reply) = protocol::read_reply(&data) {
            self.on_reply(reply);
        }
    }

    fn on_reply(&self, reply: Reply) {
        match reply {
            Reply::Ready { model } => {
                {
                    let mut inner = self.inner.borrow_mut();
                    inner.ready = true;
                    inner.failed_starts = 0;
                    inner.model_id = Some(model);
                    // A fresh worker starts with the built-in model: give it the custom
                    // one again, ahead of every queued image.
                    if let Some(numbers) = inner.custom.clone() {
                        inner.next_id += 1;
                        let id = inner.next_id;
                        let payload = js_sys::Float64Array::from(numbers.as_slice()).into();
                        let waiter = Waiter::Model { numbers: Some(numbers), reply: None };
                        inner.queue.push_front(Pending { id, source: Source::Model, payload, waiter });
                    }
                }
                (self.handlers.on_ready)();
                self.pump();
            }
            Reply::Panic { message } => self.inner.borrow_mut().last_panic = Some(message),
            Reply::Done { id, result, thumb } => self.finish(id, Finished::Image(result, thumb)),
            Reply::Model { id, model } => self.finish(id, Finished::Model(model)),
            Reply::Failed { id, message } => self.finish(id, Finished::Failed(message)),
        }
    }

    fn finish(&self, id: u32, finished: Finished) {
        let done = {
            let mut inner = self.inner.borrow_mut();
            match inner.in_flight.take() {
                Some(job) if job.id == id => Some(job),
                other => {
                    inner.in_flight = other;
                    None
                }
            }
        };
        if let Some(job) = done {
            window().clear_timeout_with_handle(job.timer);
            // The caller may have stopped waiting (results cleared): nothing to do then.
            match (job.waiter, finished) {
                (waiter, Finished::Failed(message)) => waiter.fail(message),
                (Waiter::Image(reply), Finished::Image(result, thumb)) => drop(reply.send(Ok((result, thumb)))),
                (Waiter::Model { numbers, reply }, Finished::Model(model)) => {
                    {
                        let mut inner = self.inner.borrow_mut();
                        inner.custom = numbers;
                        inner.model_id = Some(model.clone());
                    }
                    if let Some(reply) = reply {
                        let _ = reply.send(Ok(model));
                    }
                }
                (waiter, _) => waiter.fail("the classifier answered another kind of job".into()),
            }
        }
        self.pump();
    }

    /// Sends the next queued job if the worker is free.
    fn pump(&self) {
        loop {
            let mut inner = self.inner.borrow_mut();
            if !inner.ready || inner.in_flight.is_some() {
                return;
            }
            let Some(job) = inner.queue.pop_front() else { return };
            let Some(worker) = inner.worker.clone() else { return };
            let crash = std::mem::take(&mut inner.crash_next);
            let message = protocol::job_message(&Job { id: job.id, source: job.source, crash }, &job.payload);
            // Camera frames are transferred, not copied: the page is done with them.
            let sent = match job.source {
                Source::Frame => worker.post_message_with_transfer(&message, &Array::of1(&job.payload)),
                _ => worker.post_message(&message),
            };
            if let Err(e) = sent {
                drop(inner);
                job.waiter.fail(format!("the image could not be handed to the classifier ({})", describe(e)));
                continue;
            }
            let timer = window()
                .set_timeout_with_callback_and_timeout_and_arguments_1(
                    self.handlers.on_timeout.as_ref().unchecked_ref(),
                    TIMEOUT_MS,
                    &job.id.into(),
                )
                .unwrap_or(0);
            inner.in_flight = Some(InFlight { id: job.id, waiter: job.waiter, timer });
            return;
        }
    }

    fn timed_out(&self, id: u32) {
        if self.inner.borrow().in_flight.as_ref().is_some_and(|job| job.id == id) {
            self.crashed(format!("no answer after {} s", TIMEOUT_MS / 1000));
        }
    }

    /// The worker died or hung: fail its job, replace it, go on with the queue.
    /// `why` is for the console; people get a plain sentence.
    fn crashed(&self, why: String) {
        let (job, give_up) = {
            let mut inner = self.inner.borrow_mut();
            let why = inner.last_panic.take().unwrap_or(why);
            web_sys::console::warn_2(&"daynight: the classifier worker stopped:".into(), &why.as_str().into());
            if let Some(worker) = inner.worker.take() {
                worker.terminate();
            }
            inner.ready = false;
            inner.restarts += 1;
            let job = inner.in_flight.take();
            if job.is_none() {
                // Died with nothing in flight: while starting up.
                inner.failed_starts += 1;
            }
            (job, inner.failed_starts >= MAX_FAILED_STARTS)
        };
        if let Some(job) = job {
            window().clear_timeout_with_handle(job.timer);
            let message = match job.waiter {
                Waiter::Image(_) => {
                    "the classifier stopped while reading this image; it was restarted and the other images go on"
                }
                Waiter::Model { .. } => {
                    "the classifier stopped while switching models; it was restarted with the model in use before"
                }
            };
            job.waiter.fail(message.into());
        }
        if give_up {
            self.give_up("the classifier keeps failing to start in this browser; reload the page to try again".into());
        } else {
            self.spawn_worker();
        }
    }

    fn give_up(&self, why: String) {
        let queued: Vec<Pending> = {
            let mut inner = self.inner.borrow_mut();
            inner.broken = Some(why.clone());
            inner.queue.drain(..).collect()
        };
        for job in queued {
            job.waiter.fail(why.clone());
        }
    }
}

fn window() -> web_sys::Window {
    web_sys::window().expect("the classifier runs on a page")
}

/// The worker's loader script, named by the page's `<meta name="daynight-worker">`,
/// which `scripts/hash-worker.sh` writes at build time with its content-hashed name.
/// Relative, so the app works from any sub-path.
fn worker_url() -> Result<String, String> {
    let document = window().document().ok_or("no document")?;
    document
        .query_selector(r#"meta[name="daynight-worker"]"#)
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .and_then(|files| files.split_whitespace().next().map(String::from))
        .ok_or_else(|| "the page does not name its classifier worker (was it built with Trunk?)".into())
}

/// What a worker's `error` event says. An error thrown inside the worker comes as an
/// `ErrorEvent` with a message; a worker whose script could not be loaded at all
/// (refused by the Content-Security-Policy, missing, offline) gets a plain `Event`,
/// whose missing message must not be read as a string.
pub fn worker_error(event: &web_sys::Event) -> String {
    event
        .dyn_ref::<ErrorEvent>()
        .map(ErrorEvent::message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "its script could not be loaded (blocked by the page's security policy, missing, or offline)".into())
}

/// A thrown JS value as text.
pub fn describe(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
