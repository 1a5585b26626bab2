//! Entry point of the app's one wasm module. The page runs it, and so does the
//! classifier worker (its loader imports the page's own script and wasm, which the
//! browser already has): one download instead of two copies of the runtime, the
//! allocator and the bindings. Which side this is decides what starts.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if js_sys::global().is_instance_of::<web_sys::Window>() {
            daynight_web::start();
        } else {
            daynight_web::classify::in_worker::run();
        }
    }
}
