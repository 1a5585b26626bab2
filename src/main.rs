//! Entry point of the wasm bundle. The same module runs twice: as the page (the
//! Leptos app) and inside the classifier Web Worker; [`daynight_web::start`] tells
//! the two apart.

fn main() {
    #[cfg(target_arch = "wasm32")]
    daynight_web::start();
}
