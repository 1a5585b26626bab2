//! Entry point of the trainer worker's own wasm bundle (see
//! `daynight_web::teach::in_worker`): model files and retraining, without the UI or
//! the decoder. Fetched only when the page first retrains or reads a model file.

fn main() {
    #[cfg(target_arch = "wasm32")]
    daynight_web::teach::in_worker::run();
}
