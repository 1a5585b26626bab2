//! Batch progress, export and clear.

use leptos::prelude::*;

use crate::export;
use crate::results::Results;

/// Shown once there are results: a progress bar while a batch runs, and the actions.
#[component]
pub fn Toolbar(results: Results) -> impl IntoView {
    let total = results.batch_total;
    let done = results.batch_done;
    let running = move || done.get() < total.get();
    let save = move |csv: bool| {
        let rows = results.entries.with_untracked(|entries| export::rows(entries));
        let outcome = if csv {
            export::download("daynight-results.csv", "text/csv", &export::to_csv(&rows))
        } else {
            export::download("daynight-results.json", "application/json", &export::to_json(&rows))
        };
        if outcome.is_err() {
            results.announcement.set("The export could not be saved.".into());
        }
    };
    view! {
        <div class="toolbar">
            <div class="progress" class:active=running>
                <progress max=move || total.get().max(1) value=move || done.get() aria-label="batch progress"></progress>
                <span data-testid="progress">{move || format!("{} of {} classified", done.get(), total.get())}</span>
            </div>
            <div class="actions">
                <button type="button" on:click=move |_| save(true)>"Export CSV"</button>
                <button type="button" on:click=move |_| save(false)>"Export JSON"</button>
                <button type="button" class="quiet" on:click=move |_| results.clear()>"Clear"</button>
            </div>
        </div>
    }
}
