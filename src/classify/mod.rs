//! Classifying photos and camera frames, off the page's thread.
//!
//! - [`protocol`]: the typed messages between the page and the classifier worker;
//! - [`sizing`]: the JPEG scale and thumbnail sizes the worker asks the browser for;
//! - [`sniff`]: what a file's first bytes tell (JPEG, HEIC…), and the words when the
//!   browser cannot decode it;
//! - `client` (page side): [`Classifier`], a queue with one job in flight, on a
//!   supervised worker that is restarted when it dies;
//! - `in_worker` (worker side): header check, decode, features, model, thumbnail.

pub mod protocol;
pub mod sizing;
pub mod sniff;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod in_worker;

#[cfg(target_arch = "wasm32")]
pub use client::{Classifier, Outcome, Thumbnail};
pub use protocol::Classified;
