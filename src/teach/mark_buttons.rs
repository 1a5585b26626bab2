//! "It's day" / "it's night" on a result card: the user's truth for that photo,
//! which goes into the Teach list as its features and label.

use std::time::Duration;

use daynight_core::Label;
use leptos::prelude::*;

use super::marks::Teach;
use crate::classify::Classified;
use crate::results::{Entry, Status};
use crate::util::dom::focus_by_id;

/// The two mark buttons (toggles) and a line saying whether the model agreed.
///
/// Nothing here is reactive: the card draws this part again when its answer or its
/// mark changes. A reactive attribute costs memory on each of hundreds of cards
/// (see tests/e2e/memory.test.mjs), a redraw only when the user presses a mark.
#[component]
pub fn MarkButtons(
    /// The card's entry.
    entry: Entry,
    /// Its current answer.
    result: Classified,
    /// The user's mark on it, if any.
    mark: Option<Label>,
    /// The marked examples.
    teach: Teach,
) -> impl IntoView {
    let Entry { id, name, status, example, .. } = entry;
    let toggle = {
        let name = name.clone();
        move |label: Label| {
            // The features are read when pressed, not kept by every card's closure.
            let Status::Done { result, .. } = status.get_untracked() else { return };
            let current = example.get_untracked();
            if teach.label_now(current) == Some(label) {
                // Pressing the mark that is on takes it off.
                if let Some(example_id) = current {
                    teach.unmark(example_id);
                }
                example.set(None);
            } else {
                example.set(Some(teach.mark(current, &name, label, &result.features)));
            }
            // The buttons are drawn again: keep keyboard focus on the one pressed.
            let button = button_id(id, label);
            set_timeout(move || focus_by_id(&button), Duration::ZERO);
        }
    };
    let button = |label: Label, testid: &'static str, words: &'static str| {
        let toggle = toggle.clone();
        view! {
            <button type="button" class="mark" id=button_id(id, label) data-testid=testid
                aria-pressed=(mark == Some(label)).to_string()
                on:click=move |_| toggle(label)>{words}</button>
        }
    };
    let note = mark.map(|mark| {
        let ok = result.label == mark;
        let verdict = if ok { "✓ the model agrees" } else { "✗ the model disagrees" };
        let said = format!("said {}", daynight_core::tier::headline(result.p_night).to_ascii_lowercase());
        view! {
            <p class="mark-note" class:wrong=!ok data-testid="mark-note">
                "You marked it "{mark.as_str()}"; "{verdict}" (it "{said}"). "
                "Next: mark more, then “Retrain” (in the bar above the results, or at the bottom of the page)."
            </p>
        }
    });
    view! {
        <div class="marks" role="group" aria-label=format!("Mark the truth for {name}")>
            {button(Label::Day, "mark-day", "☀ It's day")}
            {button(Label::Night, "mark-night", "☾ It's night")}
        </div>
        {note}
    }
}

/// The id of a card's mark button, to give it focus back after a redraw.
fn button_id(entry: u32, label: Label) -> String {
    format!("mark-{entry}-{}", label.as_str())
}
