//! Entry point of the app's wasm bundle: the page. The classifier runs in a worker
//! built from `src/bin/classifier.rs`.

fn main() {
    #[cfg(target_arch = "wasm32")]
    daynight_web::start();
}
