//! Checks against the shared labelled photos (not in the repository). The data root
//! is `$DAYNIGHT_DATA` or `../shared/data` beside the repository. Under CI
//! (`CI=true`) a missing data set is a failure; elsewhere these tests say they skipped.

use std::path::PathBuf;

use assert_cmd::Command;
use daynight_core::Model;
use serde_json::Value;

fn root() -> PathBuf {
    std::env::var_os("DAYNIGHT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"))
}

/// The data root, if every one of `sets` (paths below it) is there.
fn data_root(sets: &[&str]) -> Option<PathBuf> {
    let root = root();
    let missing: Vec<&str> = sets.iter().copied().filter(|s| !root.join(s).is_dir()).collect();
    if missing.is_empty() {
        return Some(root);
    }
    let msg = format!("shared data set(s) {missing:?} not found under {} (set DAYNIGHT_DATA)", root.display());
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}: CI must have them");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

/// The folder a model's data set name stands for: the name is the folder's last two
/// path components (`day_night_images/training`, `data/phone_day_dusk_night`), so
/// the leading ones are dropped until the rest is a path below the data root.
fn folder(name: &str) -> String {
    let parts: Vec<&str> = name.split('/').collect();
    let root = root();
    (0..parts.len()).map(|k| parts[k..].join("/")).find(|p| root.join(p).is_dir()).unwrap_or_else(|| name.to_string())
}

#[test]
fn committed_model_gets_the_webcam_test_split_right_and_never_confidently_wrong() {
    let Some(root) = data_root(&["day_night_images/test"]) else { return };
    let out = Command::cargo_bin("daynight")
        .unwrap()
        .arg("eval")
        .arg(root.join("day_night_images/test"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = &report["sets"][0]["metrics"];
    println!("webcam test split: {m}");
    assert_eq!(m["n"], 160);
    assert_eq!(m["accuracy"], 1.0, "160/160: {report}");
    assert_eq!(m["confident_wrong"], 0, "{report}");
}

#[test]
fn retraining_from_the_shared_folders_reproduces_the_committed_model() {
    let committed = Model::embedded().unwrap();
    let folders: Vec<String> = committed.training().datasets.iter().map(|d| folder(&d.name)).collect();
    let Some(root) = data_root(&folders.iter().map(String::as_str).collect::<Vec<_>>()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("retrained.json");
    let mut cmd = Command::cargo_bin("daynight").unwrap();
    cmd.arg("train");
    for f in &folders {
        cmd.arg(root.join(f));
    }
    let weights: Vec<String> = committed.training().options.dataset_weights.iter().map(f64::to_string).collect();
    let options = &committed.training().options;
    let examples_path = dir.path().join("examples.bin");
    cmd.arg("--l2").arg(options.l2.to_string()).arg("--out").arg(&out_path);
    cmd.arg("--clip").arg(options.z_clip.to_string()).arg("--held-out-weight").arg(options.held_out_weight.to_string());
    cmd.arg("--examples-out").arg(&examples_path);
    if !weights.is_empty() {
        cmd.arg("--weights").arg(weights.join(","));
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let retrained = Model::from_json(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert_eq!(retrained.training().datasets, committed.training().datasets, "same images, same counts");
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + x.abs()));
    let how = format!("retrain with `{}`", committed.training().command);
    assert!(close(retrained.weights(), committed.weights()), "weights differ: {how}");
    assert!(close(&retrained.scaler().mean, &committed.scaler().mean) && close(&retrained.scaler().std, &committed.scaler().std));
    assert_eq!(retrained.scaler().clip, committed.scaler().clip);
    assert!((retrained.bias() - committed.bias()).abs() < 1e-9, "bias differs: {how}");
    let (r, c) = (retrained.calibration(), committed.calibration());
    assert!(close(&[r.scale, r.offset], &[c.scale, c.offset]), "calibration {r:?} vs committed {c:?}: {how}");
    assert_eq!(retrained.uncertain_band(), committed.uncertain_band());
    // The page's built-in examples come from the same command, byte for byte.
    let committed_examples = std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../model/examples.bin")).unwrap();
    assert!(std::fs::read(&examples_path).unwrap() == committed_examples, "model/examples.bin differs: {how}");
}
