//! One result card, and the list of them.

use leptos::prelude::*;

use super::status::{summary, Filter, Status};
use super::{Entry, Results, Verdict};
use crate::teach::{MarkButtons, Teach};
use crate::util::dom::focus_input;
use crate::util::format::{exact, fixed};

/// Every image, in the order added; the filter hides cards rather than removing
/// them, so a card keeps its state when the filter changes back.
#[component]
pub fn ResultList(
    /// The list.
    results: Results,
    /// The marked examples, for each card's mark.
    teach: Teach,
    /// Opens the larger view of an entry.
    on_view: Callback<u32>,
) -> impl IntoView {
    let filter = results.filter;
    // Whether the filter hides every card (each status and mark is tracked).
    let none_shown = move || {
        let filter = filter.get();
        filter != Filter::All
            && results
                .entries
                .with(|entries| !entries.iter().any(|e| filter.shows(&e.status.get(), teach.label_of(e.example.get()))))
    };
    // The filter is one attribute on the list, and the stylesheet hides the cards
    // (by their class, data-label and data-mark): no per-card work when it changes.
    view! {
        <Show when=none_shown>
            <p class="hint filter-empty" data-testid="filter-empty">"No photo in the list matches this filter."</p>
        </Show>
        <ul class="results" aria-label="Results" data-filter=move || filter.get().key()>
            <For each=move || results.entries.get() key=|entry| entry.id let(entry)>
                <ResultCard entry=entry teach=teach on_view=on_view
                    on_remove=Callback::new(move |id| remove(results, id)) />
            </For>
        </ul>
    }
}

/// Thumbnail, answer and reasons, or the error; the user's mark. The `data-*`
/// attributes are the stable hooks the browser tests read.
#[component]
pub fn ResultCard(
    /// The image.
    entry: Entry,
    /// The marked examples.
    teach: Teach,
    /// Called with the entry's id when its thumbnail is pressed.
    on_view: Callback<u32>,
    /// Called with the entry's id by its remove button.
    on_remove: Callback<u32>,
) -> impl IntoView {
    let Entry { id, name, thumb, status, example } = entry.clone();
    let done = {
        let status = status.clone();
        move || match status.get() {
            Status::Done { result, ms } => Some((result, ms)),
            _ => None,
        }
    };
    // The mark is looked up without tracking the whole Teach list: a card changes
    // only when its own `example` is set (see `MarkButtons`, `forget`), so one mark
    // does not touch hundreds of cards.
    let mark_attr = {
        let example = example.clone();
        move || teach.label_now(example.get())
    };
    let (label, p_night, tier_of, ms) = (done.clone(), done.clone(), done.clone(), done);
    let (error, class, busy, thumb_status, body_status) =
        (status.clone(), status.clone(), status.clone(), status.clone(), status);
    let remove_label = format!("Remove {name}");
    let view_label = format!("Larger view of {name}");
    view! {
        <li
            class=move || class.with(Status::kind).card_class()
            id=format!("result-{id}")
            data-testid="result"
            data-name=name.clone()
            data-label=move || label().map(|(r, _)| r.label.as_str())
            data-p-night=move || p_night().map(|(r, _)| exact(r.p_night))
            data-tier=move || tier_of().map(|(r, _)| r.tier().as_str())
            data-ms=move || ms().map(|(_, ms)| fixed(ms, 1))
            data-error=move || match error.get() {
                Status::Failed(message) => Some(message),
                _ => None,
            }
            data-mark=move || mark_attr().map(|l| l.as_str())
            aria-busy=move || (busy.get() == Status::Waiting).to_string()
        >
            // The thumbnail is the worker's small copy, made after a safe decode; it
            // opens the larger view.
            {move || match (thumb_status.get(), thumb.get()) {
                (Status::Done { .. }, Some(url)) => view! {
                    <button type="button" class="thumb-button" aria-label=view_label.clone() data-testid="view"
                        on:click=move |_| on_view.run(id)>
                        <img class="thumb" src=url alt="" decoding="async" />
                    </button>
                }.into_any(),
                (Status::Failed(_), _) => view! { <div class="thumb placeholder-thumb" aria-hidden="true">"⚠"</div> }.into_any(),
                _ => view! { <div class="thumb placeholder-thumb" aria-hidden="true"></div> }.into_any(),
            }}
            <div class="body">
                <p class="name" title=name.clone()>{name.clone()}</p>
                // Drawn again when the answer or the card's mark changes.
                {move || match (body_status.get(), teach.label_now(example.get())) {
                    (Status::Waiting, _) => view! { <p class="verdict">"Classifying…"</p> }.into_any(),
                    (Status::Failed(message), _) => view! {
                        <p class="verdict">"⚠ Could not be read"</p>
                        <p class="detail">{message}</p>
                    }.into_any(),
                    (Status::Done { result, ms }, mark) => {
                        let text = summary(&Status::Done { result: result.clone(), ms });
                        let why = result.explanation.clone();
                        view! {
                            <span class="sr-only">{text}". "</span>
                            <Verdict result=result.clone() />
                            <p class="why">{why}</p>
                            <MarkButtons entry=entry.clone() result=result mark=mark teach=teach />
                        }.into_any()
                    }
                }}
            </div>
            <button type="button" class="remove quiet" aria-label=remove_label title="Remove from the list"
                on:click=move |_| on_remove.run(id)>"×"</button>
        </li>
    }
}

/// Removes a card and keeps keyboard focus in the list: on the next shown card's
/// remove button, else the previous one's, else the page's input.
fn remove(results: Results, id: u32) {
    let card = document().get_element_by_id(&format!("result-{id}"));
    // The filter may hide the cards next to it.
    let shown = |step: fn(&web_sys::Element) -> Option<web_sys::Element>| {
        let mut at = card.as_ref().and_then(step);
        let hidden = |e: &&web_sys::Element| {
            wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(*e).is_some_and(|e| e.offset_parent().is_none())
        };
        while let Some(element) = at.as_ref().filter(hidden) {
            at = step(element);
        }
        at
    };
    let neighbour = shown(web_sys::Element::next_element_sibling).or_else(|| shown(web_sys::Element::previous_element_sibling));
    let target = neighbour.and_then(|n| n.query_selector("button.remove").ok().flatten());
    results.remove(id);
    match target.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()) {
        Some(button) => drop(button.focus()),
        None => focus_input(),
    }
}
