//! The few TurboJPEG calls the JPEG path needs, behind a safe interface.
//!
//! `turbojpeg-sys` links the system's libturbojpeg (Debian's `libturbojpeg0-dev`,
//! found with pkg-config). The `turbojpeg` crate's safe API targets TurboJPEG 3, which
//! Debian does not ship; its last release for the TurboJPEG 2 API that Debian has
//! neither sets decode flags nor tells a warning from an error, and this path needs
//! both. So the unsafe code is here, in one small place: every pointer handed over
//! comes from a live slice whose length goes with it.

use std::ffi::{c_int, c_ulong, CStr};

use turbojpeg_sys as tj;

/// A JPEG's header, as libjpeg-turbo reads it.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    /// Width in pixels, as stored (before EXIF orientation).
    pub width: u32,
    /// Height in pixels, as stored.
    pub height: u32,
    /// Whether the samples are CMYK (or YCCK, which libjpeg-turbo turns into CMYK):
    /// those cannot be converted to RGB by libjpeg-turbo itself.
    pub cmyk: bool,
}

/// What libjpeg-turbo said about a failed call.
#[derive(Debug)]
pub struct Failure {
    /// Its message, one line.
    pub message: String,
    /// A warning (recoverable damage, such as stray bytes between markers: the pixels
    /// were all written) rather than a fatal error.
    pub warning: bool,
}

/// Output pixel layouts this module asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Red, green, blue, alpha (255).
    Rgba,
    /// The file's CMYK samples as stored, 4 bytes a pixel.
    Cmyk,
}

/// A TurboJPEG decompressor; freed when dropped.
pub struct Decompressor {
    handle: tj::tjhandle,
}

impl Decompressor {
    /// A new decompressor, or `None` if libjpeg-turbo could not allocate one.
    pub fn new() -> Option<Decompressor> {
        // SAFETY: no arguments; a null return is checked.
        let handle = unsafe { tj::tjInitDecompress() };
        (!handle.is_null()).then_some(Decompressor { handle })
    }

    /// Reads the header only: nothing is decoded or allocated for pixels.
    ///
    /// TurboJPEG 2 also reports the chroma subsampling and fails on forms it has no
    /// name for (which libjpeg-turbo still decodes), and returns a failure for a mere
    /// warning; neither matters here, so the header counts as read whenever libjpeg
    /// found the dimensions and a colour space it knows.
    pub fn header(&mut self, jpeg: &[u8]) -> Result<Header, Failure> {
        let (mut width, mut height, mut subsamp, mut colorspace) = (0, 0, 0, -1);
        // SAFETY: `jpeg` is a live slice of the length passed; the out-pointers are locals.
        // The status is not the test (see above): what was read is.
        unsafe {
            tj::tjDecompressHeader3(
                self.handle,
                jpeg.as_ptr(),
                jpeg.len() as c_ulong,
                &mut width,
                &mut height,
                &mut subsamp,
                &mut colorspace,
            )
        };
        // TurboJPEG fails the call itself when these are missing, so its message says why.
        if width < 1 || height < 1 || colorspace < 0 {
            return Err(self.failure());
        }
        let cmyk = matches!(colorspace as tj::TJCS, tj::TJCS_TJCS_CMYK | tj::TJCS_TJCS_YCCK);
        Ok(Header { width: width as u32, height: height as u32, cmyk })
    }

    /// Decodes `jpeg` at the DCT scaling factor that makes it `width`×`height` (the
    /// scaled size of one of libjpeg-turbo's factors, see [`scaled`]) into `out`, 4
    /// bytes a pixel, rows packed.
    ///
    /// Progressive files are limited to 500 scans (`TJFLAG_LIMITSCANS`): a crafted
    /// file with thousands of tiny scans would otherwise cost minutes of CPU.
    pub fn decompress(&mut self, jpeg: &[u8], width: u32, height: u32, layout: Layout, out: &mut [u8]) -> Result<(), Failure> {
        let pitch = width as usize * 4;
        assert_eq!(out.len(), pitch * height as usize, "the output buffer fits the scaled size exactly");
        let format = match layout {
            Layout::Rgba => tj::TJPF_TJPF_RGBA,
            Layout::Cmyk => tj::TJPF_TJPF_CMYK,
        };
        // SAFETY: `jpeg` and `out` are live slices. TurboJPEG picks the largest scaling
        // factor whose output fits in `width`×`height` and writes at most `height` rows
        // of `pitch` bytes, which is `out.len()` (asserted above); the sizes fit in a
        // c_int because the caller checked them against MAX_SIDE.
        let status = unsafe {
            tj::tjDecompress2(
                self.handle,
                jpeg.as_ptr(),
                jpeg.len() as c_ulong,
                out.as_mut_ptr(),
                width as c_int,
                pitch as c_int,
                height as c_int,
                format,
                tj::TJFLAG_LIMITSCANS as c_int,
            )
        };
        if status != 0 {
            return Err(self.failure());
        }
        Ok(())
    }

    fn failure(&mut self) -> Failure {
        // SAFETY: the handle is live; TurboJPEG returns a pointer to a NUL-terminated
        // message it owns, valid until the next call on this handle, and it is copied now.
        let (message, code) = unsafe {
            let text = CStr::from_ptr(tj::tjGetErrorStr2(self.handle)).to_string_lossy().into_owned();
            (text, tj::tjGetErrorCode(self.handle))
        };
        Failure {
            message: message.split_whitespace().collect::<Vec<_>>().join(" "),
            warning: code == tj::TJERR_TJERR_WARNING as c_int,
        }
    }
}

impl Drop for Decompressor {
    fn drop(&mut self) {
        // SAFETY: the handle came from tjInitDecompress and is destroyed once.
        unsafe {
            tj::tjDestroy(self.handle);
        }
    }
}

/// `side` scaled by 1/`denominator` as libjpeg-turbo rounds it (up, as `TJSCALED`).
pub fn scaled(side: u32, denominator: u32) -> u32 {
    side.div_ceil(denominator)
}
