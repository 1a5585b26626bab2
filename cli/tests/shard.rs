//! Sharded, resumable runs end to end: `classify --shard K/N --out FILE --resume` and
//! `merge`, on a folder of painted photos built in a temp dir. The promise under test:
//! however the batch is split, and wherever the processes are killed, running each
//! shard until it finishes ends with every file exactly once, with the same answers
//! as one uninterrupted run.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use daynight_core::testimages::{lamps_in_dark, sky_over_ground};
use serde_json::Value;

fn daynight() -> Command {
    Command::cargo_bin("daynight").unwrap()
}

/// `n` photos, alternately day and night, in three subfolders, as JPEGs big enough
/// (640×480) that a run takes long enough to be killed part-way.
fn photo_folder(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let sub = dir.path().join(format!("roll-{}", i % 3));
        std::fs::create_dir_all(&sub).unwrap();
        let (w, h) = (640 + (i as u32 % 7) * 8, 480);
        let (_, _, px) = if i % 2 == 0 { sky_over_ground(w, h) } else { lamps_in_dark(w, h) };
        let img = image::RgbaImage::from_raw(w, h, px).unwrap();
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgba8(img).to_rgb8().write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg).unwrap();
        std::fs::write(sub.join(format!("IMG_{i:04}.jpg")), bytes).unwrap();
    }
    dir
}

/// Parses jsonl text, every line of it.
fn records(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}"))).collect()
}

/// path → label, checking that no path appears twice.
fn labels(records: &[Value]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in records {
        let path = r["path"].as_str().unwrap().to_string();
        let label = r["label"].as_str().unwrap_or("ERROR").to_string();
        assert!(out.insert(path.clone(), label).is_none(), "{path} appears twice");
    }
    out
}

fn single_run(dir: &Path) -> BTreeMap<String, String> {
    let out = daynight().args(["classify", "--format", "jsonl"]).arg(dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    labels(&records(&String::from_utf8(out.stdout).unwrap()))
}

#[test]
fn three_shards_cover_a_single_run_exactly_once() {
    let dir = photo_folder(30);
    let whole = single_run(dir.path());
    assert_eq!(whole.len(), 30);
    let mut union = BTreeMap::new();
    for k in 0..3 {
        let out =
            daynight().args(["classify", "--format", "jsonl", "--shard", &format!("{k}/3")]).arg(dir.path()).output().unwrap();
        assert!(out.status.success());
        let shard = labels(&records(&String::from_utf8(out.stdout).unwrap()));
        assert!(!shard.is_empty() && shard.len() < 30, "shard {k} has {} files", shard.len());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(&format!("shard {k}/3: {} of 30 files", shard.len())), "{stderr}");
        for (path, label) in shard {
            assert!(union.insert(path.clone(), label).is_none(), "{path} is in two shards");
        }
    }
    assert_eq!(union, whole, "the shards together are the single run, with the same labels");
}

#[test]
fn shards_depend_on_paths_below_the_root_not_on_where_the_root_is() {
    let dir = photo_folder(12);
    let elsewhere = tempfile::tempdir().unwrap();
    let moved = elsewhere.path().join("mounted").join("archive");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(dir.path(), &moved).unwrap();
    std::fs::create_dir(dir.path()).unwrap(); // for TempDir's cleanup
    let shard_of = |root: &Path, env: Option<&str>| -> Vec<String> {
        let mut cmd = daynight();
        cmd.args(["classify", "--format", "jsonl", "--shard"]).arg(if env.is_some() { "auto/2" } else { "1/2" }).arg(root);
        if let Some(k) = env {
            cmd.env("JOB_COMPLETION_INDEX", k);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let recs = records(&String::from_utf8(out.stdout).unwrap());
        recs.iter().map(|r| Path::new(r["path"].as_str().unwrap()).strip_prefix(root).unwrap().display().to_string()).collect()
    };
    let copy = tempfile::tempdir().unwrap();
    for entry in walk(&moved) {
        let target = copy.path().join(entry.strip_prefix(&moved).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, target).unwrap();
    }
    let mut a = shard_of(&moved, None);
    let mut b = shard_of(copy.path(), Some("1"));
    a.sort();
    b.sort();
    assert!(!a.is_empty());
    assert_eq!(a, b, "same relative paths, same shard, whether K is given or read from JOB_COMPLETION_INDEX");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn auto_without_the_index_or_past_n_is_a_usage_error() {
    let dir = photo_folder(1);
    let out =
        daynight().args(["classify", "--shard", "auto/3"]).arg(dir.path()).env_remove("JOB_COMPLETION_INDEX").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("JOB_COMPLETION_INDEX"));
    let out =
        daynight().args(["classify", "--shard", "auto/3"]).arg(dir.path()).env("JOB_COMPLETION_INDEX", "3").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    for args in [
        vec!["classify", "--shard", "3/3", "x"],
        vec!["classify", "--resume", "x"],
        vec!["classify", "--out", "o", "--format", "csv", "x"],
    ] {
        assert_eq!(daynight().args(&args).output().unwrap().status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn out_takes_format_jsonl_and_refuses_table_and_csv_clearly() {
    let dir = photo_folder(4);
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("answers.jsonl");
    let out = daynight().args(["classify", "--format", "jsonl", "--out"]).arg(&file).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "the lines go to the file, not stdout");
    let written = records(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(written.len(), 4);
    assert_eq!(labels(&written), single_run(dir.path()), "what --format jsonl prints, in completion order");
    for format in ["table", "csv"] {
        let refused = work.path().join(format!("answers.{format}"));
        let out = daynight().args(["classify", "--format", format, "--out"]).arg(&refused).arg(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(&format!("--format {format} cannot be used with --out, which writes jsonl")), "{stderr}");
        assert!(!refused.exists(), "refused before {} is created", refused.display());
    }
}

/// Lines in `path` so far (0 if it does not exist yet).
fn lines_in(path: &Path) -> usize {
    std::fs::read(path).map(|b| b.iter().filter(|&&c| c == b'\n').count()).unwrap_or(0)
}

/// Starts `classify --shard K/3 --out FILE --resume` and SIGKILLs it as soon as FILE
/// holds at least `kill_at` lines. Returns whether it was killed before finishing.
fn run_and_kill(dir: &Path, k: u32, out: &Path, kill_at: usize) -> bool {
    let mut child = StdCommand::cargo_bin("daynight")
        .unwrap()
        .args(["--threads", "2", "classify", "--resume", "--shard", &format!("{k}/3"), "--out"])
        .arg(out)
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if lines_in(out) >= kill_at {
            child.kill().unwrap(); // SIGKILL on Unix: no chance to tidy up
            child.wait().unwrap();
            return true;
        }
        assert!(Instant::now() < deadline, "no progress");
        std::thread::sleep(Duration::from_micros(200));
    }
}

#[test]
fn a_shard_killed_again_and_again_and_resumed_ends_with_every_file_once() {
    let dir = photo_folder(150);
    let whole = single_run(dir.path());
    let work = tempfile::tempdir().unwrap();
    let mut union = BTreeMap::new();
    let mut kills = 0;
    for k in 0..3 {
        let out = work.path().join(format!("shard-{k}.jsonl"));
        // Kill at several moments: after the first line, then part-way through what
        // is left, each time resuming from what the last process left behind.
        for kill_at in [1, 15, 30] {
            if run_and_kill(dir.path(), k, &out, kill_at) {
                kills += 1;
                let text = std::fs::read_to_string(&out).unwrap();
                let done = text.matches('\n').count();
                assert!(done >= kill_at && done < 50, "killed with {done} lines");
            }
        }
        let finish = daynight()
            .args(["classify", "--resume", "--shard", &format!("{k}/3"), "--out"])
            .arg(&out)
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(finish.status.success(), "{}", String::from_utf8_lossy(&finish.stderr));
        let stderr = String::from_utf8(finish.stderr).unwrap();
        assert!(stderr.contains(&format!("shard {k}/3")) && stderr.contains("already in"), "{stderr}");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.ends_with('\n'));
        for (path, label) in labels(&records(&text)) {
            assert!(union.insert(path.clone(), label).is_none(), "{path} is in two shards");
        }
    }
    assert!(kills >= 6, "the kills must land mid-run to test anything (landed {kills} of 9)");
    assert_eq!(union, whole, "every file exactly once, with the labels of an uninterrupted run");

    // merge joins the three files and finds nothing wrong.
    let merged = daynight().args(["merge", "--format", "jsonl"]).arg(work.path()).output().unwrap();
    assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));
    assert_eq!(labels(&records(&String::from_utf8(merged.stdout).unwrap())), whole);
    let day = whole.values().filter(|l| *l == "day").count();
    let summary = String::from_utf8(merged.stderr).unwrap();
    assert!(summary.contains(&format!("merged 3 file(s), 150 images: day {day}, night {}", 150 - day)), "{summary}");
    assert!(summary.contains(" 0 failed, 0 duplicates"), "{summary}");
}

#[test]
fn a_torn_last_line_is_discarded_and_that_file_redone() {
    let dir = photo_folder(4);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out.jsonl");
    let first = daynight().args(["classify", "--out"]).arg(&out).arg(dir.path()).output().unwrap();
    assert!(first.status.success());
    let full = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = full.lines().collect();
    assert_eq!(lines.len(), 4);
    let torn_from = full.len() - lines[3].len() - 1;
    // What a kill in the middle of the last write leaves: three lines and a part of the
    // fourth, from one byte to all of it but the newline.
    for cut in [1, lines[3].len() / 2, lines[3].len()] {
        std::fs::write(&out, &full[..torn_from + cut]).unwrap();
        let again = daynight().args(["classify", "--resume", "--out"]).arg(&out).arg(dir.path()).output().unwrap();
        assert!(again.status.success());
        let stderr = String::from_utf8(again.stderr).unwrap();
        assert!(stderr.contains("torn last line") && stderr.contains("1 classified, 0 failed, 3 already in"), "{stderr}");
        let text = std::fs::read_to_string(&out).unwrap();
        let redone = records(&text);
        assert_eq!(redone.len(), 4, "cut at {cut}: {text}");
        assert_eq!(labels(&redone), labels(&records(&full)), "the torn file is classified again, the rest kept");
        assert_eq!(text[..torn_from], full[..torn_from], "complete lines are kept byte for byte");
    }
}

#[test]
fn merge_reports_duplicates_and_torn_shards_with_exit_one() {
    let dir = photo_folder(3);
    let work = tempfile::tempdir().unwrap();
    let a = work.path().join("shard-0.jsonl");
    assert!(daynight().args(["classify", "--out"]).arg(&a).arg(dir.path()).output().unwrap().status.success());
    std::fs::copy(&a, work.path().join("shard-1.jsonl")).unwrap();
    let merged = daynight().args(["merge", "--format", "csv"]).arg(work.path()).output().unwrap();
    assert_eq!(merged.status.code(), Some(1));
    assert!(String::from_utf8(merged.stderr).unwrap().contains("3 duplicates"));
    assert_eq!(String::from_utf8(merged.stdout).unwrap().lines().count(), 4, "a header and each file once");
}
