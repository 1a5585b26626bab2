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
use web_sys::{
    Blob, DedicatedWorkerGlobalScope, ImageBitmap, OffscreenCanvas, OffscreenCanvasRenderingContext2d, ReadableStream,
    ReadableStreamDefaultReader,
};

use super::protocol::{Classified, Job, Reply, Request};
use super::sizing;
use super::sniff::Sniffed;
use crate::util::format::now_ms;
use crate::util::image::{decode_options, start_jpeg};
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
    let mut thumbnail = None;
    let outcome = match request.job {
        Job::File(blob) => classify_blob(blob.unchecked_into()).await.map(|(result, decoded)| {
            thumbnail = Some(decoded);
            result
        }),
        Job::Frame(bitmap) => {
            let bitmap: ImageBitmap = bitmap.unchecked_into();
            let started = now_ms();
            let outcome = classify_bitmap(&bitmap, started, (0, 0));
            bitmap.close();
            outcome
        }
        Job::Features(features) => rescore(features),
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
        Ok(result) => Reply::Done { id, result },
        Err(message) => Reply::Failed { id, message },
    };
    post(reply.into_wire());
    // The answer went first; the thumbnail follows (the page meanwhile takes the
    // answer and sends the next photo). The page shows this small copy, never the
    // original: an <img> of the file would decode the full photo again on the page
    // (and a hostile one there). Nothing here reads the file any more (the bitmap is
    // decoded, the canvas is ours), so no crash is expected that the page would then
    // blame on the next photo, by then in flight.
    if let Some(Decoded { bitmap, thumb_size }) = thumbnail {
        let encoding = start_thumbnail(&bitmap, thumb_size);
        // Release the decoded pixels now rather than at the next garbage collection:
        // hundreds of photos in a row must not pile up bitmaps.
        bitmap.close();
        let thumb = match encoding {
            Ok(promise) => JsFuture::from(promise).await.ok(),
            Err(_) => None,
        };
        post(Reply::Thumb { id, thumb }.into_wire());
    }
}

/// A classified file's decoded bitmap, kept for its thumbnail.
struct Decoded {
    bitmap: ImageBitmap,
    /// The thumbnail's size: the photo's upright proportions.
    thumb_size: (u32, u32),
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

/// Classifies a file: its answer, and its decoded bitmap for the thumbnail.
async fn classify_blob(blob: Blob) -> Result<(Classified, Decoded), String> {
    let started = now_ms();
    let size = blob.size() as u64;
    let (sniffed, stream) = check_header(&blob, size).await?;
    let dims = sniffed.dims;

    let scaled = match sizing::jpeg_scaled_size(dims.0, dims.1) {
        Some(asked) if sniffed.jpeg => decode_jpeg_scaled(stream, asked).await.ok(),
        _ => {
            drop(stream.cancel());
            None
        }
    };
    let bitmap = match scaled {
        Some(bitmap) => bitmap,
        None => {
            let promise = scope()
                .create_image_bitmap_with_blob_and_image_bitmap_options(&blob, &decode_options())
                .map_err(|_| sniffed.undecodable())?;
            JsFuture::from(promise).await.map_err(|_| sniffed.undecodable())?.unchecked_into()
        }
    };
    match classify_bitmap(&bitmap, started, dims) {
        Ok(result) => Ok((result, Decoded { bitmap, thumb_size: sizing::thumbnail_size(dims.0, dims.1, sniffed.orientation) })),
        Err(message) => {
            bitmap.close();
            Err(message)
        }
    }
}

/// Draws the decoded bitmap at the thumbnail's size (the photo's proportions
/// restored) and starts encoding it as a small JPEG; the promise gives its `Blob`.
fn start_thumbnail(bitmap: &ImageBitmap, (width, height): (u32, u32)) -> Result<js_sys::Promise, JsValue> {
    let canvas = OffscreenCanvas::new(width, height)?;
    let context: OffscreenCanvasRenderingContext2d = canvas.get_context("2d")?.ok_or(JsValue::NULL)?.unchecked_into();
    context.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, f64::from(width), f64::from(height))?;
    start_jpeg(&canvas, 0.85)
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
/// which is what the classifier does next anyway. `stream` is the file's bytes from
/// the first: the decoder reads the file as it decodes (reading it whole first, into
/// an ArrayBuffer, was a quarter slower on 12–16 MP photos). `Err` means "use the
/// plain path": no WebCodecs here, a decoder error, or a result smaller than asked.
async fn decode_jpeg_scaled(stream: ReadableStream, (width, height): (u32, u32)) -> Result<ImageBitmap, JsValue> {
    if !js_sys::Reflect::has(&js_sys::global(), &"ImageDecoder".into())? {
        drop(stream.cancel());
        return Err(JsValue::NULL);
    }
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"data".into(), &stream)?;
    js_sys::Reflect::set(&init, &"type".into(), &"image/jpeg".into())?;
    js_sys::Reflect::set(&init, &"desiredWidth".into(), &width.into())?;
    js_sys::Reflect::set(&init, &"desiredHeight".into(), &height.into())?;
    let decoder = match ImageDecoder::new(&init) {
        Ok(decoder) => decoder,
        Err(e) => {
            drop(stream.cancel());
            return Err(e);
        }
    };
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

/// Reads the file's first bytes until the header gives its dimensions (or refuses
/// the file), and returns what they told with the file's bytes from the first again,
/// for the decoder. Both come from one read of the file, split in two (`tee`): a
/// separate read of the first 64 KB before the decoder's cost a file open and a round
/// trip to the browser's process, about 2 ms a photo.
async fn check_header(blob: &Blob, size: u64) -> Result<(Sniffed, ReadableStream), String> {
    let unreadable = |_| "the file could not be read".to_string();
    let branches = blob.stream().tee();
    let (head_branch, rest): (ReadableStream, ReadableStream) =
        (branches.get(0).unchecked_into(), branches.get(1).unchecked_into());
    let reader: ReadableStreamDefaultReader = head_branch.get_reader().unchecked_into();
    let mut head = Vec::new();
    let verdict = loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            Err(e) => break Err(unreadable(e)),
        };
        let done = js_sys::Reflect::get(&chunk, &"done".into()).is_ok_and(|d| d.is_truthy());
        if let Ok(bytes) = js_sys::Reflect::get(&chunk, &"value".into()).and_then(|v| v.dyn_into::<Uint8Array>()) {
            let at = head.len();
            head.resize(at + bytes.length() as usize, 0);
            bytes.copy_to(&mut head[at..]);
        }
        // Judged after every chunk (64 KB, then 128 KB in Chromium): nearly every
        // header is in the first.
        match header::check(&head, size) {
            Ok(Verdict::Fits { width, height }) => break Ok((width, height)),
            Ok(Verdict::NeedMore) if !done && head.len() < header::LAST_READ as usize => {}
            // A header that big is unusual, not hostile: let the browser's decoder judge.
            Ok(Verdict::NeedMore) => break Ok((0, 0)),
            Err(e) => break Err(e.to_string()),
        }
    };
    // The head's branch is done with; the other goes on alone.
    drop(reader.cancel());
    match verdict {
        Ok(dims) => Ok((Sniffed::of(&head, dims), rest)),
        Err(message) => {
            drop(rest.cancel());
            Err(message)
        }
    }
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
