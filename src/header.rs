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
