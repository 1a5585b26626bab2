//! A model retrained as the page's trainer does it (`teach`, on the built-in examples
//! plus marked photos) and its answers for the parity scenes, kept in
//! `tests/fixtures/taught.json`. The same file is checked by the wasm test
//! (`tests/teach_web.rs`: the trainer compiled to wasm gives this model, and the
//! classifier worker's path gives these answers) and by the CLI (`cli/tests/taught.rs`:
//! `daynight classify --model` on the same pixels gives these answers and id). So a
//! model exported from the page answers alike in the browser and on the command line.
//!
//! After a change to the features, the model or the built-in examples, regenerate with
//! `UPDATE_PARITY=1 cargo test -p daynight-core --test taught_parity` and commit it.

use daynight_core::examples::Examples;
use daynight_core::retrain::{teach, Marked, DEFAULT_USER_WEIGHT};
use daynight_core::{extract, testimages, Model};
use serde_json::{json, Value};

mod common;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/taught.json");

/// The scenes of the parity fixture, each marked with the label the page's user gave
/// it: "lamps_in_dark" marked day on purpose, so the taught model differs from the
/// built-in one where it shows.
fn marked_scenes() -> Vec<(&'static str, testimages::Image, bool)> {
    vec![
        ("sky_over_ground", testimages::sky_over_ground(256, 256), false),
        ("lamps_in_dark", testimages::lamps_in_dark(256, 256), false),
        ("flat_grey", testimages::flat_grey(256, 256), true),
        ("gradient", testimages::gradient(301, 197), true),
    ]
}

fn compute() -> Value {
    let examples = Examples::from_bytes(include_bytes!("../../model/examples.bin")).expect("model/examples.bin");
    let scenes = marked_scenes();
    let marks: Vec<Marked> =
        scenes.iter().map(|(_, (w, h, px), night)| Marked { features: extract(px, *w, *h).unwrap(), night: *night }).collect();
    let taught = teach(&examples, &marks, DEFAULT_USER_WEIGHT, &Model::embedded().unwrap()).unwrap();
    let json = taught.model.to_json();
    // What any reader of the file gets (a printed number may read back a bit off).
    let model = Model::from_json(&json).unwrap();
    let answers: Vec<Value> = scenes
        .iter()
        .zip(&marks)
        .map(|((name, (w, h, _), _), mark)| {
            let p = model.predict(&mark.features);
            let marked = if mark.night { "night" } else { "day" };
            json!({ "scene": name, "width": w, "height": h, "marked": marked, "p_night": p.p_night, "label": p.label })
        })
        .collect();
    json!({ "weight": DEFAULT_USER_WEIGHT, "id": model.id(), "model": json, "scenes": answers })
}

#[test]
fn the_taught_model_and_its_answers_match_the_committed_fixture() {
    let now = compute();
    let Some(fixture) = common::committed_or_update(FIXTURE, &now) else { return };
    let regenerate = "retraining as the page does gives another model: regenerate with UPDATE_PARITY=1";
    assert_eq!(fixture["id"], now["id"], "{regenerate}");
    assert_eq!(fixture["model"], now["model"], "{regenerate}");
    for (want, got) in fixture["scenes"].as_array().unwrap().iter().zip(now["scenes"].as_array().unwrap()) {
        assert_eq!(want["label"], got["label"], "{}", got["scene"]);
        let (a, b) = (want["p_night"].as_f64().unwrap(), got["p_night"].as_f64().unwrap());
        assert!((a - b).abs() <= 1e-12, "{}: {b} now, {a} in the fixture", got["scene"]);
    }
    // The marks moved the model: the fixture checks a model other than the built-in one.
    let builtin = Model::embedded().unwrap();
    assert_ne!(now["id"].as_str(), Some(builtin.id().as_str()));
    assert_eq!(now["scenes"][1]["label"], "day", "lamps_in_dark, marked day, is day for the taught model");
}
