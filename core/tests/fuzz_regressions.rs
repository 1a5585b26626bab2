//! Replays every input saved under `fuzz/regressions/<target>/` (crashes the fuzzers
//! found, once fixed, plus hand-picked seeds) on stable Rust, so they stay fixed.

use std::path::{Path, PathBuf};

use daynight_core::invariants;

/// Every saved input of `target`, sorted by name (see [`saved_inputs`]).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    saved_inputs(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions").join(target))
}

/// Every file in `dir` with its name, sorted by name. A missing or empty folder fails
/// the test: replaying nothing would pass while checking nothing (a moved folder, a
/// checkout without it).
fn saved_inputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!("cannot read the fuzz regression inputs in {}: {e}; they must be there to be replayed", dir.display())
    });
    let mut out: Vec<(String, Vec<u8>)> = entries
        .map(|e| {
            let e = e.unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
            let data = std::fs::read(e.path()).unwrap_or_else(|err| panic!("cannot read {}: {err}", e.path().display()));
            (e.file_name().to_string_lossy().into_owned(), data)
        })
        .collect();
    assert!(!out.is_empty(), "{} holds no fuzz regression inputs: nothing would be replayed", dir.display());
    out.sort();
    out
}

#[test]
#[should_panic(expected = "cannot read the fuzz regression inputs")]
fn a_missing_folder_fails_instead_of_replaying_nothing() {
    inputs("no-such-target");
}

#[test]
#[should_panic(expected = "holds no fuzz regression inputs")]
fn an_empty_folder_fails_instead_of_replaying_nothing() {
    let dir = std::env::temp_dir().join(format!("daynight-empty-regressions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let found = std::panic::catch_unwind(|| saved_inputs(&dir));
    std::fs::remove_dir(&dir).unwrap();
    std::panic::resume_unwind(found.err().unwrap_or_else(|| Box::new("an empty folder was accepted")));
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
