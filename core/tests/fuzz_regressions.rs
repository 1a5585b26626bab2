//! Replays every input saved under `fuzz/regressions/<target>/` (crashes the fuzzers
//! found, once fixed, plus hand-picked seeds) on stable Rust, so they stay fixed.

use std::path::PathBuf;

use daynight_core::invariants;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn feature_inputs() {
    for (name, data) in inputs("features") {
        println!("features/{name}");
        invariants::features_are_finite_and_deterministic(&data);
    }
    // Edge sizes that need no file.
    for data in [&[][..], &[1, 0, 1, 0][..], &[0xFF, 0xFF, 1, 0, 255][..], &[0, 0, 5, 0][..]] {
        invariants::features_are_finite_and_deterministic(data);
    }
}

#[test]
fn model_inputs() {
    for (name, data) in inputs("model") {
        println!("model/{name}");
        invariants::model_parsing_never_panics(&data);
    }
    invariants::model_parsing_never_panics(daynight_core::model::EMBEDDED_JSON.as_bytes());
}

#[cfg(feature = "decode")]
#[test]
fn decode_inputs() {
    for (name, data) in inputs("decode") {
        println!("decode/{name}");
        invariants::decode_never_panics(&data);
    }
    let badfiles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/badfiles");
    for entry in std::fs::read_dir(badfiles).unwrap().filter_map(Result::ok) {
        invariants::decode_never_panics(&std::fs::read(entry.path()).unwrap());
    }
}
