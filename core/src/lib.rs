//! # daynight-core
//!
//! One feature pipeline for the browser and the command line alike:
//! **RGBA pixels in → features out → probability out.** Nothing here knows about the
//! web or the file system (native decoding is behind the `decode` feature), so the
//! wasm app and the `daynight` CLI run the very same code and their answers can be
//! compared number for number.
//!
//! ```
//! use daynight_core::{classify_rgba, Model};
//! let model = Model::embedded().unwrap();
//! let (w, h, px) = daynight_core::testimages::sky_over_ground(64, 48);
//! let p = classify_rgba(&model, &px, w, h).unwrap();
//! assert_eq!(p.label, daynight_core::Label::Day);
//! ```
//!
//! Cargo features: `decode` adds native decoding of image files (module `decode`, not on
//! wasm32); `test-support` adds what tests, benchmarks and fuzzers share and the
//! classifier does not need: synthetic scenes (`testimages`, used above) and the fuzz
//! targets' properties (`invariants`).

#![warn(missing_docs)]

#[cfg(all(feature = "decode", not(target_arch = "wasm32")))]
pub mod decode;
pub mod examples;
pub mod explain;
pub mod features;
pub mod fnv;
pub mod formats;
pub mod header;
#[cfg(feature = "test-support")]
pub mod invariants;
pub mod label;
pub mod math;
pub mod model;
pub mod pixels;
pub mod platt;
pub mod provenance;
pub mod reliability;
pub mod report;
pub mod retrain;
#[cfg(any(test, feature = "test-support"))]
pub mod testimages;
pub mod tier;
pub mod train;

pub use features::{extract, feature_names, FeatureInfo, FEATURES, N_FEATURES};
pub use label::Label;
pub use model::{Contribution, Model, ModelError, Prediction};
pub use pixels::{PixelError, WORK_SIZE};
pub use tier::Tier;

/// Size the browser should shrink a photo to before handing over its pixels: twice
/// the working grid, so the last 2×2 area average happens in this crate on both paths.
pub const BROWSER_DECODE_SIZE: u32 = 2 * WORK_SIZE as u32;

/// Features and prediction for RGBA8 pixels of any size.
pub fn classify_rgba(model: &Model, rgba: &[u8], width: u32, height: u32) -> Result<Prediction, PixelError> {
    Ok(model.predict(&extract(rgba, width, height)?))
}
