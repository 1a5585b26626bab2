//! Entry point of the classifier worker's own wasm bundle (see
//! `daynight_web::worker`): decoding, features and the model, without the UI. Kept
//! apart from the app's bundle so the page's first load carries no classifier code.

fn main() {
    #[cfg(target_arch = "wasm32")]
    daynight_web::worker::run();
}
