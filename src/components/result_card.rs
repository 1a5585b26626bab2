//! One result card, and the list of them.

use daynight_core::Label;
use leptos::prelude::*;

use crate::protocol::{exact, fixed};
use crate::results::{summary, Entry, Results, Status};

/// Every image, in the order added.
#[component]
pub fn ResultList(results: Results) -> impl IntoView {
    view! {
        <ul class="results" aria-label="Results">
            <For each=move || results.entries.get() key=|entry| entry.id let(entry)>
                <ResultCard entry=entry />
            </For>
        </ul>
    }
}

/// Thumbnail, label, probability bar, time and reasons, or the error. The `data-*`
/// attributes are the stable hooks the browser tests read.
#[component]
pub fn ResultCard(entry: Entry) -> impl IntoView {
    let status = entry.status;
    let done = move || match status.get() {
        Status::Done { result, ms } => Some((result, ms)),
        _ => None,
    };
    let label = move || done().map(|(r, _)| r.label.as_str());
    let p_night = move || done().map(|(r, _)| exact(r.p_night));
    let ms = move || done().map(|(_, ms)| fixed(ms, 1));
    let error = move || match status.get() {
        Status::Failed(message) => Some(message),
        _ => None,
    };
    let class = move || match status.get() {
        Status::Waiting => "card waiting",
        Status::Failed(_) => "card error",
        Status::Done { result, .. } if result.uncertain => "card uncertain",
        Status::Done { result, .. } if result.label == Label::Night => "card night",
        Status::Done { .. } => "card day",
    };
    let name = entry.name.clone();
    let thumb = entry.thumb;
    view! {
        <li
            class=class
            data-testid="result"
            data-name=entry.name.clone()
            data-label=label
            data-p-night=p_night
            data-ms=ms
            data-error=error
            aria-busy=move || (status.get() == Status::Waiting).to_string()
        >
            // The thumbnail is the worker's small copy, made after a safe decode.
            {move || match (status.get(), thumb.get()) {
                (Status::Done { .. }, Some(url)) => view! { <img class="thumb" src=url alt="" decoding="async" /> }.into_any(),
                (Status::Failed(_), _) => view! { <div class="thumb placeholder-thumb" aria-hidden="true">"⚠"</div> }.into_any(),
                _ => view! { <div class="thumb placeholder-thumb" aria-hidden="true"></div> }.into_any(),
            }}
            <div class="body">
                <p class="name" title=name.clone()>{name.clone()}</p>
                {move || match status.get() {
                    Status::Waiting => view! { <p class="verdict">"Classifying…"</p> }.into_any(),
                    Status::Failed(message) => view! {
                        <p class="verdict">"⚠ Could not classify"</p>
                        <p class="detail">{message}</p>
                    }.into_any(),
                    Status::Done { result, ms } => {
                        let (icon, word) = match (result.uncertain, result.label) {
                            (true, _) => ("◐", "uncertain"),
                            (false, Label::Day) => ("☀", "day"),
                            (false, Label::Night) => ("☾", "night"),
                        };
                        let sure = if result.label == Label::Night { result.p_night } else { 1.0 - result.p_night };
                        let text = summary(&Status::Done { result: result.clone(), ms });
                        view! {
                            <p class="verdict"><span class="icon" aria-hidden="true">{icon}</span>" "{word}</p>
                            // Numbers are written by the browser (`exact`): an f64 attribute
                            // would pull Rust's float formatting (~10 KB) into the wasm.
                            <meter min="0" max="1" low="0.35" high="0.65" optimum="0.5" value=exact(result.p_night)
                                title=format!("probability of night: {} %", fixed(result.p_night * 100.0, 0))
                                aria-label="probability of night"></meter>
                            <p class="detail">
                                <span class="sr-only">{text}". "</span>
                                {format!("{} % {} · {} ms", fixed(sure * 100.0, 0), result.label.as_str(), fixed(ms, 0))}
                            </p>
                            <p class="why">{result.explanation}</p>
                        }.into_any()
                    }
                }}
            </div>
        </li>
    }
}
