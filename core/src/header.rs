//! A cheap look at an image's header before anything decodes it.
//!
//! A browser's `createImageBitmap` allocates the full canvas of whatever the header
//! claims, so a forged 100000×100000 PNG or a decompression bomb (a few KB of zeros
//! that inflate to gigabytes) could exhaust the tab's memory. Reading the dimensions
//! from the first bytes first refuses those with a plain message at the cost of one
//! small read. Pure functions over bytes, so the browser's worker uses them and
//! native tests check them; the limits are the ones the native decoder applies.

use crate::formats;
use crate::pixels::Oversize;

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
}

/// Why a file is refused before decoding. The messages are for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// Zero bytes.
    #[error("the file is empty")]
    Empty,
    /// The header claims a zero width or height.
    #[error("the image header says it has no pixels")]
    NoPixels,
    /// The header claims more than the limits allow.
    #[error("the image claims to be {}, so it was not decoded", Oversize { width: *width, height: *height })]
    TooLarge {
        /// Claimed width.
        width: u64,
        /// Claimed height.
        height: u64,
    },
    /// The whole file was read and the dimensions were never found.
    #[error("the image is damaged or truncated: it ends before its header gives its size")]
    Truncated,
    /// The first bytes match no image format a browser decodes (a text file, a
    /// document, an archive…).
    #[error("not an image: the file is not in an image format this browser reads ({})", formats::browser_names())]
    NotAnImage,
}

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
            } else if Oversize::check(width, height).is_some() {
                Err(HeaderError::TooLarge { width, height })
            } else {
                Ok(Verdict::Fits { width: width as u32, height: height as u32 })
            }
        }
        // No known signature at all: whatever the file name says, not an image.
        Err(_) if imagesize::image_type(head).is_err() => Err(HeaderError::NotAnImage),
        // Ran out of bytes before the size: more of the file may hold it.
        Err(_) if (head.len() as u64) < file_len => Ok(Verdict::NeedMore),
        Err(_) => Err(HeaderError::Truncated),
    }
}

/// Whether the first bytes are a HEIF container's (HEIC, AVIF and kin): an `ftyp` box
/// with an image brand. What the native decode hands to libheif.
pub fn is_heif(head: &[u8]) -> bool {
    matches!(imagesize::image_type(head), Ok(imagesize::ImageType::Heif(_)))
}

/// The EXIF orientation (1–8) of a JPEG, from its first bytes; `None` when absent or
/// unreadable. The CLI's JPEG decode applies it (`decode::jpeg`); the page needs it
/// only for the thumbnail's proportions: the browser itself applies the orientation
/// when decoding (`imageOrientation: "from-image"`), but the header's width and height
/// are as stored. Every read is bounds-checked: this runs on untrusted bytes.
pub fn exif_orientation(head: &[u8]) -> Option<u16> {
    let (_, exif) = jpeg_segments(head).find(|(marker, segment)| *marker == 0xE1 && segment.starts_with(b"Exif\0\0"))?;
    tiff_orientation(&exif[6..])
}

/// The marker segments of a JPEG's header in order, as `(marker, payload)`, up to its
/// first scan. Ends early at anything malformed or cut short (every read is
/// bounds-checked: this runs on untrusted bytes), and at once for a file that does
/// not start like a JPEG.
pub fn jpeg_segments(head: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut i = if head.starts_with(&[0xFF, 0xD8]) { 2 } else { usize::MAX };
    std::iter::from_fn(move || loop {
        if *head.get(i)? != 0xFF {
            return None;
        }
        let marker = *head.get(i + 1)?;
        match marker {
            0xFF => i += 1, // fill byte
            0x01 | 0xD0..=0xD8 => i += 2,
            // Start of scan or end of image: the header is over.
            0xDA | 0xD9 => return None,
            _ => {
                let len = usize::from(u16::from_be_bytes([*head.get(i + 2)?, *head.get(i + 3)?]));
                let segment = head.get(i + 4..i + 2 + len.max(2))?;
                i += 2 + len;
                return Some((marker, segment));
            }
        }
    })
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
    (0..entries)
        .find_map(|k| {
            let entry = ifd.checked_add(2 + 12 * k)?;
            (u16_at(entry)? == 0x0112).then(|| u16_at(entry + 8)).flatten()
        })
        .filter(|o| (1..=8).contains(o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pixels::MAX_SIDE;

    /// A PNG signature and an IHDR chunk claiming `width`×`height`.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&width.to_be_bytes());
        png.extend_from_slice(&height.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        png
    }

    #[test]
    fn forged_and_empty_headers_are_refused_before_decoding() {
        let png = png_header(100_000, 100_000);
        assert!(matches!(check(&png, png.len() as u64), Err(HeaderError::TooLarge { width: 100_000, .. })));
        assert_eq!(check(b"", 0), Err(HeaderError::Empty));
        let text = b"this is a text file wearing a .jpg name\n";
        assert_eq!(check(text, text.len() as u64), Err(HeaderError::NotAnImage));
        assert!(HeaderError::NotAnImage.to_string().starts_with("not an image"));
        assert_eq!(
            HeaderError::NotAnImage.to_string(),
            "not an image: the file is not in an image format this browser reads (JPEG, PNG, GIF, WebP, BMP, AVIF)"
        );
        // The header cut short while more of the file exists: read more.
        assert_eq!(check(&png[..18], 10_000), Ok(Verdict::NeedMore));
        // Cut short and nothing more to read: damaged.
        assert_eq!(check(&png[..18], 18), Err(HeaderError::Truncated));
        let ok = png_header(4000, 3000);
        assert_eq!(check(&ok, ok.len() as u64), Ok(Verdict::Fits { width: 4000, height: 3000 }));
        assert_eq!(check(&png_header(0, 10), 33), Err(HeaderError::NoPixels));
    }

    #[test]
    fn the_limits_are_the_decoders() {
        let side = png_header(MAX_SIDE, 1);
        assert!(matches!(check(&side, 33), Ok(Verdict::Fits { .. })));
        let wide = png_header(MAX_SIDE + 1, 1);
        assert!(matches!(check(&wide, 33), Err(HeaderError::TooLarge { .. })));
        // 11000² is under the side limit but over the pixel limit.
        let square = png_header(11_000, 11_000);
        let err = check(&square, 33).unwrap_err();
        // The message names the limit that was broken, not both.
        assert_eq!(
            err.to_string(),
            "the image claims to be 11000×11000 pixels (121 MP), over the limit of 120 MP, so it was not decoded"
        );
        let err = check(&wide, 33).unwrap_err().to_string();
        assert_eq!(err, "the image claims to be 30001×1 pixels, over the limit of 30000 px a side, so it was not decoded");
    }

    /// A JPEG whose EXIF block holds one orientation entry.
    fn jpeg_with_orientation(orientation: u16, big_endian: bool) -> Vec<u8> {
        // (value, width in bytes) in the TIFF's byte order: magic 42, offset 8 to the
        // first IFD, one entry (tag 0x0112, type SHORT, count 1, value), no next IFD.
        let fields: [(u32, usize); 9] =
            [(42, 2), (8, 4), (1, 2), (0x0112, 2), (3, 2), (1, 4), (u32::from(orientation), 2), (0, 2), (0, 4)];
        let mut tiff = if big_endian { b"MM".to_vec() } else { b"II".to_vec() };
        for (value, width) in fields {
            let bytes =
                if big_endian { value.to_be_bytes()[4 - width..].to_vec() } else { value.to_le_bytes()[..width].to_vec() };
            tiff.extend(bytes);
        }
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend(((app1.len() + 2) as u16).to_be_bytes());
        jpeg.extend(app1);
        jpeg.extend([0xFF, 0xDA, 0, 2]);
        jpeg
    }

    #[test]
    fn exif_orientation_is_read_and_hostile_bytes_are_not_trusted() {
        assert_eq!(exif_orientation(&jpeg_with_orientation(6, true)), Some(6));
        assert_eq!(exif_orientation(&jpeg_with_orientation(3, false)), Some(3));
        assert_eq!(exif_orientation(&jpeg_with_orientation(99, false)), None);
        let whole = jpeg_with_orientation(8, true);
        for cut in 0..whole.len() {
            // Every truncation is refused or read, never a panic.
            let _ = exif_orientation(&whole[..cut]);
        }
        assert_eq!(exif_orientation(b"\x89PNG"), None);
    }
}
