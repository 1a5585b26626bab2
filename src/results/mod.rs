//! The results: every photo added, its answer, and what people do with the list.
//!
//! - [`status`]: where an image stands, tallies, the filter and the words for answers;
//! - [`export`]: the CSV/JSON rows (the command line's columns) and the download;
//! - [`help_text`]: the help's words, from core's tiers and reasons;
//! - `list`: [`Results`], the list and the batch runner that fills it;
//! - components: `card` (one result and the list of them), `verdict` (how an
//!   answer is shown, on cards and over the camera), `toolbar` (progress, summary,
//!   filter, export, clear), `lightbox` (the larger view), `picker` (choosing
//!   photos), `help` ("What do the answers mean?").

pub mod export;
pub mod help_text;
pub mod status;

#[cfg(target_arch = "wasm32")]
mod card;
#[cfg(target_arch = "wasm32")]
mod help;
#[cfg(target_arch = "wasm32")]
mod lightbox;
#[cfg(target_arch = "wasm32")]
mod list;
#[cfg(target_arch = "wasm32")]
mod picker;
#[cfg(target_arch = "wasm32")]
mod toolbar;
#[cfg(target_arch = "wasm32")]
mod verdict;

#[cfg(target_arch = "wasm32")]
pub use card::{ResultCard, ResultList};
#[cfg(target_arch = "wasm32")]
pub use help::Help;
#[cfg(target_arch = "wasm32")]
pub use lightbox::Lightbox;
#[cfg(target_arch = "wasm32")]
pub use list::{Entry, Results};
#[cfg(target_arch = "wasm32")]
pub use picker::{files_to_images, Picker};
pub use status::{Filter, Kind, Status, Tally};
#[cfg(target_arch = "wasm32")]
pub use toolbar::Toolbar;
#[cfg(target_arch = "wasm32")]
pub use verdict::Verdict;
