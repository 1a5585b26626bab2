//! The messages between the page and the classifier worker.
//!
//! Both ends are this crate, so one set of types describes the protocol, written to
//! and read from [`Wire`] (see [`crate::worker::wire`]). `H` is a browser object sent
//! as is: the photo's `Blob`, a camera frame's `ImageBitmap` (transferred), the
//! thumbnail's `Blob`. Every message says its `kind`.

use daynight_core::{Label, N_FEATURES};

use crate::worker::wire::{Malformed, Reader, Wire};

/// What the worker is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Job<H> {
    /// A file the user chose, dropped or pasted, or a camera snapshot (a `Blob`):
    /// the worker checks its header, decodes, shrinks and classifies it, and makes
    /// a thumbnail.
    File(H),
    /// A live camera frame, already shrunk to [`daynight_core::BROWSER_DECODE_SIZE`]
    /// by the page (an `ImageBitmap`).
    Frame(H),
    /// Features computed earlier, answered again with the model in use (after a
    /// retrain, say).
    Features(Vec<f64>),
    /// Classify with this model from now on: a checked model's numbers
    /// ([`crate::model::CheckedModel`]), or `None` for the built-in one. Answered
    /// with [`Reply::Model`].
    Model(Option<Vec<f64>>),
}

/// One request to the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Request<H> {
    /// Matches the [`Reply`] to its request.
    pub id: u32,
    /// What to do.
    pub job: Job<H>,
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
    /// The feature vector the answer came from ([`N_FEATURES`] numbers): what a
    /// mark keeps of a photo, and what [`Job::Features`] rescores.
    pub features: Vec<f64>,
}

/// What the worker answers (besides [`crate::worker::Lifecycle`] messages).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply<H> {
    /// An image was classified.
    Done {
        /// The request's id.
        id: u32,
        /// The answer.
        result: Classified,
    },
    /// A classified file's thumbnail, sent just after its [`Reply::Done`] (files
    /// only, and always: `None` when it could not be made). The answer does not wait
    /// for the thumbnail: the page has it, and sends the next photo, while the worker
    /// draws and the browser encodes.
    Thumb {
        /// The request's id.
        id: u32,
        /// A small JPEG of the image for the results list.
        thumb: Option<H>,
    },
    /// A request failed in an expected way (a bad file); the worker goes on.
    Failed {
        /// The request's id.
        id: u32,
        /// A message for people.
        message: String,
    },
    /// The model in use changed (a [`Job::Model`] request).
    Model {
        /// The request's id.
        id: u32,
        /// The id of the model now in use ([`daynight_core::Model::id`]).
        model: String,
    },
}

impl Classified {
    /// Its tier: sure, probably or can't tell ([`daynight_core::Tier::of`] its `p_night`).
    pub fn tier(&self) -> daynight_core::Tier {
        daynight_core::Tier::of(self.p_night)
    }
}

impl<H> Reply<H> {
    /// The id of the request this answers.
    pub fn id(&self) -> u32 {
        match self {
            Reply::Done { id, .. } | Reply::Thumb { id, .. } | Reply::Failed { id, .. } | Reply::Model { id, .. } => *id,
        }
    }
}

fn kind<H>(kind: &str) -> (&'static str, Wire<H>) {
    ("kind", Wire::Text(kind.into()))
}

impl<H> Request<H> {
    /// As a message.
    pub fn into_wire(self) -> Wire<H> {
        let (name, payload) = match self.job {
            Job::File(blob) => ("file", Wire::Handle(blob)),
            Job::Frame(bitmap) => ("frame", Wire::Handle(bitmap)),
            Job::Features(features) => ("features", Wire::Numbers(features)),
            Job::Model(numbers) => ("model", Wire::optional(numbers, Wire::Numbers)),
        };
        Wire::map([kind(name), ("id", Wire::Num(self.id.into())), ("crash", Wire::Bool(self.crash)), ("payload", payload)])
    }

    /// Reads a request.
    pub fn from_wire(wire: Wire<H>) -> Result<Request<H>, Malformed> {
        let name = wire.kind().map(String::from);
        let mut r = Reader::new(wire, "the request")?;
        let (id, crash) = (r.count("id")?, r.flag("crash")?);
        let job = match name.as_deref() {
            Some("file") => Job::File(r.handle("payload")?),
            Some("frame") => Job::Frame(r.handle("payload")?),
            Some("features") => Job::Features(r.numbers("payload")?),
            Some("model") => Job::Model(r.optional_numbers("payload")?),
            other => return Err(Malformed::unknown("request", other)),
        };
        Ok(Request { id, job, crash })
    }
}

impl<H> Reply<H> {
    /// As a message.
    pub fn into_wire(self) -> Wire<H> {
        match self {
            Reply::Done { id, result } => Wire::map([kind("done"), ("id", Wire::Num(id.into())), ("result", result.into_wire())]),
            Reply::Thumb { id, thumb } => {
                Wire::map([kind("thumb"), ("id", Wire::Num(id.into())), ("thumb", Wire::optional(thumb, Wire::Handle))])
            }
            Reply::Failed { id, message } => {
                Wire::map([kind("failed"), ("id", Wire::Num(id.into())), ("message", Wire::Text(message))])
            }
            Reply::Model { id, model } => Wire::map([kind("model"), ("id", Wire::Num(id.into())), ("model", Wire::Text(model))]),
        }
    }

    /// Reads a reply; anything else is [`Malformed`], in words.
    pub fn from_wire(wire: Wire<H>) -> Result<Reply<H>, Malformed> {
        let name = wire.kind().map(String::from);
        let mut r = Reader::new(wire, "the classifier's answer")?;
        let id = r.count("id")?;
        Ok(match name.as_deref() {
            Some("done") => Reply::Done { id, result: Classified::read(r.object("result")?)? },
            Some("thumb") => Reply::Thumb { id, thumb: r.optional_handle("thumb")? },
            Some("failed") => Reply::Failed { id, message: r.text("message")? },
            Some("model") => Reply::Model { id, model: r.text("model")? },
            other => return Err(Malformed::unknown("answer", other)),
        })
    }
}

impl Classified {
    fn into_wire<H>(self) -> Wire<H> {
        Wire::map([
            ("label", Wire::Text(self.label.as_str().into())),
            ("p_night", Wire::Num(self.p_night)),
            ("uncertain", Wire::Bool(self.uncertain)),
            ("explanation", Wire::Text(self.explanation)),
            ("width", Wire::Num(self.width.into())),
            ("height", Wire::Num(self.height.into())),
            ("decode_ms", Wire::Num(self.decode_ms)),
            ("work_ms", Wire::Num(self.work_ms)),
            ("features", Wire::Numbers(self.features)),
        ])
    }

    fn read<H>(mut r: Reader<H>) -> Result<Classified, Malformed> {
        let label = r.text("label")?;
        let label = label.parse::<Label>().map_err(|_| Malformed(format!("`{label}` is not day or night")))?;
        let features = r.numbers("features")?;
        if features.len() != N_FEATURES {
            return Err(Malformed(format!("{} features, expected {N_FEATURES}", features.len())));
        }
        Ok(Classified {
            label,
            p_night: r.share("p_night")?,
            uncertain: r.flag("uncertain")?,
            explanation: r.text("explanation")?,
            width: r.count("width")?,
            height: r.count("height")?,
            decode_ms: r.number("decode_ms")?,
            work_ms: r.number("work_ms")?,
            features,
        })
    }
}

/// An answer for tests elsewhere in the crate.
#[cfg(test)]
pub(crate) fn sample(label: Label, p_night: f64) -> Classified {
    Classified {
        label,
        p_night,
        uncertain: false,
        explanation: "dark upper region, point lights in darkness".into(),
        width: 640,
        height: 480,
        decode_ms: 3.5,
        work_ms: 0.25,
        features: vec![0.25; N_FEATURES],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for a browser object.
    type Handle = &'static str;

    #[test]
    fn every_request_survives_the_trip_to_the_worker() {
        for job in [
            Job::File("blob"),
            Job::Frame("bitmap"),
            Job::Features(vec![0.5; N_FEATURES]),
            Job::Model(Some(vec![1.0, 2.0])),
            Job::Model(None),
        ] {
            for crash in [false, true] {
                let request: Request<Handle> = Request { id: 41, job: job.clone(), crash };
                assert_eq!(Request::from_wire(request.clone().into_wire()), Ok(request));
            }
        }
    }

    #[test]
    fn every_reply_survives_the_trip_to_the_page() {
        for reply in [
            Reply::Done { id: 7, result: sample(Label::Night, 0.93) },
            Reply::Thumb { id: 7, thumb: Some("thumb") },
            Reply::Thumb { id: 7, thumb: None },
            Reply::Failed { id: 8, message: "the file is empty".into() },
            Reply::Model { id: 9, model: "0123456789ab".into() },
        ] {
            assert_eq!(Reply::<Handle>::from_wire(reply.clone().into_wire()), Ok(reply));
        }
    }

    #[test]
    fn a_reply_the_page_does_not_expect_is_an_error_in_words() {
        let unknown: Wire<Handle> = Wire::map([("kind", Wire::Text("shrug".into())), ("id", Wire::Num(1.0))]);
        assert!(Reply::from_wire(unknown).unwrap_err().0.contains("shrug"));
        let mut done = Reply::<Handle>::Done { id: 1, result: sample(Label::Day, 0.1) }.into_wire();
        if let Wire::Map(fields) = &mut done {
            let result = fields.iter_mut().find(|(k, _)| k == "result").unwrap();
            if let Wire::Map(inner) = &mut result.1 {
                inner.retain(|(k, _)| k != "p_night");
            }
        }
        assert!(Reply::from_wire(done).unwrap_err().0.contains("p_night"), "a missing number is an error, never NaN");
        let twilight = Reply::<Handle>::Done { id: 1, result: sample(Label::Day, 0.1) }.into_wire();
        let twilight = match twilight {
            Wire::Map(mut fields) => {
                let result = fields.iter_mut().find(|(k, _)| k == "result").unwrap();
                if let Wire::Map(inner) = &mut result.1 {
                    inner.iter_mut().find(|(k, _)| k == "label").unwrap().1 = Wire::Text("dusk".into());
                }
                Wire::Map(fields)
            }
            other => other,
        };
        assert!(Reply::from_wire(twilight).unwrap_err().0.contains("dusk"));
    }
}
