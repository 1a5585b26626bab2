//! A larger view of one photo: a modal `<dialog>`, so the browser traps focus in it
//! and Esc closes it; focus then goes back to the thumbnail that opened it.
//!
//! It shows the worker's small copy made at classification time, scaled up: the page
//! keeps no photo (memory stays flat over hundreds of them, see issue 5), and the
//! copy is what the model saw, near enough.

use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::status::{summary, Status};
use super::Results;
use crate::util::format::fixed;

/// The dialog; `viewing` holds the id of the entry shown, `None` when closed.
#[component]
pub fn Lightbox(
    /// The list the entry is in.
    results: Results,
    /// The entry shown.
    viewing: RwSignal<Option<u32>>,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    // The element that had focus when the dialog opened.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move || {
        let Some(dialog) = dialog.get() else { return };
        if viewing.get().is_some() {
            if !dialog.open() {
                let active = document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                opener.set_value(active);
                let _ = dialog.show_modal();
            }
        } else if dialog.open() {
            dialog.close();
        }
    });
    // Esc, the close button or a click on the backdrop all end here.
    let on_close = move |_| {
        viewing.set(None);
        if let Some(element) = opener.try_update_value(Option::take).flatten() {
            let _ = element.focus();
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    // A click on the backdrop lands on the dialog element itself.
    let on_click = move |event: web_sys::MouseEvent| {
        let target = event.target().map(wasm_bindgen::JsValue::from);
        if target.is_some() && target == dialog.get_untracked().map(wasm_bindgen::JsValue::from) {
            close(());
        }
    };
    let shown = move || {
        let id = viewing.get()?;
        results.entries.with(|entries| entries.iter().find(|e| e.id == id).cloned())
    };
    view! {
        <dialog node_ref=dialog class="lightbox" data-testid="lightbox" aria-labelledby="lightbox-title"
            on:close=on_close on:click=on_click>
            {move || shown().map(|entry| {
                let (thumb, status) = (entry.thumb.clone(), entry.status.clone());
                let alt = format!("{} (enlarged)", entry.name);
                view! {
                    <div class="lightbox-body">
                        <h2 id="lightbox-title">{entry.name.clone()}</h2>
                        {move || thumb.get().map(|url| view! { <img src=url alt=alt.clone() /> })}
                        <p>{let status = status.clone(); move || summary(&status.get())}</p>
                        // The timings live here, not in the card's headline.
                        <p class="detail" data-testid="lightbox-timing">{move || timing(&status.get())}</p>
                        <button type="button" class="primary" data-testid="lightbox-close" on:click=move |_| close(())>"Close"</button>
                    </div>
                }
            })}
        </dialog>
    }
}

/// "4032 × 3024 px · read in 48 ms (31 ms decoding, 0.4 ms classifying)".
fn timing(status: &Status) -> Option<String> {
    let Status::Done { result, ms } = status else { return None };
    let size = if result.width > 0 { format!("{} × {} px · ", result.width, result.height) } else { String::new() };
    Some(format!(
        "{size}read in {} ms ({} ms decoding, {} ms classifying)",
        fixed(*ms, 0),
        fixed(result.decode_ms, 0),
        fixed(result.work_ms, 1)
    ))
}
