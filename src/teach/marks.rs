//! The Teach list: the photos the user marked "it's day" or "it's night", kept as
//! feature vectors and labels (never photos), so they outlive the results list
//! (Clear, reloads) and feed a retrain.
//!
//! A card only holds the id of its example here; whether it is marked, and how, is
//! always read from this list, so removing an example from the Teach panel unmarks
//! its card too. One photo is one example: marking a photo whose content is already
//! in the list relabels that example. Every change is written to IndexedDB
//! ([`crate::util::idb`], one record per example).

use daynight_core::Label;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::example::StoredExample;
use crate::util::idb;
use crate::worker::wire::Wire;

/// One marked example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Stable key within this page's life (not stored).
    pub id: u32,
    /// Its content key ([`super::example::content_key`]).
    pub key: String,
    /// What the user said and the photo's features.
    pub stored: StoredExample,
}

/// The Teach list and the user's training settings. `Copy`: the handles are owned
/// by the App, which lives as long as the page.
#[derive(Clone, Copy)]
pub struct Teach {
    /// Every marked example, oldest first.
    pub examples: RwSignal<Vec<Example>>,
    /// How much one of the user's examples counts against one built-in example.
    pub user_weight: RwSignal<f64>,
    /// Set when storing the list failed, for people.
    pub store_error: RwSignal<Option<String>>,
    next_id: StoredValue<u32>,
}

/// What changed, for IndexedDB.
enum Change {
    Put(StoredExample),
    Delete(String),
    Clear,
}

impl Teach {
    /// An empty list; call [`Teach::restore`] to load the stored one.
    pub fn new(default_weight: f64) -> Teach {
        Teach {
            examples: RwSignal::new(Vec::new()),
            user_weight: RwSignal::new(default_weight),
            store_error: RwSignal::new(None),
            next_id: StoredValue::new(0),
        }
    }

    /// Loads the examples stored by an earlier visit (before any mark of this one).
    pub async fn restore(self) {
        match idb::get_all(idb::EXAMPLES).await {
            Ok(records) => {
                let restored: Vec<Example> = records
                    .iter()
                    .filter_map(|record| StoredExample::from_wire(Wire::from_js(record)).ok())
                    .map(|stored| Example { id: self.take_id(), key: stored.key(), stored })
                    .collect();
                self.examples.try_update(|examples| {
                    let fresh = std::mem::take(examples);
                    *examples = restored;
                    // A photo marked before the stored list arrived wins over its old mark.
                    examples.retain(|old| !fresh.iter().any(|new| new.key == old.key));
                    examples.extend(fresh);
                });
            }
            Err(message) => {
                self.store_error.try_set(Some(format!("Your marked examples could not be read: {message}.")));
            }
        }
    }

    /// Marks a photo (`existing`: the card's example, if it has one); returns the id
    /// of its example. The same photo already in the list is relabelled, not added.
    pub fn mark(&self, existing: Option<u32>, name: &str, label: Label, features: &[f64]) -> u32 {
        let stored = StoredExample { name: name.to_string(), label, features: features.to_vec() };
        let key = stored.key();
        let mut found = None;
        self.examples.update(|examples| {
            if let Some(example) = examples.iter_mut().find(|e| Some(e.id) == existing || e.key == key) {
                example.stored.label = label;
                found = Some((example.id, example.stored.clone()));
            }
        });
        if let Some((id, stored)) = found {
            self.save(Change::Put(stored));
            return id;
        }
        let id = self.take_id();
        self.examples.update(|examples| examples.push(Example { id, key, stored: stored.clone() }));
        self.save(Change::Put(stored));
        id
    }

    /// The id of the example of a photo with these features, if it is marked
    /// (untracked): a card added again for a photo already marked shows its mark.
    pub fn example_of(&self, features: &[f64]) -> Option<u32> {
        let key = super::example::content_key(features);
        self.examples.with_untracked(|examples| examples.iter().find(|e| e.key == key).map(|e| e.id))
    }

    /// Forgets one example.
    pub fn unmark(&self, id: u32) {
        let mut gone = None;
        self.examples.update(|examples| {
            gone = examples.iter().position(|e| e.id == id).map(|at| examples.remove(at).key);
        });
        if let Some(key) = gone {
            self.save(Change::Delete(key));
        }
    }

    /// Forgets every example.
    pub fn forget_all(&self) {
        self.examples.set(Vec::new());
        self.save(Change::Clear);
    }

    /// The label of example `id`, if it is still in the list (tracked).
    pub fn label_of(&self, id: Option<u32>) -> Option<Label> {
        self.examples.with(|examples| label_in(examples, id?))
    }

    /// The label of example `id`, if it is still in the list, without tracking the
    /// list (see `ResultCard`: a card follows its own `example` signal instead).
    pub fn label_now(&self, id: Option<u32>) -> Option<Label> {
        self.examples.with_untracked(|examples| label_in(examples, id?))
    }

    /// (day, night) examples (tracked).
    pub fn counts(&self) -> (usize, usize) {
        self.examples.with(|examples| {
            let night = examples.iter().filter(|e| e.stored.label == Label::Night).count();
            (examples.len() - night, night)
        })
    }

    /// The examples as the trainer takes them, each with its content key.
    pub fn marked_with_keys(&self) -> Vec<(String, Vec<f64>, Label)> {
        self.examples.with_untracked(|examples| {
            examples.iter().map(|e| (e.key.clone(), e.stored.features.clone(), e.stored.label)).collect()
        })
    }

    fn take_id(&self) -> u32 {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        id
    }

    /// Writes one change to IndexedDB, in the background.
    fn save(&self, change: Change) {
        let this = *self;
        leptos::task::spawn_local(async move {
            let outcome = match change {
                Change::Put(stored) => idb::put(idb::EXAMPLES, &stored.key(), &stored.to_wire::<JsValue>().into_js()).await,
                Change::Delete(key) => idb::delete(idb::EXAMPLES, &key).await,
                Change::Clear => idb::clear(idb::EXAMPLES).await,
            };
            this.store_error.try_set(outcome.err().map(|m| format!("Your marked examples could not be saved: {m}.")));
        });
    }
}

/// The label of example `id` in `examples`, if it is there.
fn label_in(examples: &[Example], id: u32) -> Option<Label> {
    examples.iter().find(|e| e.id == id).map(|e| e.stored.label)
}
