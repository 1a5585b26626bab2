//! The `daynight` binary end to end, on folders the tests build in a temp dir:
//! output formats, exit codes, and bad files that must not stop a batch.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use daynight_core::testimages::{flat_grey, gradient, lamps_in_dark, sky_over_ground};
use daynight_core::Tier;
use serde_json::Value;

fn daynight() -> Command {
    Command::cargo_bin("daynight").unwrap()
}

fn save((w, h, px): (u32, u32, Vec<u8>), path: &Path) {
    let img = image::RgbaImage::from_raw(w, h, px).unwrap();
    let format = image::ImageFormat::from_path(path).unwrap();
    let mut bytes = Vec::new();
    if format == image::ImageFormat::Jpeg {
        image::DynamicImage::ImageRgba8(img).to_rgb8().write_to(&mut Cursor::new(&mut bytes), format).unwrap();
    } else {
        img.write_to(&mut Cursor::new(&mut bytes), format).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

fn badfiles() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/badfiles")
}

/// A folder with two good photos (one in a subfolder) and a note that is not an image.
fn good_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    save(sky_over_ground(400, 300), &dir.path().join("sunny.png"));
    std::fs::create_dir(dir.path().join("evening")).unwrap();
    save(lamps_in_dark(400, 300), &dir.path().join("evening/street.jpg"));
    std::fs::write(dir.path().join("notes.txt"), "not a photo, and not picked up from a folder").unwrap();
    dir
}

fn jsonl(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec()).unwrap().lines().map(|l| serde_json::from_str(l).expect("every line is JSON")).collect()
}

fn by_name<'a>(records: &'a [Value], name: &str) -> &'a Value {
    records.iter().find(|r| r["path"].as_str().unwrap().ends_with(name)).unwrap_or_else(|| panic!("no record for {name}"))
}

#[test]
fn classifies_a_folder_recursively_and_exits_zero() {
    let dir = good_folder();
    let out = daynight().args(["classify", "--format", "jsonl"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 2, "notes.txt is skipped inside folders");
    assert_eq!(by_name(&records, "sunny.png")["label"], "day");
    assert_eq!(by_name(&records, "street.jpg")["label"], "night");
    let id = daynight_core::Model::embedded().unwrap().id();
    for r in &records {
        assert_eq!(r["status"], "classified");
        assert_eq!(r["model"], id.as_str());
        let p = r["p_night"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
        assert!(r["uncertain"].is_boolean());
        let tier: Tier = r["tier"].as_str().unwrap().parse().unwrap();
        assert_eq!(tier, Tier::of(p), "the tier of the printed p_night");
        assert_eq!(r["uncertain"], tier != Tier::Sure);
        let why = r["why"].as_str().unwrap();
        assert!(
            !why.is_empty() && why.split(", ").all(|w| daynight_core::explain::PHRASES.iter().any(|p| p.words == w)),
            "{why}"
        );
        assert!(r["ms"].as_f64().unwrap() >= 0.0);
        assert!(r.get("error").is_none());
    }
}

#[test]
fn bad_files_are_reported_per_file_and_the_batch_goes_on() {
    let dir = good_folder();
    let out = daynight().args(["classify", "--format", "jsonl"]).arg(dir.path()).arg(badfiles()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "any failure gives exit status 1");
    let records = jsonl(&out.stdout);
    assert_eq!(by_name(&records, "sunny.png")["label"], "day");
    assert_eq!(by_name(&records, "street.jpg")["label"], "night");

    let expected: Value = serde_json::from_str(&std::fs::read_to_string(badfiles().join("expected.json")).unwrap()).unwrap();
    let mut checked = 0;
    for (name, want) in expected.as_object().unwrap().iter().filter(|(k, _)| !k.starts_with('_')) {
        let r = by_name(&records, name);
        // Built without libheif (the static container image), every HEIC and AVIF is
        // refused with one plain reason.
        let heif = name.ends_with(".heic") || name.ends_with(".avif");
        let want_error = if heif && !cfg!(feature = "heif") { Some("without HEIC/AVIF support") } else { want["error"].as_str() };
        if let Some(fragment) = want_error {
            let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["error", "model", "path", "status"], "{name}: a failure carries no answer: {r}");
            assert_eq!(r["status"], "failed");
            let msg = r["error"].as_str().unwrap();
            assert!(msg.contains(fragment), "{name}: {msg:?} should mention {fragment:?}");
            assert!(!msg.contains('\n'));
        } else {
            assert!(r["label"].is_string(), "{name} should be classified: {r}");
        }
        checked += 1;
    }
    assert_eq!(checked, 23);
}

/// A decode budget of 1 MB, less than any photo needs, makes every decode run alone
/// (none waits for ever), and changes no answer and no message.
#[test]
fn a_tiny_decode_budget_serializes_decodes_and_changes_nothing() {
    let dir = good_folder();
    let run = |extra: &[&str]| {
        let out =
            daynight().args(extra).args(["classify", "--format", "jsonl"]).arg(dir.path()).arg(badfiles()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{extra:?}");
        let mut records = jsonl(&out.stdout);
        for r in &mut records {
            r.as_object_mut().unwrap().remove("ms");
        }
        records
    };
    assert_eq!(run(&["--threads", "4", "--decode-memory", "1"]), run(&["--threads", "4"]));
}

#[test]
fn explicitly_named_missing_and_non_image_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let out = daynight()
        .args(["classify", "--format", "jsonl"])
        .arg(dir.path().join("notes.txt"))
        .arg(dir.path().join("missing.jpg"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = jsonl(&out.stdout);
    assert!(by_name(&records, "notes.txt")["error"].as_str().unwrap().contains("not a supported image"));
    assert!(by_name(&records, "missing.jpg")["error"].as_str().unwrap().contains("cannot read"));
}

#[test]
fn csv_and_table_formats() {
    let dir = good_folder();
    let csv =
        daynight().args(["classify", "--format", "csv"]).arg(dir.path()).arg(badfiles().join("empty.jpg")).output().unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        lines[0], "\u{feff}path,status,label,p_night,uncertain,tier,ms,why,error,mark,model,date",
        "a BOM, then the columns"
    );
    assert_eq!(lines.len(), 4);
    let id = daynight_core::Model::embedded().unwrap().id();
    let failed = lines.iter().find(|l| l.contains("empty.jpg")).unwrap();
    assert!(failed.contains(&format!(",failed,,,,,,,the file is empty,,{id},")), "{failed}: no mark from the CLI");
    let sunny = lines.iter().find(|l| l.contains("sunny.png")).unwrap();
    assert!(sunny.contains(",classified,day,") && sunny.contains(",false,sure,"), "{sunny}");
    assert!(sunny.contains(&format!("\",,,{id},")), "the explanation holds commas, so it is quoted: {sunny}");
    let date = sunny.rsplit(',').next().unwrap();
    assert!(date.len() == 20 && date.starts_with("20") && date.ends_with('Z'), "RFC 3339 UTC: {date}");

    let table = daynight().arg("classify").arg(dir.path()).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.starts_with("PATH"));
    assert!(text.contains("2 images: 2 classified (2 sure, 0 probably, 0 unsure, marked ?), 0 failed"), "{text}");
}

/// The table marks only an unsure answer with `?`, says "probably" for the middle tier
/// and shows how sure each answer is, rounded down, as the page does.
#[test]
fn the_table_says_each_tier_its_way() {
    let dir = good_folder();
    save(gradient(301, 197), &dir.path().join("gradient.png"));
    save(flat_grey(64, 64), &dir.path().join("grey.png"));
    let out = daynight().arg("classify").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |name: &str| text.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name} in\n{text}")).to_string();
    let cells = |name: &str| line(name).split_whitespace().skip(1).take(3).collect::<Vec<_>>().join(" ");
    assert!(cells("sunny.png").starts_with("day 9"), "{text}");
    assert!(cells("street.jpg").starts_with("night 9"), "{text}");
    assert_eq!(cells("gradient.png"), "probably night 84%", "p_night 0.844: {text}");
    assert_eq!(cells("grey.png"), "night? 50% 0.500", "{text}");
    assert!(line("grey.png").ends_with("almost nothing to judge"), "{text}");
    assert_eq!(text.matches('?').count(), 2, "the unsure answer and the footer's legend only:\n{text}");
    assert!(text.contains("4 images: 4 classified (2 sure, 1 probably, 1 unsure, marked ?), 0 failed"), "{text}");
}

/// Pictures with almost nothing to judge: one colour (any colour), fully transparent
/// (whatever colour the file keeps under alpha 0), a single pixel. Never "night, 99 %".
#[test]
fn pictures_with_nothing_to_judge_are_unsure() {
    let dir = tempfile::tempdir().unwrap();
    let solid = |w: u32, h: u32, rgba: [u8; 4]| (w, h, rgba.repeat((w * h) as usize));
    let (w, h, sky) = sky_over_ground(200, 150);
    let hidden: Vec<u8> = sky.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2], 0]).collect();
    let pictures = [
        ("grey.png", solid(320, 240, [128, 128, 128, 255])),
        ("white.png", solid(320, 240, [255, 255, 255, 255])),
        ("black.png", solid(320, 240, [0, 0, 0, 255])),
        ("red.png", solid(100, 100, [200, 20, 20, 255])),
        ("white.jpg", solid(300, 200, [255, 255, 255, 255])),
        ("transparent.png", solid(320, 240, [0, 0, 0, 0])),
        ("transparent-white.png", solid(320, 240, [255, 255, 255, 0])),
        ("transparent-over-a-sky.png", (w, h, hidden)),
        ("one-pixel.png", solid(1, 1, [40, 90, 200, 255])),
        ("one-white-pixel.gif", solid(1, 1, [255, 255, 255, 255])),
    ];
    for (name, picture) in &pictures {
        save(picture.clone(), &dir.path().join(name));
    }
    let out = daynight().args(["classify", "--format", "jsonl"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), pictures.len());
    for (name, _) in &pictures {
        let r = by_name(&records, name);
        assert_eq!(r["tier"], "unsure", "{name}: {r}");
        assert_eq!(r["why"], "almost nothing to judge", "{name}");
        assert_eq!(r["p_night"], 0.5, "{name}");
        assert_eq!(r["uncertain"], true, "{name}");
    }
    let csv = daynight().args(["classify", "--format", "csv"]).arg(dir.path().join("transparent.png")).output().unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.contains(",classified,night,0.5,true,unsure,"), "{text}");
    assert!(text.contains(",almost nothing to judge,"), "{text}");
}

#[test]
fn usage_errors_exit_two() {
    for args in [vec!["classify"], vec!["classify", "--format", "yaml", "x.jpg"], vec!["frobnicate"], vec![]]
        .into_iter()
        .chain([vec!["--decode-memory", "0", "classify", "."], vec!["--decode-memory", "lots", "classify", "."]])
    {
        let out = daynight().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_model_of_another_version_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let mut model: Value = serde_json::from_str(daynight_core::model::EMBEDDED_JSON).unwrap();
    model["format_version"] = 7.into();
    let path = dir.path().join("old.json");
    std::fs::write(&path, model.to_string()).unwrap();
    let out = daynight().arg("--model").arg(&path).arg("classify").arg(badfiles().join("one-pixel.png")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("format version 7") && err.contains("daynight train"), "{err}");
}

/// A labelled folder of painted scenes: `n` day and `n` night images.
fn labelled_folder(n: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["day", "night"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    for i in 0..n {
        save(sky_over_ground(120 + i * 7, 90 + i * 3), &dir.path().join(format!("day/{i}.png")));
        save(lamps_in_dark(130 + i * 5, 100 + i * 4), &dir.path().join(format!("night/{i}.png")));
    }
    dir
}

#[test]
fn train_writes_a_model_that_eval_and_classify_accept() {
    let data = labelled_folder(6);
    let model = data.path().join("model.json");
    let out = daynight().arg("train").arg(data.path()).arg("--out").arg(&model).args(["--folds", "3"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("3-fold group cv") && printed.contains("calibration"), "{printed}");
    let parsed = daynight_core::Model::from_json(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(parsed.training().datasets[0].day, 6);

    let eval = daynight().arg("--model").arg(&model).arg("eval").arg(data.path()).arg("--json").output().unwrap();
    assert!(eval.status.success());
    let report: Value = serde_json::from_slice(&eval.stdout).unwrap();
    let set = &report["sets"][0];
    assert_eq!(set["metrics"]["n"], 12);
    assert_eq!(set["metrics"]["accuracy"], 1.0);
    assert_eq!(set["metrics"]["confident_wrong"], 0);
    assert!(set["misclassified"].as_array().unwrap().is_empty());
    assert!(set["dusk"].is_null(), "no dusk/ folder");
    assert_eq!(report["pooled"]["metrics"]["n"], 12);

    let human = daynight().arg("eval").arg(data.path()).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    for needle in ["accuracy", "balanced accuracy", "log loss", "Brier score", "confusion matrix", "ECE", "confidently wrong"] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
    // Per tier: its share of the answers and how many of them are right.
    let tiers = &set["metrics"]["tiers"];
    assert_eq!(tiers.as_object().unwrap().keys().collect::<Vec<_>>(), ["probably", "sure", "unsure"]);
    let n: u64 = ["sure", "probably", "unsure"].iter().map(|t| tiers[t]["n"].as_u64().unwrap()).sum();
    assert_eq!(n, 12);
    let sure = &tiers["sure"];
    assert!(sure["n"].as_u64().unwrap() > 0 && sure["accuracy"] == 1.0, "{tiers}");
    for t in ["sure", "probably", "unsure"] {
        let (n, share) = (tiers[t]["n"].as_f64().unwrap(), tiers[t]["share"].as_f64().unwrap());
        assert!((share - n / 12.0).abs() < 1e-12, "{t}: {tiers}");
        assert_eq!(tiers[t]["accuracy"].is_null(), n == 0.0, "{t}: no accuracy without answers");
    }
    for needle in
        ["sure               ", "% of answers (", "% right  (90–99 % sure: p_night ≤ 0.1 or ≥ 0.9)", "probably   ", "unsure   "]
    {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}

#[test]
fn eval_scores_each_folder_and_all_pooled_and_reports_dusk_apart() {
    let (a, b) = (labelled_folder(3), labelled_folder(2));
    std::fs::create_dir(b.path().join("dusk")).unwrap();
    save(sky_over_ground(150, 100), &b.path().join("dusk/evening.png"));
    save(lamps_in_dark(150, 100), &b.path().join("dusk/late.png"));
    let out = daynight().arg("eval").arg(a.path()).arg(b.path()).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sets"][0]["metrics"]["n"], 6);
    assert_eq!(report["sets"][1]["metrics"]["n"], 4, "dusk is never counted as day or night");
    assert_eq!(report["pooled"]["metrics"]["n"], 10);
    assert!(report["sets"][0]["dusk"].is_null());
    assert_eq!(report["sets"][1]["dusk"]["n"], 2);
    assert_eq!(report["pooled"]["dusk"]["n"], 2);
    let bins = report["pooled"]["reliability"]["bins"].as_array().unwrap();
    assert_eq!(bins.len(), 10);
    assert_eq!(bins.iter().map(|b| b["count"].as_u64().unwrap()).sum::<u64>(), 10);
    for key in ["accuracy", "balanced_accuracy", "confident_wrong"] {
        assert!(report["pooled"]["metrics"][key].is_number(), "{key}");
    }
    for key in ["uncertain_share", "ece"] {
        assert!(report["pooled"]["metrics"][key].is_number(), "{key}");
    }

    let human = daynight().arg("eval").arg(a.path()).arg(b.path()).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    for needle in ["pooled over 2 sets", "inside the uncertain band", "expected calibration error"] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
    assert_eq!(text.matches("expected calibration error (ECE)").count(), 3, "a reliability table per set and pooled:\n{text}");
}

#[test]
fn train_refuses_a_folder_without_day_and_night() {
    let dir = tempfile::tempdir().unwrap();
    let out = daynight().arg("train").arg(dir.path()).arg("--out").arg(dir.path().join("m.json")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("day/"));
}

/// Runs `daynight train DIR --out DIR/model.json EXTRA…` on input it must refuse:
/// a non-zero exit, a message naming the problem, and no model file.
fn train_refuses(dir: &Path, extra: &[&str], message: &str) {
    let model = dir.join("model.json");
    let out = daynight().arg("train").arg(dir).arg("--out").arg(&model).args(extra).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{extra:?} was accepted: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(message), "{extra:?}: {err:?} should mention {message:?}");
    assert!(!model.exists(), "{extra:?}: a model file was written for bad input");
}

#[test]
fn train_refuses_folders_where_no_image_decodes() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["day", "night"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("broken.jpg"), "not a JPEG at all").unwrap();
    }
    train_refuses(dir.path(), &[], "no day image could be read");
}

#[test]
fn train_refuses_a_single_image() {
    let dir = labelled_folder(0);
    save(sky_over_ground(120, 90), &dir.path().join("day/only.png"));
    train_refuses(dir.path(), &[], "no night image could be read");
}

#[test]
fn train_refuses_too_few_images_for_the_folds() {
    let dir = labelled_folder(1);
    train_refuses(dir.path(), &["--folds", "5"], "5-fold cross-validation needs more images");
}

#[test]
fn train_refuses_weights_that_are_not_positive() {
    let dir = labelled_folder(3);
    for bad in ["0", "-1", "nan", "inf"] {
        train_refuses(dir.path(), &["--weights", bad], "must be a finite number above 0");
    }
    train_refuses(dir.path(), &["--weights", "1,2"], "--weights has 2 values for 1 folders");
    train_refuses(dir.path(), &["--l2", "-1"], "L2 penalty must be a finite number");
}

#[test]
fn train_refuses_a_clip_or_held_out_weight_it_cannot_use() {
    let dir = labelled_folder(3);
    for bad in ["0", "-2", "inf"] {
        train_refuses(dir.path(), &["--clip", bad], "clip of standardized features must be a finite number above 0");
    }
    train_refuses(dir.path(), &["--held-out-weight", "-1"], "weight of the held-out log-odds");
}

/// `photos/` holds a link back to its parent (`loop -> ..`, so `photos/loop/photos`
/// is `photos` again) and a link to a sibling folder (`more -> ../other`).
#[cfg(unix)]
#[test]
fn symlink_loops_end_and_linked_folders_are_followed() {
    let root = tempfile::tempdir().unwrap();
    let photos = root.path().join("photos");
    std::fs::create_dir_all(photos.join("evening")).unwrap();
    std::fs::create_dir(root.path().join("other")).unwrap();
    save(sky_over_ground(200, 150), &photos.join("sunny.png"));
    save(lamps_in_dark(200, 150), &photos.join("evening/street.jpg"));
    save(lamps_in_dark(180, 120), &root.path().join("other/lamps.png"));
    std::os::unix::fs::symlink("..", photos.join("loop")).unwrap();
    std::os::unix::fs::symlink("../other", photos.join("more")).unwrap();

    let out = daynight()
        .args(["classify", "--format", "jsonl"])
        .arg(&photos)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "a skipped loop is not a failure: {}", String::from_utf8_lossy(&out.stderr));
    let mut paths: Vec<String> = jsonl(&out.stdout)
        .iter()
        .map(|r| r["path"].as_str().unwrap().strip_prefix(photos.to_str().unwrap()).unwrap().to_string())
        .collect();
    paths.sort();
    // The linked sibling is walked under the link's name; the loop is not entered at
    // all (it leads to a folder that holds `photos`, so it leads back to it).
    assert_eq!(paths, ["/evening/street.jpg", "/more/lamps.png", "/sunny.png"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("photos/loop: a link back to"), "{err}");
}
