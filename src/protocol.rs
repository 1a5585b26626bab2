//! The messages between the page and the classifier worker.
//!
//! Both ends are this same crate, so one set of types describes the protocol. A
//! message is a plain JS object: the image itself (a `Blob` for a file, an
//! `ImageBitmap` for a camera frame, transferred) cannot be serialized, and reading
//! a few named fields by hand keeps a JSON codec out of the wasm (its size counts
//! against the first load).

use daynight_core::Label;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// What the payload of a [`Job`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A `Blob` (a file the user chose, dropped or pasted, or a camera snapshot):
    /// the worker checks its header, decodes and shrinks it.
    File,
    /// An `ImageBitmap` already shrunk to [`daynight_core::BROWSER_DECODE_SIZE`] by the
    /// page (a live camera frame).
    Frame,
    /// A `Float64Array` of features computed earlier: answered again with the model
    /// in use (after a retrain, say).
    Features,
    /// Not an image: a `Float64Array` of a checked model's numbers
    /// ([`crate::custom_model::CheckedModel`]) to classify with from now on, or
    /// `null` for the built-in model. Answered with [`Reply::Model`].
    Model,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::File => "file",
            Source::Frame => "frame",
            Source::Features => "features",
            Source::Model => "model",
        }
    }
}

/// One image for the worker to classify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// Matches the [`Reply`] to its job.
    pub id: u32,
    /// What the payload is.
    pub source: Source,
    /// Test hook (only set when the page was opened with `?debug`): the worker
    /// panics on this job, so tests can check that the page recovers.
    pub crash: bool,
}

/// The answer for one image, as the worker computed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    /// Day or night.
    pub label: Label,
    /// Probability of night, in `[0, 1]`.
    pub p_night: f64,
    /// True inside the model's uncertain band.
    pub uncertain: bool,
    /// Plain-language reasons, e.g. "dark upper region, point lights in darkness".
    pub explanation: String,
    /// Size of the original image from its header (0×0 for camera frames or when
    /// the header could not be read before decoding).
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// Worker time spent reading the header, decoding, shrinking and reading pixels.
    pub decode_ms: f64,
    /// Worker time spent in wasm on features and the model.
    pub work_ms: f64,
    /// The feature vector the answer came from ([`daynight_core::N_FEATURES`]
    /// numbers): what a mark keeps of a photo, and what [`Source::Features`] rescores.
    pub features: Vec<f64>,
}

/// What the worker says.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The module is loaded and the model parsed: jobs may be sent.
    Ready {
        /// The model's id ([`daynight_core::Model::id`]), for exports.
        model: String,
    },
    /// A job finished.
    Done {
        /// The job's id.
        id: u32,
        /// The answer.
        result: Classified,
        /// A small JPEG of the image for the results list (files only).
        thumb: Option<web_sys::Blob>,
    },
    /// A job failed in an expected way (a bad file); the worker goes on.
    Failed {
        /// The job's id.
        id: u32,
        /// A message for people.
        message: String,
    },
    /// The model in use changed (a [`Source::Model`] job).
    Model {
        /// The job's id.
        id: u32,
        /// The id of the model now in use ([`daynight_core::Model::id`]).
        model: String,
    },
    /// The worker's wasm panicked and is about to trap; the page restarts it. Sent
    /// from the panic hook so the reason reaches the error card.
    Panic {
        /// The panic message.
        message: String,
    },
}

pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}

pub(crate) fn field(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub(crate) fn number(object: &JsValue, key: &str) -> Option<f64> {
    field(object, key).as_f64()
}

pub(crate) fn text(object: &JsValue, key: &str) -> Option<String> {
    field(object, key).as_string()
}

/// Builds the `{ id, source, crash, payload }` message for the worker.
pub fn job_message(job: &Job, payload: &JsValue) -> JsValue {
    object(&[
        ("id", job.id.into()),
        ("source", job.source.as_str().into()),
        ("crash", job.crash.into()),
        ("payload", payload.clone()),
    ])
}

/// Reads a job message; `None` for anything else.
pub fn read_job(data: &JsValue) -> Option<(Job, JsValue)> {
    let name = text(data, "source")?;
    let source = [Source::File, Source::Frame, Source::Features, Source::Model].into_iter().find(|s| s.as_str() == name)?;
    let job = Job { id: number(data, "id")? as u32, source, crash: field(data, "crash").is_truthy() };
    Some((job, field(data, "payload")))
}

/// Builds the reply message for the page.
pub fn reply_message(reply: &Reply) -> JsValue {
    match reply {
        Reply::Ready { model } => object(&[("reply", "ready".into()), ("model", model.into())]),
        Reply::Panic { message } => object(&[("reply", "panic".into()), ("message", message.into())]),
        Reply::Model { id, model } => object(&[("reply", "model".into()), ("id", (*id).into()), ("model", model.into())]),
        Reply::Failed { id, message } => object(&[("reply", "failed".into()), ("id", (*id).into()), ("message", message.into())]),
        Reply::Done { id, result, thumb } => {
            let result = object(&[
                ("label", result.label.as_str().into()),
                ("p_night", result.p_night.into()),
                ("uncertain", result.uncertain.into()),
                ("explanation", result.explanation.as_str().into()),
                ("width", result.width.into()),
                ("height", result.height.into()),
                ("decode_ms", result.decode_ms.into()),
                ("work_ms", result.work_ms.into()),
                ("features", js_sys::Float64Array::from(result.features.as_slice()).into()),
            ]);
            let thumb = thumb.as_ref().map_or(JsValue::NULL, JsValue::from);
            object(&[("reply", "done".into()), ("id", (*id).into()), ("result", result), ("thumb", thumb)])
        }
    }
}

/// Reads a reply message; `None` for anything else.
pub fn read_reply(data: &JsValue) -> Option<Reply> {
    let id = || number(data, "id").map(|id| id as u32);
    match text(data, "reply")?.as_str() {
        "ready" => Some(Reply::Ready { model: text(data, "model").unwrap_or_default() }),
        "panic" => Some(Reply::Panic { message: text(data, "message")? }),
        "model" => Some(Reply::Model { id: id()?, model: text(data, "model")? }),
        "failed" => Some(Reply::Failed { id: id()?, message: text(data, "message")? }),
        "done" => {
            let r = field(data, "result");
            let label = match text(&r, "label")?.as_str() {
                "day" => Label::Day,
                "night" => Label::Night,
                _ => return None,
            };
            let result = Classified {
                label,
                p_night: number(&r, "p_night")?,
                uncertain: field(&r, "uncertain").is_truthy(),
                explanation: text(&r, "explanation")?,
                width: number(&r, "width")? as u32,
                height: number(&r, "height")? as u32,
                decode_ms: number(&r, "decode_ms")?,
                work_ms: number(&r, "work_ms")?,
                features: field(&r, "features").dyn_into::<js_sys::Float64Array>().ok()?.to_vec(),
            };
            let thumb = field(data, "thumb").dyn_into::<web_sys::Blob>().ok();
            Some(Reply::Done { id: id()?, result, thumb })
        }
        _ => None,
    }
}

/// `performance.now()` in whichever global this runs (page or worker).
pub fn now_ms() -> f64 {
    Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// `x` with `digits` decimals, formatted by the browser (`Number.toFixed`): Rust's
/// float formatting would add several KB to the wasm for the same text.
pub fn fixed(x: f64, digits: u8) -> String {
    js_sys::Number::from(x).to_fixed(digits).map(String::from).unwrap_or_default()
}

/// `x` in the shortest form that reads back exactly (`Number.toString`).
pub fn exact(x: f64) -> String {
    js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_default()
}
