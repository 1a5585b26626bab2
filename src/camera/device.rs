//! The camera, without the UI: availability, starting and stopping a stream,
//! listing cameras, grabbing frames, and errors in plain words.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, HtmlVideoElement, ImageBitmap, MediaDeviceInfo, MediaDeviceKind, MediaDevices, MediaStream, MediaStreamConstraints,
    MediaStreamTrack, MediaTrackConstraints, OffscreenCanvas, OffscreenCanvasRenderingContext2d,
};

use crate::util::image::{decode_options, encode_jpeg};
use crate::util::js::describe;

/// How to get a camera on a page that cannot have one. Deployment advice (port
/// forwarding, ingress TLS) lives in docs/deploy.md, not in front of users.
pub const HOW_TO_FIX: &str =
    "Open this page over HTTPS, or at a localhost address on this device. Choosing photos works either way.";

/// Why this page cannot use a camera at all, or `None` if it may ask for one.
pub fn unavailable_reason() -> Option<String> {
    let window = web_sys::window()?;
    if !window.is_secure_context() {
        return Some(format!(
            "Browsers only allow the camera on secure pages (https:// or localhost), and this page is plain http. {HOW_TO_FIX}"
        ));
    }
    let devices = Reflect::get(&window.navigator(), &"mediaDevices".into()).ok();
    if devices.is_none_or(|d| d.is_undefined() || d.is_null()) {
        return Some(format!("This browser offers no camera access (navigator.mediaDevices is missing). {HOW_TO_FIX}"));
    }
    None
}

/// A getUserMedia failure, by its `DOMException` name, in plain words.
pub fn describe_error(name: &str, detail: &str) -> String {
    match name {
        "NotAllowedError" | "SecurityError" => {
            "Camera access was refused. Allow the camera for this site (the camera icon in the address bar) and press Start again.".into()
        }
        "NotFoundError" | "DevicesNotFoundError" => "No camera was found. Connect one, or choose photos instead.".into(),
        "NotReadableError" | "TrackStartError" => {
            "The camera is busy or blocked: close other apps or tabs that use it, then press Start again.".into()
        }
        "OverconstrainedError" | "ConstraintNotSatisfiedError" => {
            "The chosen camera is not available any more. Pick another one from the list.".into()
        }
        "AbortError" => "The camera stopped while starting. Press Start again.".into(),
        _ => format!("The camera could not start ({name}: {detail})."),
    }
}

fn media_devices() -> Result<MediaDevices, String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    navigator.media_devices().map_err(|_| "This browser offers no camera access.".to_string())
}

/// Which camera to open: a device id from [`list_cameras`], or the back camera.
pub async fn start(device_id: Option<&str>) -> Result<MediaStream, String> {
    let video = MediaTrackConstraints::new();
    match device_id {
        Some(id) => video.set_device_id(&exact(id)),
        // No choice yet: prefer the back camera on phones, any camera elsewhere.
        None => video.set_facing_mode(&JsValue::from_str("environment")),
    }
    let constraints = MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio(&false.into());
    let promise = media_devices()?.get_user_media_with_constraints(&constraints).map_err(error_text)?;
    JsFuture::from(promise).await.map(JsCast::unchecked_into).map_err(error_text)
}

fn exact(id: &str) -> JsValue {
    let constraint = js_sys::Object::new();
    let _ = Reflect::set(&constraint, &"exact".into(), &id.into());
    constraint.into()
}

fn error_text(error: JsValue) -> String {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(e) => describe_error(&e.name(), &e.message()),
        None => describe_error("Error", &describe(error)),
    }
}

/// Stops every track: the camera light goes off.
pub fn stop(stream: &MediaStream) {
    for track in stream.get_tracks() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

/// The id of the camera a stream is using.
pub fn device_of(stream: &MediaStream) -> Option<String> {
    let track: MediaStreamTrack = stream.get_video_tracks().get(0).dyn_into().ok()?;
    let settings = track.get_settings();
    Reflect::get(&settings, &"deviceId".into()).ok()?.as_string()
}

/// Video inputs as (device id, label); labels are only known once permission is given.
pub async fn list_cameras() -> Vec<(String, String)> {
    let Ok(promise) = media_devices().and_then(|m| m.enumerate_devices().map_err(error_text)) else { return Vec::new() };
    let Ok(devices) = JsFuture::from(promise).await else { return Vec::new() };
    js_sys::Array::from(&devices)
        .iter()
        .filter_map(|d| d.dyn_into::<MediaDeviceInfo>().ok())
        .filter(|d| d.kind() == MediaDeviceKind::Videoinput)
        .enumerate()
        .map(|(i, d)| {
            let label = d.label();
            (d.device_id(), if label.is_empty() { format!("Camera {}", i + 1) } else { label })
        })
        .collect()
}

/// The current video frame, shrunk to the decode size for the classifier.
pub async fn grab_frame(video: &HtmlVideoElement) -> Result<ImageBitmap, String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window
        .create_image_bitmap_with_html_video_element_and_image_bitmap_options(video, &decode_options())
        .map_err(describe)?;
    JsFuture::from(promise).await.map(JsCast::unchecked_into).map_err(describe)
}

/// The current video frame at full size as a JPEG, to add to the results like a file.
pub async fn snapshot(video: &HtmlVideoElement) -> Result<Blob, String> {
    let (width, height) = (video.video_width(), video.video_height());
    if width == 0 || height == 0 {
        return Err("the camera has not delivered a picture yet".into());
    }
    let canvas = OffscreenCanvas::new(width, height).map_err(describe)?;
    let context: OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d").map_err(describe)?.ok_or("no 2D canvas")?.unchecked_into();
    context.draw_image_with_html_video_element(video, 0.0, 0.0).map_err(describe)?;
    encode_jpeg(&canvas, 0.92).await.map_err(describe)
}
