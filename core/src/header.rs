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

/// Which kind of HEIF a file is: what its images are coded with, which decides whether
/// a browser can open it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeifKind {
    /// HEVC: HEIC, the iPhone's format (and many Android phones' "high efficiency"
    /// photos). Safari decodes it; Chromium and Firefox do not.
    Heic,
    /// AV1: AVIF, which current browsers decode.
    Avif,
    /// Another codec (JPEG inside HEIF, say), or none named in the bytes read.
    Other,
}

/// Brands that name HEVC images or sequences (ISO/IEC 23008-12 annex B).
const HEVC_BRANDS: [&[u8; 4]; 8] = [b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"];
/// Brands that name AV1 images or sequences (the AVIF specification).
const AV1_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];
/// Brands that say "HEIF" without naming a codec: both HEIC and AVIF files carry them.
const HEIF_BRANDS: [&[u8; 4]; 4] = [b"mif1", b"msf1", b"mif2", b"miaf"];

/// The kind of HEIF container a file is, from its first bytes (never its name); `None`
/// when they do not start with an `ftyp` box of an image brand (an MP4 video is not
/// one). In order: a major brand that names a codec (`heic`, `avif`…) decides; else
/// (a major brand of `mif1` or `msf1`, which both HEIC and AVIF files may have) the
/// type of the primary image item in the `meta` box (`hvc1` HEVC, `av01` AV1; for a
/// grid, its tiles' type); else a compatible brand that names a codec. Every read is
/// bounds-checked: this runs on untrusted bytes.
pub fn heif_kind(head: &[u8]) -> Option<HeifKind> {
    let mut top = iso_boxes(head);
    let (kind, ftyp) = top.next()?;
    if &kind != b"ftyp" || ftyp.len() < 8 {
        return None;
    }
    // Major brand, minor version, then the compatible brands.
    let major = &ftyp[..4];
    let compatible: Vec<&[u8]> = ftyp[8..].chunks_exact(4).collect();
    let by_brand = |brand: &[u8]| {
        if HEVC_BRANDS.iter().any(|b| &b[..] == brand) {
            Some(HeifKind::Heic)
        } else if AV1_BRANDS.iter().any(|b| &b[..] == brand) {
            Some(HeifKind::Avif)
        } else {
            None
        }
    };
    if let Some(kind) = by_brand(major) {
        return Some(kind);
    }
    let brands = || std::iter::once(major).chain(compatible.iter().copied());
    if !brands().any(|brand| by_brand(brand).is_some() || HEIF_BRANDS.iter().any(|b| &b[..] == brand)) {
        return None;
    }
    let by_item = top.find(|(kind, _)| kind == b"meta").and_then(|(_, meta)| primary_item_kind(meta));
    by_item.or_else(|| compatible.iter().find_map(|brand| by_brand(brand))).or(Some(HeifKind::Other))
}

/// The codec of the primary image item of a `meta` box's payload: `pitm` names the
/// item, `iinf`'s `infe` entries give each item's type.
fn primary_item_kind(meta: &[u8]) -> Option<HeifKind> {
    // `meta` is a full box: version and flags first.
    let children = meta.get(4..)?;
    let mut primary = None;
    let mut items: Vec<(u32, [u8; 4])> = Vec::new();
    for (kind, payload) in iso_boxes(children) {
        match &kind {
            b"pitm" => {
                primary = match *payload.first()? {
                    0 => payload.get(4..6).map(|b| u32::from(u16::from_be_bytes([b[0], b[1]]))),
                    _ => payload.get(4..8).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
                }
            }
            b"iinf" => {
                let entries = if *payload.first()? == 0 { payload.get(6..) } else { payload.get(8..) };
                items.extend(iso_boxes(entries?).filter(|(kind, _)| kind == b"infe").filter_map(|(_, infe)| item_entry(infe)));
            }
            _ => {}
        }
    }
    let codec = |item_type: &[u8; 4]| match item_type {
        b"hvc1" | b"hev1" => Some(HeifKind::Heic),
        b"av01" => Some(HeifKind::Avif),
        _ => None,
    };
    let primary_type = items.iter().find(|(id, _)| Some(*id) == primary).map(|(_, t)| t);
    match primary_type.and_then(codec) {
        Some(kind) => Some(kind),
        // A derived image (a grid of tiles, say): the codec of the items it is made of.
        None if primary_type.is_some_and(|t| t == b"grid" || t == b"iovl" || t == b"iden") => {
            items.iter().find_map(|(_, t)| codec(t))
        }
        None => primary_type.map(|_| HeifKind::Other),
    }
}

/// An `infe` entry's item id and type (versions 2 and 3; earlier ones have no type).
fn item_entry(infe: &[u8]) -> Option<(u32, [u8; 4])> {
    let (id, rest) = match *infe.first()? {
        2 => (u32::from(u16::from_be_bytes([*infe.get(4)?, *infe.get(5)?])), infe.get(6..)?),
        3 => (u32::from_be_bytes([*infe.get(4)?, *infe.get(5)?, *infe.get(6)?, *infe.get(7)?]), infe.get(8..)?),
        _ => return None,
    };
    // item_protection_index, then the type.
    Some((id, rest.get(2..6)?.try_into().ok()?))
}

/// The ISO base media file format boxes in `data`, in order, as `(type, payload)`. A
/// box cut short by the end of `data` comes with the part that is there (the bytes
/// read may end inside the `meta` box); a size that cannot be ends the walk.
fn iso_boxes(data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let header = data.get(at..at.checked_add(8)?)?;
        let kind: [u8; 4] = header[4..8].try_into().ok()?;
        let (start, size) = match u32::from_be_bytes([header[0], header[1], header[2], header[3]]) {
            // To the end of the file.
            0 => (at + 8, (data.len() - at) as u64),
            // A 64-bit size follows the type.
            1 => {
                let large = data.get(at + 8..at + 16)?;
                (at + 16, u64::from_be_bytes(large.try_into().ok()?))
            }
            size => (at + 8, u64::from(size)),
        };
        let end = at.checked_add(usize::try_from(size).ok()?)?;
        if end < start {
            return None;
        }
        let payload = data.get(start..end.min(data.len()))?;
        at = end;
        Some((kind, payload))
    })
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

    /// An ISO-BMFF box.
    fn iso_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(payload);
        b
    }

    /// A full box: version, no flags.
    fn full_box(kind: &[u8; 4], version: u8, payload: &[u8]) -> Vec<u8> {
        iso_box(kind, &[&[version, 0, 0, 0][..], payload].concat())
    }

    /// The header of a HEIF file as encoders write it: `ftyp` with these brands, then
    /// `meta` naming the primary item, each item's type, and the image size (`ispe`).
    fn heif_header(
        major: &[u8; 4],
        compatible: &[&[u8; 4]],
        items: &[(u16, &[u8; 4])],
        primary: u16,
        size: (u32, u32),
    ) -> Vec<u8> {
        let mut ftyp = major.to_vec();
        ftyp.extend_from_slice(&[0, 0, 0, 0]);
        for brand in compatible {
            ftyp.extend_from_slice(&brand[..]);
        }
        let mut infos = (items.len() as u16).to_be_bytes().to_vec();
        for (id, kind) in items {
            infos.extend(full_box(b"infe", 2, &[&id.to_be_bytes()[..], &[0, 0], &kind[..]].concat()));
        }
        let ispe = full_box(b"ispe", 0, &[size.0.to_be_bytes(), size.1.to_be_bytes()].concat());
        let meta = [
            full_box(b"hdlr", 0, b"\0\0\0\0pict\0\0\0\0\0\0\0\0\0\0\0\0\0"),
            full_box(b"pitm", 0, &primary.to_be_bytes()),
            full_box(b"iinf", 0, &infos),
            iso_box(b"iprp", &iso_box(b"ipco", &ispe)),
        ]
        .concat();
        [iso_box(b"ftyp", &ftyp), full_box(b"meta", 0, &meta)].concat()
    }

    #[test]
    fn heif_kinds_come_from_the_brands_and_the_primary_item() {
        use HeifKind::*;
        let size = (4032, 3024);
        // What phones and encoders write: the codec's brand first.
        assert_eq!(heif_kind(&heif_header(b"heic", &[b"mif1", b"heic"], &[(1, b"hvc1")], 1, size)), Some(Heic));
        assert_eq!(heif_kind(&heif_header(b"heix", &[b"mif1", b"heix"], &[(1, b"hvc1")], 1, size)), Some(Heic));
        assert_eq!(heif_kind(&heif_header(b"avif", &[b"avif", b"mif1", b"miaf"], &[(1, b"av01")], 1, size)), Some(Avif));
        assert_eq!(heif_kind(&heif_header(b"avis", &[b"avis", b"msf1"], &[(1, b"av01")], 1, size)), Some(Avif));
        // `mif1` alone says HEIF, not which codec: the primary item's type decides,
        // for a grid the type of its tiles.
        assert_eq!(heif_kind(&heif_header(b"mif1", &[b"mif1", b"miaf"], &[(1, b"hvc1")], 1, size)), Some(Heic));
        assert_eq!(heif_kind(&heif_header(b"mif1", &[b"mif1", b"miaf"], &[(1, b"av01")], 1, size)), Some(Avif));
        let grid = [(1, b"grid"), (2, b"hvc1"), (3, b"hvc1")];
        assert_eq!(heif_kind(&heif_header(b"mif1", &[b"mif1"], &grid, 1, size)), Some(Heic));
        // A thumbnail coded otherwise does not decide for the primary image.
        assert_eq!(heif_kind(&heif_header(b"mif1", &[b"mif1"], &[(1, b"av01"), (2, b"hvc1")], 1, size)), Some(Avif));
        assert_eq!(heif_kind(&heif_header(b"mif1", &[b"mif1"], &[(1, b"jpeg")], 1, size)), Some(Other));
        // No item types in the bytes read: the compatible brands.
        let brands_only = |major: &[u8; 4], compatible: &[&[u8; 4]]| {
            let mut ftyp = major.to_vec();
            ftyp.extend_from_slice(&[0; 4]);
            compatible.iter().for_each(|b| ftyp.extend_from_slice(&b[..]));
            iso_box(b"ftyp", &ftyp)
        };
        assert_eq!(heif_kind(&brands_only(b"mif1", &[b"mif1", b"heic"])), Some(Heic));
        assert_eq!(heif_kind(&brands_only(b"msf1", &[b"msf1", b"avis"])), Some(Avif));
        assert_eq!(heif_kind(&brands_only(b"mif1", &[b"mif1"])), Some(Other));
        // An MP4 video, or no ISO-BMFF file at all, is no HEIF.
        assert_eq!(heif_kind(&brands_only(b"isom", &[b"isom", b"mp41"])), None);
        assert_eq!(heif_kind(&png_header(10, 10)), None);
        assert_eq!(heif_kind(&jpeg_with_orientation(1, true)), None);
        assert_eq!(heif_kind(b""), None);
    }

    #[test]
    fn heif_headers_give_their_size_and_forged_ones_are_refused() {
        let heic = heif_header(b"heic", &[b"mif1", b"heic"], &[(1, b"hvc1")], 1, (4032, 3024));
        assert_eq!(check(&heic, 3_000_000), Ok(Verdict::Fits { width: 4032, height: 3024 }));
        let avif = heif_header(b"avif", &[b"avif", b"mif1"], &[(1, b"av01")], 1, (100_000, 100_000));
        assert!(matches!(check(&avif, 5_000), Err(HeaderError::TooLarge { width: 100_000, height: 100_000 })));
        // Real encoders' files (tests/badfiles/make.py: heif-enc and avifenc output
        // with the `ispe` size rewritten).
        for (bytes, kind) in [
            (&include_bytes!("../../tests/badfiles/huge-header-100000x100000.heic")[..], HeifKind::Heic),
            (&include_bytes!("../../tests/badfiles/huge-header-100000x100000.avif")[..], HeifKind::Avif),
        ] {
            assert_eq!(heif_kind(bytes), Some(kind));
            assert!(matches!(check(bytes, bytes.len() as u64), Err(HeaderError::TooLarge { width: 100_000, .. })));
        }
        let rotated = include_bytes!("../../tests/badfiles/irot-and-exif.heic");
        assert_eq!(heif_kind(rotated), Some(HeifKind::Heic));
        assert!(matches!(check(rotated, rotated.len() as u64), Ok(Verdict::Fits { .. })));
        // Cut anywhere, the sniffing answers without a panic.
        for cut in 0..heic.len() {
            let _ = heif_kind(&heic[..cut]);
            let _ = check(&heic[..cut], heic.len() as u64);
        }
    }
}
