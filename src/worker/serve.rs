//! The worker side's start-up, the same for both workers: a panic hook that tells the
//! page why before the wasm traps, one message handler, and "ready".

use std::future::Future;

use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::wire::Wire;
use super::Lifecycle;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts a message to the page.
pub fn post(message: Wire<JsValue>) {
    // Posting to our own page cannot fail for the values a `Wire` holds.
    let _ = scope().post_message(&message.into_js());
}

/// Starts serving: each message the page sends is read with [`Wire::from_js`] and
/// handed to `handle`, whose future runs on its own; then says [`Lifecycle::Ready`].
pub fn serve<F, Fut>(handle: F)
where
    F: Fn(Wire<JsValue>) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    std::panic::set_hook(Box::new(|info| {
        // The full message in the console for diagnosis, and to the page for its message.
        let message = info.to_string();
        web_sys::console::error_1(&message.as_str().into());
        post(Lifecycle::Panic(message).to_wire());
    }));
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        wasm_bindgen_futures::spawn_local(handle(Wire::from_js(&event.data())));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its page: the handler is never dropped.
    on_message.forget();
    post(Lifecycle::Ready.to_wire());
}
