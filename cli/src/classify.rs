//! `daynight classify`: a batch of files in, one line per file out.

use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use daynight_core::report::{to_csv, Row};
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

/// One file's answer as an export row, numbers rounded as printed: `p_night` to
/// 1e-6, `ms` to 1e-3 (finer digits are noise, and they make diffs of outputs noisy).
fn row(path: String, o: &Outcome) -> Row {
    let ms = (o.ms * 1000.0).round() / 1000.0;
    match &o.result {
        Ok(p) => Row { p_night: Some((p.p_night * 1e6).round() / 1e6), ..Row::classified(path, p, ms) },
        Err(e) => Row::failed(path, e.clone()),
    }
}

/// A `--format jsonl` line: the row's non-empty fields, then the model's id.
#[derive(Serialize)]
struct JsonLine<'a> {
    #[serde(flatten)]
    row: &'a Row,
    model: &'a str,
}

/// One file's result as a jsonl line (without the `\n`), as `--format jsonl` prints it.
pub fn jsonl_line(path: &str, o: &Outcome, model_id: &str) -> serde_json::Result<String> {
    json_line(&row(path.to_string(), o), model_id)
}

fn json_line(row: &Row, model: &str) -> serde_json::Result<String> {
    serde_json::to_string(&JsonLine { row, model })
}

/// Classifies every image under `paths`; returns how many failed.
pub fn run(model: &Model, paths: &[PathBuf], format: Format, out: &mut impl Write) -> anyhow::Result<usize> {
    let files = crate::files::collect(paths);
    let bar = progress_bar(files.len(), "classifying");
    let outcomes = par_map(&files, &bar, |p| classify_file(model, p));
    let rows: Vec<Row> = files.iter().zip(&outcomes).map(|(p, o)| row(p.display().to_string(), o)).collect();
    let model_id = model.id();
    match format {
        Format::Jsonl => {
            for row in &rows {
                writeln!(out, "{}", json_line(row, &model_id)?)?;
            }
        }
        Format::Csv => write!(out, "{}", to_csv(&rows, &model_id, &rfc3339_utc(SystemTime::now()), |x| x.to_string()))?,
        Format::Table => write_table(&rows, out)?,
    }
    Ok(outcomes.iter().filter(|o| o.result.is_err()).count())
}

fn write_table(records: &[Row], out: &mut impl Write) -> std::io::Result<()> {
    let width = records.iter().map(|r| r.path.chars().count()).max().unwrap_or(4).clamp(4, 60);
    writeln!(out, "{:<width$}  {:<11}  {:>7}  {:>7}  WHY", "PATH", "LABEL", "P_NIGHT", "MS")?;
    for r in records {
        match (r.label, r.error.as_deref()) {
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
    writeln!(
        out,
        "{} images: {} classified ({} uncertain, marked ?), {} failed",
        records.len(),
        records.len() - failed,
        uncertain,
        failed
    )
}

/// `time` as RFC 3339 in UTC to the second, e.g. `2026-11-30T10:00:00Z`: the run's
/// date in csv output. Hand-written because it is a dozen lines and the CLI otherwise
/// needs no date library.
pub fn rfc3339_utc(time: SystemTime) -> String {
    let secs = time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's `civil_from_days`,
    // for days ≥ 0): eras of 400 years, years starting on 1 March.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_rfc3339_utc() {
        let at = |secs| rfc3339_utc(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(at(1_798_675_200), "2026-12-31T00:00:00Z");
    }
}
