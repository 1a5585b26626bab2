//! Batch progress, a summary of the list, the filter, export and clear.

use leptos::prelude::*;

use super::export;
use super::status::{Filter, Tally};
use super::{Entry, Results};
use crate::model::Models;
use crate::teach::Teach;
use crate::util::dom::focus_input;

/// Shown once there are results: the batch's progress while it runs, a count of the
/// whole list by outcome, and the actions.
#[component]
pub fn Toolbar(results: Results, models: Models, teach: Teach) -> impl IntoView {
    let total = results.batch_total;
    let done = results.batch_done;
    let running = move || done.get() < total.get();
    // Re-counted whenever the list or any answer changes (each status is tracked).
    let tally = move || {
        results.entries.with(|entries| {
            entries.iter().for_each(|e| e.status.track());
            Tally::of(entries.iter().map(Entry::kind))
        })
    };
    let save = move |csv: bool| {
        // The model column names the model in use, as `data-model` does.
        let model = models.in_use.with_untracked(|m| m.id.clone());
        let rows: Vec<_> = results.entries.with_untracked(|entries| {
            entries
                .iter()
                .map(|e| export::row(&e.name, &e.status.get_untracked(), teach.label_now(e.example.get_untracked())))
                .collect()
        });
        let outcome = export::save(&rows, &model, csv);
        let message = match outcome {
            Ok(note) => note,
            Err(_) => "The export could not be saved.".into(),
        };
        results.announcement.set(message);
    };
    let clear = move |_| {
        results.clear();
        // The toolbar goes away with the list: keep keyboard focus on the page's
        // input instead of letting it fall to <body>.
        focus_input();
    };
    view! {
        <div class="toolbar" data-testid="toolbar">
            <div class="progress" class:active=running>
                <Show when=running fallback=move || view! {
                    <span data-testid="summary">{move || tally().sentence()}</span>
                }>
                    <progress max=move || total.get().max(1) value=move || done.get() aria-label="batch progress"></progress>
                    <span data-testid="progress">{move || format!("{} of {} classified", done.get(), total.get())}</span>
                </Show>
            </div>
            <label class="filter">"Show "
                <select data-testid="filter" on:change=move |ev| results.filter.set(Filter::from_key(&event_target_value(&ev)))>
                    {Filter::ALL.map(|f| view! {
                        <option value=f.key() selected=move || results.filter.get() == f>{f.words()}</option>
                    })}
                </select>
            </label>
            <div class="actions">
                <button type="button" on:click=move |_| save(true)>"Export CSV"</button>
                <button type="button" on:click=move |_| save(false)>"Export JSON"</button>
                <button type="button" class="quiet" on:click=clear>"Clear"</button>
                // Marks are made on the cards; retraining is at the bottom of the page.
                // This one stays in view with the toolbar.
                {move || {
                    let (day, night) = teach.counts();
                    (day + night > 0).then(|| view! {
                        <button type="button" class="primary" data-testid="retrain-shortcut"
                            on:click=move |_| go_retrain()>{format!("Retrain ({} marked)", day + night)}</button>
                    })
                }}
            </div>
        </div>
    }
}

/// Shows the Teach section and presses its Retrain button, so its progress and
/// result are in view.
fn go_retrain() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(section) = document.get_element_by_id("teach-title") {
        section.scroll_into_view();
    }
    let button = document.query_selector(r#"[data-testid="retrain"]"#).ok().flatten();
    if let Some(button) = button.and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok()) {
        let _ = button.focus();
        button.click();
    }
}
