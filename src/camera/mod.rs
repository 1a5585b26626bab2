//! The live camera: a stream, a frame loop, the answer over the video.
//!
//! - `device`: availability, starting and stopping a stream, listing cameras,
//!   grabbing frames and snapshots, errors in plain words;
//! - `frames`: one callback per frame the camera delivers;
//! - [`counts`]: how many frames were seen and how many dropped;
//! - [`smooth`]: the calm live answer (averaged, with hysteresis, ≤ 3 changes a second);
//! - `hook`: `use_camera`, the stream and its loop owned for a component;
//! - `panel`: the camera tab.

pub mod counts;
pub mod smooth;

#[cfg(target_arch = "wasm32")]
pub mod device;
#[cfg(target_arch = "wasm32")]
mod frames;
#[cfg(target_arch = "wasm32")]
pub mod hook;
#[cfg(target_arch = "wasm32")]
mod panel;

#[cfg(target_arch = "wasm32")]
pub use panel::CameraPanel;
