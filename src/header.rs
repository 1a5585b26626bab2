//! A cheap look at an image's header before the browser decodes it.
//!
//! `createImageBitmap` allocates the full canvas of whatever the header claims, so a
//! forged 100000×100000 PNG or a decompression bomb (a few KB of zeros that inflate
//! to gigabytes) could exhaust the tab's memory. Reading the dimensions from the
//! first bytes first refuses those with a plain message at the cost of one small read.

use std::fmt;

use daynight_core::pixels::MAX_PIXELS;

/// Longest side accepted, in pixels: the same limit the command line applies, so a
/// file the CLI refuses as too large is refused here too.
pub const MAX_SIDE: u64 = 30_000;

/// How much of the file is read first. Enough for nearly every header; JPEGs with
/// large metadata blocks before the frame header get a second, longer read.
pub const FIRST_READ: u32 = 64 << 10;

/// The longest prefix read while looking for the dimensions.
pub const LAST_READ: u32 = 4 << 20;

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Dimensions found and within the limits.
    Fits {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
    },
    /// The dimensions were not in the bytes read: read a longer prefix, if there is one.
    NeedMore,
    /// Not a format recognised here; the browser may still decode it (its decoder
    /// then bounds the work itself), so the caller lets it try.
    Unknown,
}

/// Why a file is refused before decoding. The messages are for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// Zero bytes.
    Empty,
    /// The header claims a zero width or height.
    NoPixels,
    /// The header claims more than the limits allow.
    TooLarge {
        /// Claimed width.
        width: u64,
        /// Claimed height.
        height: u64,
    },
    /// The whole file was read and the dimensions were never found.
    Truncated,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::Empty => f.write_str("the file is empty"),
            HeaderError::NoPixels => f.write_str("the image header says it has no pixels"),
            HeaderError::TooLarge { width, height } => write!(
                f,
                "the image claims to be {width}×{height} pixels, over the limit of {MAX_SIDE} px a side and {} MP, so it was not decoded",
                MAX_PIXELS / 1_000_000
            ),
            HeaderError::Truncated => f.write_str("the image data is damaged or truncated (its size is missing)"),
        }
    }
}

impl std::error::Error for HeaderError {}

/// Judges the first `head.len()` bytes of a file of `file_len` bytes.
pub fn check(head: &[u8], file_len: u64) -> Result<Verdict, HeaderError> {
    if file_len == 0 {
        return Err(HeaderError::Empty);
    }
    match imagesize::blob_size(head) {
        Ok(size) => {
            let (width, height) = (size.width as u64, size.height as u64);
            if width == 0 || height == 0 {
                Err(HeaderError::NoPixels)
            } else if width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS {
                Err(HeaderError::TooLarge { width, height })
            } else {
                Ok(Verdict::Fits { width: width as u32, height: height as u32 })
            }
        }
        Err(imagesize::ImageError::NotSupported) => Ok(Verdict::Unknown),
        // Ran out of bytes before the size: more of the file may hold it.
        Err(_) if (head.len() as u64) < file_len => Ok(Verdict::NeedMore),
        Err(_) => Err(HeaderError::Truncated),
    }
}

/// The EXIF orientation (1–8) of a JPEG, from its first bytes; `None` when absent or
/// unreadable. Only the thumbnail's proportions need it: the browser itself applies
/// the orientation when decoding (`imageOrientation: "from-image"`), but the header's
/// width and height are as stored. Every read is bounds-checked: this runs on
/// untrusted bytes.
pub fn exif_orientation(head: &[u8]) -> Option<u16> {
    if !head.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    loop {
        if *head.get(i)? != 0xFF {
            return None;
        }
        let marker = *head.get(i + 1)?;
        match marker {
            0xFF => i += 1, // fill byte
            0x01 | 0xD0..=0xD8 => i += 2,
            // Start of scan or end of image: no metadata after this.
            0xDA | 0xD9 => return None,
            _ => {
                let len = usize::from(u16::from_be_bytes([*head.get(i + 2)?, *head.get(i + 3)?]));
                let segment = head.get(i + 4..i + 2 + len.max(2))?;
                if marker == 0xE1 && segment.starts_with(b"Exif\0\0") {
                    return tiff_orientation(&segment[6..]);
                }
                i += 2 + len;
            }
        }
    }
}

fn tiff_orientation(tiff: &[u8]) -> Option<u16> {
    let big_endian = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let b = [*tiff.get(at)?, *tiff.get(at + 1)?];
        Some(if big_endian { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    };
    let u32_at = |at: usize| {
        let b = [*tiff.get(at)?, *tiff.get(at + 1)?, *tiff.get(at + 2)?, *tiff.get(at + 3)?];
        Some(if big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let entries = usize::from(u16_at(ifd)?);
    (0..entries).find_map(|k| {
        let entry = ifd.checked_add(2 + 12 * k)?;
        (u16_at(entry)? == 0x0112).then(|| u16_at(entry + 8)).flatten()
    })
    .filter(|o| (1..=8).contains(o))
}

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
