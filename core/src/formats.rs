//! The image formats daynight knows by name, in one table: which file names a folder
//! walk picks up, which formats the native decoder reads, and which a browser reads.
//! The CLI's folder walk, the decoder's and the header check's messages all read it,
//! so adding a format is one line here.

use std::path::Path;

/// One image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageFormat {
    /// Its name for people, as messages list it.
    pub name: &'static str,
    /// File extensions, lower case, without the dot.
    pub extensions: &'static [&'static str],
    /// Decoded by the native decoder (the `decode` feature).
    pub native: bool,
    /// Decoded by the browsers the page supports.
    pub browser: bool,
}

/// Every format a folder walk picks up. Formats a build does not decode (TIFF; HEIC
/// and AVIF without the `heif` feature, as in the static container image) are listed
/// on purpose: a user who points the CLI at them gets a per-file message instead of a
/// silently smaller batch.
pub const FORMATS: &[ImageFormat] = &[
    ImageFormat { name: "JPEG", extensions: &["jpg", "jpeg", "jpe"], native: true, browser: true },
    ImageFormat { name: "PNG", extensions: &["png"], native: true, browser: true },
    ImageFormat { name: "GIF", extensions: &["gif"], native: true, browser: true },
    ImageFormat { name: "WebP", extensions: &["webp"], native: true, browser: true },
    ImageFormat { name: "BMP", extensions: &["bmp"], native: true, browser: true },
    ImageFormat { name: "HEIC", extensions: &["heic", "heif"], native: cfg!(feature = "heif"), browser: false },
    ImageFormat { name: "AVIF", extensions: &["avif"], native: cfg!(feature = "heif"), browser: true },
    ImageFormat { name: "TIFF", extensions: &["tif", "tiff"], native: false, browser: false },
];

/// Whether `path`'s extension (in any case) is one of an image format in [`FORMATS`].
pub fn has_image_extension(path: &Path) -> bool {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else { return false };
    FORMATS.iter().flat_map(|f| f.extensions).any(|known| known.eq_ignore_ascii_case(ext))
}

/// The names of the formats the native decoder reads, for messages: "JPEG, PNG, GIF,
/// WebP or BMP".
pub fn native_names() -> String {
    let names: Vec<&str> = FORMATS.iter().filter(|f| f.native).map(|f| f.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// The names of the formats a browser reads, for messages: "JPEG, PNG, GIF, WebP,
/// BMP, AVIF".
pub fn browser_names() -> String {
    FORMATS.iter().filter(|f| f.browser).map(|f| f.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_match_in_any_case_and_only_image_ones() {
        for name in ["a.jpg", "b.JPEG", "c.Png", "d.heic", "e.tiff", "f.avif", "g.jpe"] {
            assert!(has_image_extension(Path::new(name)), "{name}");
        }
        for name in ["notes.txt", "jpg", "a.jpg.bak", "archive.zip", ".png"] {
            assert!(!has_image_extension(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn the_messages_name_what_each_side_decodes() {
        let native =
            if cfg!(feature = "heif") { "JPEG, PNG, GIF, WebP, BMP, HEIC or AVIF" } else { "JPEG, PNG, GIF, WebP or BMP" };
        assert_eq!(native_names(), native);
        assert_eq!(browser_names(), "JPEG, PNG, GIF, WebP, BMP, AVIF");
        let extensions: Vec<&str> = FORMATS.iter().flat_map(|f| f.extensions.iter().copied()).collect();
        assert!(extensions.iter().all(|e| *e == e.to_ascii_lowercase()), "lower case: {extensions:?}");
    }
}
