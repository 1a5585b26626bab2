//! How an answer is shown, in a result card and over the live camera alike.

use daynight_core::{tier, Label, Tier};
use leptos::prelude::*;

use super::status::{confidence, percent_sure};
use crate::classify::Classified;
use crate::util::format::exact;

/// Icon, words and one number: how sure the model is of its label, as a bar and as
/// text ("☀ Day ▮▮▮▮▯ 93 % sure", "☀ Probably day", "◐ Can't tell, leaning day").
#[component]
pub fn Verdict(
    /// The answer.
    result: Classified,
) -> impl IntoView {
    let icon = match (result.tier(), result.label) {
        (Tier::Unsure, _) => "◐",
        (_, Label::Day) => "☀",
        (_, Label::Night) => "☾",
    };
    let sure = confidence(&result);
    let percent = percent_sure(&result);
    view! {
        <p class="verdict"><span class="icon" aria-hidden="true">{icon}</span>" "{tier::headline(result.p_night)}</p>
        // Numbers are written by the browser (`exact`, `fixed`): an f64 attribute
        // would pull Rust's float formatting (~10 KB) into the wasm.
        <meter class="sure" min="0" max="1" value=exact(sure) aria-hidden="true"></meter>
        <p class="detail">{percent}" % sure"</p>
    }
}
