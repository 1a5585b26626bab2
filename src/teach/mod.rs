//! Teaching: the user's marks on photos, retraining on them, the Teach panel.
//!
//! - [`example`]: one marked photo as stored, keyed by its content;
//! - [`protocol`]: the typed messages between the page and the trainer worker;
//! - `marks`: [`Teach`], the list of marks (kept in IndexedDB);
//! - `client` (page side): the trainer worker's handle: retrain, check a model file;
//! - `in_worker` (worker side): model files and retraining with
//!   [`daynight_core::retrain`], in a bundle of its own fetched on first use;
//! - components: `panel` (the Teach section: marks, retrain, model import/export),
//!   `mark_buttons` ("it's day" / "it's night" on a card).

pub mod compare;
pub mod example;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod in_worker;
#[cfg(target_arch = "wasm32")]
mod mark_buttons;
#[cfg(target_arch = "wasm32")]
pub mod marks;
#[cfg(target_arch = "wasm32")]
mod panel;

#[cfg(target_arch = "wasm32")]
pub use mark_buttons::MarkButtons;
#[cfg(target_arch = "wasm32")]
pub use marks::Teach;
#[cfg(target_arch = "wasm32")]
pub use panel::TeachPanel;
