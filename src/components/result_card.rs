//! One result card, and the list of them.

use leptos::prelude::*;

use crate::app::focus_input;
use crate::components::Verdict;
use crate::protocol::{exact, fixed};
use crate::results::{summary, Entry, Results, Status};

/// Every image, in the order added.
#[component]
pub fn ResultList(results: Results) -> impl IntoView {
    view! {
        <ul class="results" aria-label="Results">
            <For each=move || results.entries.get() key=|entry| entry.id let(entry)>
                <ResultCard entry=entry on_remove=Callback::new(move |id| remove(results, id)) />
            </For>
        </ul>
    }
}

/// Thumbnail, answer and reasons, or the error. The `data-*` attributes are the
/// stable hooks the browser tests read.
#[component]
pub fn ResultCard(
    /// The image.
    entry: Entry,
    /// Called with the entry's id by its remove button.
    on_remove: Callback<u32>,
) -> impl IntoView {
    let Entry { id, name, thumb, status } = entry;
    let done = {
        let status = status.clone();
        move || match status.get() {
            Status::Done { result, ms } => Some((result, ms)),
            _ => None,
        }
    };
    let (label, p_night, ms) = (done.clone(), done.clone(), done);
    let (error, class, busy, thumb_status, body_status) =
        (status.clone(), status.clone(), status.clone(), status.clone(), status);
    let remove_label = format!("Remove {name}");
    view! {
        <li
            class=move || class.with(Status::kind).card_class()
            id=format!("result-{id}")
            data-testid="result"
            data-name=name.clone()
            data-label=move || label().map(|(r, _)| r.label.as_str())
            data-p-night=move || p_night().map(|(r, _)| exact(r.p_night))
            data-ms=move || ms().map(|(_, ms)| fixed(ms, 1))
            data-error=move || match error.get() {
                Status::Failed(message) => Some(message),
                _ => None,
            }
            aria-busy=move || (busy.get() == Status::Waiting).to_string()
        >
            // The thumbnail is the worker's small copy, made after a safe decode.
            {move || match (thumb_status.get(), thumb.get()) {
                (Status::Done { .. }, Some(url)) => view! { <img class="thumb" src=url alt="" decoding="async" /> }.into_any(),
                (Status::Failed(_), _) => view! { <div class="thumb placeholder-thumb" aria-hidden="true">"⚠"</div> }.into_any(),
                _ => view! { <div class="thumb placeholder-thumb" aria-hidden="true"></div> }.into_any(),
            }}
            <div class="body">
                <p class="name" title=name.clone()>{name.clone()}</p>
                {move || match body_status.get() {
                    Status::Waiting => view! { <p class="verdict">"Classifying…"</p> }.into_any(),
                    Status::Failed(message) => view! {
                        <p class="verdict">"⚠ Could not classify"</p>
                        <p class="detail">{message}</p>
                    }.into_any(),
                    Status::Done { result, ms } => {
                        let text = summary(&Status::Done { result: result.clone(), ms });
                        let why = result.explanation.clone();
                        view! {
                            <span class="sr-only">{text}". "</span>
                            <Verdict result=result after=format!(" · {} ms", fixed(ms, 0)) />
                            <p class="why">{why}</p>
                        }.into_any()
                    }
                }}
            </div>
            <button type="button" class="remove quiet" aria-label=remove_label title="Remove from the list"
                on:click=move |_| on_remove.run(id)>"×"</button>
        </li>
    }
}

/// Removes a card and keeps keyboard focus in the list: on the next card's remove
/// button, else the previous one's, else the page's input.
fn remove(results: Results, id: u32) {
    let card = document().get_element_by_id(&format!("result-{id}"));
    let neighbour = card.and_then(|c| c.next_element_sibling().or_else(|| c.previous_element_sibling()));
    let target = neighbour.and_then(|n| n.query_selector("button.remove").ok().flatten());
    results.remove(id);
    match target.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()) {
        Some(button) => drop(button.focus()),
        None => focus_input(),
    }
}
