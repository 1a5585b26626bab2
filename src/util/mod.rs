//! Small helpers every concern uses. All of them need a browser.
//!
//! - [`js`]: a thrown JavaScript value in words;
//! - [`format`]: numbers as text, written by the browser, and the clock;
//! - [`dom`]: keyboard focus and downloads;
//! - [`image`]: the browser's decode options and JPEG encoding;
//! - [`idb`]: the page's one IndexedDB connection.

#[cfg(target_arch = "wasm32")]
pub mod dom;
#[cfg(target_arch = "wasm32")]
pub mod format;
#[cfg(target_arch = "wasm32")]
pub mod idb;
#[cfg(target_arch = "wasm32")]
pub mod image;
#[cfg(target_arch = "wasm32")]
pub mod js;
