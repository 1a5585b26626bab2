//! A model retrained the way the page does it, given to `daynight classify --model`:
//! the same labels, probabilities and model id as the fixture that the wasm build of
//! the trainer and of the classifier worker is checked against (`tests/teach_web.rs`,
//! `core/tests/taught_parity.rs`), for the same pixels (lossless PNGs of the scenes).

use std::io::Cursor;

use assert_cmd::Command;
use daynight_core::{testimages, Tier};
use serde_json::Value;

const FIXTURE: &str = include_str!("../../core/tests/fixtures/taught.json");

#[test]
fn a_model_from_the_page_gives_the_pages_answers_on_the_command_line() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let model_path = dir.path().join("exported-from-the-page.json");
    std::fs::write(&model_path, fixture["model"].as_str().unwrap()).unwrap();
    let photos = dir.path().join("photos");
    std::fs::create_dir(&photos).unwrap();
    for s in fixture["scenes"].as_array().unwrap() {
        let (w, h) = (s["width"].as_u64().unwrap() as u32, s["height"].as_u64().unwrap() as u32);
        let name = s["scene"].as_str().unwrap();
        let (w, h, px) = testimages::by_name(name, w, h).unwrap_or_else(|| panic!("unknown scene {name}"));
        let mut png = Vec::new();
        image::RgbaImage::from_raw(w, h, px).unwrap().write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        std::fs::write(photos.join(format!("{}.png", s["scene"].as_str().unwrap())), png).unwrap();
    }
    let out = Command::cargo_bin("daynight")
        .unwrap()
        .arg("classify")
        .arg("--model")
        .arg(&model_path)
        .args(["--format", "jsonl"])
        .arg(&photos)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let records: Vec<Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 4);
    for s in fixture["scenes"].as_array().unwrap() {
        let name = format!("{}.png", s["scene"].as_str().unwrap());
        let r = records.iter().find(|r| r["path"].as_str().unwrap().ends_with(&name)).unwrap();
        assert_eq!(r["model"], fixture["id"], "the id the page shows for this model");
        assert_eq!(r["label"], s["label"], "{name}");
        let (cli, page) = (r["p_night"].as_f64().unwrap(), s["p_night"].as_f64().unwrap());
        // The CLI writes p_night with 6 decimals: equal up to that rounding.
        assert!((cli - page).abs() <= 5e-7 + 1e-12, "{name}: {cli} on the command line, {page} in the fixture");
        assert_eq!(r["tier"], Tier::of(page).as_str(), "{name}: the page's tier for the same p_night");
    }
}
