//! JPEGs are decoded at reduced scale (`decode::MIN_JPEG_SIDE`): each case here is
//! checked against a full-size decode by the `image` crate (the path the CLI used
//! before): the same size upright, nearly the same features, the same answer.

use daynight_core::decode::budget::working_bytes;
use daynight_core::decode::{decode_bytes, DecodeError, MIN_JPEG_SIDE};
use daynight_core::testimages::{lamps_in_dark, sky_over_ground};
use daynight_core::{extract, Model, N_FEATURES};
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// A scene with pixel noise, so it compresses like a photo rather than a flat drawing.
fn scene(night: bool, width: u32, height: u32) -> Vec<u8> {
    let (_, _, mut px) = if night { lamps_in_dark(width, height) } else { sky_over_ground(width, height) };
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for p in px.chunks_exact_mut(4) {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let noise = (seed >> 60) as u8; // 0..15
        for c in &mut p[..3] {
            *c = c.saturating_add(noise).saturating_sub(8);
        }
    }
    px
}

/// How to write the test JPEG.
#[derive(Default)]
struct Options {
    progressive: bool,
    cmyk: bool,
    gray: bool,
    /// EXIF orientation tag value (1–8), if any.
    orientation: Option<u16>,
    /// Chroma subsampling, if not 4:2:0.
    sampling: Option<SamplingFactor>,
}

fn encode(rgba: &[u8], width: u32, height: u32, o: &Options) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 85);
    encoder.set_sampling_factor(o.sampling.unwrap_or(SamplingFactor::R_4_2_0));
    encoder.set_progressive(o.progressive);
    if let Some(tag) = o.orientation {
        encoder.add_exif_metadata(&exif_orientation(tag)).unwrap();
    }
    let (w, h) = (width as u16, height as u16);
    if o.cmyk {
        // Ink amounts: the colour's complement, with the shared part moved to black.
        let cmyk: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| {
                let k = 255 - p[0].max(p[1]).max(p[2]);
                let ink = |c: u8| if k == 255 { 0 } else { ((255 - c - k) as u32 * 255 / (255 - k) as u32) as u8 };
                [ink(p[0]), ink(p[1]), ink(p[2]), k]
            })
            .collect();
        encoder.encode(&cmyk, w, h, ColorType::CmykAsYcck).unwrap();
    } else if o.gray {
        let luma: Vec<u8> =
            rgba.chunks_exact(4).map(|p| ((u32::from(p[0]) * 3 + u32::from(p[1]) * 6 + u32::from(p[2])) / 10) as u8).collect();
        encoder.encode(&luma, w, h, ColorType::Luma).unwrap();
    } else {
        encoder.encode(rgba, w, h, ColorType::Rgba).unwrap();
    }
    out
}

/// A little-endian TIFF block with one IFD entry: Orientation (0x0112), SHORT, `tag`.
fn exif_orientation(tag: u16) -> Vec<u8> {
    let mut t = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    t.extend(1u16.to_le_bytes());
    t.extend([0x12, 0x01, 3, 0]);
    t.extend(1u32.to_le_bytes());
    t.extend(u32::from(tag).to_le_bytes());
    t.extend(0u32.to_le_bytes());
    t
}

/// The old path: a full-size decode by the `image` crate, EXIF orientation applied.
fn full_decode(bytes: &[u8]) -> image::RgbaImage {
    use image::ImageDecoder;
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes)).unwrap();
    let orientation = decoder.orientation().unwrap();
    let mut img = image::DynamicImage::from_decoder(decoder).unwrap();
    img.apply_orientation(orientation);
    img.into_rgba8()
}

/// Decodes `bytes` both ways and checks size, features and answer; returns the
/// reduced decode's size.
fn same_as_full_decode(what: &str, bytes: &[u8]) -> (u32, u32) {
    same_as(what, bytes, &full_decode(bytes), 0.6)
}

/// Checks the reduced decode of `bytes` against the full-size pixels `full`: the same
/// size upright, each feature within `tolerance` of its spread over the training
/// photos (0.6 for a decode of the same file: a threshold count such as point lights
/// can tip by a cell or two), and `p_night` within 0.01.
fn same_as(what: &str, bytes: &[u8], full: &image::RgbaImage, tolerance: f64) -> (u32, u32) {
    let scaled = decode_bytes(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(scaled.full_size, full.dimensions(), "{what}: full size");
    let (fw, fh) = full.dimensions();
    // Upright the same way round, and no smaller than needed (or the whole image).
    assert_eq!(fw > fh, scaled.width > scaled.height, "{what}: orientation of {}×{}", scaled.width, scaled.height);
    assert!(scaled.width.min(scaled.height) >= MIN_JPEG_SIDE.min(fw.min(fh)), "{what}: {}×{}", scaled.width, scaled.height);
    assert_eq!(scaled.rgba.len(), (scaled.width * scaled.height * 4) as usize);

    let model = Model::embedded().unwrap();
    let a = extract(full.as_raw(), fw, fh).unwrap();
    let b = extract(&scaled.rgba, scaled.width, scaled.height).unwrap();
    let std = &model.scaler().std;
    let worst = (0..N_FEATURES).map(|i| ((a[i] - b[i]).abs() / std[i], i)).fold((0.0, 0), |m, x| if x.0 > m.0 { x } else { m });
    assert!(
        worst.0 < tolerance,
        "{what}: feature {} moved {:.3} standard deviations",
        daynight_core::feature_names()[worst.1],
        worst.0
    );
    let (pa, pb) = (model.predict(&a), model.predict(&b));
    assert!((pa.p_night - pb.p_night).abs() < 0.01, "{what}: p_night {} full, {} reduced", pa.p_night, pb.p_night);
    assert_eq!(pa.label, pb.label, "{what}");
    (scaled.width, scaled.height)
}

#[test]
fn a_phone_sized_jpeg_is_decoded_at_one_eighth() {
    let (w, h) = (2400, 2048);
    for night in [false, true] {
        let bytes = encode(&scene(night, w, h), w, h, &Options::default());
        assert_eq!(same_as_full_decode(&format!("night={night}"), &bytes), (300, 256));
    }
}

#[test]
fn the_scale_is_the_smallest_that_keeps_the_shorter_side() {
    // 1/4 (1/8 would leave 191 rows), 1/2, and full size for a webcam frame.
    for ((w, h), want) in [((2000, 1530), (500, 383)), ((1280, 889), (640, 445)), ((640, 480), (640, 480))] {
        let bytes = encode(&scene(false, w, h), w, h, &Options::default());
        assert_eq!(same_as_full_decode(&format!("{w}×{h}"), &bytes), want);
    }
}

#[test]
fn odd_sizes_round_up_like_libjpeg() {
    for (w, h) in [(2049, 2051), (2053, 2111), (1023, 1279)] {
        let bytes = encode(&scene(true, w, h), w, h, &Options::default());
        let (sw, sh) = same_as_full_decode(&format!("{w}×{h}"), &bytes);
        let d = [8, 4, 2].into_iter().find(|&d| w.div_ceil(d) == sw).expect("a reduced scale");
        assert_eq!(sh, h.div_ceil(d), "{w}×{h} at 1/{d}");
    }
}

#[test]
fn a_jpeg_smaller_than_the_grid_is_decoded_whole() {
    for (w, h) in [(50, 30), (1, 1), (127, 300)] {
        let bytes = encode(&scene(false, w, h), w, h, &Options::default());
        assert_eq!(same_as_full_decode(&format!("{w}×{h}"), &bytes), (w, h));
    }
}

#[test]
fn exif_orientation_turns_the_reduced_image_upright() {
    // Stored 2048 wide × 2400 high with the sky on the left; orientation 6 turns it a
    // quarter clockwise, so upright it is 2400×2048 with the sky on top.
    let (w, h) = (2048, 2400);
    let (_, _, upright) = sky_over_ground(h, w);
    let stored = image::imageops::rotate270(&image::RgbaImage::from_raw(h, w, upright).unwrap());
    let bytes = encode(stored.as_raw(), w, h, &Options { orientation: Some(6), ..Options::default() });
    assert_eq!(same_as_full_decode("orientation 6", &bytes), (300, 256));
    let d = decode_bytes(&bytes).unwrap();
    assert_eq!(d.full_size, (2400, 2048));
    let at = |x: u32, y: u32| &d.rgba[((y * d.width + x) * 4) as usize..][..3];
    assert!(at(0, 0)[2] > 200, "sky on top: {:?}", at(0, 0));
    assert!(at(0, d.height - 1)[2] < 100, "ground at the bottom: {:?}", at(0, d.height - 1));
    for tag in 2..=8 {
        let bytes = encode(&scene(true, w, h), w, h, &Options { orientation: Some(tag), ..Options::default() });
        same_as_full_decode(&format!("orientation {tag}"), &bytes);
    }
}

#[test]
fn progressive_jpegs_are_decoded_at_reduced_scale() {
    let (w, h) = (2400, 2048);
    for night in [false, true] {
        let bytes = encode(&scene(night, w, h), w, h, &Options { progressive: true, ..Options::default() });
        assert_eq!(same_as_full_decode(&format!("progressive, night={night}"), &bytes), (300, 256));
    }
}

/// The memory budget's estimate from the header: a baseline JPEG holds its file and
/// the reduced pixels; a progressive one also every DCT coefficient (at 4:2:0, 1.5
/// samples a pixel of 2 bytes), whatever the scale; at 4:4:4 twice that.
#[test]
fn the_budget_counts_a_progressive_jpegs_coefficients() {
    let (w, h) = (2400, 2048);
    let pixels = u64::from(w * h);
    let px = scene(false, w, h);
    let estimate = |o: &Options| {
        let bytes = encode(&px, w, h, o);
        working_bytes(&bytes, bytes.len() as u64).expect("the frame header is there") - bytes.len() as u64
    };
    // The reduced RGBA (300×256) and its upright copy, and a MB for the decoder.
    let reduced = 2 * 4 * 300 * 256;
    assert_eq!(estimate(&Options::default()), reduced + (1 << 20));
    assert_eq!(estimate(&Options { progressive: true, ..Options::default() }), reduced + pixels * 3 + (1 << 20));
    let full_chroma = Options { progressive: true, sampling: Some(SamplingFactor::R_4_4_4), ..Options::default() };
    assert_eq!(estimate(&full_chroma), reduced + pixels * 6 + (1 << 20));
}

/// CMYK is checked against the colours it was written from, as zune-jpeg, the old
/// path, gets 4:2:0 CMYK wrong (its mean brightness comes out halved); more loosely,
/// as the hue of near-black pixels depends on how the test splits them into inks.
#[test]
fn cmyk_and_grayscale_jpegs_are_decoded_at_reduced_scale() {
    let (w, h) = (2400, 2048);
    for night in [false, true] {
        let source = image::RgbaImage::from_raw(w, h, scene(night, w, h)).unwrap();
        let cmyk = encode(&source, w, h, &Options { cmyk: true, ..Options::default() });
        assert_eq!(same_as(&format!("cmyk, night={night}"), &cmyk, &source, 1.0), (300, 256));
        let gray = encode(&source, w, h, &Options { gray: true, ..Options::default() });
        assert_eq!(same_as_full_decode(&format!("gray, night={night}"), &gray), (300, 256));
    }
}

/// TurboJPEG 2 has no name for these subsamplings and fails its header call on them,
/// though libjpeg-turbo decodes them. Checked against the pixels they were written
/// from (zune-jpeg, the old path, gets 4:4:1 colours wrong), so the loss of chroma
/// subsampled 4 to 1 counts too: hence the looser tolerance.
#[test]
fn unusual_chroma_subsampling_still_decodes() {
    let (w, h) = (2400, 2048);
    let source = image::RgbaImage::from_raw(w, h, scene(false, w, h)).unwrap();
    for sampling in [SamplingFactor::R_4_4_1, SamplingFactor::R_4_2_1, SamplingFactor::R_4_1_0] {
        let bytes = encode(&source, w, h, &Options { sampling: Some(sampling), ..Options::default() });
        assert_eq!(same_as(&format!("{sampling:?}"), &bytes, &source, 1.0), (300, 256));
    }
}

#[test]
fn a_truncated_large_jpeg_is_refused_not_padded_with_grey() {
    let (w, h) = (2400, 2048);
    for progressive in [false, true] {
        let bytes = encode(&scene(false, w, h), w, h, &Options { progressive, ..Options::default() });
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 2] {
            match decode_bytes(&bytes[..cut]) {
                Err(DecodeError::Corrupt(m)) => assert!(m.contains("ends before"), "{m}"),
                other => panic!("progressive={progressive}, cut at {cut}: {other:?}"),
            }
        }
    }
}

/// libjpeg-turbo only warns about stray bytes between the image data and the end
/// marker (some cameras write them) and still writes every pixel: the photo counts.
#[test]
fn stray_bytes_before_the_end_marker_are_only_a_warning() {
    let (w, h) = (2400, 2048);
    let mut bytes = encode(&scene(false, w, h), w, h, &Options::default());
    let eoi = bytes.len() - 2;
    assert_eq!(bytes[eoi..], [0xFF, 0xD9]);
    bytes.splice(eoi..eoi, [0x12, 0x34, 0x56]);
    assert_eq!(same_as_full_decode("stray bytes", &bytes), (300, 256));
}
