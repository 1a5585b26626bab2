//! `use_camera`: the camera stream, its frame loop and its cleanup, in one hook.
//!
//! Starting a camera is asynchronous (permission prompt, device start-up), and the
//! person may leave camera mode at any moment: while it starts, just after, while a
//! frame is being classified. So the hook keeps its bookkeeping outside the reactive
//! graph (an `Rc` the async tasks hold, which no unmount can free), and:
//! - every start gets a session number; a stream that arrives for a session that is
//!   over (stopped, replaced, or the component gone) is stopped at once, so the
//!   camera light never stays on;
//! - everything an async task writes after an `.await` goes through `try_*`
//!   accessors, which do nothing once the component's signals are disposed;
//! - the frame loop runs once per frame the camera delivers (see [`super::frames`])
//!   with at most one frame in flight: a frame that arrives while the previous one
//!   is still being classified is dropped, and counted, never queued. A new session
//!   ends the old loop.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};

use leptos::html::Video;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::{HtmlVideoElement, MediaStream};

use super::counts::FrameCounts;
use super::device as camera;
use super::frames::{self as video_frames, FrameCallback, Request};

/// The component's per-frame work: gets the video element and the session's frame
/// counts so far, returns the frame's async work.
type OnFrame = Box<dyn Fn(HtmlVideoElement, FrameCounts) -> Pin<Box<dyn Future<Output = ()>>>>;

/// State that async tasks and the frame callback reach: never disposed.
struct Shared {
    stream: RefCell<Option<MediaStream>>,
    /// Bumped by every start and stop, and by cleanup.
    session: Cell<u32>,
    /// A frame is being grabbed or classified.
    busy: Cell<bool>,
    video: NodeRef<Video>,
    on_frame: OnFrame,
    /// Called by the browser for each new video frame; made once, reused every frame.
    callback: FrameCallback,
    /// The frame asked for and not yet delivered, with its video element (the
    /// component's `NodeRef` may be gone when a stop has to cancel it).
    pending: RefCell<Option<(HtmlVideoElement, Request)>>,
    /// Frame counts of the current session.
    counts: Cell<FrameCounts>,
}

/// What [`use_camera`] gives its component.
#[derive(Clone)]
pub struct UseCamera {
    /// A stream is live.
    pub running: ReadSignal<bool>,
    /// A start is under way.
    pub starting: ReadSignal<bool>,
    /// Why the last start failed, in plain words.
    pub error: RwSignal<Option<String>>,
    /// Video inputs as (device id, label).
    pub cameras: ReadSignal<Vec<(String, String)>>,
    /// The device in use or last chosen.
    pub chosen: ReadSignal<Option<String>>,
    // Reactive closures must be `Send`; this only ever lives on the page's thread.
    shared: SendWrapper<Rc<Shared>>,
    set_running: WriteSignal<bool>,
    set_starting: WriteSignal<bool>,
    set_cameras: WriteSignal<Vec<(String, String)>>,
    set_chosen: WriteSignal<Option<String>>,
}

/// Owns the camera for the component that calls it: `on_frame` runs for each new
/// camera frame while a stream is live and no frame is in flight; it gets the video
/// element and the session's [`FrameCounts`] (this frame included), and returns the
/// frame's async work. Leaving the component stops the stream and the loop.
pub fn use_camera<F, Fut>(video: NodeRef<Video>, on_frame: F) -> UseCamera
where
    F: Fn(HtmlVideoElement, FrameCounts) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let (running, set_running) = signal(false);
    let (starting, set_starting) = signal(false);
    let (cameras, set_cameras) = signal(Vec::new());
    let (chosen, set_chosen) = signal(None);
    let camera = UseCamera {
        running,
        starting,
        error: RwSignal::new(None),
        cameras,
        chosen,
        shared: SendWrapper::new(Rc::new_cyclic(|weak: &Weak<Shared>| {
            let weak = weak.clone();
            let callback = FrameCallback::new(move |presented| {
                // The hook is gone once nothing else holds its state: the loop ends.
                if let Some(shared) = weak.upgrade() {
                    shared.on_video_frame(presented);
                }
            });
            Shared {
                stream: RefCell::new(None),
                session: Cell::new(0),
                busy: Cell::new(false),
                video,
                on_frame: Box::new(move |v, counts| Box::pin(on_frame(v, counts))),
                callback,
                pending: RefCell::new(None),
                counts: Cell::new(FrameCounts::default()),
            }
        })),
        set_running,
        set_starting,
        set_cameras,
        set_chosen,
    };

    let this = camera.clone();
    // Only non-reactive state here: the component's signals may already be gone.
    on_cleanup(move || this.end_session());
    camera
}

impl UseCamera {
    /// Starts the camera `device` (or the back camera on phones), replacing any
    /// stream that runs.
    pub fn start(&self, device: Option<String>) {
        self.stop();
        let session = self.shared.session.get();
        self.error.set(None);
        self.set_starting.set(true);
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let outcome = camera::start(device.as_deref()).await;
            if this.shared.session.get() != session {
                // Stopped, restarted or unmounted meanwhile: this stream is not wanted.
                if let Ok(stream) = outcome {
                    camera::stop(&stream);
                }
                return;
            }
            match outcome {
                Ok(stream) => {
                    if let Some(v) = this.shared.video.try_get_untracked().flatten() {
                        v.set_src_object(Some(&stream));
                        // Muted inline video may autoplay everywhere. The promise rejects when
                        // playback is refused or the video leaves the page (camera mode left):
                        // both harmless, but an unhandled rejection would reach the console.
                        if let Ok(playing) = v.play() {
                            leptos::task::spawn_local(async move {
                                let _ = wasm_bindgen_futures::JsFuture::from(playing).await;
                            });
                        }
                    }
                    this.set_chosen.try_set(camera::device_of(&stream));
                    *this.shared.stream.borrow_mut() = Some(stream);
                    this.shared.request_frame();
                    this.set_running.try_set(true);
                    this.set_starting.try_set(false);
                    // Labels are only readable once permission has been given.
                    let list = camera::list_cameras().await;
                    if this.shared.session.get() == session {
                        this.set_cameras.try_set(list);
                    }
                }
                Err(message) => {
                    this.error.try_set(Some(message));
                    this.set_starting.try_set(false);
                }
            }
        });
    }

    /// Stops the stream (the camera light goes off) and any start under way.
    pub fn stop(&self) {
        self.end_session();
        if let Some(v) = self.shared.video.try_get_untracked().flatten() {
            v.set_src_object(None);
        }
        self.set_running.try_set(false);
        self.set_starting.try_set(false);
    }

    /// Ends the session (a stream still on its way will be stopped when it arrives)
    /// and stops the current stream, without touching reactive state.
    fn end_session(&self) {
        self.shared.session.set(self.shared.session.get().wrapping_add(1));
        if let Some((video, request)) = self.shared.pending.take() {
            video_frames::cancel(&video, request);
        }
        self.shared.counts.set(FrameCounts::default());
        if let Some(stream) = self.shared.stream.borrow_mut().take() {
            camera::stop(&stream);
        }
    }
}

impl Shared {
    /// Asks for the next camera frame.
    fn request_frame(&self) {
        let Some(video) = self.video.try_get_untracked().flatten() else { return };
        let request = video_frames::request(&video, &self.callback);
        *self.pending.borrow_mut() = request.map(|r| (video, r));
    }

    /// A new frame is on screen: classify it unless the last one is still in
    /// flight, then ask for the next. A stopped stream ends the loop.
    fn on_video_frame(self: Rc<Self>, presented: Option<u32>) {
        self.pending.take();
        if self.stream.borrow().is_none() {
            return;
        }
        let Some(video) = self.video.try_get_untracked().flatten() else { return };
        // HAVE_CURRENT_DATA: under requestAnimationFrame the first calls may come
        // before the camera's first frame.
        if video.ready_state() < 2 {
            return self.request_frame();
        }
        let free = !self.busy.get();
        let mut counts = self.counts.get();
        counts.record(presented, free);
        self.counts.set(counts);
        if free {
            self.busy.set(true);
            let work = (self.on_frame)(video, counts);
            let shared = Rc::clone(&self);
            leptos::task::spawn_local(async move {
                work.await;
                shared.busy.set(false);
            });
        }
        self.request_frame();
    }
}
