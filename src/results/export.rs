//! Exporting results as CSV or JSON, downloaded straight from memory.
//!
//! The rows and the CSV writer are the command line's (`daynight_core::report`), so
//! a page export and `daynight classify --format csv` have the same columns. The
//! model column is the id of the model in use ([`crate::model::ModelInUse::id`]).

use daynight_core::report::{Row, RowStatus};
use daynight_core::{Label, Tier};

use super::status::Status;

/// The row for one image, with the user's mark on it; an image still waiting is
/// exported as pending.
pub fn row(name: &str, status: &Status, mark: Option<Label>) -> Row {
    let row = match status {
        Status::Waiting => Row::pending(name.to_string()),
        Status::Failed(message) => Row::failed(name.to_string(), message.clone()),
        Status::Done { result, ms } => Row {
            status: RowStatus::Classified,
            label: Some(result.label),
            p_night: Some(result.p_night),
            uncertain: Some(result.uncertain),
            tier: Some(Tier::of(result.p_night)),
            ms: Some((ms * 10.0).round() / 10.0),
            why: Some(result.explanation.clone()),
            ..Row::pending(name.to_string())
        },
    };
    Row { mark, ..row }
}

/// The sentence for the live region once a file is saved: it says when pending
/// photos are in the file.
pub fn saved_sentence(rows: &[Row]) -> String {
    match rows.iter().filter(|r| r.status == RowStatus::Pending).count() {
        0 => format!("Exported {} results.", rows.len()),
        n => format!("Exported {} results; {n} still being classified are marked pending.", rows.len()),
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{save, to_json};

#[cfg(target_arch = "wasm32")]
mod browser {
    use daynight_core::report::{self, Row, COLUMNS};
    use wasm_bindgen::JsValue;

    use crate::util::dom::download;
    use crate::util::format::exact;

    /// Downloads `rows` as CSV (`csv`) or JSON, stamped with the model id and the
    /// date. Returns a sentence for the live region.
    pub fn save(rows: &[Row], model: &str, csv: bool) -> Result<String, JsValue> {
        let date = String::from(js_sys::Date::new_0().to_iso_string());
        if csv {
            download("daynight-results.csv", "text/csv;charset=utf-8", &report::to_csv(rows, model, &date, exact))?;
        } else {
            download("daynight-results.json", "application/json", &to_json(rows, model, &date))?;
        }
        Ok(super::saved_sentence(rows))
    }

    /// Pretty-printed JSON array with the CSV's columns (`null` when absent). The
    /// browser's `JSON.stringify` writes it: no JSON encoder in the wasm.
    pub fn to_json(rows: &[Row], model: &str, date: &str) -> String {
        let text = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from);
        let array = js_sys::Array::new();
        for row in rows {
            let object = js_sys::Object::new();
            let values = [
                JsValue::from(row.path.as_str()),
                JsValue::from(row.status.as_str()),
                text(row.label.map(|l| l.as_str())),
                row.p_night.map_or(JsValue::NULL, JsValue::from),
                row.uncertain.map_or(JsValue::NULL, JsValue::from),
                text(row.tier.map(|t| t.as_str())),
                row.ms.map_or(JsValue::NULL, JsValue::from),
                text(row.why.as_deref()),
                text(row.error.as_deref()),
                text(row.mark.map(|l| l.as_str())),
                JsValue::from(model),
                JsValue::from(date),
            ];
            for (key, value) in COLUMNS.iter().zip(values) {
                let _ = js_sys::Reflect::set(&object, &(*key).into(), &value);
            }
            array.push(&object);
        }
        js_sys::JSON::stringify_with_replacer_and_space(&array, &JsValue::NULL, &2.into()).map(String::from).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::classify::protocol::sample;

    #[test]
    fn exports_keep_every_photo_with_its_status() {
        let rows = [
            row("=cmd, \"quoted\".jpg", &Status::Done { result: sample(Label::Day, 0.125), ms: 20.04 }, Some(Label::Night)),
            row("empty.jpg", &Status::Failed("the file is empty".into()), None),
            row("later.jpg", &Status::Waiting, None),
        ];
        assert_eq!(rows[0].path, "=cmd, \"quoted\".jpg");
        assert_eq!(rows[0].status, RowStatus::Classified);
        assert_eq!((rows[0].label, rows[0].p_night, rows[0].uncertain), (Some(Label::Day), Some(0.125), Some(false)));
        assert_eq!(rows[0].tier, Some(Tier::Probably), "the tier of p_night 0.125");
        assert_eq!(rows[0].ms, Some(20.0), "to a tenth of a millisecond");
        assert_eq!(rows[0].why.as_deref(), Some("dark upper region, point lights in darkness"));
        assert_eq!((rows[1].status, rows[1].label), (RowStatus::Failed, None));
        assert_eq!(rows[1].error.as_deref(), Some("the file is empty"));
        assert_eq!(rows[2].status, RowStatus::Pending);
        assert_eq!((rows[0].mark, rows[1].mark), (Some(Label::Night), None), "the user's mark goes with its row");
        assert_eq!(saved_sentence(&rows), "Exported 3 results; 1 still being classified are marked pending.");
        assert_eq!(saved_sentence(&rows[..2]), "Exported 2 results.");
        let csv = daynight_core::report::to_csv(&rows, "0123456789ab", "today", |x| x.to_string());
        assert!(csv.starts_with('\u{feff}'), "a BOM, so spreadsheets read UTF-8");
        assert!(csv.contains("'=cmd"), "a name that starts like a formula is defused");
        assert_eq!(csv.matches("0123456789ab").count(), 3, "every row names the model");
    }
}
