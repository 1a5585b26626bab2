//! The server's own model: an optional `model.json` beside `index.html` (same
//! origin), which replaces the built-in model for everyone using that deployment
//! (see docs/deploy.md, "A custom model").
//!
//! Fetched once at start with `cache: "no-cache"` (nginx serves it `no-cache` too),
//! so a new model reaches every visitor on their next visit. Its JSON is checked by
//! the trainer worker ([`crate::teach::client::check_model`]), which is only started when
//! there is a file to check.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};

use super::checked::CheckedModel;

/// Where the server's model is, relative to the page.
pub const URL: &str = "./model.json";

/// What the server offers.
#[derive(Debug, Clone, PartialEq)]
pub enum ClusterModel {
    /// No `model.json` (204 from this project's nginx, 404 elsewhere), or none could
    /// be fetched (offline and never cached):
    /// the built-in model is used, and nothing needs saying.
    Absent,
    /// A valid model file: use it, and say where it came from.
    Valid(CheckedModel),
    /// A file that is not a usable model; the message (for people) says why. The
    /// built-in model is used.
    Invalid(String),
}

/// Fetches and checks `./model.json`.
pub async fn cluster_model() -> ClusterModel {
    match fetch_text().await {
        Ok(None) => ClusterModel::Absent,
        Ok(Some(json)) => match crate::teach::client::check_model(json).await {
            Ok(model) => ClusterModel::Valid(model),
            Err(message) => ClusterModel::Invalid(message),
        },
        Err(message) => ClusterModel::Invalid(message),
    }
}

/// The file's text; `None` when there is none.
async fn fetch_text() -> Result<Option<String>, String> {
    let Some(window) = web_sys::window() else { return Ok(None) };
    let init = RequestInit::new();
    // Revalidate with the server every time: a model swapped on the server must not
    // hide behind a cached copy.
    init.set_cache(RequestCache::NoCache);
    // A network error (offline, with no copy in the service worker's cache) is not a
    // broken model: the page goes on with the built-in one.
    let Ok(response) = JsFuture::from(window.fetch_with_str_and_init(URL, &init)).await else { return Ok(None) };
    let response: Response = response.unchecked_into();
    // nginx answers 204 when the deployment has no model (a 404 would be logged as
    // an error in the console); other hosts answer 404.
    if matches!(response.status(), 204 | 404) {
        return Ok(None);
    }
    if !response.ok() {
        return Err(format!("the server answered {} for it", response.status()));
    }
    // A host that answers every path with the page itself has no model.json either.
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_default();
    if content_type.starts_with("text/html") {
        return Ok(None);
    }
    let unreadable = |_| "it could not be read".to_string();
    let text = JsFuture::from(response.text().map_err(unreadable)?).await.map_err(unreadable)?;
    Ok(text.as_string())
}
