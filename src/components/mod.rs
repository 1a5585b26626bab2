//! The UI, one component per file.

mod camera_panel;
mod help;
mod lightbox;
mod mark_buttons;
mod picker;
mod result_card;
mod teach_panel;
mod toolbar;
mod verdict;

pub use camera_panel::CameraPanel;
pub use help::Help;
pub use lightbox::Lightbox;
pub use mark_buttons::MarkButtons;
pub use picker::{files_to_images as picker_images, Picker};
pub use result_card::{ResultCard, ResultList};
pub use teach_panel::TeachPanel;
pub use toolbar::Toolbar;
pub use verdict::Verdict;
