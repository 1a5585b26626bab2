//! # daynight-web
//!
//! The browser app: a Leptos single-page app that classifies photos as day or night
//! without sending them anywhere. Decoding and classification run in a Web Worker,
//! so a bad file can crash only the worker, never the page. Page and classifier
//! worker run the same wasm module (see `src/main.rs`): the worker fetches nothing
//! new; the trainer is a bundle of its own (`src/bin/trainer.rs`).
//!
//! One folder per concern:
//! - [`classify`]: the classifier worker, its protocol and the page's handle on it;
//! - [`results`]: the list of answers, its cards, summary, filter and exports;
//! - [`camera`]: the live camera and its frame loop;
//! - [`model`]: the model in use, where it came from, switching it;
//! - [`teach`]: marks, retraining in the trainer worker, the Teach panel;
//! - [`worker`]: what both workers share (message values, supervisor, start-up);
//! - [`util`]: small browser helpers.
//!
//! What is pure logic (protocols, statuses and tallies, frame counts, sizes, the
//! model's origin and storage form, export rows) builds on every target, so
//! `cargo test -p daynight-web` tests it natively; the rest needs a browser and only
//! builds for wasm32.

#![warn(missing_docs)]

pub mod camera;
pub mod classify;
pub mod model;
pub mod results;
pub mod teach;
pub mod util;
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod launch;
#[cfg(target_arch = "wasm32")]
mod offline;

/// Starts the app on the page.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    // The panic's message and place in the console. (console_error_panic_hook would
    // add a JS stack trace, which in a stripped wasm names no Rust function.)
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
    leptos::mount::mount_to_body(app::App);
}
