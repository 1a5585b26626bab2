//! The results list and the batch that fills it.
//!
//! Files are queued and handed to the classifier one at a time by a single runner
//! task, so a batch of hundreds keeps one decoded photo in memory and the page stays
//! responsive. Every file gets its entry (and thumbnail) at once; its status fills in
//! when its answer arrives, and a failure marks that entry only.

use std::collections::VecDeque;

use leptos::prelude::*;
use web_sys::{Blob, Url};

use crate::classifier::{Classifier, Outcome};
use crate::protocol::{fixed, now_ms, Classified, Source};

/// Where one image stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Queued or being classified.
    Waiting,
    /// Classified.
    Done {
        /// The worker's answer.
        result: Classified,
        /// Milliseconds from handing the file to the classifier to the answer.
        ms: f64,
    },
    /// Could not be classified; the message is for people.
    Failed(String),
}

/// One image in the list.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable key for the list.
    pub id: u32,
    /// File name as the user knows it.
    pub name: String,
    /// Object URL of the worker's small copy of the image, once classified; revoked
    /// when the list is cleared.
    pub thumb: RwSignal<Option<String>>,
    /// Filled in when the answer arrives.
    pub status: RwSignal<Status>,
}

/// The app's results and batch progress. `Copy`: every field is a reactive handle.
#[derive(Clone, Copy)]
pub struct Results {
    /// Every image, in the order added.
    pub entries: RwSignal<Vec<Entry>>,
    /// Images in the current batch (a batch ends when the queue runs dry).
    pub batch_total: RwSignal<u32>,
    /// Images of the current batch that have an answer.
    pub batch_done: RwSignal<u32>,
    /// Text for the ARIA live region.
    pub announcement: RwSignal<String>,
    queue: StoredValue<VecDeque<(u32, Blob)>, LocalStorage>,
    running: StoredValue<bool>,
    next_id: StoredValue<u32>,
    /// Bumped by [`Results::clear`], so answers for cleared entries are dropped.
    generation: StoredValue<u32>,
    classifier: StoredValue<Classifier, LocalStorage>,
}

impl Results {
    /// An empty list that classifies with `classifier`.
    pub fn new(classifier: Classifier) -> Results {
        Results {
            entries: RwSignal::new(Vec::new()),
            batch_total: RwSignal::new(0),
            batch_done: RwSignal::new(0),
            announcement: RwSignal::new(String::new()),
            queue: StoredValue::new_local(VecDeque::new()),
            running: StoredValue::new(false),
            next_id: StoredValue::new(0),
            generation: StoredValue::new(0),
            classifier: StoredValue::new_local(classifier),
        }
    }

    /// Adds images (name and data) to the list and the queue.
    pub fn add(&self, images: Vec<(String, Blob)>) {
        if images.is_empty() {
            return;
        }
        if self.batch_done.get_untracked() == self.batch_total.get_untracked() {
            // The previous batch is finished: this starts a new one.
            self.batch_total.set(0);
            self.batch_done.set(0);
        }
        let mut added = Vec::with_capacity(images.len());
        for (name, blob) in images {
            let id = self.next_id.get_value() + 1;
            self.next_id.set_value(id);
            added.push(Entry { id, name, thumb: RwSignal::new(None), status: RwSignal::new(Status::Waiting) });
            self.queue.update_value(|q| q.push_back((id, blob)));
        }
        self.batch_total.update(|n| *n += added.len() as u32);
        self.entries.update(|entries| entries.extend(added));
        if !self.running.get_value() {
            self.running.set_value(true);
            let this = *self;
            leptos::task::spawn_local(async move { this.run().await });
        }
    }

    /// Empties the list and the queue and releases every thumbnail and every
    /// entry's signals.
    pub fn clear(&self) {
        self.generation.update_value(|g| *g += 1);
        self.queue.update_value(VecDeque::clear);
        let old = self.entries.get_untracked();
        for entry in &old {
            if let Some(url) = entry.thumb.get_untracked() {
                let _ = Url::revoke_object_url(&url);
            }
        }
        self.entries.set(Vec::new());
        // The signals were created under the app's owner, so nothing frees them but
        // this: without it every cleared photo leaked its answer (about 1.3 KB). The
        // cards read them until the list re-renders, so dispose on the next task.
        set_timeout(
            move || {
                for entry in old {
                    entry.thumb.dispose();
                    entry.status.dispose();
                }
            },
            std::time::Duration::ZERO,
        );
        self.batch_total.set(0);
        self.batch_done.set(0);
        self.announcement.set("Results cleared.".into());
    }

    /// Hands queued files to the classifier one by one until the queue is empty.
    async fn run(self) {
        loop {
            let Some((id, blob)) = self.queue.try_update_value(VecDeque::pop_front).flatten() else { break };
            let generation = self.generation.get_value();
            let classifier = self.classifier.get_value();
            let started = now_ms();
            let outcome = classifier.classify(Source::File, blob.into()).await;
            let ms = now_ms() - started;
            if generation != self.generation.get_value() {
                continue; // cleared meanwhile
            }
            self.settle(id, outcome, ms);
        }
        self.running.set_value(false);
    }

    fn settle(&self, id: u32, outcome: Outcome, ms: f64) {
        let Some(entry) = self.entries.with_untracked(|e| e.iter().find(|e| e.id == id).cloned()) else { return };
        let status = match outcome {
            Ok((result, thumb)) => {
                entry.thumb.set(thumb.and_then(|blob| Url::create_object_url_with_blob(&blob).ok()));
                Status::Done { result, ms }
            }
            Err(message) => Status::Failed(message),
        };
        entry.status.set(status.clone());
        self.batch_done.update(|n| *n += 1);
        let (done, total) = (self.batch_done.get_untracked(), self.batch_total.get_untracked());
        if total == 1 {
            self.announcement.set(format!("{}: {}", entry.name, summary(&status)));
        } else if done == total {
            self.announcement.set(self.batch_summary());
        }
    }

    /// "Classified 12 photos: 7 day, 4 night, 1 could not be read."
    pub fn batch_summary(&self) -> String {
        let (mut day, mut night, mut failed) = (0, 0, 0);
        self.entries.with_untracked(|entries| {
            for entry in entries {
                match entry.status.get_untracked() {
                    Status::Done { result, .. } if result.label == daynight_core::Label::Day => day += 1,
                    Status::Done { .. } => night += 1,
                    Status::Failed(_) => failed += 1,
                    Status::Waiting => {}
                }
            }
        });
        let mut text = format!("Classified {} photos: {day} day, {night} night", day + night + failed);
        if failed > 0 {
            text.push_str(&format!(", {failed} could not be read"));
        }
        text + "."
    }
}

/// One line about one answer, for people: "night, 93 % sure".
pub fn summary(status: &Status) -> String {
    match status {
        Status::Waiting => "waiting".into(),
        Status::Done { result, .. } => {
            let p = if result.label == daynight_core::Label::Night { result.p_night } else { 1.0 - result.p_night };
            let label = if result.uncertain { format!("uncertain, leaning {}", result.label) } else { result.label.to_string() };
            format!("{label}, {} % sure", fixed(p * 100.0, 0))
        }
        Status::Failed(message) => format!("could not be classified: {message}"),
    }
}
