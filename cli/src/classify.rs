//! `daynight classify`: a batch of files in, one line per file out.

use std::io::Write;
use std::path::PathBuf;

use daynight_core::Model;
use serde::Serialize;

use crate::pipeline::{classify_file, par_map, progress_bar, Outcome};

/// Output formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

/// One jsonl/csv record. Failed files carry only `path` and `error`.
#[derive(Serialize)]
struct Record<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p_night: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertain: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl<'a> Record<'a> {
    fn new(path: &'a str, o: &'a Outcome) -> Record<'a> {
        let ms = (o.ms * 1000.0).round() / 1000.0;
        match &o.result {
            Ok(p) => Record {
                path,
                label: Some(p.label.as_str()),
                p_night: Some((p.p_night * 1e6).round() / 1e6),
                uncertain: Some(p.uncertain),
                ms: Some(ms),
                why: Some(p.explanation(3)),
                error: None,
            },
            Err(e) => Record { path, label: None, p_night: None, uncertain: None, ms: None, why: None, error: Some(e) },
        }
    }
}

/// One file's result as a jsonl line (without the `\n`), as `--format jsonl` prints it.
pub fn jsonl_line(path: &str, o: &Outcome) -> serde_json::Result<String> {
    serde_json::to_string(&Record::new(path, o))
}

/// Classifies every image under `paths`; returns how many failed.
pub fn run(model: &Model, paths: &[PathBuf], format: Format, out: &mut impl Write) -> anyhow::Result<usize> {
    let files = crate::files::collect(paths);
    let bar = progress_bar(files.len(), "classifying");
    let outcomes = par_map(&files, &bar, |p| classify_file(model, p));
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let records: Vec<Record> = names.iter().zip(&outcomes).map(|(n, o)| Record::new(n, o)).collect();
    match format {
        Format::Jsonl => {
            for r in &records {
                writeln!(out, "{}", serde_json::to_string(r)?)?;
            }
        }
        Format::Csv => write_csv(&records, out)?,
        Format::Table => write_table(&records, out)?,
    }
    Ok(outcomes.iter().filter(|o| o.result.is_err()).count())
}

fn write_csv(records: &[Record], out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "path,label,p_night,uncertain,ms,error")?;
    for r in records {
        let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        writeln!(
            out,
            "{},{},{},{},{},{}",
            field(r.path),
            r.label.unwrap_or(""),
            r.p_night.map(|p| format!("{p:.6}")).unwrap_or_default(),
            r.uncertain.map(|u| u.to_string()).unwrap_or_default(),
            r.ms.map(|m| format!("{m:.1}")).unwrap_or_default(),
            r.error.map(field).unwrap_or_default(),
        )?;
    }
    Ok(())
}

fn write_table(records: &[Record], out: &mut impl Write) -> std::io::Result<()> {
    let width = records.iter().map(|r| r.path.chars().count()).max().unwrap_or(4).clamp(4, 60);
    writeln!(out, "{:<width$}  {:<11}  {:>7}  {:>7}  WHY", "PATH", "LABEL", "P_NIGHT", "MS")?;
    for r in records {
        match (r.label, r.error) {
            (Some(label), _) => {
                let shown = if r.uncertain == Some(true) { format!("{label}?") } else { label.to_string() };
                writeln!(
                    out,
                    "{:<width$}  {:<11}  {:>7.3}  {:>7.1}  {}",
                    r.path,
                    shown,
                    r.p_night.unwrap_or_default(),
                    r.ms.unwrap_or_default(),
                    r.why.as_deref().unwrap_or("")
                )?;
            }
            (None, error) => writeln!(out, "{:<width$}  {:<11}  error: {}", r.path, "ERROR", error.unwrap_or("unknown"))?,
        }
    }
    let failed = records.iter().filter(|r| r.error.is_some()).count();
    let uncertain = records.iter().filter(|r| r.uncertain == Some(true)).count();
    writeln!(out, "{} images: {} classified ({} uncertain, marked ?), {} failed", records.len(), records.len() - failed, uncertain, failed)
}
