//! Checks against the shared labelled photos (not in the repository). The data root
//! is `$DAYNIGHT_DATA` or `../shared/data` beside the repository. Under CI
//! (`CI=true`) a missing data set is a failure; elsewhere these tests say they skipped.

use std::path::PathBuf;

use assert_cmd::Command;
use daynight_core::Model;
use serde_json::Value;

#[cfg(feature = "heif")]
#[path = "../../core/tests/encoders/mod.rs"]
mod encoders;

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

/// `daynight classify --format jsonl` over `paths`: exit code and records by path.
#[cfg(feature = "heif")]
fn classify(paths: &[&std::path::Path]) -> (Option<i32>, std::collections::BTreeMap<String, Value>) {
    let out = Command::cargo_bin("daynight").unwrap().args(["classify", "--format", "jsonl"]).args(paths).output().unwrap();
    let records =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).collect::<Vec<_>>();
    (out.status.code(), records.into_iter().map(|r| (r["path"].as_str().unwrap().to_string(), r)).collect())
}

/// The webcam test split written as HEIC (heif-enc) and AVIF (avifenc) gets the labels
/// its JPEGs get; a cut and a forged file among them are refused one by one.
#[cfg(feature = "heif")]
#[test]
fn heic_and_avif_of_the_webcam_test_split_get_the_jpegs_labels() {
    use encoders::{Encoders, Kind};
    use std::path::Path;
    let Some(root) = data_root(&["day_night_images/test"]) else { return };
    let Some(enc) = Encoders::find() else { return };
    let jpegs = root.join("day_night_images/test");
    let dir = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    for label in ["day", "night"] {
        for kind in [Kind::Heic, Kind::Avif] {
            std::fs::create_dir_all(dir.path().join(kind.ext()).join(label)).unwrap();
        }
        let mut names: Vec<PathBuf> = std::fs::read_dir(jpegs.join(label)).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for jpeg in names {
            for kind in [Kind::Heic, Kind::Avif] {
                let out = dir.path().join(kind.ext()).join(label).join(jpeg.with_extension(kind.ext()).file_name().unwrap());
                jobs.push((kind, jpeg.clone(), out));
            }
        }
    }
    // Encoded on every core; heif-enc's x265 at its fastest preset (about 0.3 s a photo).
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..std::thread::available_parallelism().map_or(2, |n| n.get()) {
            s.spawn(|| {
                while let Some((kind, jpeg, out)) = jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let extra: &[&str] = if *kind == Kind::Heic { &["-p", "preset=ultrafast"] } else { &[] };
                    enc.encode(*kind, jpeg, out, extra);
                }
            });
        }
    });
    // Two bad files beside them: the first half of a HEIC, and an AVIF whose size
    // property claims 100000×100000.
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    let (heic, avif) = (&jobs[0].2, &jobs[1].2);
    let bytes = std::fs::read(heic).unwrap();
    std::fs::write(bad.join("cut.heic"), &bytes[..bytes.len() / 2]).unwrap();
    let mut bytes = std::fs::read(avif).unwrap();
    let at = bytes.windows(4).position(|w| w == b"ispe").unwrap() + 8;
    bytes[at..at + 4].copy_from_slice(&100_000u32.to_be_bytes());
    bytes[at + 4..at + 8].copy_from_slice(&100_000u32.to_be_bytes());
    std::fs::write(bad.join("forged.avif"), bytes).unwrap();

    let (code, jpeg_records) = classify(&[&jpegs]);
    assert_eq!((code, jpeg_records.len()), (Some(0), 160));
    let (code, records) = classify(&[&dir.path().join("heic"), &bad, &dir.path().join("avif")]);
    assert_eq!(code, Some(1), "the bad files fail, and only they");
    let error = |name: &str| records[bad.join(name).to_str().unwrap()]["error"].as_str().unwrap().to_string();
    let (cut, forged) = (error("cut.heic"), error("forged.avif"));
    println!("cut.heic: {cut}\nforged.avif: {forged}");
    assert!(cut.contains("truncated"), "{cut}");
    assert!(forged.contains("100000×100000 pixels, over the limit of 30000 px a side"), "{forged}");
    for kind in [Kind::Heic, Kind::Avif] {
        let (mut same, mut moved) = (0, 0.0f64);
        for (path, want) in &jpeg_records {
            let rel = Path::new(path).strip_prefix(&jpegs).unwrap().with_extension(kind.ext());
            let got = &records[dir.path().join(kind.ext()).join(rel).to_str().unwrap()];
            assert_eq!(got["status"], "classified", "{got}");
            same += usize::from(got["label"] == want["label"]);
            moved = moved.max((got["p_night"].as_f64().unwrap() - want["p_night"].as_f64().unwrap()).abs());
        }
        println!("{}: {same}/160 labelled as their JPEGs, p_night moved by {moved:.3} at most", kind.ext().to_uppercase());
        assert!(same * 100 >= 99 * 160, "{kind:?}: {same}/160 the same");
    }
}
