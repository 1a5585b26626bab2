//! HEIC and AVIF (feature `heif`): files written by Debian's encoders from pictures
//! made here decode to the same colours, reduced like a JPEG, upright with their HEIF
//! transforms applied exactly once; cut or forged ones are refused with a typed error
//! before any pixel is decoded.

mod encoders;

use std::path::{Path, PathBuf};

use daynight_core::decode::budget::working_bytes;
use daynight_core::decode::{decode_bytes, decode_file, DecodeError, HEIF_BYTES_PER_PIXEL, MIN_JPEG_SIDE};
use daynight_core::{extract, Model};
use encoders::{Encoders, Kind};

/// Sky (blue) over ground (green), the sky's top-left corner red so a mirror shows,
/// with pixel noise so it compresses like a photo. RGB.
fn scene(width: u32, height: u32) -> image::RgbImage {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    image::RgbImage::from_fn(width, height, |x, y| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let n = (seed >> 60) as u8; // 0..15
        let base = if y < height / 2 {
            if x < width / 4 && y < height / 4 {
                [200, 40, 40]
            } else {
                [110, 160, 235]
            }
        } else {
            [70, 110, 50]
        };
        image::Rgb(base.map(|c: u8| c.saturating_add(n).saturating_sub(8)))
    })
}

/// Writes `img` as a PNG (lossless: the encoders' input) under `dir`.
fn png(dir: &Path, name: &str, img: &image::RgbImage) -> PathBuf {
    let path = dir.join(name);
    img.save(&path).unwrap();
    path
}

/// Encodes `input` as `kind` with `extra` encoder arguments; returns the file's bytes.
fn made(enc: &Encoders, kind: Kind, input: &Path, extra: &[&str]) -> Vec<u8> {
    let out = input.with_extension(format!("{}{}", extra.join("").replace(' ', ""), kind.ext()));
    enc.encode(kind, input, &out, extra);
    std::fs::read(out).unwrap()
}

/// The mean RGB of a region of RGBA pixels, given as fractions of the image.
fn mean(rgba: &[u8], width: u32, height: u32, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> [f64; 3] {
    let (w, h) = (f64::from(width), f64::from(height));
    let (xs, ys) = ((x0 * w) as u32..(x1 * w) as u32, (y0 * h) as u32..(y1 * h) as u32);
    let mut sum = [0f64; 3];
    let mut n = 0.0;
    for y in ys {
        for x in xs.clone() {
            let i = ((y * width + x) * 4) as usize;
            for c in 0..3 {
                sum[c] += f64::from(rgba[i + c]);
            }
            n += 1.0;
        }
    }
    sum.map(|s| s / n)
}

fn near(a: [f64; 3], b: [f64; 3], tolerance: f64) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tolerance)
}

const SKY: (f64, f64, f64, f64) = (0.5, 0.05, 0.95, 0.45);
const GROUND: (f64, f64, f64, f64) = (0.05, 0.55, 0.95, 0.95);
const RED: (f64, f64, f64, f64) = (0.02, 0.02, 0.2, 0.2);

#[test]
fn heic_and_avif_decode_to_the_colours_they_were_made_from_reduced_like_a_jpeg() {
    let Some(enc) = Encoders::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let source = scene(1600, 1200);
    let input = png(dir.path(), "scene.png", &source);
    let model = Model::embedded().unwrap();
    let want = model.predict(&extract(&image::DynamicImage::ImageRgb8(source.clone()).to_rgba8(), 1600, 1200).unwrap());
    // 10-bit and 4:4:4 AVIFs and a 2×2 grid of tiles, as phones and cameras write them.
    let cases: [(Kind, &[&str]); 5] = [
        (Kind::Heic, &[]),
        (Kind::Avif, &[]),
        (Kind::Avif, &["--depth", "10"]),
        (Kind::Avif, &["--yuv", "444"]),
        (Kind::Avif, &["--grid", "2x2"]),
    ];
    for (kind, extra) in cases {
        let what = format!("{kind:?} {extra:?}");
        let bytes = made(&enc, kind, &input, extra);
        let d = decode_bytes(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        // 1200 / 256 = 4: 4×4 blocks, the shorter side still over 256.
        assert_eq!((d.width, d.height, d.full_size), (400, 300, (1600, 1200)), "{what}");
        assert!(d.height >= MIN_JPEG_SIDE);
        for (region, name) in [(SKY, "sky"), (GROUND, "ground"), (RED, "red corner")] {
            let (got, source_mean) = (mean(&d.rgba, 400, 300, region), mean(&rgba(&source), 1600, 1200, region));
            assert!(near(got, source_mean, 6.0), "{what}: {name} {got:?} vs {source_mean:?}");
        }
        // Lossy coding moves the texture features a little (10-bit AV1 the most: its
        // p_night is 0.12 against the PNG's 0.05, as libheif's heif-convert gives too).
        let p = model.predict(&extract(&d.rgba, d.width, d.height).unwrap());
        assert!(
            (p.p_night - want.p_night).abs() < 0.1 && p.label == want.label,
            "{what}: p_night {} vs {} from the PNG",
            p.p_night,
            want.p_night
        );
    }
}

fn rgba(img: &image::RgbImage) -> Vec<u8> {
    image::DynamicImage::ImageRgb8(img.clone()).to_rgba8().into_raw()
}

/// The upright scene's sky, ground and red corner, where `d` has them.
fn is_upright(d: &daynight_core::decode::Decoded) -> bool {
    let m = |r| mean(&d.rgba, d.width, d.height, r);
    m(SKY)[2] > 200.0 && m(GROUND)[2] < 90.0 && m(RED)[0] > 170.0
}

#[test]
fn heif_transforms_are_applied_once_and_exif_orientation_never_on_top() {
    let Some(enc) = Encoders::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let upright = scene(320, 240);
    // Stored turned 90° anticlockwise: shown upright after turning 90° clockwise, which
    // is HEIF `irot` 3 (irot turns anticlockwise) and EXIF orientation 6.
    let stored = png(dir.path(), "stored.png", &image::imageops::rotate270(&upright));
    let d = decode_bytes(&made(&enc, Kind::Avif, &stored, &["--irot", "3"])).unwrap();
    assert_eq!((d.width, d.height, d.full_size), (320, 240, (320, 240)));
    assert!(is_upright(&d), "irot 3");

    // A mirror: the red corner moves right, and is put back by libheif.
    let mirrored = png(dir.path(), "mirrored.png", &image::imageops::flip_horizontal(&upright));
    let d = decode_bytes(&made(&enc, Kind::Avif, &mirrored, &["--imir", "1"])).unwrap();
    assert!(is_upright(&d), "imir 1");

    // irot together with EXIF orientation 6, as phones write them: the corpus files
    // irot-and-exif.{heic,avif} (the_corpus_heif_files). EXIF alone: libheif 1.15's
    // heif-enc copies exif-rotated.jpg's EXIF block, tag 6 included, and writes no irot;
    // HEIF readers go by the transforms alone, so it is shown as stored, sky on the left.
    let jpeg = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/badfiles/exif-rotated.jpg");
    let copy = dir.path().join("exif-rotated.jpg");
    std::fs::copy(jpeg, &copy).unwrap();
    let d = decode_bytes(&made(&enc, Kind::Heic, &copy, &[])).unwrap();
    assert_eq!((d.width, d.height), (240, 320), "EXIF alone does not turn a HEIF");
    let (left, right) = (mean(&d.rgba, 240, 320, (0.0, 0.0, 0.4, 1.0)), mean(&d.rgba, 240, 320, (0.6, 0.0, 1.0, 1.0)));
    assert!(left[2] > 200.0 && right[2] < 100.0, "as stored: sky {left:?} on the left, ground {right:?} on the right");
}

/// Every `ispe` (image spatial extents) property claims `width`×`height`: the primary
/// image's and, where heif-enc wrote the picture as a one-tile grid, the tile's.
fn forge_size(bytes: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut forged = bytes.to_vec();
    let spots: Vec<usize> = forged.windows(4).enumerate().filter(|(_, w)| *w == b"ispe").map(|(i, _)| i + 8).collect();
    assert!(!spots.is_empty(), "an ispe property");
    for at in spots {
        forged[at..at + 4].copy_from_slice(&width.to_be_bytes());
        forged[at + 4..at + 8].copy_from_slice(&height.to_be_bytes());
    }
    forged
}

/// The scene at `width`×`height` as a HEIC and as an AVIF, if the encoders are there.
fn small_files(width: u32, height: u32) -> Option<[(Kind, Vec<u8>); 2]> {
    let enc = Encoders::find()?;
    let dir = tempfile::tempdir().unwrap();
    let input = png(dir.path(), "scene.png", &scene(width, height));
    Some([Kind::Heic, Kind::Avif].map(|kind| (kind, made(&enc, kind, &input, &[]))))
}

#[test]
fn forged_sizes_are_refused_before_anything_is_decoded() {
    let Some(files) = small_files(64, 48) else { return };
    for (kind, bytes) in files {
        match decode_bytes(&forge_size(&bytes, 100_000, 100_000)) {
            Err(DecodeError::TooLarge { width: 100_000, height: 100_000 }) => {}
            other => panic!("{kind:?} claiming 100000×100000: {:?}", other.map(|d| (d.width, d.height))),
        }
        match decode_bytes(&forge_size(&bytes, 11_000, 11_000)) {
            Err(e @ DecodeError::TooLarge { .. }) => assert!(e.to_string().contains("121 MP"), "{e}"),
            other => panic!("{kind:?} claiming 121 MP: {:?}", other.map(|d| (d.width, d.height))),
        }
        // Under the limits, but 100 MP from a few KB: a bomb.
        match decode_bytes(&forge_size(&bytes, 10_000, 10_000)) {
            Err(DecodeError::Bomb { width: 10_000, height: 10_000, .. }) => {}
            other => panic!("{kind:?} claiming 10000×10000: {:?}", other.map(|d| (d.width, d.height))),
        }
        // A plausible size the coded image does not have.
        match decode_bytes(&forge_size(&bytes, 640, 480)) {
            Err(DecodeError::Corrupt(_)) => {}
            Ok(d) => assert!((d.width, d.height) == (64, 48) || (d.width, d.height) == (640, 480)),
            Err(e) => panic!("{kind:?} claiming 640×480: {e:?}"),
        }
        // The budget goes by the header as well.
        let need = working_bytes(&bytes, bytes.len() as u64).unwrap();
        assert!(need >= bytes.len() as u64 + 64 * 48 * HEIF_BYTES_PER_PIXEL, "{kind:?}: {need}");
    }
}

/// Like the JPEG and PNG truncation tests: cut at many offsets, each must fail cleanly
/// with a typed error (libheif must neither crash nor hand back a partial image).
#[test]
fn truncated_heic_and_avif_fail_cleanly_at_every_offset() {
    let Some(files) = small_files(96, 64) else { return };
    for (kind, bytes) in files {
        decode_bytes(&bytes).expect("the whole file decodes");
        let step = (bytes.len() / 300).max(1);
        for cut in (0..bytes.len() - 1).step_by(step) {
            match decode_bytes(&bytes[..cut]) {
                Err(DecodeError::Empty | DecodeError::UnsupportedFormat | DecodeError::Corrupt(_)) => {}
                Err(e) => panic!("{kind:?} cut at {cut}: unexpected error kind {e:?}"),
                Ok(d) => panic!("{kind:?} cut at {cut} of {} decoded to {}×{}", bytes.len(), d.width, d.height),
            }
        }
    }
}

/// The committed hostile files (tests/badfiles/make.py) say what they should.
#[test]
fn the_corpus_heif_files() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/badfiles");
    // Stored sideways with the sky on the left, irot 3 and EXIF orientation 6: upright
    // is the sky on top, as for exif-rotated.jpg.
    for name in ["irot-and-exif.heic", "irot-and-exif.avif"] {
        let d = decode_file(&dir.join(name)).unwrap();
        assert_eq!((d.width, d.height), (320, 240), "{name}");
        let (top, bottom) = (&d.rgba[..4], &d.rgba[((d.height - 1) * d.width * 4) as usize..][..4]);
        assert!(top[2] > 200 && bottom[2] < 100, "{name}: sky on top {top:?}, ground below {bottom:?}");
    }
    for name in ["huge-header-100000x100000.heic", "huge-header-100000x100000.avif"] {
        assert!(matches!(decode_file(&dir.join(name)), Err(DecodeError::TooLarge { width: 100_000, .. })), "{name}");
    }
    for name in ["truncated-half.heic", "truncated-half.avif", "truncated-header.heic"] {
        assert!(matches!(decode_file(&dir.join(name)), Err(DecodeError::Corrupt(_))), "{name}");
    }
}
