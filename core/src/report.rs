//! Exported answers: one row type and one CSV writer for the browser page and the CLI.
//!
//! The page's CSV/JSON export and the CLI's `csv`/`jsonl` output carry the same
//! columns under the same names ([`COLUMNS`]), so a file from either can be read by
//! the same script. This module is compiled into the page's wasm: it formats no
//! floats itself (the caller's `num` does) and does not use `serde_json`, so it adds
//! no float-formatting or JSON code to the bundle.

use serde::Serialize;

use crate::label::Label;
use crate::model::Prediction;
use crate::tier::Tier;

/// Where one image stands in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowStatus {
    /// Classified: `label`, `p_night`, `uncertain`, `tier`, `ms` and `why` are set.
    Classified,
    /// Could not be classified: `error` says why.
    Failed,
    /// Not answered yet (the page exports while a batch is still running).
    Pending,
}

impl RowStatus {
    /// `"classified"`, `"failed"` or `"pending"`, as in the CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Classified => "classified",
            RowStatus::Failed => "failed",
            RowStatus::Pending => "pending",
        }
    }
}

/// One exported answer: the same columns in the CLI's csv/jsonl and the page's CSV/JSON export.
/// Serialized (as the CLI's jsonl is), fields that are `None` are left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// CLI: the path as walked; page: the file name.
    pub path: String,
    /// Classified, failed or pending.
    pub status: RowStatus,
    /// `"day"` or `"night"` once classified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// Probability of night once classified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_night: Option<f64>,
    /// Whether the answer is less than sure (`p_night` strictly between 0.1 and 0.9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<bool>,
    /// How sure the answer is, `"sure"`, `"probably"` or `"unsure"`: [`Tier::of`] `p_night`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// Time this image took, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ms: Option<f64>,
    /// The plain-words explanation, e.g. "lights in the dark, black sky, no daylight sky".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Why a failed image has no answer, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The truth as the user marked it in the page ("it's day" / "it's night"); the
    /// command line has no marks, and leaves it empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Label>,
}

impl Row {
    /// How many reasons `why` quotes: the strongest few read as a sentence, more as noise.
    pub const REASONS: usize = 3;

    /// A classified image.
    pub fn classified(path: String, prediction: &Prediction, ms: f64) -> Row {
        Row {
            path,
            status: RowStatus::Classified,
            label: Some(prediction.label),
            p_night: Some(prediction.p_night),
            uncertain: Some(prediction.uncertain),
            tier: Some(prediction.tier),
            ms: Some(ms),
            why: Some(prediction.explanation(Row::REASONS)),
            error: None,
            mark: None,
        }
    }

    /// An image that could not be classified, with the reason for people.
    pub fn failed(path: String, error: String) -> Row {
        Row { status: RowStatus::Failed, error: Some(error), ..Row::pending(path) }
    }

    /// An image not answered yet.
    pub fn pending(path: String) -> Row {
        Row {
            path,
            status: RowStatus::Pending,
            label: None,
            p_night: None,
            uncertain: None,
            tier: None,
            ms: None,
            why: None,
            error: None,
            mark: None,
        }
    }
}

/// Column names, in order, for CSV and for JSON keys.
pub const COLUMNS: [&str; 12] =
    ["path", "status", "label", "p_night", "uncertain", "tier", "ms", "why", "error", "mark", "model", "date"];

/// CSV text: a UTF-8 BOM (so spreadsheet programs read it as UTF-8), the header line,
/// one line per row, lines ended by CRLF; RFC 4180 quoting. A text field starting with
/// `=`, `+`, `-` or `@` gets a leading `'`, so a spreadsheet shows it instead of
/// running it as a formula (a file name is chosen by whoever sent the photo).
/// `model` and `date` are repeated on each row. `num` formats numbers: the page
/// passes the browser's formatter so the wasm carries no float formatting code.
pub fn to_csv(rows: &[Row], model: &str, date: &str, num: impl Fn(f64) -> String) -> String {
    let mut out = csv_header();
    out.push_str(&csv_rows(rows, model, date, num));
    out
}

/// The start of every CSV [`to_csv`] writes: the BOM and the header line.
pub fn csv_header() -> String {
    let mut out = String::from("\u{feff}");
    push_line(&mut out, COLUMNS.iter().map(|c| Cell::Plain(c)));
    out
}

/// The lines of `rows` alone, as [`to_csv`] writes them after [`csv_header`]: for a
/// writer that streams rows in chunks (`daynight merge`).
pub fn csv_rows(rows: &[Row], model: &str, date: &str, num: impl Fn(f64) -> String) -> String {
    let mut out = String::new();
    let (model, date) = (text(model), text(date));
    for r in rows {
        let numbers = [r.p_night, r.ms].map(|x| x.map(&num).unwrap_or_default());
        let [p_night, ms] = &numbers;
        push_line(
            &mut out,
            [
                text(&r.path),
                Cell::Plain(r.status.as_str()),
                Cell::Plain(r.label.map_or("", Label::as_str)),
                Cell::Plain(p_night),
                Cell::Plain(r.uncertain.map_or("", |u| if u { "true" } else { "false" })),
                Cell::Plain(r.tier.map_or("", Tier::as_str)),
                Cell::Plain(ms),
                text(r.why.as_deref().unwrap_or("")),
                text(r.error.as_deref().unwrap_or("")),
                Cell::Plain(r.mark.map_or("", Label::as_str)),
                model,
                date,
            ],
        );
    }
    out
}

/// One CSV field before quoting.
#[derive(Clone, Copy)]
enum Cell<'a> {
    /// Written by this program (numbers, fixed words): never a formula.
    Plain(&'a str),
    /// Free text (file names, messages): guarded against formula injection.
    Text(&'a str),
}

fn text(s: &str) -> Cell<'_> {
    Cell::Text(s)
}

fn push_line<'a>(out: &mut String, cells: impl IntoIterator<Item = Cell<'a>>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (guard, s) = match cell {
            Cell::Text(s) if s.starts_with(['=', '+', '-', '@']) => ("'", s),
            Cell::Text(s) | Cell::Plain(s) => ("", s),
        };
        if s.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(guard);
            out.push_str(&s.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(guard);
            out.push_str(s);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(x: f64) -> String {
        x.to_string()
    }

    fn classified() -> Row {
        Row {
            path: "a.jpg".into(),
            status: RowStatus::Classified,
            label: Some(Label::Night),
            p_night: Some(0.875),
            uncertain: Some(false),
            tier: Some(Tier::Sure),
            ms: Some(12.5),
            why: Some("lights in the dark, black sky".into()),
            error: None,
            mark: None,
        }
    }

    #[test]
    fn the_users_mark_has_its_column_and_the_cli_leaves_it_empty() {
        let marked = Row { mark: Some(Label::Day), ..classified() };
        let csv = to_csv(&[marked, classified()], "m", "d", num);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].ends_with(",error,mark,model,date"), "{}", lines[0]);
        assert!(lines[1].ends_with(",,day,m,d"), "{}", lines[1]);
        assert!(lines[2].ends_with(",,,m,d"), "{}", lines[2]);
        assert!(!serde_json::to_string(&classified()).unwrap().contains("mark"), "jsonl leaves an empty mark out");
    }

    #[test]
    fn starts_with_a_bom_and_the_header() {
        let csv = to_csv(&[], "m1", "2026-01-01T00:00:00Z", num);
        assert_eq!(csv, "\u{feff}path,status,label,p_night,uncertain,tier,ms,why,error,mark,model,date\r\n");
    }

    #[test]
    fn writes_one_quoted_line_per_row() {
        let rows =
            [classified(), Row::failed("b \"quoted\".png".into(), "the file is empty".into()), Row::pending("c.gif".into())];
        let csv = to_csv(&rows, "abc123", "2026-01-01T00:00:00Z", num);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines.len(), 5, "header, three rows, and the empty rest after the last CRLF");
        assert_eq!(
            lines[1],
            "a.jpg,classified,night,0.875,false,sure,12.5,\"lights in the dark, black sky\",,,abc123,2026-01-01T00:00:00Z"
        );
        assert_eq!(lines[2], "\"b \"\"quoted\"\".png\",failed,,,,,,,the file is empty,,abc123,2026-01-01T00:00:00Z");
        assert_eq!(lines[3], "c.gif,pending,,,,,,,,,abc123,2026-01-01T00:00:00Z");
        assert_eq!(lines[4], "");
    }

    #[test]
    fn text_that_looks_like_a_formula_is_defused() {
        let mut row = Row::failed("=HYPERLINK(\"x\").jpg".into(), "-1 bytes".into());
        row.why = Some("@SUM(A1)".into());
        let csv = to_csv(&[row], "+m", "d", num);
        let line = csv.split("\r\n").nth(1).unwrap();
        assert_eq!(line, "\"'=HYPERLINK(\"\"x\"\").jpg\",failed,,,,,,'@SUM(A1),'-1 bytes,,'+m,d");
    }

    #[test]
    fn numbers_come_from_the_callers_formatter() {
        let csv = to_csv(&[classified()], "m", "d", |x| if x < 1.0 { "small".into() } else { "big".into() });
        assert!(csv.contains(",small,false,sure,big,"), "{csv}");
    }

    #[test]
    fn serializes_with_the_column_names() {
        let failed = serde_json::to_string(&Row::failed("x.png".into(), "the file is empty".into())).unwrap();
        assert_eq!(failed, r#"{"path":"x.png","status":"failed","error":"the file is empty"}"#);
        let value = serde_json::to_value(classified()).unwrap();
        let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        let mut columns: Vec<&str> = COLUMNS[..9].iter().copied().filter(|&c| c != "error").collect();
        keys.sort();
        columns.sort();
        assert_eq!(keys, columns, "every row field is a column, under the same name");
        assert_eq!(value["status"], "classified");
        assert_eq!(value["label"], "night");
        assert_eq!(value["tier"], "sure");
        assert_eq!(COLUMNS[4..6], ["uncertain", "tier"], "the tier right after uncertain, in the CLI's and the page's exports");
        assert_eq!(RowStatus::Failed.as_str(), "failed");
    }
}
