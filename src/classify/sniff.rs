//! What a file's first bytes tell the worker before anything decodes it, and what the
//! card says when the browser then cannot decode it. Pure: tested natively.
//!
//! The header check itself (size limits, truncation) is [`daynight_core::header`],
//! shared with the CLI; this adds what only the page needs: the EXIF orientation for
//! the thumbnail's proportions, whether a JPEG (the scaled decode), and whether a
//! HEIC (which most browsers cannot open, so "could not decode" would mislead).

use daynight_core::header::{self, HeifKind};

/// What the first bytes of a file told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// Size as stored (0×0 if not found in the bytes read).
    pub dims: (u32, u32),
    /// EXIF orientation of a JPEG.
    pub orientation: Option<u16>,
    /// A JPEG, by its signature.
    pub jpeg: bool,
    /// A HEIF container (HEIC, AVIF…), by its brands.
    pub heif: Option<HeifKind>,
}

impl Sniffed {
    /// What `head`, the file's first bytes, tells besides its size.
    pub fn of(head: &[u8], dims: (u32, u32)) -> Sniffed {
        Sniffed {
            dims,
            orientation: header::exif_orientation(head),
            jpeg: head.starts_with(&[0xFF, 0xD8, 0xFF]),
            heif: header::heif_kind(head),
        }
    }

    /// The card's message when the browser's decoder refused the file.
    pub fn undecodable(&self) -> String {
        match self.heif {
            // The file may be fine: this browser lacks the codec (Chromium and Firefox
            // have no HEVC image decoder). Say so, and what works instead.
            Some(HeifKind::Heic) => HEIC_UNSUPPORTED.into(),
            _ => "the browser could not decode this image: it is damaged, truncated, or not an image format it reads".into(),
        }
    }
}

/// Why a HEIC photo gets no answer in a browser without HEVC, and what to do.
pub const HEIC_UNSUPPORTED: &str = "This browser can't open HEIC photos, the iPhone's format: open this page in Safari, \
which can; on an iPhone, sharing or picking photos usually hands them over as JPEG; or classify the files with the \
daynight command line, which reads HEIC.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heic_the_browser_cannot_decode_gets_its_own_message() {
        // The brand decides, not the name: these are the first bytes of heif-enc's output.
        let heic = b"\0\0\0\x1cftypheic\0\0\0\0mif1heicmiaf";
        let sniffed = Sniffed::of(heic, (0, 0));
        assert_eq!(sniffed.heif, Some(HeifKind::Heic));
        assert!(!sniffed.jpeg);
        let message = sniffed.undecodable();
        assert!(message.starts_with("This browser can't open HEIC photos, the iPhone's format: "), "{message}");
        for what_to_do in ["Safari", "JPEG", "command line"] {
            assert!(message.contains(what_to_do), "{message}");
        }
        // An AVIF the browser refuses is damaged (current browsers read AVIF), and
        // anything else gets the plain message.
        let avif = Sniffed::of(b"\0\0\0\x20ftypavif\0\0\0\0avifmif1miafMA1A", (0, 0));
        assert_eq!(avif.heif, Some(HeifKind::Avif));
        assert!(avif.undecodable().starts_with("the browser could not decode"));
        let jpeg = Sniffed::of(&[0xFF, 0xD8, 0xFF, 0xE0], (0, 0));
        assert!(jpeg.jpeg && jpeg.heif.is_none());
        assert!(jpeg.undecodable().starts_with("the browser could not decode"));
    }
}
