//! `daynight merge`: joins the shard files of a sharded run (`shard-0.jsonl`,
//! `shard-1.jsonl`, …) into one jsonl or csv, and checks the join: every path should
//! appear once, and no shard should end in a torn line (a pod that never finished).
//! Lines are streamed; only the set of paths seen is kept, for the duplicate check
//! (about 100 bytes a photo: 1 GB for 10 million).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use daynight_core::report::{csv_header, csv_rows, Row};
use daynight_core::Tier;

use crate::jsonl::{complete_lines, Line};

/// Output formats of `merge`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum MergeFormat {
    /// The result lines as they are, one JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

/// What a merge found.
#[derive(Debug, Default)]
pub struct Summary {
    /// Shard files read.
    pub files: usize,
    /// Distinct paths written.
    pub images: usize,
    /// Classified images per label.
    pub labels: BTreeMap<String, usize>,
    /// Classified images per tier (`sure`, `probably`, `unsure`, in [`Tier::ALL`]'s order).
    pub tiers: [usize; 3],
    /// Images that could not be classified.
    pub failed: usize,
    /// Lines whose path was already seen (left out of the output). Expected: 0.
    pub duplicates: usize,
    /// Shard files ending in a torn line, with its length in bytes. Expected: none.
    pub torn: Vec<(PathBuf, u64)>,
    /// Ids of the models that answered. Expected: one (shards run with the same image).
    pub models: BTreeSet<String>,
}

impl Summary {
    /// Whether the shards joined cleanly: no duplicates, no unfinished shard, one model.
    pub fn clean(&self) -> bool {
        self.duplicates == 0 && self.torn.is_empty() && self.models.len() <= 1
    }

    fn count(&mut self, line: &Line) {
        self.images += 1;
        if !self.models.contains(&line.model) {
            self.models.insert(line.model.clone());
        }
        match line.label {
            Some(label) if line.classified() => {
                *self.labels.entry(label.as_str().to_string()).or_default() += 1;
                if let Some(tier) = line.tier() {
                    self.tiers[Tier::ALL.iter().position(|&t| t == tier).expect("one of the three")] += 1;
                }
            }
            _ => self.failed += 1,
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let labels: Vec<String> = self.labels.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let tiers: Vec<String> = Tier::ALL.iter().zip(self.tiers).map(|(t, n)| format!("{t} {n}")).collect();
        write!(
            f,
            "merged {} file(s), {} images: {}; {}; {} failed, {} duplicates",
            self.files,
            self.images,
            if labels.is_empty() { "none classified".to_string() } else { labels.join(", ") },
            tiers.join(", "),
            self.failed,
            self.duplicates,
        )?;
        if self.models.len() > 1 {
            let models: Vec<&str> = self.models.iter().map(String::as_str).collect();
            write!(
                f,
                "\nanswers from {} models mixed ({}): were the shards run with different images?",
                models.len(),
                models.join(", ")
            )?;
        }
        for (path, bytes) in &self.torn {
            write!(
                f,
                "\n{}: ends in a torn line ({bytes} bytes, left out): that shard did not finish; run it again with --resume",
                path.display()
            )?;
        }
        Ok(())
    }
}

/// The files to merge: files as given, and the `*.jsonl` files directly inside each
/// folder, in shard order (`shard-2` before `shard-10`).
pub fn inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(p)
            .with_context(|| format!("cannot read {}", p.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.is_file() && f.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        found.sort_by_key(|f| (shard_number(f), f.clone()));
        anyhow::ensure!(!found.is_empty(), "{} holds no .jsonl files", p.display());
        out.extend(found);
    }
    Ok(out)
}

/// K of a `…-K.jsonl` file name, for ordering; other names sort last.
fn shard_number(path: &Path) -> u64 {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    stem.rsplit(['-', '_']).next().and_then(|k| k.parse().ok()).unwrap_or(u64::MAX)
}

/// Joins `files` into `out` in `format` and counts what they hold.
pub fn run(files: &[PathBuf], format: MergeFormat, out: &mut impl Write) -> anyhow::Result<Summary> {
    let mut summary = Summary { files: files.len(), ..Summary::default() };
    let mut seen = HashSet::new();
    let mut csv = CsvChunks::new();
    for file in files {
        let f = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
        let len = f.metadata()?.len();
        let complete = complete_lines(BufReader::new(f), |n, bytes| {
            let line: Line =
                serde_json::from_slice(bytes).with_context(|| format!("{}:{n} is not a result line", file.display()))?;
            if !seen.insert(line.path.clone()) {
                summary.duplicates += 1;
                return Ok(());
            }
            summary.count(&line);
            match format {
                MergeFormat::Jsonl => {
                    out.write_all(bytes)?;
                    out.write_all(b"\n")?;
                }
                MergeFormat::Csv => csv.push(line, out)?,
            }
            Ok(())
        })?;
        if complete < len {
            summary.torn.push((file.clone(), len - complete));
        }
    }
    if let MergeFormat::Csv = format {
        csv.flush(out)?;
    }
    out.flush()?;
    Ok(summary)
}

/// Rows on their way through [`csv_rows`], the writer `classify --format csv` uses, a few
/// thousand at a time so a merge of millions never holds them all. The header (and
/// BOM) is written once; a chunk holds one model's rows, as `csv_rows` takes one id.
struct CsvChunks {
    rows: Vec<Row>,
    model: String,
    /// When the merge ran: the csv's `date` column.
    date: String,
    header_written: bool,
}

impl CsvChunks {
    const ROWS: usize = 4096;

    fn new() -> CsvChunks {
        CsvChunks {
            rows: Vec::new(),
            model: String::new(),
            date: crate::date::rfc3339_utc(std::time::SystemTime::now()),
            header_written: false,
        }
    }

    fn push(&mut self, line: Line, out: &mut impl Write) -> std::io::Result<()> {
        if line.model != self.model {
            self.flush(out)?;
            self.model.clone_from(&line.model);
        }
        self.rows.push(line.into_row());
        if self.rows.len() >= Self::ROWS {
            self.flush(out)?;
        }
        Ok(())
    }

    fn flush(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        if self.rows.is_empty() && self.header_written {
            return Ok(());
        }
        if !self.header_written {
            out.write_all(csv_header().as_bytes())?;
            self.header_written = true;
        }
        out.write_all(csv_rows(&self.rows, &self.model, &self.date, |x| x.to_string()).as_bytes())?;
        self.rows.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: &str = r#"{"path":"a.jpg","label":"day","p_night":0.1,"uncertain":false,"ms":3.0,"why":"bright sky"}"#;
    const NIGHT: &str = r#"{"path":"b.jpg","label":"night","p_night":0.6,"uncertain":true,"ms":3.0,"why":"dark"}"#;
    const FAILED: &str = r#"{"path":"c.jpg","error":"the file is empty"}"#;

    fn shard_dir(files: &[(&str, String)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn joins_shards_in_order_and_counts() {
        let dir = shard_dir(&[("shard-10.jsonl", format!("{FAILED}\n")), ("shard-2.jsonl", format!("{DAY}\n{NIGHT}\n"))]);
        let files = inputs(&[dir.path().to_path_buf()]).unwrap();
        assert!(files[0].ends_with("shard-2.jsonl"), "numeric order: {files:?}");
        let mut out = Vec::new();
        let s = run(&files, MergeFormat::Jsonl, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{DAY}\n{NIGHT}\n{FAILED}\n"));
        assert_eq!((s.files, s.images, s.tiers, s.failed, s.duplicates), (2, 3, [1, 0, 1], 1, 0));
        assert_eq!(s.labels, BTreeMap::from([("day".into(), 1), ("night".into(), 1)]));
        assert!(s.clean());
        assert!(s.to_string().contains("day 1, night 1; sure 1, probably 0, unsure 1; 1 failed, 0 duplicates"), "{s}");
    }

    #[test]
    fn duplicates_and_torn_shards_are_reported_and_left_out() {
        let dir = shard_dir(&[("shard-0.jsonl", format!("{DAY}\n")), ("shard-1.jsonl", format!("{DAY}\n{NIGHT}\n{{\"pa"))]);
        let mut out = Vec::new();
        let s = run(&inputs(&[dir.path().to_path_buf()]).unwrap(), MergeFormat::Csv, &mut out).unwrap();
        let csv = String::from_utf8(out).unwrap();
        assert_eq!(csv.lines().count(), 3, "header, a.jpg once, b.jpg: {csv}");
        assert_eq!(s.duplicates, 1);
        assert_eq!(s.torn.len(), 1);
        assert!(!s.clean());
        assert!(s.to_string().contains("shard-1.jsonl: ends in a torn line (4 bytes"), "{s}");
    }

    #[test]
    fn answers_of_two_models_are_flagged_and_csv_names_each_rows_model() {
        let other = r#"{"path":"d.jpg","status":"classified","label":"day","p_night":0.2,"uncertain":false,"ms":1.0,"why":"sky","model":"0123456789ab"}"#;
        let dir = shard_dir(&[("shard-0.jsonl", format!("{DAY}\n{other}\n{FAILED}\n"))]);
        let mut out = Vec::new();
        let s = run(&inputs(&[dir.path().to_path_buf()]).unwrap(), MergeFormat::Csv, &mut out).unwrap();
        assert!(!s.clean());
        assert!(s.to_string().contains("answers from 2 models mixed"), "{s}");
        let csv = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].starts_with("\u{feff}path,status,label"), "one header, from report::csv_header: {csv}");
        assert_eq!(lines.iter().filter(|l| l.contains("path,status")).count(), 1);
        // Lines from before the tiers get the tier of their p_night; the mark column
        // (the page's) is empty.
        assert!(lines[1].starts_with("a.jpg,classified,day,0.1,false,sure,3,bright sky,,,,"), "{}", lines[1]);
        assert!(lines[2].starts_with("d.jpg,classified,day,0.2,false,probably,1,sky,,,0123456789ab,"), "{}", lines[2]);
        assert!(lines[3].starts_with("c.jpg,failed,,,,,,,the file is empty,,,"), "{}", lines[3]);
    }

    #[test]
    fn a_line_that_is_not_a_result_is_an_error() {
        let dir = shard_dir(&[("shard-0.jsonl", format!("{DAY}\nnot json\n"))]);
        let err = run(&inputs(&[dir.path().to_path_buf()]).unwrap(), MergeFormat::Jsonl, &mut Vec::new()).unwrap_err();
        assert!(format!("{err:#}").contains("shard-0.jsonl:2 is not a result line"), "{err:#}");
    }
}
