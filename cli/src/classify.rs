//! `daynight classify`: a batch of files in, one line per file out.

use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use daynight_core::report::{to_csv, Row};
use daynight_core::tier::shown_percent;
use daynight_core::{Label, Model, Tier};

use crate::date::rfc3339_utc;
use crate::jsonl;
use crate::pipeline::{classify_file, par_map, progress_bar};

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

/// Classifies every image under `paths`; returns how many failed.
pub fn run(model: &Model, paths: &[PathBuf], format: Format, out: &mut impl Write) -> anyhow::Result<usize> {
    let files = crate::files::collect(paths);
    let bar = progress_bar(files.len(), "classifying");
    let outcomes = par_map(&files, &bar, |p| classify_file(model, p));
    let rows: Vec<Row> = files.iter().zip(&outcomes).map(|(p, o)| o.row(p.display().to_string())).collect();
    let model_id = model.id();
    match format {
        Format::Jsonl => {
            for row in &rows {
                writeln!(out, "{}", jsonl::line(row, &model_id)?)?;
            }
        }
        Format::Csv => write!(out, "{}", to_csv(&rows, &model_id, &rfc3339_utc(SystemTime::now()), |x| x.to_string()))?,
        Format::Table => write_table(&rows, out)?,
    }
    Ok(outcomes.iter().filter(|o| o.result.is_err()).count())
}

/// The answer as the table shows it: "night" when sure, "probably night", and
/// "night?" when unsure (the `?` marks only that tier).
fn answer_cell(label: Label, tier: Tier) -> String {
    match tier {
        Tier::Sure => label.to_string(),
        Tier::Probably => format!("{tier} {label}"),
        Tier::Unsure => format!("{label}?"),
    }
}

fn write_table(records: &[Row], out: &mut impl Write) -> std::io::Result<()> {
    let width = records.iter().map(|r| r.path.chars().count()).max().unwrap_or(4).clamp(4, 60);
    writeln!(out, "{:<width$}  {:<14}  {:>4}  {:>7}  {:>7}  WHY", "PATH", "ANSWER", "SURE", "P_NIGHT", "MS")?;
    for r in records {
        match (r.label, r.p_night, r.error.as_deref()) {
            (Some(label), Some(p_night), _) => {
                let tier = r.tier.unwrap_or(Tier::of(p_night));
                writeln!(
                    out,
                    "{:<width$}  {:<14}  {:>3}%  {:>7.3}  {:>7.1}  {}",
                    r.path,
                    answer_cell(label, tier),
                    shown_percent(p_night),
                    p_night,
                    r.ms.unwrap_or_default(),
                    r.why.as_deref().unwrap_or("")
                )?;
            }
            (_, _, error) => writeln!(out, "{:<width$}  {:<14}  error: {}", r.path, "ERROR", error.unwrap_or("unknown"))?,
        }
    }
    let failed = records.iter().filter(|r| r.error.is_some()).count();
    let count = |tier: Tier| records.iter().filter(|r| r.tier == Some(tier)).count();
    writeln!(
        out,
        "{} images: {} classified ({} sure, {} probably, {} unsure, marked ?), {} failed",
        records.len(),
        records.len() - failed,
        count(Tier::Sure),
        count(Tier::Probably),
        count(Tier::Unsure),
        failed
    )
}
