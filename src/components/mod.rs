//! The UI, one component per file.

mod camera_panel;
mod picker;
mod result_card;
mod toolbar;
mod verdict;

pub use camera_panel::CameraPanel;
pub use picker::{files_to_images as picker_images, Picker};
pub use result_card::{ResultCard, ResultList};
pub use toolbar::Toolbar;
pub use verdict::Verdict;
