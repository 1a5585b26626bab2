//! Sizes the worker asks the browser for: the JPEG scale to decode at, and the
//! thumbnail's. The header check itself (dimensions from the first bytes, before
//! anything is decoded) is [`daynight_core::header`], shared with the CLI.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_keep_the_upright_proportions() {
        assert_eq!(thumbnail_size(4000, 3000, None), (176, 132));
        assert_eq!(thumbnail_size(4000, 3000, Some(6)), (132, 176));
        assert_eq!(thumbnail_size(20_000, 10, Some(1)), (176, 1));
        assert_eq!(thumbnail_size(0, 0, None), (176, 176));
    }

    #[test]
    fn a_jpeg_decodes_at_the_smallest_eighth_that_covers_the_decode_size() {
        // 4000×3000 at 1/8 is 500×375: both sides cover 256.
        assert_eq!(jpeg_scaled_size(4000, 3000), Some((501, 376)));
        // 1600×1200: 1/8 gives 150 high, 2/8 gives 300×400.
        assert_eq!(jpeg_scaled_size(1600, 1200), Some((401, 301)));
        // A panorama's short side decides: 8000×600 needs 4/8 (300).
        assert_eq!(jpeg_scaled_size(8000, 600), Some((4001, 301)));
        // Nothing to gain below 8/8, or for a photo smaller than the decode size.
        assert_eq!(jpeg_scaled_size(260, 260), None);
        assert_eq!(jpeg_scaled_size(100, 100), None);
        for (w, h) in [(4032, 3024), (5184, 3888), (1024, 768), (293, 4000)] {
            if let Some((sw, sh)) = jpeg_scaled_size(w, h) {
                assert!(sw > 256 && sh > 256, "{w}×{h} asks {sw}×{sh}");
                assert!(sw < w && sh < h);
            }
        }
    }
}
