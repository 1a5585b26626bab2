//! JPEGs decoded in the DCT domain at reduced scale, with libjpeg-turbo.
//!
//! The features only ever see a [`WORK_SIZE`](crate::WORK_SIZE)² grid, so a 16 MP
//! photo need not become 64 MB of RGBA first. libjpeg-turbo can skip most of the
//! inverse DCT and decode straight to 1/2, 1/4 or 1/8 of the size (at 1/8 each
//! 8×8 block becomes its mean colour, which is exactly what area averaging would make
//! of it). Entropy decoding still reads every bit, and that is what a scaled decode
//! costs: about the same as `djpeg -scale 1/8`, several times less than a full decode.
//!
//! Memory: the file, the reduced image, and libjpeg-turbo's own buffers, a few rows for
//! a baseline JPEG. A progressive JPEG is the exception: libjpeg-turbo keeps its whole
//! coefficient array until the last scan, 2 bytes a sample (3 bytes a pixel at 4:2:0,
//! 8 for CMYK at full resolution: under [`MAX_ALLOC`](super::MAX_ALLOC) even at the
//! pixel limit, which the header check enforces first).

use image::metadata::Orientation;
use image::{DynamicImage, RgbaImage};

use super::turbo::{scaled, Decompressor, Failure, Layout};
use super::{check_size, DecodeError, Decoded};
use crate::header;

/// Decodes a JPEG at the smallest DCT scale whose shorter side still has at least
/// `min_side` pixels (the full size if even 1/2 would be smaller), upright.
pub fn decode(bytes: &[u8], min_side: u32) -> Result<Decoded, DecodeError> {
    if !is_complete(bytes) {
        // libjpeg-turbo would fill the missing part with grey and only warn.
        return Err(DecodeError::Corrupt("the file ends before the image data does".into()));
    }
    let mut turbo = Decompressor::new().ok_or_else(|| corrupt("libjpeg-turbo could not start (out of memory?)"))?;
    let header = turbo.header(bytes).map_err(|f| corrupt(&f.message))?;
    check_size(header.width, header.height, bytes.len())?;
    let denominator = scale_denominator(header.width, header.height, min_side);
    let (width, height) = (scaled(header.width, denominator), scaled(header.height, denominator));
    // Only now is anything allocated for pixels, at the scaled size.
    let mut pixels = vec![0u8; width as usize * height as usize * 4];
    let layout = if header.cmyk { Layout::Cmyk } else { Layout::Rgba };
    match turbo.decompress(bytes, width, height, layout, &mut pixels) {
        // A warning means recoverable damage (stray bytes between markers, say) and
        // every pixel was written: the lenient decoders browsers use accept these too.
        Ok(()) | Err(Failure { warning: true, .. }) => {}
        Err(f) => return Err(corrupt(&f.message)),
    }
    drop(turbo);
    if header.cmyk {
        cmyk_to_rgba(&mut pixels);
    }
    let orientation = orientation(bytes);
    let mut img = DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, pixels).expect("the buffer fits the size"));
    img.apply_orientation(orientation);
    let rgba = img.into_rgba8();
    let full_size = if turns_sideways(orientation) { (header.height, header.width) } else { (header.width, header.height) };
    Ok(Decoded { width: rgba.width(), height: rgba.height(), rgba: rgba.into_raw(), full_size })
}

/// What decoding this JPEG at the scale [`decode`] picks holds at its peak besides the
/// file, from its frame header: the reduced RGBA and its upright copy and, for a
/// progressive JPEG, libjpeg-turbo's array of the whole image's DCT coefficients (64
/// of 2 bytes a block, each component at its own sampling, in whole MCUs). `None`
/// when `head` holds no frame header.
pub fn working_bytes(head: &[u8], min_side: u32) -> Option<u64> {
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    let is_frame = |m: u8| (0xC0..=0xCF).contains(&m) && !matches!(m, 0xC4 | 0xC8 | 0xCC);
    let (marker, frame) = header::jpeg_segments(head).find(|(m, _)| is_frame(*m))?;
    // Precision, height, width, component count, then per component: id, H << 4 | V, table.
    let height = u32::from(u16::from_be_bytes([*frame.get(1)?, *frame.get(2)?]));
    let width = u32::from(u16::from_be_bytes([*frame.get(3)?, *frame.get(4)?]));
    let factors: Vec<(u64, u64)> = (0..usize::from(*frame.get(5)?))
        .map(|c| frame.get(7 + 3 * c).map(|hv| (u64::from(hv >> 4).max(1), u64::from(hv & 15).max(1))))
        .collect::<Option<_>>()?;
    let d = scale_denominator(width, height, min_side);
    let rgba = 2 * 4 * u64::from(scaled(width, d)) * u64::from(scaled(height, d));
    let coefficients = if matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE) {
        let h_max = factors.iter().map(|f| f.0).max()?;
        let v_max = factors.iter().map(|f| f.1).max()?;
        let mcus = u64::from(width).div_ceil(8 * h_max) * u64::from(height).div_ceil(8 * v_max);
        factors.iter().map(|(h, v)| mcus * h * v * 128).sum()
    } else {
        0
    };
    Some(rgba + coefficients)
}

/// Whether showing the image upright swaps its width and height.
fn turns_sideways(orientation: Orientation) -> bool {
    use Orientation::*;
    matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// The largest of libjpeg-turbo's denominators 8, 4 and 2 that keeps the shorter side
/// at `min_side` pixels or more; 1 (full size) if none does.
pub fn scale_denominator(width: u32, height: u32, min_side: u32) -> u32 {
    [8, 4, 2].into_iter().find(|&d| scaled(width.min(height), d) >= min_side).unwrap_or(1)
}

fn corrupt(message: &str) -> DecodeError {
    DecodeError::Corrupt(message.to_string())
}

/// Whether a JPEG's last scan is followed by its end-of-image marker. Inside
/// entropy-coded data every 0xFF byte is stuffed (0xFF00) or a restart marker, so a
/// real EOI (FFD9) after the last start-of-scan (FFDA) means the data is all there.
fn is_complete(bytes: &[u8]) -> bool {
    let last_sos = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    let last_eoi = bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]);
    matches!((last_sos, last_eoi), (Some(s), Some(e)) if e > s)
}

/// The EXIF orientation, from the same bounds-checked header parser the page uses
/// ([`header::exif_orientation`]). A missing or damaged EXIF block must not cost the
/// photo: it is then shown as stored.
fn orientation(bytes: &[u8]) -> Orientation {
    header::exif_orientation(bytes).and_then(|tag| Orientation::from_exif(tag as u8)).unwrap_or(Orientation::NoTransforms)
}

/// CMYK as Adobe writes it into JPEGs (inverted: 255 is no ink, which is also how
/// libjpeg-turbo hands back YCCK) to RGBA: each colour is its ink's value scaled by
/// the black's, with the same rounding as zune-jpeg, the decoder used before.
fn cmyk_to_rgba(pixels: &mut [u8]) {
    for p in pixels.chunks_exact_mut(4) {
        let k = u32::from(p[3]);
        for c in &mut p[..3] {
            let t = u32::from(*c) * k + 128;
            *c = (((t >> 8) + t) >> 8) as u8;
        }
        p[3] = 255;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_keeps_the_shorter_side_at_least_the_minimum() {
        assert_eq!(scale_denominator(4608, 3456, 256), 8); // 576×432
        assert_eq!(scale_denominator(4032, 3024, 512), 4); // 1008×756; 1/8 would be 378 high
        assert_eq!(scale_denominator(640, 480, 256), 1); // 1/2 would be 240 high
        assert_eq!(scale_denominator(1280, 889, 256), 2);
        assert_eq!(scale_denominator(100, 80, 256), 1); // smaller than the grid: as is
        assert_eq!(scale_denominator(20_000, 10, 256), 1); // a thin panorama
        assert_eq!(scale_denominator(2049, 2049, 256), 8); // 257, rounded up as libjpeg does
    }

    #[test]
    fn cmyk_ink_and_black_combine() {
        let mut px = [255, 255, 255, 255, 255, 0, 128, 128];
        cmyk_to_rgba(&mut px);
        assert_eq!(px, [255, 255, 255, 255, 128, 0, 64, 255]);
    }

    #[test]
    fn completeness_needs_an_end_marker_after_the_last_scan() {
        assert!(is_complete(&[0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0xD9]));
        assert!(!is_complete(&[0xFF, 0xD8, 0xFF, 0xDA, 1, 2]));
        assert!(!is_complete(&[0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xDA, 1]));
    }
}
