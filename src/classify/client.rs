//! The page's handle on the classifier worker: a queue, one job in flight.
//!
//! A panic or trap in the worker's wasm (or a decode that never returns) must cost
//! one image, not the page. The [`Supervisor`] watches the worker and replaces a
//! dead one; a job that gets no answer in time is taken for a hung worker. Either
//! way the image in flight fails with a plain message and the queue goes on.
//! Only one job is in flight at a time, so the failed image is always known exactly,
//! and a long batch never holds more than one decoded photo in memory.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use futures_channel::oneshot;
use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::protocol::{Classified, Job, Reply, Request};
use crate::worker::supervisor::{Events, Restart, Spec, Stopped, Supervisor};
use crate::worker::wire::Wire;

/// What a caller hears when the classifier was dropped before answering.
const STOPPED: &str = "the classifier was stopped";

/// A job taking longer than this is taken for a hung worker.
const TIMEOUT_MS: i32 = 30_000;

const SPEC: Spec = Spec {
    name: "the classifier",
    meta: "daynight-worker",
    // Its loader imports the app's own (ES module) script.
    module: true,
    restart: Restart::Now,
    max_failed_starts: 3,
    start_timeout_ms: 30_000,
};

/// What a job resolves to: the answer (and a thumbnail to come, for files) or a
/// message for people.
pub type Outcome = Result<(Classified, Option<Thumbnail>), String>;

/// A classified file's thumbnail, which the worker sends just after the answer: the
/// answer does not wait for it.
pub struct Thumbnail(oneshot::Receiver<Option<web_sys::Blob>>);

impl Thumbnail {
    /// The small JPEG once it arrives; `None` when it could not be made or the
    /// worker stopped before sending it.
    pub async fn blob(self) -> Option<web_sys::Blob> {
        self.0.await.ok().flatten()
    }
}

/// Who waits for a job's answer.
enum Waiter {
    /// A caller of `classify` or `rescore`.
    Image(oneshot::Sender<Outcome>),
    /// A model switch (none waits for the automatic one after a restart).
    Model(Option<oneshot::Sender<Result<String, String>>>),
}

impl Waiter {
    /// Tells the waiter that the job failed with `message`.
    fn fail(self, message: String) {
        // The caller may have stopped waiting (results cleared): nothing to do then.
        match self {
            Waiter::Image(reply) => drop(reply.send(Err(message))),
            Waiter::Model(reply) => drop(reply.map(|r| r.send(Err(message)))),
        }
    }

    /// Hands the worker's reply to the waiter, with the thumbnail to come for a file.
    fn answer(self, reply: Reply<JsValue>, thumb: Option<Thumbnail>) {
        match (self, reply) {
            (waiter, Reply::Failed { message, .. }) => waiter.fail(message),
            (Waiter::Image(tx), Reply::Done { result, .. }) => drop(tx.send(Ok((result, thumb)))),
            (Waiter::Model(tx), Reply::Model { model, .. }) => drop(tx.map(|tx| tx.send(Ok(model)))),
            (waiter, _) => waiter.fail("the classifier answered another kind of job".into()),
        }
    }
}

struct Pending {
    id: u32,
    job: Job<JsValue>,
    waiter: Waiter,
}

struct InFlight {
    id: u32,
    waiter: Waiter,
    timer: i32,
    /// A file: its answer is followed by a thumbnail.
    file: bool,
}

#[derive(Default)]
struct Queue {
    pending: VecDeque<Pending>,
    in_flight: Option<InFlight>,
    /// Answered files whose thumbnails are still to come, by request id (one, or two
    /// for a moment: each follows its answer by the time a 176 px JPEG takes).
    thumbs: Vec<(u32, oneshot::Sender<Option<web_sys::Blob>>)>,
    next_id: u32,
    crash_next: bool,
}

struct Shared {
    queue: RefCell<Queue>,
    supervisor: Supervisor,
    on_timeout: Closure<dyn Fn(u32)>,
    /// The numbers of the model in use (`None`: the built-in one), read from the
    /// model's one owner ([`crate::model::Models`]) whenever a fresh worker needs them.
    model_numbers: Box<dyn Fn() -> Option<Vec<f64>>>,
}

/// Handle to the classifier worker. Cheap to clone; all clones share the worker.
#[derive(Clone)]
pub struct Classifier(Rc<Shared>);

impl Classifier {
    /// Starts the worker. `model_numbers` tells which model a fresh worker must use;
    /// `on_ready` runs each time a worker has loaded and can take jobs.
    pub fn new(model_numbers: impl Fn() -> Option<Vec<f64>> + 'static, on_ready: impl Fn() + 'static) -> Classifier {
        let shared = Rc::new_cyclic(|weak: &Weak<Shared>| {
            let handle = |weak: &Weak<Shared>| {
                let weak = weak.clone();
                move || weak.upgrade().map(Classifier)
            };
            let (h1, h2, h3, h4) = (handle(weak), handle(weak), handle(weak), handle(weak));
            let events = Events {
                ready: Box::new(move || {
                    if let Some(c) = h1() {
                        c.on_ready();
                    }
                    on_ready();
                }),
                message: Box::new(move |wire| {
                    if let Some(c) = h2() {
                        c.on_message(wire);
                    }
                }),
                stopped: Box::new(move |stopped| {
                    if let Some(c) = h3() {
                        c.on_stopped(stopped);
                    }
                }),
            };
            Shared {
                queue: RefCell::new(Queue::default()),
                supervisor: Supervisor::new(SPEC, events),
                on_timeout: Closure::new(move |id: u32| {
                    if let Some(c) = h4() {
                        c.timed_out(id);
                    }
                }),
                model_numbers: Box::new(model_numbers),
            }
        });
        Classifier(shared)
    }

    /// Classifies a file (`Job::File`) or a camera frame (`Job::Frame`); waits behind
    /// earlier jobs.
    pub async fn classify(&self, job: Job<JsValue>) -> Outcome {
        let (reply, answer) = oneshot::channel();
        self.enqueue(job, Waiter::Image(reply), false);
        answer.await.unwrap_or_else(|_| Err(STOPPED.into()))
    }

    /// The answer for features computed earlier ([`Classified::features`]) with the
    /// model in use: how a retrained or imported model sees a photo already read.
    pub async fn rescore(&self, features: Vec<f64>) -> Outcome {
        self.classify(Job::Features(features)).await
    }

    /// Classifies with the model of these numbers from now on (`None`: the built-in
    /// model) and returns the id the worker computed for it. Jobs queued earlier
    /// finish with the old model, later ones use the new. If the worker refuses the
    /// model (its numbers fail the core's checks), the message comes back.
    pub async fn set_model(&self, numbers: Option<Vec<f64>>) -> Result<String, String> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(Job::Model(numbers), Waiter::Model(Some(reply)), false);
        answer.await.unwrap_or_else(|_| Err(STOPPED.into()))
    }

    /// How many times a dead worker was replaced.
    pub fn restarts(&self) -> u32 {
        self.0.supervisor.restarts()
    }

    /// Test hook: the next job makes the worker panic (see [`Request::crash`]).
    pub fn crash_next(&self) {
        self.0.queue.borrow_mut().crash_next = true;
    }

    fn enqueue(&self, job: Job<JsValue>, waiter: Waiter, first: bool) {
        if let Some(why) = self.0.supervisor.gave_up() {
            return waiter.fail(why);
        }
        {
            let mut queue = self.0.queue.borrow_mut();
            queue.next_id += 1;
            let pending = Pending { id: queue.next_id, job, waiter };
            if first {
                queue.pending.push_front(pending);
            } else {
                queue.pending.push_back(pending);
            }
        }
        self.pump();
    }

    /// A fresh worker starts with the built-in model: give it the model in use
    /// again, ahead of every queued image.
    fn on_ready(&self) {
        if let Some(numbers) = (self.0.model_numbers)() {
            self.enqueue(Job::Model(Some(numbers)), Waiter::Model(None), true);
        } else {
            self.pump();
        }
    }

    fn on_message(&self, wire: Wire<JsValue>) {
        let reply = match Reply::from_wire(wire) {
            Ok(reply) => reply,
            // Not an answer to anything this page sent: the job in flight cannot be
            // matched to it, and its timeout still stands.
            Err(why) => {
                return web_sys::console::warn_1(&format!("daynight: the classifier said something unexpected: {why}").into())
            }
        };
        if let Reply::Thumb { id, thumb } = reply {
            // Not an answer: the job in flight (the next photo's, by now) is another.
            let mut queue = self.0.queue.borrow_mut();
            if let Some(at) = queue.thumbs.iter().position(|(waiting, _)| *waiting == id) {
                let (_, tx) = queue.thumbs.swap_remove(at);
                drop(tx.send(thumb.map(JsCast::unchecked_into)));
            }
            return;
        }
        let done = {
            let mut queue = self.0.queue.borrow_mut();
            match queue.in_flight.take() {
                Some(job) if job.id == reply.id() => Some(job),
                other => {
                    queue.in_flight = other;
                    None
                }
            }
        };
        if let Some(job) = done {
            window().clear_timeout_with_handle(job.timer);
            let thumb = (job.file && matches!(reply, Reply::Done { .. })).then(|| {
                let (tx, rx) = oneshot::channel();
                self.0.queue.borrow_mut().thumbs.push((job.id, tx));
                Thumbnail(rx)
            });
            job.waiter.answer(reply, thumb);
        }
        self.pump();
    }

    /// Sends the next queued job if the worker is free.
    fn pump(&self) {
        loop {
            let mut queue = self.0.queue.borrow_mut();
            if !self.0.supervisor.is_ready() || queue.in_flight.is_some() {
                return;
            }
            let Some(Pending { id, job, waiter }) = queue.pending.pop_front() else { return };
            let crash = std::mem::take(&mut queue.crash_next);
            let file = matches!(job, Job::File(_));
            // Camera frames are transferred, not copied: the page is done with them.
            let transfer = match &job {
                Job::Frame(bitmap) => Some(Array::of1(bitmap)),
                _ => None,
            };
            let message = Request { id, job, crash }.into_wire().into_js();
            if let Err(why) = self.0.supervisor.post(message, transfer) {
                drop(queue);
                waiter.fail(format!("the image could not be handed to the classifier ({why})"));
                continue;
            }
            let timer = window()
                .set_timeout_with_callback_and_timeout_and_arguments_1(
                    self.0.on_timeout.as_ref().unchecked_ref(),
                    TIMEOUT_MS,
                    &id.into(),
                )
                .unwrap_or(0);
            queue.in_flight = Some(InFlight { id, waiter, timer, file });
            return;
        }
    }

    fn timed_out(&self, id: u32) {
        if self.0.queue.borrow().in_flight.as_ref().is_some_and(|job| job.id == id) {
            self.0.supervisor.fail(format!("no answer after {} s", TIMEOUT_MS / 1000));
        }
    }

    /// The worker died or hung: fail its job; if the supervisor gave up, every
    /// queued job too. A restarted worker goes on with the queue once ready.
    fn on_stopped(&self, stopped: Stopped) {
        // Thumbnails the dead worker still owed will not come: their cards go without.
        self.0.queue.borrow_mut().thumbs.clear();
        let job = self.0.queue.borrow_mut().in_flight.take();
        if let Some(job) = job {
            window().clear_timeout_with_handle(job.timer);
            let message = match job.waiter {
                Waiter::Image(_) => {
                    "the classifier stopped while reading this image; it was restarted and the other images go on"
                }
                Waiter::Model(_) => {
                    "the classifier stopped while switching models; it was restarted with the model in use before"
                }
            };
            job.waiter.fail(message.into());
        }
        if let Some(why) = stopped.gave_up {
            let queued: Vec<Pending> = self.0.queue.borrow_mut().pending.drain(..).collect();
            for job in queued {
                job.waiter.fail(why.clone());
            }
        }
    }
}

fn window() -> web_sys::Window {
    web_sys::window().expect("the classifier runs on a page")
}
