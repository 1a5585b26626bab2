//! The page's document: keyboard focus and downloads.

use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Moves keyboard focus to the element with this id, if it is on the page.
pub fn focus_by_id(id: &str) {
    let element = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Moves keyboard focus to the input of the tab shown: "Choose photos", or the
/// camera's Start/Stop button. For controls that go away with what they acted on.
pub fn focus_input() {
    focus_by_id("choose-photos");
    focus_by_id("camera-toggle");
}

/// Saves `content` as a download named `filename`, without any network request.
pub fn download(filename: &str, mime: &str, content: &str) -> Result<(), JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&content.into());
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let link: HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(filename);
    link.click();
    // Some browsers read the URL after the click returns: release it a moment later.
    leptos::prelude::set_timeout(move || drop(Url::revoke_object_url(&url)), std::time::Duration::from_secs(10));
    Ok(())
}
