//! Images in the browser, the same way everywhere: how the browser decodes and
//! shrinks for the classifier, and how a canvas becomes a JPEG.

use daynight_core::BROWSER_DECODE_SIZE;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ImageBitmapOptions, ImageEncodeOptions, ImageOrientation, OffscreenCanvas, ResizeQuality};

/// `createImageBitmap`'s options for the classifier: shrunk to the decode size with
/// the browser's best filter, upright by the file's own orientation (a camera frame
/// has none, so the same options serve it).
pub fn decode_options() -> ImageBitmapOptions {
    let options = ImageBitmapOptions::new();
    options.set_resize_width(BROWSER_DECODE_SIZE);
    options.set_resize_height(BROWSER_DECODE_SIZE);
    options.set_resize_quality(ResizeQuality::High);
    options.set_image_orientation(ImageOrientation::FromImage);
    options
}

/// The canvas as a JPEG of this quality (0 to 1).
pub async fn encode_jpeg(canvas: &OffscreenCanvas, quality: f64) -> Result<Blob, JsValue> {
    Ok(JsFuture::from(start_jpeg(canvas, quality)?).await?.unchecked_into())
}

/// Starts encoding the canvas as a JPEG of this quality (0 to 1); the promise gives
/// the `Blob`. The canvas's pixels are taken at once: whatever is drawn from can be
/// released.
pub fn start_jpeg(canvas: &OffscreenCanvas, quality: f64) -> Result<js_sys::Promise, JsValue> {
    let options = ImageEncodeOptions::new();
    options.set_type("image/jpeg");
    options.set_quality(quality);
    canvas.convert_to_blob_with_options(&options)
}
