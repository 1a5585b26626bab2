//! The messages between the page and the trainer worker, typed like the
//! classifier's ([`crate::classify::protocol`]) and written to the same [`Wire`].
//! A reply the page does not expect, or one missing a number, is [`Malformed`]: the
//! person sees why in words, never a success and never NaN.

use daynight_core::N_FEATURES;

use crate::model::CheckedModel;
use crate::worker::wire::{Malformed, Reader, Wire};

/// What the trainer is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Read and check a model file (format version, feature list, finite and
    /// bounded numbers). Answered with [`Reply::Model`].
    Check {
        /// The file's text.
        json: String,
    },
    /// The built-in model as a [`CheckedModel`], for exporting it. Answered with
    /// [`Reply::Model`].
    Builtin,
    /// Retrain on the built-in examples and the user's marks. Answered with
    /// [`Reply::Trained`].
    Retrain(Retrain),
}

/// What a retrain needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrain {
    /// Where the built-in examples are (`model/examples.bin` under its hashed name).
    pub examples_url: String,
    /// [`N_FEATURES`] numbers per marked photo, photo after photo.
    pub features: Vec<f64>,
    /// One label per marked photo: `true` for night.
    pub nights: Vec<bool>,
    /// How many built-in examples one marked photo weighs.
    pub weight: f64,
    /// The numbers of the model "before" is measured on (`None`: the built-in one).
    pub before: Option<Vec<f64>>,
}

/// A retrained model and how it does on the user's marked photos.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrained {
    /// The new model.
    pub model: CheckedModel,
    /// For each marked photo, in order: whether the model it is compared with got
    /// it right.
    pub before_right: Vec<bool>,
    /// For each marked photo, in order: whether it was right in cross-validation
    /// (answered by a model trained without it and the others of its fold).
    pub after_right: Vec<bool>,
    /// Share the new model gets right (it trained on them).
    pub trained: f64,
    /// Marked photos trained on.
    pub n_user: u32,
    /// Built-in examples trained on.
    pub n_builtin: u32,
}

/// What the trainer answers (besides [`crate::worker::Lifecycle`] messages).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A checked model ([`Request::Check`], [`Request::Builtin`]).
    Model {
        /// The request's id.
        id: u32,
        /// The model.
        model: CheckedModel,
    },
    /// A retrain finished.
    Trained {
        /// The request's id.
        id: u32,
        /// The outcome.
        retrained: Retrained,
    },
    /// The request failed; the message is for people.
    Failed {
        /// The request's id.
        id: u32,
        /// Why.
        message: String,
    },
}

impl Reply {
    /// The id of the request this answers.
    pub fn id(&self) -> u32 {
        match self {
            Reply::Model { id, .. } | Reply::Trained { id, .. } | Reply::Failed { id, .. } => *id,
        }
    }
}

/// One byte per flag: a `Uint8Array` of 0 and 1.
fn bits<H>(flags: &[bool]) -> Wire<H> {
    Wire::Bytes(flags.iter().map(|&f| u8::from(f)).collect())
}

fn header<H>(kind: &str, id: u32) -> [(&'static str, Wire<H>); 2] {
    [("kind", Wire::Text(kind.into())), ("id", Wire::Num(id.into()))]
}

impl Request {
    /// As a message with this id.
    pub fn into_wire<H>(self, id: u32) -> Wire<H> {
        let [kind, id] = match &self {
            Request::Check { .. } => header("check", id),
            Request::Builtin => header("builtin", id),
            Request::Retrain(_) => header("retrain", id),
        };
        match self {
            Request::Check { json } => Wire::map([kind, id, ("json", Wire::Text(json))]),
            Request::Builtin => Wire::map([kind, id]),
            Request::Retrain(r) => Wire::map([
                kind,
                id,
                ("examples", Wire::Text(r.examples_url)),
                ("features", Wire::Numbers(r.features)),
                ("nights", Wire::Bytes(r.nights.into_iter().map(u8::from).collect())),
                ("weight", Wire::Num(r.weight)),
                ("before", Wire::optional(r.before, Wire::Numbers)),
            ]),
        }
    }

    /// Reads a request and its id.
    pub fn from_wire<H>(wire: Wire<H>) -> Result<(u32, Request), Malformed> {
        let kind = wire.kind().map(String::from);
        let mut r = Reader::new(wire, "the request")?;
        let id = r.count("id")?;
        let request = match kind.as_deref() {
            Some("check") => Request::Check { json: r.text("json")? },
            Some("builtin") => Request::Builtin,
            Some("retrain") => {
                let retrain = Retrain {
                    examples_url: r.text("examples")?,
                    features: r.numbers("features")?,
                    nights: r.bytes("nights")?.into_iter().map(|b| b == 1).collect(),
                    weight: r.number("weight")?,
                    before: r.optional_numbers("before")?,
                };
                if retrain.features.len() != retrain.nights.len() * N_FEATURES {
                    return Err(Malformed(format!("each marked photo needs {N_FEATURES} feature numbers")));
                }
                Request::Retrain(retrain)
            }
            other => return Err(Malformed::unknown("request", other)),
        };
        Ok((id, request))
    }
}

impl Reply {
    /// As a message.
    pub fn into_wire<H>(self) -> Wire<H> {
        match self {
            Reply::Model { id, model } => {
                let [kind, id] = header("model", id);
                Wire::map([kind, id, ("model", model.to_wire())])
            }
            Reply::Trained { id, retrained: t } => {
                let [kind, id] = header("trained", id);
                Wire::map([
                    kind,
                    id,
                    ("model", t.model.to_wire()),
                    ("before", bits(&t.before_right)),
                    ("after", bits(&t.after_right)),
                    ("trained", Wire::Num(t.trained)),
                    ("n_user", Wire::Num(t.n_user.into())),
                    ("n_builtin", Wire::Num(t.n_builtin.into())),
                ])
            }
            Reply::Failed { id, message } => {
                let [kind, id] = header("failed", id);
                Wire::map([kind, id, ("message", Wire::Text(message))])
            }
        }
    }

    /// Reads a reply; anything else is [`Malformed`], in words.
    pub fn from_wire<H>(wire: Wire<H>) -> Result<Reply, Malformed> {
        let kind = wire.kind().map(String::from);
        let mut r = Reader::new(wire, "the trainer's answer")?;
        let id = r.count("id")?;
        Ok(match kind.as_deref() {
            Some("model") => Reply::Model { id, model: CheckedModel::from_wire(r.take("model"))? },
            Some("trained") => {
                let retrained = Retrained {
                    model: CheckedModel::from_wire(r.take("model"))?,
                    before_right: r.bytes("before")?.into_iter().map(|b| b == 1).collect(),
                    after_right: r.bytes("after")?.into_iter().map(|b| b == 1).collect(),
                    trained: r.share("trained")?,
                    n_user: r.count("n_user")?,
                    n_builtin: r.count("n_builtin")?,
                };
                let n = retrained.n_user as usize;
                if retrained.before_right.len() != n || retrained.after_right.len() != n {
                    return Err(Malformed(format!("the answers for {n} marked photos are incomplete")));
                }
                Reply::Trained { id, retrained }
            }
            Some("failed") => Reply::Failed { id, message: r.text("message")? },
            other => return Err(Malformed::unknown("answer", other)),
        })
    }
}

#[cfg(test)]
mod tests {
    use daynight_core::Model;

    use super::*;

    fn model() -> CheckedModel {
        CheckedModel { id: "0123456789ab".into(), json: "{}".into(), numbers: Model::embedded().unwrap().to_numbers() }
    }

    fn retrained() -> Retrained {
        Retrained {
            model: model(),
            before_right: vec![true, false, false, true, false, false],
            after_right: vec![true, true, true, true, false, true],
            trained: 1.0,
            n_user: 6,
            n_builtin: 1560,
        }
    }

    #[test]
    fn every_request_survives_the_trip_to_the_trainer() {
        for request in [
            Request::Check { json: "{\"format_version\": 3}".into() },
            Request::Builtin,
            Request::Retrain(Retrain {
                examples_url: "http://localhost/examples-0123.bin".into(),
                features: vec![0.5; 2 * N_FEATURES],
                nights: vec![true, false],
                weight: 10.0,
                before: Some(vec![1.0; 3]),
            }),
            Request::Retrain(Retrain {
                examples_url: "x.bin".into(),
                features: Vec::new(),
                nights: Vec::new(),
                weight: 1.0,
                before: None,
            }),
        ] {
            assert_eq!(Request::from_wire(request.clone().into_wire::<()>(17)), Ok((17, request)));
        }
    }

    #[test]
    fn every_reply_survives_the_trip_to_the_page() {
        for reply in [
            Reply::Model { id: 1, model: model() },
            Reply::Trained { id: 2, retrained: retrained() },
            Reply::Failed { id: 3, message: "no marked photo".into() },
        ] {
            assert_eq!(Reply::from_wire(reply.clone().into_wire::<()>()), Ok(reply));
        }
    }

    /// Removes or replaces one field of a message.
    fn with(wire: Wire<()>, key: &str, value: Option<Wire<()>>) -> Wire<()> {
        let Wire::Map(mut fields) = wire else { unreachable!() };
        fields.retain(|(k, _)| k != key);
        if let Some(value) = value {
            fields.push((key.into(), value));
        }
        Wire::Map(fields)
    }

    #[test]
    fn an_unexpected_reply_is_an_error_in_words_never_nan() {
        let trained = || Reply::Trained { id: 2, retrained: retrained() }.into_wire::<()>();
        let missing = Reply::from_wire(with(trained(), "after", None)).unwrap_err();
        assert!(missing.0.contains("`after`"), "{missing}");
        let nan = Reply::from_wire(with(trained(), "trained", Some(Wire::Num(f64::NAN)))).unwrap_err();
        assert!(nan.0.contains("`trained`"), "{nan}");
        let short = Reply::from_wire(with(trained(), "before", Some(Wire::Bytes(vec![1, 0])))).unwrap_err();
        assert!(short.0.contains("incomplete"), "{short}");
        assert!(Reply::from_wire(with(trained(), "trained", Some(Wire::Num(1.5)))).is_err(), "a share above 1");
        let strange = Reply::from_wire(with(trained(), "kind", Some(Wire::Text("celebrate".into())))).unwrap_err();
        assert!(strange.0.contains("celebrate"), "{strange}");
        assert!(Reply::from_wire(with(trained(), "kind", None)).is_err());
        assert!(Reply::from_wire(with(trained(), "model", Some(Wire::Null))).is_err(), "no model is no success");
    }

    #[test]
    fn a_retrain_with_features_that_do_not_add_up_is_refused() {
        let request = Request::Retrain(Retrain {
            examples_url: "x.bin".into(),
            features: vec![0.5; N_FEATURES + 1],
            nights: vec![true],
            weight: 1.0,
            before: None,
        });
        assert!(Request::from_wire(request.into_wire::<()>(1)).is_err());
    }
}
