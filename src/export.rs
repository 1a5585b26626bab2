//! Exporting results as CSV or JSON, downloaded straight from memory.

use leptos::prelude::GetUntracked;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::protocol::{exact, fixed};
use crate::results::{Entry, Status};

/// One exported line: the same columns in CSV and JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// File name.
    pub name: String,
    /// `day` or `night`; empty for an error.
    pub label: Option<String>,
    /// Probability of night.
    pub p_night: Option<f64>,
    /// Inside the model's uncertain band.
    pub uncertain: Option<bool>,
    /// Milliseconds from hand-over to answer.
    pub ms: Option<f64>,
    /// The plain-language reasons.
    pub explanation: Option<String>,
    /// Why the image could not be classified.
    pub error: Option<String>,
}

/// Rows for every finished entry (waiting ones are left out).
pub fn rows(entries: &[Entry]) -> Vec<Row> {
    entries
        .iter()
        .filter_map(|entry| {
            let empty = Row { name: entry.name.clone(), label: None, p_night: None, uncertain: None, ms: None, explanation: None, error: None };
            match entry.status.get_untracked() {
                Status::Waiting => None,
                Status::Failed(message) => Some(Row { error: Some(message), ..empty }),
                Status::Done { result, ms } => Some(Row {
                    label: Some(result.label.to_string()),
                    p_night: Some(result.p_night),
                    uncertain: Some(result.uncertain),
                    ms: Some((ms * 10.0).round() / 10.0),
                    explanation: Some(result.explanation),
                    ..empty
                }),
            }
        })
        .collect()
}

/// CSV with a header line (RFC 4180 quoting).
pub fn to_csv(rows: &[Row]) -> String {
    let mut out = String::from("name,label,p_night,uncertain,ms,explanation,error\n");
    for row in rows {
        let fields = [
            field(&row.name),
            row.label.clone().unwrap_or_default(),
            row.p_night.map(exact).unwrap_or_default(),
            row.uncertain.map(|u| u.to_string()).unwrap_or_default(),
            row.ms.map(|ms| fixed(ms, 1)).unwrap_or_default(),
            field(row.explanation.as_deref().unwrap_or_default()),
            field(row.error.as_deref().unwrap_or_default()),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// A text field, quoted when needed. A leading `=`, `+`, `-` or `@` gets a `'` so a
/// spreadsheet never runs a file name as a formula.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Pretty-printed JSON array with the same fields as the CSV (`null` when absent).
/// The browser's `JSON.stringify` writes it: no JSON encoder in the wasm.
pub fn to_json(rows: &[Row]) -> String {
    let opt_text = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from);
    let opt_num = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
    let array = js_sys::Array::new();
    for row in rows {
        let object = js_sys::Object::new();
        let fields = [
            ("name", JsValue::from(row.name.as_str())),
            ("label", opt_text(&row.label)),
            ("p_night", opt_num(row.p_night)),
            ("uncertain", row.uncertain.map_or(JsValue::NULL, JsValue::from)),
            ("ms", opt_num(row.ms)),
            ("explanation", opt_text(&row.explanation)),
            ("error", opt_text(&row.error)),
        ];
        for (key, value) in fields {
            let _ = js_sys::Reflect::set(&object, &key.into(), &value);
        }
        array.push(&object);
    }
    js_sys::JSON::stringify_with_replacer_and_space(&array, &JsValue::NULL, &2.into())
        .map(String::from)
        .unwrap_or_default()
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
