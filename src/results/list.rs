//! The results list and the batch that fills it.
//!
//! Files are queued and handed to the classifier one at a time by a single runner
//! task, so a batch of hundreds keeps one decoded photo in memory and the page stays
//! responsive. Every file gets its entry (and thumbnail) at once; its status fills in
//! when its answer arrives, and a failure marks that entry only.
//!
//! Ownership: the list outlives every component that adds to it (the Photos tab, the
//! camera panel, the page-wide drop and paste handlers), so it must not be owned by
//! any of them. The `Results` handle is created by the App, and each entry's state is
//! an `Arc*` signal, which lives exactly as long as something holds it (the list, or
//! a card still on screen), never tied to the component that happened to add it.

use std::collections::VecDeque;

use leptos::prelude::*;
use web_sys::{Blob, Url};

use super::status::{summary, Filter, Status, Tally};
use crate::classify::protocol::Job;
use crate::classify::{Classifier, Outcome, Thumbnail};
use crate::util::format::now_ms;

/// One image in the list.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable key for the list.
    pub id: u32,
    /// File name as the user knows it.
    pub name: String,
    /// Object URL of the worker's small copy of the image, once classified; revoked
    /// when the list is cleared.
    pub thumb: ArcRwSignal<Option<String>>,
    /// Filled in when the answer arrives.
    pub status: ArcRwSignal<Status>,
    /// The id of this photo's example in the Teach list, once the user marked it
    /// (the mark itself is read from the list, see [`crate::teach::marks`]).
    pub example: ArcRwSignal<Option<u32>>,
}

impl Entry {
    /// What its status amounts to now (untracked).
    pub fn kind(&self) -> super::status::Kind {
        self.status.with_untracked(Status::kind)
    }
}

/// The app's results and batch progress. `Copy`: every field is a reactive handle
/// owned by the App, which lives as long as the page.
#[derive(Clone, Copy)]
pub struct Results {
    /// Every image, in the order added.
    pub entries: RwSignal<Vec<Entry>>,
    /// Images in the current batch (a batch ends when the queue runs dry).
    pub batch_total: RwSignal<u32>,
    /// Images of the current batch that have an answer or failed.
    pub batch_done: RwSignal<u32>,
    /// Text for the ARIA live region.
    pub announcement: RwSignal<String>,
    /// The id of the last entry added (snapshot feedback, scrolling to it).
    pub last_added: RwSignal<Option<u32>>,
    /// Which cards the list shows.
    pub filter: RwSignal<Filter>,
    /// The entries the last Clear took away, until Undo brings them back or new
    /// photos are added (their thumbnails are released at once: they come back
    /// without one).
    pub cleared: RwSignal<Option<Vec<Entry>>>,
    queue: StoredValue<VecDeque<(u32, Blob)>, LocalStorage>,
    running: StoredValue<bool>,
    next_id: StoredValue<u32>,
    /// The id of the first entry of the current batch.
    batch_first: StoredValue<u32>,
    /// Bumped by [`Results::clear`], so answers for cleared entries are dropped.
    generation: StoredValue<u32>,
    classifier: StoredValue<Classifier, LocalStorage>,
}

impl Results {
    /// An empty list that classifies with `classifier`. Call it in the App, so that
    /// the list's handles live as long as the page.
    pub fn new(classifier: Classifier) -> Results {
        Results {
            entries: RwSignal::new(Vec::new()),
            batch_total: RwSignal::new(0),
            batch_done: RwSignal::new(0),
            announcement: RwSignal::new(String::new()),
            last_added: RwSignal::new(None),
            filter: RwSignal::new(Filter::All),
            cleared: RwSignal::new(None),
            queue: StoredValue::new_local(VecDeque::new()),
            running: StoredValue::new(false),
            next_id: StoredValue::new(0),
            batch_first: StoredValue::new(1),
            generation: StoredValue::new(0),
            classifier: StoredValue::new_local(classifier),
        }
    }

    /// Adds images (name and data) to the list and the queue.
    pub fn add(&self, images: Vec<(String, Blob)>) {
        if images.is_empty() {
            return;
        }
        // New photos: the cleared list is gone for good.
        self.cleared.set(None);
        if self.batch_done.get_untracked() == self.batch_total.get_untracked() {
            // The previous batch is finished: this starts a new one.
            self.batch_total.set(0);
            self.batch_done.set(0);
            self.batch_first.set_value(self.next_id.get_value() + 1);
        }
        let mut added = Vec::with_capacity(images.len());
        for (name, blob) in images {
            let id = self.next_id.get_value() + 1;
            self.next_id.set_value(id);
            added.push(Entry {
                id,
                name,
                thumb: ArcRwSignal::new(None),
                status: ArcRwSignal::new(Status::Waiting),
                example: ArcRwSignal::new(None),
            });
            self.queue.update_value(|q| q.push_back((id, blob)));
        }
        self.last_added.set(added.last().map(|e| e.id));
        self.batch_total.update(|n| *n += added.len() as u32);
        self.entries.update(|entries| entries.extend(added));
        if !self.running.get_value() {
            self.running.set_value(true);
            let this = *self;
            leptos::task::spawn_local(async move { this.run().await });
        }
    }

    /// A name not yet used in the list: `base.ext`, else `base (2).ext`, `base (3).ext`…
    pub fn unique_name(&self, base: &str, ext: &str) -> String {
        self.entries.with_untracked(|entries| {
            let taken = |name: &str| entries.iter().any(|e| e.name == name);
            let mut name = format!("{base}.{ext}");
            let mut n = 1;
            while taken(&name) {
                n += 1;
                name = format!("{base} ({n}).{ext}");
            }
            name
        })
    }

    /// Empties the list and the queue and releases every thumbnail. The entries'
    /// signals go with the last card that reads them.
    pub fn clear(&self) {
        self.generation.update_value(|g| *g += 1);
        self.queue.update_value(VecDeque::clear);
        let old = self.entries.try_update(std::mem::take).unwrap_or_default();
        for entry in &old {
            if let Some(url) = entry.thumb.get_untracked() {
                let _ = Url::revoke_object_url(&url);
            }
            entry.thumb.set(None);
        }
        // Answered and failed cards can come back; waiting ones were dequeued.
        let kept: Vec<Entry> = old.into_iter().filter(|e| e.status.with_untracked(|s| *s != Status::Waiting)).collect();
        self.cleared.set((!kept.is_empty()).then_some(kept));
        self.batch_total.set(0);
        self.batch_done.set(0);
        self.last_added.set(None);
        // A new list starts unfiltered (the filter is out of sight until it has cards).
        self.filter.set(Filter::All);
        self.announcement.set("Results cleared.".into());
    }

    /// Brings back what the last Clear took away.
    pub fn undo_clear(&self) {
        let Some(entries) = self.cleared.try_update(Option::take).flatten() else { return };
        let n = entries.len();
        self.entries.update(|list| {
            let added = std::mem::take(list);
            *list = entries;
            list.extend(added);
        });
        self.announcement.set(format!("{n} {} back.", if n == 1 { "result is" } else { "results are" }));
    }

    /// Removes one entry (and its thumbnail). An answer still coming for it is dropped.
    pub fn remove(&self, id: u32) {
        let removed = self.entries.try_update(|entries| {
            let at = entries.iter().position(|e| e.id == id)?;
            Some(entries.remove(at))
        });
        let Some(Some(entry)) = removed else { return };
        if let Some(url) = entry.thumb.get_untracked() {
            let _ = Url::revoke_object_url(&url);
        }
        if entry.status.get_untracked() == Status::Waiting {
            self.queue.update_value(|q| q.retain(|(queued, _)| *queued != id));
            // It no longer counts towards the batch.
            self.batch_total.update(|n| *n = n.saturating_sub(1));
        }
    }

    /// Hands queued files to the classifier one by one until the queue is empty.
    async fn run(self) {
        loop {
            let Some((id, blob)) = self.queue.try_update_value(VecDeque::pop_front).flatten() else { break };
            let Some(generation) = self.generation.try_get_value() else { return };
            let Some(classifier) = self.classifier.try_get_value() else { return };
            let started = now_ms();
            let outcome = classifier.classify(Job::File(blob.into())).await;
            let ms = now_ms() - started;
            if self.generation.try_get_value() != Some(generation) {
                continue; // cleared meanwhile (or the page is going away)
            }
            self.settle(id, outcome, ms);
        }
        self.running.try_set_value(false);
    }

    fn settle(&self, id: u32, outcome: Outcome, ms: f64) {
        let Some(entry) = self.entries.try_with_untracked(|e| e.iter().find(|e| e.id == id).cloned()).flatten() else {
            return; // removed meanwhile
        };
        let status = match outcome {
            Ok((result, thumb)) => {
                if let Some(thumb) = thumb {
                    self.show_thumbnail(&entry, thumb);
                }
                Status::Done { result, ms }
            }
            Err(message) => Status::Failed(message),
        };
        entry.status.set(status.clone());
        self.batch_done.update(|n| *n += 1);
        let (done, total) = (self.batch_done.get_untracked(), self.batch_total.get_untracked());
        if total == 1 {
            self.announcement.set(format!("{}: {}", entry.name, summary(&status)));
        } else if done >= total {
            self.announcement.set(format!("Done: {}", self.batch_tally().sentence()));
        }
    }

    /// Shows the entry's thumbnail when the worker sends it, just after the answer
    /// (which does not wait for it). One that arrives after its entry was removed or
    /// the list cleared is dropped: no object URL is made that nothing would revoke.
    fn show_thumbnail(&self, entry: &Entry, thumb: Thumbnail) {
        let (list, id, slot) = (*self, entry.id, entry.thumb.clone());
        let Some(generation) = self.generation.try_get_value() else { return };
        leptos::task::spawn_local(async move {
            let Some(blob) = thumb.blob().await else { return };
            let listed = list.entries.try_with_untracked(|entries| entries.iter().any(|e| e.id == id)) == Some(true);
            if list.generation.try_get_value() == Some(generation) && listed {
                slot.set(Url::create_object_url_with_blob(&blob).ok());
            }
        });
    }

    /// Re-classifies every answered entry from its stored features with the model the
    /// classifier now uses (no photo is decoded again). Returns how many answers
    /// (day, night or uncertain) changed.
    pub async fn rescore_all(&self, classifier: &Classifier) -> usize {
        let Some(generation) = self.generation.try_get_value() else { return 0 };
        let Some(entries) = self.entries.try_get_untracked() else { return 0 };
        let mut changed = 0;
        for entry in entries {
            let Status::Done { result: old, ms } = entry.status.get_untracked() else { continue };
            let Ok((mut new, _)) = classifier.rescore(old.features.clone()).await else { continue };
            if self.generation.try_get_value() != Some(generation) {
                break; // cleared meanwhile
            }
            if new.features.is_empty() {
                new.features = old.features.clone();
            }
            let kind = |result: &crate::classify::Classified| Status::Done { result: result.clone(), ms }.kind();
            if kind(&new) != kind(&old) {
                changed += 1;
            }
            entry.status.try_set(Status::Done { result: new, ms });
        }
        changed
    }

    /// Takes the mark off every card linked to Teach example `id` (`None`: to any),
    /// when the example is forgotten from the Teach list.
    pub fn unlink_example(&self, id: Option<u32>) {
        self.entries.with_untracked(|entries| {
            for entry in entries {
                let linked = entry.example.get_untracked();
                if linked.is_some() && (id.is_none() || linked == id) {
                    entry.example.set(None);
                }
            }
        });
    }

    /// The outcomes of the current batch only.
    pub fn batch_tally(&self) -> Tally {
        let first = self.batch_first.get_value();
        self.entries.with_untracked(|entries| Tally::of(entries.iter().filter(|e| e.id >= first).map(Entry::kind)))
    }
}
