//! # daynight-web
//!
//! The browser app: a Leptos single-page app that classifies photos as day or night
//! without sending them anywhere. Decoding and classification run in a Web Worker,
//! so a bad file can crash only the worker, never the page. Page and worker run the
//! same wasm module (see `src/main.rs`): the worker fetches nothing new.
//!
//! On a native target this crate is empty: it only makes sense in a browser, and an
//! empty shell keeps `cargo test` at the workspace root fast.

#![warn(missing_docs)]
#![cfg(target_arch = "wasm32")]

pub mod app;
pub mod camera;
pub mod classifier;
pub mod components;
pub mod custom_model;
pub mod export;
pub mod header;
pub mod model_source;
pub mod models;
pub mod offline;
pub mod protocol;
pub mod results;
pub mod store;
pub mod teach;
pub mod trainer;
pub mod trainer_worker;
pub mod use_camera;
pub mod video_frames;
pub mod worker;

/// Starts the app on the page.
pub fn start() {
    // The panic's message and place in the console. (console_error_panic_hook would
    // add a JS stack trace, which in a stripped wasm names no Rust function.)
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
    leptos::mount::mount_to_body(app::App);
}
