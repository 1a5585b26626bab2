//! The Teach list: the examples the user marked "it's day" or "it's night", kept as
//! feature vectors and labels (never photos), so they outlive the results list
//! (Clear, reloads) and feed a retrain.
//!
//! A card only holds the id of its example here; whether it is marked, and how, is
//! always read from this list, so removing an example from the Teach panel unmarks
//! its card too. Every change is written to IndexedDB ([`crate::store`]).

use daynight_core::Label;
use leptos::prelude::*;

use crate::store::{self, StoredExample};

/// One marked example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Stable key within this page's life (not stored).
    pub id: u32,
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
        match store::load_examples().await {
            Ok(stored) => {
                let restored: Vec<Example> = stored.into_iter().map(|stored| Example { id: self.take_id(), stored }).collect();
                self.examples.try_update(|examples| {
                    let fresh = std::mem::take(examples);
                    *examples = restored;
                    examples.extend(fresh);
                });
            }
            Err(message) => {
                self.store_error.try_set(Some(format!("Your marked examples could not be read: {message}.")));
            }
        }
    }

    /// Adds an example (or relabels `existing`); returns its id.
    pub fn mark(&self, existing: Option<u32>, name: &str, label: Label, features: &[f64]) -> u32 {
        if let Some(id) = existing {
            let mut found = false;
            self.examples.update(|examples| {
                if let Some(example) = examples.iter_mut().find(|e| e.id == id) {
                    example.stored.label = label;
                    found = true;
                }
            });
            if found {
                self.save();
                return id;
            }
        }
        let id = self.take_id();
        let stored = StoredExample { name: name.to_string(), label, features: features.to_vec() };
        self.examples.update(|examples| examples.push(Example { id, stored }));
        self.save();
        id
    }

    /// Forgets one example.
    pub fn unmark(&self, id: u32) {
        self.examples.update(|examples| examples.retain(|e| e.id != id));
        self.save();
    }

    /// Forgets every example.
    pub fn forget_all(&self) {
        self.examples.set(Vec::new());
        self.save();
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

    /// The examples as the trainer takes them.
    pub fn training_set(&self) -> Vec<(Vec<f64>, Label)> {
        self.examples.with_untracked(|examples| examples.iter().map(|e| (e.stored.features.clone(), e.stored.label)).collect())
    }

    fn take_id(&self) -> u32 {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        id
    }

    /// Writes the whole list to IndexedDB (a few KB), in the background.
    fn save(&self) {
        let this = *self;
        let stored: Vec<StoredExample> = self.examples.with_untracked(|e| e.iter().map(|e| e.stored.clone()).collect());
        leptos::task::spawn_local(async move {
            let outcome = store::save_examples(&stored).await;
            this.store_error.try_set(outcome.err().map(|m| format!("Your marked examples could not be saved: {m}.")));
        });
    }
}

/// The label of example `id` in `examples`, if it is there.
fn label_in(examples: &[Example], id: u32) -> Option<Label> {
    examples.iter().find(|e| e.id == id).map(|e| e.stored.label)
}
