//! The classifier worker: decode, features and model, off the page's thread.
//!
//! The app's module calls [`run`] when it starts inside a dedicated worker (see
//! `src/main.rs`). Everything that can go wrong with a hostile file
//! happens here, so a panic or trap kills only this worker; the page notices, marks
//! the image as failed and starts a fresh one (see [`super::client`]).

use std::cell::RefCell;

use daynight_core::header::{self, Verdict};
use daynight_core::{extract, Model, Prediction, BROWSER_DECODE_SIZE, N_FEATURES};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, ImageBitmap, OffscreenCanvas, OffscreenCanvasRenderingContext2d};

use super::protocol::{Classified, Job, Reply, Request};
use super::sizing;
use crate::util::format::now_ms;
use crate::util::image::{decode_options, encode_jpeg};
use crate::worker::serve::{post, serve};
use crate::worker::wire::Wire;

thread_local! {
    // The model in use: the embedded one (parsed once per worker; checked by the
    // core's tests) until the page sends another (`Job::Model`).
    static MODEL: RefCell<Model> = RefCell::new(builtin());
    // One canvas for every image: the decode size never changes.
    static CANVAS: RefCell<Option<OffscreenCanvasRenderingContext2d>> = const { RefCell::new(None) };
}

fn builtin() -> Model {
    Model::embedded().expect("the embedded model is valid")
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Starts the worker: the panic hook, the message loop, "ready".
pub fn run() {
    serve(handle);
}

async fn handle(message: Wire<JsValue>) {
    let request = match Request::from_wire(message) {
        Ok(request) => request,
        // Only this crate's page talks to this worker: nothing to answer.
        Err(why) => return web_sys::console::warn_1(&format!("daynight: an unexpected request: {why}").into()),
    };
    if request.crash {
        panic!("deliberate crash requested by the page's debug hook");
    }
    let id = request.id;
    let outcome = match request.job {
        Job::File(blob) => classify_blob(blob.unchecked_into()).await,
        Job::Frame(bitmap) => {
            let bitmap: ImageBitmap = bitmap.unchecked_into();
            let started = now_ms();
            let outcome = classify_bitmap(&bitmap, started, (0, 0));
            bitmap.close();
            outcome.map(|result| (result, None))
        }
        Job::Features(features) => rescore(features).map(|result| (result, None)),
        Job::Model(numbers) => {
            post(
                match use_model(numbers) {
                    Ok(model) => Reply::Model { id, model },
                    Err(message) => Reply::Failed { id, message },
                }
                .into_wire(),
            );
            return;
        }
    };
    let reply = match outcome {
        Ok((result, thumb)) => Reply::Done { id, result, thumb: thumb.map(JsValue::from) },
        Err(message) => Reply::Failed { id, message },
    };
    post(reply.into_wire());
}

/// Switches to the model of these numbers (`None`: the built-in one) and returns
/// its id. A model the core refuses leaves the one in use unchanged.
fn use_model(numbers: Option<Vec<f64>>) -> Result<String, String> {
    let model = match numbers {
        None => builtin(),
        Some(numbers) => Model::from_numbers(&numbers).map_err(|e| format!("the model was refused: {e}"))?,
    };
    let id = model.id();
    MODEL.with(|m| *m.borrow_mut() = model);
    Ok(id)
}

/// The answer for stored features, with the model in use.
fn rescore(numbers: Vec<f64>) -> Result<Classified, String> {
    let started = now_ms();
    let refused = || format!("these stored features are not {N_FEATURES} finite numbers");
    let features: [f64; N_FEATURES] = numbers.try_into().map_err(|_| refused())?;
    if features.iter().any(|x| !x.is_finite()) {
        return Err(refused());
    }
    let prediction = MODEL.with(|m| m.borrow().predict(&features));
    Ok(answer(prediction, features, (0, 0), 0.0, now_ms() - started))
}

fn answer(
    prediction: Prediction,
    features: [f64; N_FEATURES],
    (width, height): (u32, u32),
    decode_ms: f64,
    work_ms: f64,
) -> Classified {
    Classified {
        label: prediction.label,
        p_night: prediction.p_night,
        uncertain: prediction.uncertain,
        explanation: prediction.explanation(3),
        width,
        height,
        decode_ms,
        work_ms,
        features: features.to_vec(),
    }
}

async fn classify_blob(blob: Blob) -> Result<(Classified, Option<Blob>), String> {
    let started = now_ms();
    let size = blob.size() as u64;
    let Sniffed { dims, orientation, jpeg } = check_header(&blob, size).await?;

    let scaled = match sizing::jpeg_scaled_size(dims.0, dims.1) {
        Some(asked) if jpeg => decode_jpeg_scaled(&blob, asked).await.ok(),
        _ => None,
    };
    let bitmap = match scaled {
        Some(bitmap) => bitmap,
        None => {
            let promise = scope()
                .create_image_bitmap_with_blob_and_image_bitmap_options(&blob, &decode_options())
                .map_err(|_| undecodable())?;
            JsFuture::from(promise).await.map_err(|_| undecodable())?.unchecked_into()
        }
    };
    let outcome = classify_bitmap(&bitmap, started, dims);
    // The page shows this small copy, never the original: an <img> of the file
    // would decode the full photo again on the page (and a hostile one there).
    let thumb = match outcome {
        Ok(_) => thumbnail(&bitmap, sizing::thumbnail_size(dims.0, dims.1, orientation)).await.ok(),
        Err(_) => None,
    };
    // Release the decoded pixels now rather than at the next garbage collection:
    // hundreds of photos in a row must not pile up bitmaps.
    bitmap.close();
    outcome.map(|result| (result, thumb))
}

/// A small JPEG of the decoded bitmap with the photo's proportions restored.
async fn thumbnail(bitmap: &ImageBitmap, (width, height): (u32, u32)) -> Result<Blob, JsValue> {
    let canvas = OffscreenCanvas::new(width, height)?;
    let context: OffscreenCanvasRenderingContext2d = canvas.get_context("2d")?.ok_or(JsValue::NULL)?.unchecked_into();
    context.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, f64::from(width), f64::from(height))?;
    encode_jpeg(&canvas, 0.85).await
}

#[wasm_bindgen]
extern "C" {
    /// WebCodecs' `ImageDecoder` (web-sys only has it behind its unstable flag).
    type ImageDecoder;
    #[wasm_bindgen(constructor, catch)]
    fn new(init: &js_sys::Object) -> Result<ImageDecoder, JsValue>;
    #[wasm_bindgen(method)]
    fn decode(this: &ImageDecoder) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn close(this: &ImageDecoder);
    /// The global `createImageBitmap`, for a `VideoFrame` source.
    #[wasm_bindgen(js_name = createImageBitmap, catch)]
    fn create_image_bitmap_from(source: &JsValue, options: &web_sys::ImageBitmapOptions) -> Result<js_sys::Promise, JsValue>;
}

/// Big JPEGs: decoding at 1/8…7/8 scale skips most of the inverse DCT work (a
/// 16 MP photo decodes about twice as fast) and each 8×8 block is averaged exactly,
/// which is what the classifier does next anyway. `Err` means "use the plain path":
/// no WebCodecs here, a decoder error, or a result smaller than asked.
async fn decode_jpeg_scaled(blob: &Blob, (width, height): (u32, u32)) -> Result<ImageBitmap, JsValue> {
    if !js_sys::Reflect::has(&js_sys::global(), &"ImageDecoder".into())? {
        return Err(JsValue::NULL);
    }
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"data".into(), &blob.stream())?;
    js_sys::Reflect::set(&init, &"type".into(), &"image/jpeg".into())?;
    js_sys::Reflect::set(&init, &"desiredWidth".into(), &width.into())?;
    js_sys::Reflect::set(&init, &"desiredHeight".into(), &height.into())?;
    let decoder = ImageDecoder::new(&init)?;
    let decoded = JsFuture::from(decoder.decode()).await;
    decoder.close();
    // A VideoFrame, upright (the decoder reads the EXIF orientation).
    let frame = js_sys::Reflect::get(&decoded?, &"image".into())?;
    let side = |key: &str| js_sys::Reflect::get(&frame, &key.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let big_enough = side("displayWidth").min(side("displayHeight")) >= f64::from(BROWSER_DECODE_SIZE);
    // No early return before the frame is closed: it holds decoder memory.
    let bitmap = if big_enough {
        Some(match create_image_bitmap_from(&frame, &decode_options()) {
            Ok(promise) => JsFuture::from(promise).await,
            Err(e) => Err(e),
        })
    } else {
        None
    };
    if let Ok(close) = js_sys::Reflect::get(&frame, &"close".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = close.call0(&frame);
    }
    Ok(bitmap.ok_or(JsValue::NULL)??.unchecked_into())
}

fn undecodable() -> String {
    "the browser could not decode this image: it is damaged, truncated, or not an image format it reads".into()
}

/// What the first bytes of a file told.
struct Sniffed {
    /// Size as stored (0×0 if unknown).
    dims: (u32, u32),
    /// EXIF orientation of a JPEG.
    orientation: Option<u16>,
    /// A JPEG, by its signature.
    jpeg: bool,
}

/// Reads growing prefixes of the file until the header gives its dimensions.
async fn check_header(blob: &Blob, size: u64) -> Result<Sniffed, String> {
    let mut want = header::FIRST_READ;
    loop {
        let end = (size as f64).min(f64::from(want));
        let head = read_prefix(blob, end).await?;
        let sniffed =
            |dims| Sniffed { dims, orientation: header::exif_orientation(&head), jpeg: head.starts_with(&[0xFF, 0xD8, 0xFF]) };
        match header::check(&head, size).map_err(|e| e.to_string())? {
            Verdict::Fits { width, height } => return Ok(sniffed((width, height))),
            Verdict::NeedMore if want < header::LAST_READ && (want as u64) < size => want *= 4,
            // A header that big is unusual, not hostile: let the browser's decoder judge.
            Verdict::NeedMore => return Ok(sniffed((0, 0))),
        }
    }
}

async fn read_prefix(blob: &Blob, end: f64) -> Result<Vec<u8>, String> {
    let unreadable = |_| "the file could not be read".to_string();
    let slice = blob.slice_with_f64_and_f64(0.0, end).map_err(unreadable)?;
    let buffer = JsFuture::from(slice.array_buffer()).await.map_err(unreadable)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Draws a bitmap onto the shared canvas at the decode size and classifies its pixels.
fn classify_bitmap(bitmap: &ImageBitmap, started: f64, size: (u32, u32)) -> Result<Classified, String> {
    let rgba = read_pixels(bitmap)?;
    let decoded = now_ms();
    let side = BROWSER_DECODE_SIZE;
    let features = extract(&rgba, side, side).map_err(|e| e.to_string())?;
    let prediction = MODEL.with(|model| model.borrow().predict(&features));
    Ok(answer(prediction, features, size, decoded - started, now_ms() - decoded))
}

fn read_pixels(bitmap: &ImageBitmap) -> Result<Vec<u8>, String> {
    let size = BROWSER_DECODE_SIZE;
    let context = CANVAS.with(|cell| {
        if cell.borrow().is_none() {
            *cell.borrow_mut() = Some(new_context(size)?);
        }
        Ok::<_, JsValue>(cell.borrow().clone().expect("just created"))
    });
    let context = context.map_err(|_| "this browser cannot read pixels in a worker (no OffscreenCanvas 2D)".to_string())?;
    let failed = |_| "the decoded image could not be read back".to_string();
    context.clear_rect(0.0, 0.0, f64::from(size), f64::from(size));
    context.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, f64::from(size), f64::from(size)).map_err(failed)?;
    let data = context.get_image_data(0.0, 0.0, f64::from(size), f64::from(size)).map_err(failed)?;
    Ok(data.data().0)
}

fn new_context(size: u32) -> Result<OffscreenCanvasRenderingContext2d, JsValue> {
    let canvas = OffscreenCanvas::new(size, size)?;
    let options = js_sys::Object::new();
    // Pixels are read back after every draw: a CPU-backed canvas makes that cheap.
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into())?;
    let context = canvas.get_context_with_context_options("2d", &options)?.ok_or(JsValue::NULL)?;
    Ok(context.unchecked_into())
}
