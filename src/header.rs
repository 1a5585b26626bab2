//! A cheap look at an image's header before the browser decodes it.
//!
//! `createImageBitmap` allocates the full canvas of whatever the header claims, so the
//! worker first reads the dimensions from the first bytes. That check and the EXIF
//! reader are pure and live in [`daynight_core::header`] (re-exported here), where
//! native tests reach them; what stays here is sizing for the browser's own decoder
//! and thumbnails.

pub use daynight_core::header::*;

/// Longest side of a result thumbnail, in pixels (about twice its CSS size).
pub const THUMB_SIDE: u32 = 176;

/// Thumbnail size for an image of `width`×`height` as stored, shown upright: EXIF
/// orientations 5–8 turn it a quarter. Unknown sizes give a square.
pub fn thumbnail_size(width: u32, height: u32, orientation: Option<u16>) -> (u32, u32) {
    let (w, h) = if orientation.is_some_and(|o| o >= 5) { (height, width) } else { (width, height) };
    if w == 0 || h == 0 {
        return (THUMB_SIDE, THUMB_SIDE);
    }
    let scale = f64::from(THUMB_SIDE) / f64::from(w.max(h));
    let side = |x: u32| ((f64::from(x) * scale).round() as u32).max(1);
    (side(w), side(h))
}

/// For a JPEG of `width`×`height`, the size to ask a scaling decoder for so that it
/// decodes at the smallest n/8 scale (libjpeg's DCT scaling, where each 8×8 block
/// averages down exactly) that still covers [`daynight_core::BROWSER_DECODE_SIZE`]
/// on both sides. `None` when only the full size covers it: no gain then.
///
/// Chromium picks `n = floor(8 × sqrt(asked area / image area))`, so asking one
/// pixel over the exact n/8 size lands on n.
pub fn jpeg_scaled_size(width: u32, height: u32) -> Option<(u32, u32)> {
    let target = u64::from(daynight_core::BROWSER_DECODE_SIZE);
    let (w, h) = (u64::from(width), u64::from(height));
    let n = (1..8u64).find(|n| w * n / 8 >= target && h * n / 8 >= target)?;
    Some(((w * n).div_ceil(8) as u32 + 1, (h * n).div_ceil(8) as u32 + 1))
}
