//! The properties the fuzz targets check, shared with the stable regression tests
//! that replay saved fuzz inputs (`fuzz/regressions/`). Each function panics if the
//! property does not hold, and must never panic otherwise.

use std::sync::OnceLock;

use crate::{extract, Model};

/// The embedded model, parsed once (fuzzers call these functions millions of times).
fn embedded() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::embedded().expect("embedded model"))
}

/// Pixels from arbitrary bytes: the first four bytes choose a size up to 300×300,
/// the rest (cycled, or zeros) fill the RGBA buffer. Sizes that do not match the
/// buffer are tried too and must be refused, not crash.
pub fn features_are_finite_and_deterministic(data: &[u8]) {
    let (w, h, pixels): (u32, u32, &[u8]) = match data {
        [a, b, c, d, rest @ ..] => {
            (u32::from(u16::from_le_bytes([*a, *b]) % 300), u32::from(u16::from_le_bytes([*c, *d]) % 300), rest)
        }
        _ => (1, 1, data),
    };
    let len = (w * h * 4) as usize;
    let buf: Vec<u8> = if pixels.is_empty() { vec![0; len] } else { pixels.iter().copied().cycle().take(len).collect() };
    let model = embedded();
    match extract(&buf, w, h) {
        Ok(f) => {
            assert!(f.iter().all(|v| v.is_finite()), "non-finite feature for {w}x{h}: {f:?}");
            assert_eq!(extract(&buf, w, h).unwrap(), f, "not deterministic");
            let p = model.predict(&f).p_night;
            assert!((0.0..=1.0).contains(&p), "p_night {p}");
        }
        Err(_) => assert!(w == 0 || h == 0, "a matching buffer of {w}x{h} was refused"),
    }
    // A buffer one byte short must be refused.
    if len > 0 {
        assert!(extract(&buf[..len - 1], w, h).is_err());
    }
}

/// Any text as a model file: either refused with an error, or a model whose
/// predictions are probabilities.
pub fn model_parsing_never_panics(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(model) = Model::from_json(text) {
        for f in [[0.0; crate::N_FEATURES], [1.0; crate::N_FEATURES], [-3.0; crate::N_FEATURES]] {
            let p = model.predict(&f).p_night;
            assert!((0.0..=1.0).contains(&p), "p_night {p} from a model that validated");
        }
    }
}

/// Any bytes as an image file: pixels of the stated size, or a typed error.
#[cfg(all(feature = "decode", not(target_arch = "wasm32")))]
pub fn decode_never_panics(data: &[u8]) {
    if let Ok(img) = crate::decode::decode_bytes(data) {
        assert_eq!(img.rgba.len() as u64, u64::from(img.width) * u64::from(img.height) * 4);
        let f = extract(&img.rgba, img.width, img.height).expect("decoded pixels are valid");
        assert!(f.iter().all(|v| v.is_finite()));
    }
}
