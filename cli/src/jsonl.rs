//! The result lines of `classify --format jsonl` and `classify --out`: one JSON object
//! per image, written here, and read back here by `merge` and by `classify --resume`.

use std::io::BufRead;

use daynight_core::report::{Row, RowStatus};
use daynight_core::{Label, Tier};
use serde::{Deserialize, Serialize};

/// A `--format jsonl` line: the row's non-empty fields, then the model's id.
#[derive(Serialize)]
struct JsonLine<'a> {
    #[serde(flatten)]
    row: &'a Row,
    model: &'a str,
}

/// One file's result as a jsonl line (without the `\n`), as `--format jsonl` prints
/// it and `--out` writes it.
pub fn line(row: &Row, model: &str) -> serde_json::Result<String> {
    serde_json::to_string(&JsonLine { row, model })
}

/// A result line as `classify --format jsonl` writes it: a [`Row`]'s set fields and
/// the model id. Fields are optional so failed lines (`path`, `status`, `error`),
/// classified ones and lines from before `status` and `model` existed all parse.
#[derive(Deserialize)]
pub struct Line {
    /// The image's path, as classify walked it.
    pub path: String,
    /// Day or night, once classified.
    pub label: Option<Label>,
    /// Probability of night, once classified.
    pub p_night: Option<f64>,
    /// Whether the answer is less than sure.
    pub uncertain: Option<bool>,
    /// How sure the answer is (absent in lines from before the tiers: see [`Line::tier`]).
    pub tier: Option<Tier>,
    /// Time the image took, in milliseconds.
    pub ms: Option<f64>,
    /// The plain-words reason.
    pub why: Option<String>,
    /// Why the image has no answer.
    pub error: Option<String>,
    /// Id of the model that answered (empty in lines from before it was written).
    #[serde(default)]
    pub model: String,
}

impl Line {
    /// A line with a label and no error; anything else counts as failed.
    pub fn classified(&self) -> bool {
        self.label.is_some() && self.error.is_none()
    }

    /// The line's tier: as written, or, in a line from before the tiers, the tier of
    /// its `p_night`.
    pub fn tier(&self) -> Option<Tier> {
        self.tier.or(self.p_night.map(Tier::of))
    }

    /// The export row the line was written from (csv output of `merge`).
    pub fn into_row(self) -> Row {
        let status = if self.classified() { RowStatus::Classified } else { RowStatus::Failed };
        let tier = self.tier();
        let Line { path, label, p_night, uncertain, ms, why, error, .. } = self;
        Row { path, status, label, p_night, uncertain, tier, ms, why, error, mark: None }
    }
}

/// Calls `f` with every complete line of `reader` (its number from 1, without the
/// `\n`). A last line without `\n` is torn (cut short by a kill): it is not passed to
/// `f`. Returns the byte length of the complete lines, i.e. where a torn line begins.
pub fn complete_lines(mut reader: impl BufRead, mut f: impl FnMut(usize, &[u8]) -> anyhow::Result<()>) -> anyhow::Result<u64> {
    let mut line = Vec::new();
    let (mut complete, mut n) = (0u64, 0usize);
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        // Every line is written with its `\n` in the same write: a line without one
        // is a torn line, even if what is there happens to parse.
        if read == 0 || line.last() != Some(&b'\n') {
            return Ok(complete);
        }
        n += 1;
        f(n, &line[..line.len() - 1])?;
        complete += read as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(bytes: &[u8]) -> (Vec<String>, u64) {
        let mut seen = Vec::new();
        let complete = complete_lines(bytes, |_, l| {
            seen.push(String::from_utf8(l.to_vec()).unwrap());
            Ok(())
        })
        .unwrap();
        (seen, complete)
    }

    #[test]
    fn a_last_line_without_newline_is_torn_even_if_it_parses() {
        assert_eq!(lines_of(b"a\nb\n"), (vec!["a".into(), "b".into()], 4));
        assert_eq!(lines_of(b"a\nb\n{\"pa"), (vec!["a".into(), "b".into()], 4));
        assert_eq!(lines_of(b"a\n{}"), (vec!["a".into()], 2));
        assert_eq!(lines_of(b""), (vec![], 0));
    }
}
