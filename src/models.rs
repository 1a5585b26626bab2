//! Which model the page classifies with, where it came from, and switching it.
//!
//! Precedence at start: a model the user trained or imported (kept in IndexedDB) over
//! this server's optional `model.json` over the built-in one. Every switch goes
//! through the worker's validation ([`Classifier::set_model`]); only once it accepted
//! a model does the page say so, store it and re-classify the list with it. A refused
//! model leaves everything as it was.

use leptos::prelude::*;

use crate::classifier::Classifier;
use crate::custom_model::CheckedModel;
use crate::model_source::{cluster_model, ClusterModel};
use crate::results::Results;
use crate::store::{self, StoredModel};

/// Where the model in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The model built into the app.
    Builtin,
    /// `model.json` beside the page, put there by whoever runs this server.
    Server,
    /// Trained in this browser on this many of the user's examples.
    Trained(usize),
    /// Imported from a file with this name.
    Imported(String),
}

impl Origin {
    /// For IndexedDB: `trained:N` or `imported:FILE`.
    fn to_stored(&self) -> String {
        match self {
            Origin::Trained(n) => format!("trained:{n}"),
            Origin::Imported(file) => format!("imported:{file}"),
            Origin::Builtin => "builtin".into(),
            Origin::Server => "server".into(),
        }
    }

    fn from_stored(text: &str) -> Origin {
        match text.split_once(':') {
            Some(("trained", n)) => Origin::Trained(n.parse().unwrap_or(0)),
            Some(("imported", file)) => Origin::Imported(file.into()),
            _ => Origin::Imported("an earlier visit".into()),
        }
    }

    /// The page's line about the model, e.g. "Model: trained here on 40 of your examples".
    pub fn sentence(&self) -> String {
        match self {
            Origin::Builtin => "Model: the built-in one.".into(),
            Origin::Server => "Model: this server's model.json.".into(),
            Origin::Trained(n) => format!("Model: trained here on the built-in examples and {n} of yours."),
            Origin::Imported(file) => format!("Model: imported from {file}."),
        }
    }
}

/// The model in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Active {
    /// `builtin`, or the id the worker derived from the model's numbers.
    pub id: String,
    /// Where it came from.
    pub origin: Origin,
}

/// The page's model state. `Copy`: owned by the App.
#[derive(Clone, Copy)]
pub struct Models {
    /// The model in use.
    pub active: RwSignal<Active>,
    /// A problem with a model to tell people about (refused import, invalid
    /// `model.json`, storage failure); shown with `role="alert"`.
    pub problem: RwSignal<Option<String>>,
    /// True once the start-up choice (stored, server or built-in) is made.
    pub settled: RwSignal<bool>,
    /// True while a model is being switched.
    pub busy: RwSignal<bool>,
    /// The custom model in use (`None`: the built-in one).
    model: StoredValue<Option<CheckedModel>>,
    classifier: StoredValue<Classifier, LocalStorage>,
    results: Results,
}

/// What a successful switch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switched {
    /// Cards whose answer (day, night or uncertain) changed with the new model.
    pub changed: usize,
}

impl Models {
    /// Starts with the built-in model; call [`Models::start`] to apply the stored or
    /// server model.
    pub fn new(classifier: Classifier, results: Results) -> Models {
        Models {
            active: RwSignal::new(Active { id: "builtin".into(), origin: Origin::Builtin }),
            problem: RwSignal::new(None),
            settled: RwSignal::new(false),
            busy: RwSignal::new(false),
            model: StoredValue::new(None),
            classifier: StoredValue::new_local(classifier),
            results,
        }
    }

    /// Applies the user's stored model, else this server's `model.json`, else keeps
    /// the built-in one; says why when one could not be used.
    pub async fn start(self) {
        let stored = store::load_model().await;
        let mut problems = Vec::new();
        match stored {
            Ok(Some(stored)) => match self.apply(Some(stored.model), Origin::from_stored(&stored.origin), false).await {
                Ok(_) => return self.settle(problems),
                Err(why) => problems.push(format!("Your saved model could not be used ({why}).")),
            },
            Ok(None) => {}
            Err(why) => problems.push(format!("Your saved model could not be read ({why}).")),
        }
        // Refused by the trainer's checks or by the worker's: the same message.
        let refused = match cluster_model().await {
            ClusterModel::Absent => None,
            ClusterModel::Valid(model) => self.apply(Some(model), Origin::Server, false).await.err(),
            ClusterModel::Invalid(why) => Some(why),
        };
        if let Some(why) = refused {
            problems.push(format!("This server's model.json was not used ({why}); the built-in model is used."));
        }
        self.settle(problems);
    }

    fn settle(self, problems: Vec<String>) {
        if !problems.is_empty() {
            self.problem.try_set(Some(problems.join(" ")));
        }
        self.settled.try_set(true);
    }

    /// Switches to `model` (`None`: the built-in one) if the worker accepts it,
    /// stores it when it is the user's own (`remember`), and re-classifies every card.
    /// On error nothing changed; the message is for people.
    pub async fn apply(self, model: Option<CheckedModel>, origin: Origin, remember: bool) -> Result<Switched, String> {
        let classifier = self.classifier.try_get_value().ok_or("the page is closing")?;
        self.busy.try_set(true);
        let outcome = classifier.set_model(model.clone()).await;
        let result = match outcome {
            Ok(id) => {
                let id = if model.is_none() { "builtin".to_string() } else { id };
                self.active.try_set(Active { id, origin: origin.clone() });
                self.model.set_value(model.clone());
                if remember {
                    let stored = model.map(|model| StoredModel { model, origin: origin.to_stored() });
                    if let Err(why) = store::save_model(stored.as_ref()).await {
                        self.problem.try_set(Some(format!("The model is in use but could not be saved for next time ({why}).")));
                    }
                }
                let changed = self.results.rescore_all(&classifier).await;
                Ok(Switched { changed })
            }
            Err(why) => Err(why),
        };
        self.busy.try_set(false);
        result
    }

    /// Back to the model built into the app, forgetting the user's own.
    pub async fn use_builtin(self) -> Result<Switched, String> {
        self.apply(None, Origin::Builtin, true).await
    }

    /// The model a retrain is compared with ("before"): the one in use when it is the
    /// server's or an imported one, else the built-in one (`None`). Never a model
    /// trained here: it has seen the marks, so its "before" would flatter it.
    pub fn before_model(self) -> Option<CheckedModel> {
        match self.active.get_untracked().origin {
            Origin::Server | Origin::Imported(_) => self.model.get_value(),
            Origin::Builtin | Origin::Trained(_) => None,
        }
    }

    /// The JSON of the model in use, for export: exactly what
    /// `daynight classify --model FILE` reads.
    pub async fn json(self) -> Result<String, String> {
        match self.model.try_get_value().flatten() {
            Some(model) => Ok(model.json),
            None => crate::trainer::builtin_model().await.map(|m| m.json),
        }
    }
}
