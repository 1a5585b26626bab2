//! Native decoding of image files into RGBA8 (feature `decode`).
//!
//! The browser decodes with its own codecs; this is the command line's path. JPEGs,
//! nearly every photo, are decoded at reduced scale by libjpeg-turbo (`decode/jpeg.rs`); HEIC
//! and AVIF by libheif, then reduced (`heif`, feature `heif`); the other formats by the
//! `image` crate under [`image::Limits`]. Either way the header's dimensions are
//! checked before any pixel buffer is allocated, so a decompression bomb costs a few
//! bytes of reading, not gigabytes of memory.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::header::{self, FIRST_READ, LAST_READ};
use crate::pixels::{Oversize, MAX_SIDE};
use budget::{working_bytes, DECODES};

pub mod budget;
#[cfg(feature = "heif")]
mod heif;
#[cfg(feature = "heif")]
pub use heif::BYTES_PER_PIXEL as HEIF_BYTES_PER_PIXEL;
mod jpeg;
mod turbo;

/// JPEGs are decoded at the smallest DCT scale (1/8, 1/4 or 1/2) whose shorter side
/// still has at least this many pixels: the size the browser hands the classifier, so
/// every cell of the working grid averages at least 2×2 decoded pixels. Measured on
/// the 1639 JPEGs of the shared data sets against a full decode, `p_night` moves by
/// 0.0017 on average, no more than libjpeg-turbo's full-size decode moves it (its
/// rounding differs from zune-jpeg's); at 128 the average change doubles. A HEIC or
/// AVIF, decoded whole, is averaged down to the same size.
pub const MIN_JPEG_SIDE: u32 = crate::BROWSER_DECODE_SIZE;

/// Largest single allocation a decoder may make (the RGBA copy comes on top).
pub const MAX_ALLOC: u64 = 1 << 30;

/// Above this many pixels, a file must hold at least one byte per
/// [`MAX_PIXELS_PER_BYTE`] pixels. Photos take well over a bit per pixel (a dark
/// 20 MP JPEG is still megabytes); a 100 MP canvas in a few hundred KB is a bomb.
pub const BOMB_CHECK_PIXELS: u64 = 16 << 20;

/// See [`BOMB_CHECK_PIXELS`].
pub const MAX_PIXELS_PER_BYTE: u64 = 256;

/// Files larger than this are refused before reading them whole.
pub const MAX_FILE_BYTES: u64 = 200 << 20;

/// Decoded pixels, upright (EXIF orientation, or a HEIF's own transforms, applied). A
/// JPEG, HEIC or AVIF comes out at a reduced size (see [`MIN_JPEG_SIDE`]), other
/// formats at full size.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA8, row-major.
    pub rgba: Vec<u8>,
    /// The image's own size, upright: what `width`×`height` would be without the
    /// reduced-scale decode (the same for formats decoded at full size).
    pub full_size: (u32, u32),
}

/// Why a file could not be turned into pixels. The messages are for people.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// Zero bytes.
    #[error("the file is empty")]
    Empty,
    /// Not a format this build decodes (or not an image at all).
    #[error("not a supported image ({})", crate::formats::native_names())]
    UnsupportedFormat,
    /// A HEIC or AVIF, in a build without the `heif` feature (the static container image).
    #[error("a HEIC or AVIF image, and this daynight was built without HEIC/AVIF support (it needs libheif)")]
    HeifNotBuilt,
    /// A format this build decodes, using something in it that its decoder does not (a
    /// HEIF holding an image coded other than with HEVC or AV1, say).
    #[error("cannot decode this image: {0}")]
    UnsupportedContent(String),
    /// Over the size limits; nothing was allocated for the pixels.
    #[error("the image is {}", Oversize { width: u64::from(*width), height: u64::from(*height) })]
    TooLarge {
        /// Width from the header (0 when unknown).
        width: u32,
        /// Height from the header (0 when unknown).
        height: u32,
    },
    /// A small file claiming a huge canvas: far more pixels than any real encoder
    /// would squeeze into so few bytes.
    #[error("the file is {bytes} bytes but claims {width}×{height} pixels: refused as a likely decompression bomb")]
    Bomb {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
        /// File size.
        bytes: usize,
    },
    /// The file is too big to read.
    #[error("the file is {0} MB, over the {max} MB limit", max = MAX_FILE_BYTES >> 20)]
    FileTooLarge(u64),
    /// The data is damaged or cut short.
    #[error("the image data is damaged or truncated: {0}")]
    Corrupt(String),
}

impl DecodeError {
    fn too_large(width: u32, height: u32) -> DecodeError {
        DecodeError::TooLarge { width, height }
    }

    /// The header check's refusal, for a format whose decoder goes by it. `None` when
    /// the header's size was not found: the decoder's own reading of it then decides.
    #[cfg(feature = "heif")]
    fn from_header(e: header::HeaderError) -> Option<DecodeError> {
        use header::HeaderError;
        let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        match e {
            HeaderError::Empty => Some(DecodeError::Empty),
            HeaderError::NoPixels => Some(DecodeError::Corrupt("the header says the image has no pixels".into())),
            HeaderError::TooLarge { width, height } => Some(DecodeError::too_large(clamp(width), clamp(height))),
            HeaderError::NotAnImage => Some(DecodeError::UnsupportedFormat),
            HeaderError::Truncated => None,
        }
    }

    fn from_image(e: ImageError) -> DecodeError {
        match e {
            ImageError::Limits(_) => DecodeError::too_large(0, 0),
            ImageError::Unsupported(_) => DecodeError::UnsupportedFormat,
            ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                DecodeError::Corrupt("unexpected end of file".into())
            }
            // Decoder messages can span lines; a per-file report wants one.
            other => DecodeError::Corrupt(other.to_string().split_whitespace().collect::<Vec<_>>().join(" ")),
        }
    }
}

/// The limits every decode runs under.
pub fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    l.max_alloc = Some(MAX_ALLOC);
    l
}

/// Reads and decodes an image file. Its first bytes are read first, to reserve what the
/// whole decode will hold out of the process's [`budget`] before the file is read.
pub fn decode_file(path: &Path) -> Result<Decoded, DecodeError> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES {
        return Err(DecodeError::FileTooLarge(size >> 20));
    }
    let mut file = File::open(path)?;
    let mut head = Vec::new();
    let mut need = None;
    for prefix in [FIRST_READ, LAST_READ] {
        (&mut file).take(u64::from(prefix) - head.len() as u64).read_to_end(&mut head)?;
        need = working_bytes(&head, size);
        if need.is_some() || head.len() as u64 >= size {
            break;
        }
    }
    // A header not found in the first 4 MB: assume the worst, and decode alone.
    let _held = DECODES.reserve(need.unwrap_or(u64::MAX));
    let mut bytes = head;
    file.read_to_end(&mut bytes)?;
    decode_held(&bytes)
}

/// Decodes an in-memory image, sniffing the format from its first bytes, once what it
/// will hold fits in the process's [`budget`].
pub fn decode_bytes(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let _held = DECODES.reserve(working_bytes(bytes, bytes.len() as u64).unwrap_or(u64::MAX));
    decode_held(bytes)
}

fn decode_held(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if header::is_heif(bytes) {
        return decode_heif(bytes);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let format = reader.format().ok_or(DecodeError::UnsupportedFormat)?;
    if format == ImageFormat::Jpeg {
        return jpeg::decode(bytes, MIN_JPEG_SIDE);
    }
    // Read the header without limits so an oversized image is reported with its real
    // dimensions; the limits go on before a single pixel is decoded.
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(DecodeError::from_image)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height, bytes.len())?;
    decoder.set_limits(limits()).map_err(DecodeError::from_image)?;
    // A damaged EXIF block must not cost the photo: fall back to "as stored".
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(DecodeError::from_image)?;
    img.apply_orientation(orientation);
    let rgba = img.into_rgba8();
    Ok(Decoded { width: rgba.width(), height: rgba.height(), full_size: rgba.dimensions(), rgba: rgba.into_raw() })
}

/// A HEIC or AVIF: refused on the header's claims before libheif reads it (which would
/// allocate its own structures first), then decoded and reduced like a JPEG.
#[cfg(feature = "heif")]
fn decode_heif(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(refused) = header::check(bytes, bytes.len() as u64).err().and_then(DecodeError::from_header) {
        return Err(refused);
    }
    heif::decode(bytes, MIN_JPEG_SIDE)
}

#[cfg(not(feature = "heif"))]
fn decode_heif(_: &[u8]) -> Result<Decoded, DecodeError> {
    Err(DecodeError::HeifNotBuilt)
}

/// The checks on a header's dimensions, made before anything is allocated for pixels:
/// not empty, within [`MAX_SIDE`] and the pixel limit, and not a tiny file claiming a
/// huge canvas.
fn check_size(width: u32, height: u32, file_bytes: usize) -> Result<(), DecodeError> {
    if width == 0 || height == 0 {
        return Err(DecodeError::Corrupt("the header says the image has no pixels".into()));
    }
    if Oversize::check(u64::from(width), u64::from(height)).is_some() {
        return Err(DecodeError::too_large(width, height));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > BOMB_CHECK_PIXELS && pixels > MAX_PIXELS_PER_BYTE * file_bytes as u64 {
        return Err(DecodeError::Bomb { width, height, bytes: file_bytes });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbaImage::new(w, h).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn decodes_a_small_png() {
        let d = decode_bytes(&png(3, 2)).unwrap();
        assert_eq!((d.width, d.height, d.rgba.len()), (3, 2, 24));
    }

    #[test]
    fn refuses_empty_and_text() {
        assert!(matches!(decode_bytes(b""), Err(DecodeError::Empty)));
        assert!(matches!(decode_bytes(b"hello, I am not a JPEG"), Err(DecodeError::UnsupportedFormat)));
        let formats =
            if cfg!(feature = "heif") { "JPEG, PNG, GIF, WebP, BMP, HEIC or AVIF" } else { "JPEG, PNG, GIF, WebP or BMP" };
        assert_eq!(DecodeError::UnsupportedFormat.to_string(), format!("not a supported image ({formats})"));
    }
}
