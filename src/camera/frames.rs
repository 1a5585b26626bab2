//! One callback per camera frame.
//!
//! `requestVideoFrameCallback` calls back when the video element shows a new frame,
//! so a 30 fps camera gives 30 calls a second, each for a frame not seen before: no
//! timer that grabs the same frame twice or misses one between ticks. Where a browser
//! lacks it, `requestAnimationFrame` stands in (once per screen refresh, so a frame
//! may then be seen twice, and drops are not known).

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::HtmlVideoElement;

#[wasm_bindgen]
extern "C" {
    /// A video element seen through the two methods web-sys does not have yet.
    type VideoFrames;
    #[wasm_bindgen(method, js_name = requestVideoFrameCallback)]
    fn request_video_frame_callback(this: &VideoFrames, callback: &js_sys::Function) -> u32;
    #[wasm_bindgen(method, js_name = cancelVideoFrameCallback)]
    fn cancel_video_frame_callback(this: &VideoFrames, handle: u32);
}

/// The function the browser calls with each frame; made once and reused, so a
/// long camera session allocates nothing per frame for it.
pub struct FrameCallback(Closure<dyn Fn(f64, JsValue)>);

impl FrameCallback {
    /// Wraps `on_frame`, which gets the video's `presentedFrames` count (frames
    /// shown since playback began), or `None` under `requestAnimationFrame`.
    pub fn new(on_frame: impl Fn(Option<u32>) + 'static) -> FrameCallback {
        FrameCallback(Closure::new(move |_now: f64, metadata: JsValue| {
            let presented = Reflect::get(&metadata, &"presentedFrames".into()).ok().and_then(|n| n.as_f64());
            on_frame(presented.map(|n| n as u32));
        }))
    }
}

/// A frame asked for and not yet delivered: what [`cancel`] needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// A `requestVideoFrameCallback` handle.
    Video(u32),
    /// A `requestAnimationFrame` handle.
    Animation(i32),
}

/// Asks for `callback` to run at the video's next frame; `None` if the browser
/// refused (no window).
pub fn request(video: &HtmlVideoElement, callback: &FrameCallback) -> Option<Request> {
    let function = callback.0.as_ref().unchecked_ref();
    if Reflect::has(video, &"requestVideoFrameCallback".into()).unwrap_or(false) {
        Some(Request::Video(video.unchecked_ref::<VideoFrames>().request_video_frame_callback(function)))
    } else {
        web_sys::window()?.request_animation_frame(function).ok().map(Request::Animation)
    }
}

/// Withdraws a request: its callback will not run.
pub fn cancel(video: &HtmlVideoElement, request: Request) {
    match request {
        Request::Video(handle) => video.unchecked_ref::<VideoFrames>().cancel_video_frame_callback(handle),
        Request::Animation(handle) => {
            if let Some(window) = web_sys::window() {
                let _ = window.cancel_animation_frame(handle);
            }
        }
    }
}
