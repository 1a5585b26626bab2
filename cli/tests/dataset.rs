//! Checks against the shared labelled photos (not in the repository). The data root
//! is `$DAYNIGHT_DATA` or `../shared/data` beside the repository. Under CI
//! (`CI=true`) missing data is a failure; elsewhere these tests say they skipped.

use std::path::PathBuf;

use assert_cmd::Command;
use daynight_core::Model;
use serde_json::Value;

fn data_root() -> Option<PathBuf> {
    let root = std::env::var_os("DAYNIGHT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"));
    if root.join("day_night_images/test").is_dir() {
        return Some(root);
    }
    let msg = format!("shared data set not found at {} (set DAYNIGHT_DATA)", root.display());
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}: CI must have it");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

#[test]
fn committed_model_scores_at_least_99_percent_on_the_webcam_test_split() {
    let Some(root) = data_root() else { return };
    let out = Command::cargo_bin("daynight")
        .unwrap()
        .arg("eval")
        .arg(root.join("day_night_images/test"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = &report["metrics"];
    println!("webcam test split: {m}");
    assert_eq!(m["n"], 160);
    assert!(m["accuracy"].as_f64().unwrap() >= 159.0 / 160.0, "{report}");
    for wrong in report["misclassified"].as_array().unwrap() {
        let p = wrong["p_night"].as_f64().unwrap();
        assert!((0.1..0.9).contains(&p), "confidently wrong: {wrong}");
    }
}

#[test]
fn retraining_from_the_shared_folders_reproduces_the_committed_model() {
    let Some(root) = data_root() else { return };
    let committed = Model::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("retrained.json");
    let mut cmd = Command::cargo_bin("daynight").unwrap();
    cmd.arg("train");
    for d in &committed.training().datasets {
        cmd.arg(root.join(&d.name));
    }
    let weights: Vec<String> = committed.training().options.dataset_weights.iter().map(f64::to_string).collect();
    cmd.arg("--l2").arg(committed.training().options.l2.to_string()).arg("--out").arg(&out_path);
    if !weights.is_empty() {
        cmd.arg("--weights").arg(weights.join(","));
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let retrained = Model::from_json(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert_eq!(retrained.training().datasets, committed.training().datasets, "same images, same counts");
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + x.abs()));
    assert!(close(retrained.weights(), committed.weights()), "weights differ: retrain with `{}`", committed.training().command);
    assert!(close(&retrained.scaler().mean, &committed.scaler().mean) && close(&retrained.scaler().std, &committed.scaler().std));
    assert!((retrained.bias() - committed.bias()).abs() < 1e-9);
}
