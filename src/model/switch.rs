//! Switching the model in use.
//!
//! Precedence at start: a model the user trained or imported (kept in IndexedDB) over
//! this server's optional `model.json` over the built-in one. Every switch goes
//! through the worker's validation ([`Classifier::set_model`]); only once it accepted
//! a model does the page say so, store it and re-classify the list with it. A refused
//! model leaves everything as it was.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::checked::CheckedModel;
use super::in_use::ModelInUse;
use super::origin::Origin;
use super::server::{cluster_model, ClusterModel};
use crate::classify::Classifier;
use crate::results::Results;
use crate::util::idb;
use crate::worker::wire::Wire;

/// Where the user's own model is kept ([`idb::KV`]).
const STORED_KEY: &str = "model";
/// Where the model before the last switch the user made is kept, for Undo.
const PREVIOUS_KEY: &str = "previous";

/// The page's model state. `Copy`: owned by the App.
#[derive(Clone, Copy)]
pub struct Models {
    /// The model in use: the one place its id, numbers and origin are read from.
    pub in_use: RwSignal<ModelInUse>,
    /// A problem with a model to tell people about (refused import, invalid
    /// `model.json`, storage failure); shown with `role="alert"`.
    pub problem: RwSignal<Option<String>>,
    /// The technical detail of [`Models::problem`], when there is one (a parser's
    /// message): shown folded under it. Cleared with it.
    pub detail: RwSignal<Option<String>>,
    /// True once the start-up choice (stored, server or built-in) is made.
    pub settled: RwSignal<bool>,
    /// True while a model is being switched.
    pub busy: RwSignal<bool>,
    /// The model in use before the last switch the user made (a retrain, an import,
    /// back to the built-in one), which Undo restores; kept over reloads until the
    /// next switch.
    pub previous: RwSignal<Option<ModelInUse>>,
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
    /// Starts with the built-in model in `in_use` (which the classifier reads too);
    /// call [`Models::start`] to apply the stored or server model.
    pub fn new(in_use: RwSignal<ModelInUse>, classifier: Classifier, results: Results) -> Models {
        Models {
            in_use,
            problem: RwSignal::new(None),
            detail: RwSignal::new(None),
            settled: RwSignal::new(false),
            busy: RwSignal::new(false),
            previous: RwSignal::new(None),
            classifier: StoredValue::new_local(classifier),
            results,
        }
    }

    /// Applies the user's stored model, else this server's `model.json`, else keeps
    /// the built-in one; says why when one could not be used.
    pub async fn start(self) {
        let mut problems = Vec::new();
        if let Ok(Some(previous)) = load(PREVIOUS_KEY).await {
            self.previous.try_set(Some(previous));
        }
        match load(STORED_KEY).await {
            Ok(Some(stored)) => match self.apply(stored, false).await {
                Ok(_) => return self.settle(problems),
                Err(why) => problems.push(format!("Your saved model could not be used ({why}).")),
            },
            Ok(None) => {}
            Err(why) => problems.push(format!("Your saved model could not be read ({why}).")),
        }
        // Refused by the trainer's checks or by the worker's: the same message.
        let refused = match cluster_model().await {
            ClusterModel::Absent => None,
            ClusterModel::Valid(model) => self.apply(ModelInUse::custom(model, Origin::Server), false).await.err(),
            ClusterModel::Invalid(why) => Some(why),
        };
        if let Some(why) = refused {
            problems.push(format!("This server's model.json was not used ({why}); the built-in model is used."));
        }
        self.settle(problems);
    }

    /// Takes the problem (and its detail) off the page.
    pub fn clear_problem(self) {
        self.problem.set(None);
        self.detail.set(None);
    }

    fn settle(self, problems: Vec<String>) {
        if !problems.is_empty() {
            self.problem.try_set(Some(problems.join(" ")));
        }
        self.settled.try_set(true);
    }

    /// Switches to `model` if the worker accepts it, stores it when it is the user's
    /// own (`remember`), and re-classifies every card. On error nothing changed; the
    /// message is for people.
    pub async fn apply(self, model: ModelInUse, remember: bool) -> Result<Switched, String> {
        let classifier = self.classifier.try_get_value().ok_or("the page is closing")?;
        self.busy.try_set(true);
        let outcome = classifier.set_model(model.numbers().map(<[f64]>::to_vec)).await;
        let result = match outcome {
            Ok(id) if id != model.id => Err(format!("the classifier read it as model {id}, not {}", model.id)),
            Ok(_) => {
                if remember {
                    if let Err(why) = save(&model).await {
                        self.problem.try_set(Some(format!("The model is in use but could not be saved for next time ({why}).")));
                    }
                }
                self.in_use.try_set(model);
                let changed = self.results.rescore_all(&classifier).await;
                Ok(Switched { changed })
            }
            Err(why) => Err(why),
        };
        self.busy.try_set(false);
        result
    }

    /// A switch the user asked for (a retrain, an import, back to the built-in
    /// model): applied and remembered like [`Models::apply`], and undoable: the model
    /// it replaces becomes [`Models::previous`].
    pub async fn switch(self, model: ModelInUse) -> Result<Switched, String> {
        let before = self.in_use.get_untracked();
        let switched = self.apply(model, true).await?;
        self.keep_previous(Some(before)).await;
        Ok(switched)
    }

    /// Back to the model built into the app (undoable).
    pub async fn use_builtin(self) -> Result<Switched, String> {
        self.switch(ModelInUse::builtin()).await
    }

    /// Undoes the last switch: the previous model is in use again (and remembered).
    pub async fn undo(self) -> Result<Switched, String> {
        let previous = self.previous.get_untracked().ok_or("there is nothing to undo")?;
        let switched = self.apply(previous, true).await?;
        self.keep_previous(None).await;
        Ok(switched)
    }

    async fn keep_previous(self, previous: Option<ModelInUse>) {
        let stored = match &previous {
            Some(model) => idb::put(idb::KV, PREVIOUS_KEY, &model.to_record::<JsValue>().into_js()).await,
            None => idb::delete(idb::KV, PREVIOUS_KEY).await,
        };
        if let Err(why) = stored {
            self.problem.try_set(Some(format!("Undo will not survive a reload ({why}).")));
        }
        self.previous.try_set(previous);
    }

    /// The model a retrain is compared with ("before"): the one in use (`None`: the
    /// built-in one). The comparison counts only the marked photos it never trained
    /// on ([`ModelInUse::trained_on`]), where its answers are held out.
    pub fn before_model(self) -> Option<CheckedModel> {
        self.in_use.with_untracked(|m| m.custom.clone())
    }

    /// The JSON of the model in use, for export: exactly what
    /// `daynight classify --model FILE` reads.
    pub async fn json(self) -> Result<String, String> {
        match self.in_use.with_untracked(|m| m.custom.clone()) {
            Some(model) => Ok(model.json),
            None => crate::teach::client::builtin_model().await.map(|m| m.json),
        }
    }
}

/// A model kept from an earlier visit under `key`, if any.
async fn load(key: &str) -> Result<Option<ModelInUse>, String> {
    let value = idb::get(idb::KV, key).await?;
    if value.is_undefined() {
        return Ok(None);
    }
    ModelInUse::from_record(Wire::from_js(&value))
        .map(Some)
        .map_err(|_| "it is not in a form this version of the app reads".into())
}

/// Keeps the user's own model for the next visit, or forgets it (the built-in and
/// the server's model are found again at start).
async fn save(model: &ModelInUse) -> Result<(), String> {
    if model.is_users_own() {
        idb::put(idb::KV, STORED_KEY, &model.to_record::<JsValue>().into_js()).await
    } else {
        idb::delete(idb::KV, STORED_KEY).await
    }
}
