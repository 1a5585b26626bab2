//! Native decoding against hostile and awkward files: every one gives pixels or a
//! typed error, never a panic, and never a pixel buffer the limits did not allow.

use std::io::Cursor;
use std::path::PathBuf;

use daynight_core::decode::{decode_bytes, decode_file, DecodeError};
use daynight_core::testimages::sky_over_ground;

fn encode(format: image::ImageFormat) -> Vec<u8> {
    let (w, h, px) = sky_over_ground(96, 64);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let i = ((y * w + x) * 4) as usize;
        image::Rgb([px[i], px[i + 1], px[i + 2]])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

/// Like image-rs's truncate tests: cut the file at many offsets, each must fail
/// cleanly (or, for a cut inside trailing metadata, still decode).
#[test]
fn truncated_jpeg_and_png_fail_cleanly_at_every_offset() {
    for format in [image::ImageFormat::Jpeg, image::ImageFormat::Png] {
        let bytes = encode(format);
        let step = (bytes.len() / 300).max(1);
        for cut in (0..bytes.len() - 1).step_by(step) {
            match decode_bytes(&bytes[..cut]) {
                Err(DecodeError::Empty | DecodeError::UnsupportedFormat | DecodeError::Corrupt(_)) => {}
                Err(e) => panic!("{format:?} cut at {cut}: unexpected error kind {e:?}"),
                Ok(d) => assert_eq!((d.width, d.height), (96, 64), "{format:?} cut at {cut}"),
            }
        }
        decode_bytes(&bytes).expect("the whole file decodes");
    }
}

fn badfile(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/badfiles").join(name)
}

#[test]
fn exif_orientation_is_applied() {
    // Stored 240×320 with the sky on the left and orientation 6 (rotate 90° clockwise).
    let d = decode_file(&badfile("exif-rotated.jpg")).unwrap();
    assert_eq!((d.width, d.height), (320, 240));
    let top_left = &d.rgba[..4];
    let bottom_left = &d.rgba[((d.height - 1) * d.width * 4) as usize..][..4];
    assert!(top_left[2] > 200, "sky is on top after rotation: {top_left:?}");
    assert!(bottom_left[2] < 100, "ground at the bottom: {bottom_left:?}");
}

#[test]
fn bombs_and_forged_headers_are_refused_by_size() {
    for (name, w, h) in [("bomb-25000x25000.png", 25_000, 25_000), ("huge-header-100000x100000.png", 100_000, 100_000)] {
        match decode_file(&badfile(name)) {
            Err(DecodeError::TooLarge { width, height, .. }) => assert_eq!((width, height), (w, h)),
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// A 10000×10000 PNG (100 MP, under the size limit) of zeros, compressed hard: ~100 KB.
#[test]
fn a_tiny_file_claiming_a_huge_canvas_is_refused_before_decoding() {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let mut bytes = Vec::new();
    PngEncoder::new_with_quality(&mut bytes, CompressionType::Best, FilterType::NoFilter)
        .write_image(&vec![0u8; 100_000_000], 10_000, 10_000, image::ExtendedColorType::L8)
        .unwrap();
    assert!(bytes.len() < 400_000, "{} bytes", bytes.len());
    match decode_bytes(&bytes) {
        Err(DecodeError::Bomb { width: 10_000, height: 10_000, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn odd_but_valid_images_decode() {
    for name in
        ["one-pixel.png", "wide-20000x10.png", "grayscale.jpg", "cmyk.jpg", "16-bit.png", "animated.gif", "corrupt-exif.jpg"]
    {
        let d = decode_file(&badfile(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.rgba.len(), (d.width * d.height * 4) as usize, "{name}");
    }
}

#[test]
fn missing_file_is_an_io_error() {
    assert!(matches!(decode_file(&badfile("no-such-file.jpg")), Err(DecodeError::Io(_))));
}
