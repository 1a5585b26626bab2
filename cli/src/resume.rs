//! `classify --out FILE [--resume]`: results go to a jsonl file as each image finishes,
//! one `write` per line, so a process killed at any moment (SIGKILL, OOM, a node
//! drain) leaves every finished line in place and at most one torn line at the end.
//! `--resume` reads the file back, cuts that torn line off, and skips the paths it
//! already holds, so running the same command again until it succeeds ends with every
//! file exactly once. This is what lets a retried pod of an Indexed Job continue.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use daynight_core::Model;
use rayon::prelude::*;
use serde::Deserialize;

use crate::jsonl::{self, complete_lines};
use crate::pipeline::{classify_file, progress_bar};
use crate::shard::{Selection, Shard};

/// The part of a result line that `--resume` needs; other fields are ignored, so older
/// and newer record layouts resume alike.
#[derive(Deserialize)]
struct Done {
    path: String,
}

/// An out file opened for appending, with what it held already.
pub struct OutFile {
    file: Mutex<File>,
    /// Paths with a result in the file before this run (empty without `--resume`).
    pub done: HashSet<String>,
    /// Bytes of a torn last line that were cut off.
    pub torn_bytes: u64,
}

impl OutFile {
    /// Opens `path` (creating it). Without `resume` it is emptied. With `resume`, every
    /// complete line must be a result (anything else means this is not our file, and
    /// it is not touched), and a torn last line is truncated away before appending.
    pub fn open(path: &Path, resume: bool) -> anyhow::Result<OutFile> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(!resume)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        let mut done = HashSet::new();
        let complete = complete_lines(BufReader::new(&mut file), |n, line| {
            let d: Done = serde_json::from_slice(line)
                .with_context(|| format!("{}:{n} is not a result line; refusing to resume into it", path.display()))?;
            done.insert(d.path);
            Ok(())
        })?;
        let len = file.metadata()?.len();
        if complete < len {
            file.set_len(complete).with_context(|| format!("cannot truncate {}", path.display()))?;
        }
        file.seek(SeekFrom::Start(complete))?;
        Ok(OutFile { file: Mutex::new(file), done, torn_bytes: len - complete })
    }

    /// Appends one line with a single `write`, so it lands whole or (if the process
    /// dies inside the call) torn at the end of the file, never interleaved.
    pub fn append(&self, line: &str) -> std::io::Result<()> {
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        // Lines go straight to the file (no user-space buffer): a kill loses nothing
        // that was reported done. No fsync per line: the page cache survives a killed
        // process; only a node crash can lose the tail, and --resume redoes it.
        self.file.lock().unwrap_or_else(|e| e.into_inner()).write_all(&buf)
    }

    /// Flushes the file to disk, at the end of a run.
    pub fn sync(&self) -> std::io::Result<()> {
        self.file.lock().unwrap_or_else(|e| e.into_inner()).sync_all()
    }
}

/// What a run to an out file did, for the summary line.
#[derive(Debug, Default)]
pub struct Counts {
    /// Files of the selection already in the out file, skipped.
    pub skipped: usize,
    /// Classified in this run.
    pub classified: usize,
    /// Failed in this run (reported in the file with an error).
    pub failed: usize,
}

/// Classifies `files` into `out`, in parallel, each line written as soon as its image
/// is done (so the file is in completion order, not walk order).
pub fn run(model: &Model, files: &[PathBuf], out: &OutFile) -> anyhow::Result<Counts> {
    let todo: Vec<(&PathBuf, String)> =
        files.iter().map(|p| (p, p.display().to_string())).filter(|(_, name)| !out.done.contains(name)).collect();
    let bar = progress_bar(todo.len(), "classifying");
    let model_id = model.id();
    let failed = std::sync::atomic::AtomicUsize::new(0);
    todo.par_iter().try_for_each(|(path, name)| -> anyhow::Result<()> {
        let outcome = classify_file(model, path);
        if outcome.result.is_err() {
            failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        out.append(&jsonl::line(&outcome.row(name.clone()), &model_id)?)?;
        bar.inc(1);
        Ok(())
    })?;
    bar.finish_and_clear();
    out.sync()?;
    let failed = failed.into_inner();
    Ok(Counts { skipped: files.len() - todo.len(), classified: todo.len() - failed, failed })
}

/// `classify --out FILE [--resume]` from start to end: opens FILE, classifies the
/// files of `selection` not in it yet, and prints the counts to stderr. Failed images
/// are results too (a line with their error), so a finished run is a complete file.
pub fn classify_into(
    model: &Model,
    selection: &Selection,
    shard: Option<Shard>,
    path: &Path,
    resume: bool,
) -> anyhow::Result<Counts> {
    let out = OutFile::open(path, resume)?;
    if out.torn_bytes > 0 {
        eprintln!("{}: cut off a torn last line ({} bytes) left by an interrupted run", path.display(), out.torn_bytes);
    }
    let counts = run(model, &selection.files, &out)?;
    eprintln!(
        "{}; {} classified, {} failed, {} already in {}",
        crate::shard::describe(selection, shard),
        counts.classified,
        counts.failed,
        counts.skipped,
        path.display()
    );
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file `name` holding `text`, in a temp dir that lives as long as the guard.
    fn file_with(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn resume_truncates_the_torn_tail_and_remembers_done_paths() {
        let (_dir, path) = file_with("out.jsonl", "{\"path\":\"a.jpg\",\"label\":\"day\"}\n{\"path\":\"b.j");
        let out = OutFile::open(&path, true).unwrap();
        assert_eq!(out.done, HashSet::from(["a.jpg".to_string()]));
        assert_eq!(out.torn_bytes, 12);
        let complete = "{\"path\":\"a.jpg\",\"label\":\"day\"}\n".len() as u64;
        assert_eq!(std::fs::metadata(&path).unwrap().len(), complete, "cut before anything is appended");
        out.append("{\"path\":\"b.jpg\"}").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"path\":\"a.jpg\",\"label\":\"day\"}\n{\"path\":\"b.jpg\"}\n");
    }

    #[test]
    fn resume_refuses_a_file_that_is_not_ours_and_leaves_it_alone() {
        let (_dir, path) = file_with("notes.txt", "shopping list\nmilk");
        let err = OutFile::open(&path, true).err().unwrap();
        assert!(format!("{err:#}").contains("notes.txt:1 is not a result line"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "shopping list\nmilk");
    }

    #[test]
    fn without_resume_the_file_starts_empty() {
        let (_dir, path) = file_with("out.jsonl", "{\"path\":\"a.jpg\"}\n");
        let out = OutFile::open(&path, false).unwrap();
        assert!(out.done.is_empty());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    }
}
