//! The page's retraining, in the browser (headless Chromium, `tests/e2e/wasm-test.sh`):
//! the trainer compiled to wasm gives the model the native build gives, and a taught
//! model handed to the classifier worker as numbers answers as its JSON does natively
//! and on the command line. The fixture is `core/tests/fixtures/taught.json`
//! (`core/tests/taught_parity.rs` writes it; `cli/tests/taught.rs` checks the CLI).

#![cfg(target_arch = "wasm32")]

use daynight_core::examples::Examples;
use daynight_core::retrain::{teach, Marked};
use daynight_core::{extract, testimages, Model, N_FEATURES};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE: &str = include_str!("../core/tests/fixtures/taught.json");
const EXAMPLES: &[u8] = include_bytes!("../model/examples.bin");

/// As in `tests/web.rs`: wasm's libm differs from the platform's in the last bit of
/// some logarithms, a few 1e-9 over a whole image.
const TOLERANCE: f64 = 1e-7;

fn fixture() -> serde_json::Value {
    serde_json::from_str(FIXTURE).unwrap()
}

/// Each fixture scene's features, computed here in wasm, and the label it was marked with.
fn scenes(fixture: &serde_json::Value) -> Vec<([f64; N_FEATURES], bool)> {
    let scenes = fixture["scenes"].as_array().unwrap();
    scenes
        .iter()
        .map(|s| {
            let (w, h) = (s["width"].as_u64().unwrap() as u32, s["height"].as_u64().unwrap() as u32);
            let name = s["scene"].as_str().unwrap();
            let (w, h, px) = testimages::by_name(name, w, h).unwrap_or_else(|| panic!("unknown scene {name}"));
            (extract(&px, w, h).unwrap(), s["marked"] == "night")
        })
        .collect()
}

/// `model`'s answers match the fixture's native ones, label for label.
fn assert_answers(model: &Model, fixture: &serde_json::Value, tolerance: f64) {
    for ((features, _), want) in scenes(fixture).iter().zip(fixture["scenes"].as_array().unwrap()) {
        let p = model.predict(features);
        assert_eq!(p.label.as_str(), want["label"].as_str().unwrap(), "{}", want["scene"]);
        let native = want["p_night"].as_f64().unwrap();
        assert!((p.p_night - native).abs() <= tolerance, "{}: {} in wasm, {native} natively", want["scene"], p.p_night);
    }
}

#[wasm_bindgen_test]
fn a_taught_model_handed_to_the_classifier_as_numbers_answers_as_natively() {
    let fixture = fixture();
    // The trainer worker reads the JSON; the classifier worker gets its numbers.
    let read = Model::from_json(fixture["model"].as_str().unwrap()).unwrap();
    assert_eq!(read.id(), fixture["id"].as_str().unwrap(), "the id the CLI prints for the same file");
    let handed = Model::from_numbers(&read.to_numbers()).unwrap();
    assert_eq!(handed.id(), read.id());
    assert_answers(&handed, &fixture, TOLERANCE);
}

#[wasm_bindgen_test]
fn the_trainer_compiled_to_wasm_gives_the_native_model() {
    let fixture = fixture();
    let examples = Examples::from_bytes(EXAMPLES).unwrap();
    let marks: Vec<Marked> = scenes(&fixture).into_iter().map(|(features, night)| Marked { features, night }).collect();
    let weight = fixture["weight"].as_f64().unwrap();
    let taught = teach(&examples, &marks, weight, &Model::embedded().unwrap()).unwrap();
    let model = Model::from_json(&taught.model.to_json()).unwrap();
    // Newton's method and the calibration call exp and ln thousands of times; wasm's
    // libm may differ in the last bit, so the models agree closely, not bit for bit.
    let native = Model::from_json(fixture["model"].as_str().unwrap()).unwrap();
    let worst = model.weights().iter().zip(native.weights()).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    web_sys::console::log_1(&format!("largest weight difference, wasm trainer vs native: {worst:e}").into());
    assert!(worst < 1e-6, "{worst}");
    assert_answers(&model, &fixture, 1e-6);
}
