//! Exporting results as CSV or JSON, downloaded straight from memory.
//!
//! The rows and the CSV writer are the command line's (`daynight_core::report`), so
//! a page export and `daynight classify --format csv` have the same columns.

use daynight_core::report::{self, Row, RowStatus, COLUMNS};
use leptos::prelude::GetUntracked;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::protocol::exact;
use crate::results::{Entry, Status};

/// One row per entry, in list order; photos still waiting are included as pending.
pub fn rows(entries: &[Entry]) -> Vec<Row> {
    entries
        .iter()
        .map(|entry| match entry.status.get_untracked() {
            Status::Waiting => Row::pending(entry.name.clone()),
            Status::Failed(message) => Row::failed(entry.name.clone(), message),
            Status::Done { result, ms } => Row {
                status: RowStatus::Classified,
                label: Some(result.label),
                p_night: Some(result.p_night),
                uncertain: Some(result.uncertain),
                ms: Some((ms * 10.0).round() / 10.0),
                why: Some(result.explanation),
                ..Row::pending(entry.name.clone())
            },
        })
        .collect()
}

/// Downloads the list as CSV (`csv`) or JSON, stamped with the model id and the
/// date. Returns a sentence for the live region, which says when pending photos
/// are in the file.
pub fn save(entries: &[Entry], model: &str, csv: bool) -> Result<String, JsValue> {
    let rows = rows(entries);
    let date = String::from(js_sys::Date::new_0().to_iso_string());
    if csv {
        download("daynight-results.csv", "text/csv;charset=utf-8", &report::to_csv(&rows, model, &date, exact))?;
    } else {
        download("daynight-results.json", "application/json", &to_json(&rows, model, &date))?;
    }
    let pending = rows.iter().filter(|r| r.status == RowStatus::Pending).count();
    Ok(match pending {
        0 => format!("Exported {} results.", rows.len()),
        n => format!("Exported {} results; {n} still being classified are marked pending.", rows.len()),
    })
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
            row.ms.map_or(JsValue::NULL, JsValue::from),
            text(row.why.as_deref()),
            text(row.error.as_deref()),
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

/// Saves `content` as a download named `filename`, without any network request.
pub fn download(filename: &str, mime: &str, content: &str) -> Result<(), JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&content.into());
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(filename);
    link.click();
    // Some browsers read the URL after the click returns: release it a moment later.
    leptos::prelude::set_timeout(move || drop(Url::revoke_object_url(&url)), std::time::Duration::from_secs(10));
    Ok(())
}
