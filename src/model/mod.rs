//! Which model the page classifies with.
//!
//! - [`in_use`]: [`ModelInUse`], the one owner of the model's id, numbers and origin;
//! - [`origin`]: where it came from, and how that is kept between visits;
//! - [`checked`]: a model file that passed the trainer's checks;
//! - `server`: this site's optional `model.json`;
//! - `switch`: [`Models`], switching (start-up choice, import, retrain, back to the
//!   built-in one) through the classifier's validation.

pub mod checked;
pub mod in_use;
pub mod origin;

#[cfg(target_arch = "wasm32")]
pub mod server;
#[cfg(target_arch = "wasm32")]
mod switch;

pub use checked::CheckedModel;
pub use in_use::ModelInUse;
pub use origin::Origin;
#[cfg(target_arch = "wasm32")]
pub use switch::{Models, Switched};
