//! "It's day" / "it's night" on a result card: the user's truth for that photo,
//! which goes into the Teach list as its features and label.

use daynight_core::Label;
use leptos::prelude::*;

use crate::results::{agrees, Entry, Status};
use crate::teach::Teach;

/// The two mark buttons (toggles) and a line saying whether the model agreed.
/// Only for answered photos: a mark needs the photo's features.
#[component]
pub fn MarkButtons(
    /// The card's entry.
    entry: Entry,
    /// The marked examples.
    teach: Teach,
) -> impl IntoView {
    let Entry { name, status, example, .. } = entry;
    // A memo: the buttons are drawn once when the answer arrives, not again when a
    // new model re-scores it (a focused button would lose focus).
    let answered = {
        let status = status.clone();
        Memo::new(move |_| matches!(status.get(), Status::Done { .. }))
    };
    // Copy, so each closure below can read it.
    let mark = {
        let example = example.clone();
        Signal::derive(move || teach.label_of(example.get()))
    };
    let toggle = {
        let (status, example, name) = (status.clone(), example.clone(), name.clone());
        move |label: Label| {
            let Status::Done { result, .. } = status.get_untracked() else { return };
            let current = example.get_untracked();
            if teach.label_of(current) == Some(label) {
                // Pressing the mark that is on takes it off.
                if let Some(id) = current {
                    teach.unmark(id);
                }
                example.set(None);
            } else {
                example.set(Some(teach.mark(current, &name, label, &result.features)));
            }
        }
    };
    let button = move |label: Label, testid: &'static str, words: &'static str| {
        let toggle = toggle.clone();
        view! {
            <button type="button" class="mark" class:on=move || mark.get() == Some(label) data-testid=testid
                aria-pressed=move || (mark.get() == Some(label)).to_string()
                on:click=move |_| toggle(label)>{words}</button>
        }
    };
    let note = {
        let status = status.clone();
        move || {
            let mark = mark.get()?;
            let said = match status.get() {
                Status::Done { result, .. } if result.uncertain => format!("was unsure, leaning {}", result.label),
                Status::Done { result, .. } => format!("said {}", result.label),
                _ => return None,
            };
            let ok = agrees(&status.get(), Some(mark)) == Some(true);
            let verdict = if ok { "✓ the model agrees" } else { "✗ the model disagrees" };
            Some(view! {
                <p class="mark-note" class:wrong=!ok data-testid="mark-note">
                    "You marked it "{mark.as_str()}"; "{verdict}" (it "{said}")."
                </p>
            })
        }
    };
    let group_label = format!("Mark the truth for {name}");
    let shown = move || {
        answered.get().then(|| {
            view! {
                <div class="marks" role="group" aria-label=group_label.clone()>
                    {button(Label::Day, "mark-day", "☀ It's day")}
                    {button(Label::Night, "mark-night", "☾ It's night")}
                </div>
                {note.clone()}
            }
        })
    };
    shown.into_any()
}
