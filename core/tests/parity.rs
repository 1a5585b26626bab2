//! Native half of the browser parity check: features and `p_night` for the
//! synthetic scenes, compared with the committed fixture that the wasm test
//! (`tests/web.rs` at the workspace root) checks in headless Chromium too. Same
//! pixels, same numbers, native or wasm.
//!
//! After a change to the features or the model, regenerate the fixture with
//! `UPDATE_PARITY=1 cargo test -p daynight-core --test parity` and commit it; until
//! then this test fails, so the fixture can never silently go stale.

use daynight_core::{extract, feature_names, testimages, Model};
use serde_json::{json, Value};

mod common;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/parity.json");

/// The scenes and sizes checked: the browser's decode size and an odd one.
fn scenes() -> Vec<(&'static str, testimages::Image)> {
    vec![
        ("sky_over_ground", testimages::sky_over_ground(256, 256)),
        ("lamps_in_dark", testimages::lamps_in_dark(256, 256)),
        ("flat_grey", testimages::flat_grey(256, 256)),
        ("gradient", testimages::gradient(301, 197)),
    ]
}

fn compute() -> Value {
    let model = Model::embedded().expect("embedded model");
    let scenes: Vec<Value> = scenes()
        .into_iter()
        .map(|(name, (w, h, px))| {
            let features = extract(&px, w, h).expect("valid scene");
            let p_night = model.predict(&features).p_night;
            json!({ "scene": name, "width": w, "height": h, "features": features.to_vec(), "p_night": p_night })
        })
        .collect();
    json!({ "feature_names": feature_names(), "scenes": scenes })
}

#[test]
fn features_and_p_night_match_the_committed_fixture() {
    let now = compute();
    let Some(fixture) = common::committed_or_update(FIXTURE, &now) else { return };
    assert_eq!(fixture["feature_names"], now["feature_names"], "feature list changed: regenerate with UPDATE_PARITY=1");
    let scenes = now["scenes"].as_array().unwrap();
    for (want, got) in fixture["scenes"].as_array().unwrap().iter().zip(scenes) {
        let name = &got["scene"];
        let close = |a: &Value, b: &Value| (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() <= 1e-12;
        for (i, (a, b)) in want["features"].as_array().unwrap().iter().zip(got["features"].as_array().unwrap()).enumerate() {
            assert!(
                close(a, b),
                "{name}: feature {} is {b}, fixture says {a}: regenerate with UPDATE_PARITY=1",
                now["feature_names"][i]
            );
        }
        assert!(
            close(&want["p_night"], &got["p_night"]),
            "{name}: p_night {} vs fixture {}: regenerate with UPDATE_PARITY=1",
            got["p_night"],
            want["p_night"]
        );
    }
    assert_eq!(fixture["scenes"].as_array().unwrap().len(), scenes.len());
}
