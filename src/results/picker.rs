//! Choosing photos: a button that opens the file picker. Drag-and-drop and paste
//! work anywhere on the page (see `crate::app`).

use leptos::html::Input;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Results;

/// The "Choose photos" button and its hidden file input.
#[component]
pub fn Picker(results: Results) -> impl IntoView {
    let input = NodeRef::<Input>::new();
    let on_change = move |_| {
        let Some(input) = input.get() else { return };
        if let Some(files) = input.files() {
            results.add(files_to_images(&files));
        }
        // Clear the value so choosing the same file again still fires `change`.
        input.set_value("");
    };
    view! {
        <div class="picker">
            <button type="button" id="choose-photos" class="primary" on:click=move |_| {
                if let Some(input) = input.get() {
                    input.click();
                }
            }>"Choose photos"</button>
            <input
                node_ref=input
                id="file-input"
                class="visually-hidden"
                type="file"
                accept="image/*"
                multiple
                tabindex="-1"
                aria-hidden="true"
                on:change=on_change
            />
            // Which hint shows is up to the stylesheet: touch screens have no drag and
            // drop from a file manager and no Ctrl+V.
            <p class="hint pointer-hint">"…or drop them anywhere on this page, or paste one with Ctrl+V / ⌘V."</p>
            <p class="hint touch-hint">"…from your gallery or files, or take a photo with the camera."</p>
        </div>
    }
}

/// (name, data) for each file of a `FileList`. The name is the file's path below
/// the folder it was chosen from, where the browser gives one (`webkitRelativePath`),
/// so exports can tell `2024/IMG_0001.jpg` from `2025/IMG_0001.jpg`.
pub fn files_to_images(files: &web_sys::FileList) -> Vec<(String, web_sys::Blob)> {
    (0..files.length()).filter_map(|i| files.get(i)).map(|f| (display_name(&f), f.unchecked_into())).collect()
}

fn display_name(file: &web_sys::File) -> String {
    // Not in web-sys: a plain property read, empty when the file was not picked with its folder.
    let relative = js_sys::Reflect::get(file, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string());
    relative.filter(|p| !p.is_empty()).unwrap_or_else(|| file.name())
}
