//! HEIC and AVIF, decoded by the system's libheif (feature `heif`).
//!
//! Both are HEIF containers: a photo is one coded image (HEVC in a HEIC, AV1 in an AVIF)
//! or a grid of tiles, plus properties that say how to show it. libheif 1.15 cannot
//! decode at a reduced scale, so the whole image is decoded, to 8-bit RGB, and each
//! `factor`×`factor` block of it is averaged into one pixel of the RGBA handed on: the
//! shorter side stays at least `min_side` pixels, as for a JPEG (an area average of an
//! area average is the same grid). Only the reduced image is copied out of libheif.
//!
//! **Orientation.** HEIF says how to turn a stored image upright with `irot` (rotation)
//! and `imir` (mirror) properties, and libheif applies them (and `clap`, the crop)
//! while decoding. A phone's HEIC often carries the EXIF orientation tag too, saying the
//! same turn once more; the HEIF standard has the properties win, so EXIF is never read
//! here: the transforms are applied exactly once, by libheif.
//!
//! **Limits.** The caller has checked the dimensions the header claims
//! ([`header::check`](crate::header::check)). The primary image's own dimensions (a grid's
//! canvas, after its transforms) are checked again here, before anything is decoded,
//! and the decoded image must have them.

use std::sync::OnceLock;

use libheif_rs::{ColorSpace, HeifContext, HeifError, HeifErrorCode, LibHeif, RgbChroma};

use super::{check_size, DecodeError, Decoded};

/// What decoding a HEIC or AVIF holds at its peak, per pixel, besides its file: the
/// decoder's frames, libheif's copy of the planes, the RGB image and, for 10-bit, an
/// 8-bit copy on the way. Peak RSS measured on 12 MP files (`classify --threads 1`,
/// less the process's own): about 6 bytes a pixel for an 8-bit 4:2:0 HEIC (what phones
/// write) or a gridded AVIF, 8 for a one-piece 8-bit 4:2:0 AVIF, 14 for 10-bit 4:2:0 or
/// 8-bit 4:4:4 AVIF, 26 for 10- and 12-bit 4:4:4 AVIF, the costliest; rounded up.
pub const BYTES_PER_PIXEL: u64 = 28;

/// libheif, initialized once for the process (its init and deinit are reference counts
/// best not churned per photo; it stays loaded until exit).
fn libheif() -> &'static LibHeif {
    static LIB: OnceLock<LibHeif> = OnceLock::new();
    LIB.get_or_init(LibHeif::new)
}

/// Decodes the primary image of a HEIC or AVIF, upright, reduced so that its shorter
/// side keeps at least `min_side` pixels.
pub fn decode(bytes: &[u8], min_side: u32) -> Result<Decoded, DecodeError> {
    let lib = libheif();
    let mut context = HeifContext::read_from_bytes(bytes).map_err(from_heif)?;
    // The CLI already decodes one photo per core; a photo's tiles on threads of their own
    // would hold more of it at once than the decode budget counted.
    context.set_max_decoding_threads(1);
    let handle = context.primary_image_handle().map_err(from_heif)?;
    let (width, height) = (handle.width(), handle.height());
    check_size(width, height, bytes.len())?;
    // No decoding options: libheif's defaults apply the transforms (and libheif-rs 0.20
    // would free options it is given before libheif reads them).
    let image = lib.decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None).map_err(from_heif)?;
    let plane = image.planes().interleaved.ok_or_else(|| corrupt("libheif returned no RGB pixels"))?;
    if (plane.width, plane.height) != (width, height) || plane.storage_bits_per_pixel != 24 {
        return Err(corrupt(&format!(
            "the header says {width}×{height} pixels, the coded image has {}×{} at {} bits a pixel",
            plane.width, plane.height, plane.storage_bits_per_pixel
        )));
    }
    let factor = (width.min(height) / min_side.max(1)).max(1);
    let (rgba, reduced) = shrink_rgb(plane.data, plane.stride, (width, height), factor)
        .ok_or_else(|| corrupt("libheif returned fewer pixels than the image has"))?;
    Ok(Decoded { width: reduced.0, height: reduced.1, rgba, full_size: (width, height) })
}

/// Averages each `factor`×`factor` block of an 8-bit RGB image (rows `stride` bytes
/// apart) into one RGBA pixel; blocks on the right and bottom edges average what they
/// have. Returns the pixels and their size, or `None` if `rgb` is too short.
pub fn shrink_rgb(rgb: &[u8], stride: usize, (width, height): (u32, u32), factor: u32) -> Option<(Vec<u8>, (u32, u32))> {
    let (w, h, f) = (width as usize, height as usize, factor.max(1) as usize);
    if h > 0 && rgb.len() < (h - 1) * stride + 3 * w || stride < 3 * w {
        return None;
    }
    let (out_w, out_h) = (w.div_ceil(f), h.div_ceil(f));
    let mut out = Vec::with_capacity(out_w * out_h * 4);
    let mut sums = vec![[0u32; 3]; out_w];
    for band in 0..out_h {
        sums.iter_mut().for_each(|s| *s = [0; 3]);
        let rows = band * f..((band + 1) * f).min(h);
        let band_rows = rows.len();
        for y in rows {
            let row = &rgb[y * stride..y * stride + 3 * w];
            for (x, px) in row.chunks_exact(3).enumerate() {
                let s = &mut sums[x / f];
                s[0] += u32::from(px[0]);
                s[1] += u32::from(px[1]);
                s[2] += u32::from(px[2]);
            }
        }
        for (ox, s) in sums.iter().enumerate() {
            let n = (band_rows * (((ox + 1) * f).min(w) - ox * f)) as u32;
            out.extend(s.map(|v| ((v + n / 2) / n) as u8));
            out.push(255);
        }
    }
    Some((out, (out_w as u32, out_h as u32)))
}

/// libheif's error as a message for people: what it could not handle, or the damage
/// it found (a truncated file ends its data early).
fn from_heif(e: HeifError) -> DecodeError {
    let what = e.message.trim().trim_end_matches('.');
    let what = if what.is_empty() { format!("{:?}/{:?}", e.code, e.sub_code) } else { what.to_string() };
    match e.code {
        HeifErrorCode::UnsupportedFileType | HeifErrorCode::UnsupportedFeature => DecodeError::UnsupportedContent(what),
        _ => corrupt(&what),
    }
}

fn corrupt(message: &str) -> DecodeError {
    DecodeError::Corrupt(message.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_average_with_rounding_and_edges_keep_what_they_have() {
        // 3×2 RGB, rows padded to 10 bytes.
        #[rustfmt::skip]
        let rgb = [
            0, 0, 0,   10, 20, 30,   100, 100, 100,   9,
            2, 4, 6,   11, 21, 31,   200, 0, 50,      9,
        ];
        let (out, size) = shrink_rgb(&rgb, 10, (3, 2), 2).unwrap();
        assert_eq!(size, (2, 1));
        // (0+10+2+11)/4 = 5.75 → 6; the edge block averages its two pixels.
        assert_eq!(out, [6, 11, 17, 255, 150, 50, 75, 255]);
        let (same, size) = shrink_rgb(&rgb, 10, (3, 2), 1).unwrap();
        assert_eq!((size, &same[4..8]), ((3, 2), &[10, 20, 30, 255][..]));
        assert!(shrink_rgb(&rgb[..18], 10, (3, 2), 2).is_none(), "too short");
        assert!(shrink_rgb(&rgb[..19], 10, (3, 2), 2).is_some(), "the last row needs no padding");
        assert!(shrink_rgb(&rgb, 8, (3, 2), 2).is_none(), "stride under a row");
    }

    #[test]
    fn libheifs_errors_become_one_line_messages() {
        use libheif_rs::HeifErrorSubCode;
        let e = |code, sub_code, message: &str| HeifError { code, sub_code, message: message.into() };
        let unsupported =
            from_heif(e(HeifErrorCode::UnsupportedFeature, HeifErrorSubCode::UnsupportedCodec, "Unsupported codec"));
        assert_eq!(unsupported.to_string(), "cannot decode this image: Unsupported codec");
        let cut = from_heif(e(HeifErrorCode::InvalidInput, HeifErrorSubCode::EndOfData, "End of\ndata. "));
        assert_eq!(cut.to_string(), "the image data is damaged or truncated: End of data");
        let silent = from_heif(e(HeifErrorCode::DecoderPluginError, HeifErrorSubCode::Unspecified, ""));
        assert_eq!(silent.to_string(), "the image data is damaged or truncated: DecoderPluginError/Unspecified");
    }

    #[test]
    fn not_a_heif_file_is_an_error() {
        assert!(matches!(decode(b"\0\0\0\x18ftypheic\0\0\0\0", 256), Err(DecodeError::Corrupt(_))));
    }
}
