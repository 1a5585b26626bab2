//! How an answer is shown, in a result card and over the live camera alike.

use daynight_core::Label;
use leptos::prelude::*;

use super::status::{confidence, percent_sure, verdict_word};
use crate::classify::Classified;
use crate::util::format::exact;

/// Icon, word, and one number: how sure the model is of its label, as a bar and as
/// text ("☀ day ▮▮▮▮▯ 93 % sure"). An uncertain answer names the way it leans.
#[component]
pub fn Verdict(
    /// The answer.
    result: Classified,
) -> impl IntoView {
    let icon = match (result.uncertain, result.label) {
        (true, _) => "◐",
        (false, Label::Day) => "☀",
        (false, Label::Night) => "☾",
    };
    let sure = confidence(&result);
    let percent = percent_sure(&result);
    let leaning = if result.uncertain { format!("leaning {} · ", result.label) } else { String::new() };
    view! {
        <p class="verdict"><span class="icon" aria-hidden="true">{icon}</span>" "{verdict_word(&result)}</p>
        // Numbers are written by the browser (`exact`, `fixed`): an f64 attribute
        // would pull Rust's float formatting (~10 KB) into the wasm.
        <meter class="sure" min="0" max="1" value=exact(sure) aria-hidden="true"></meter>
        <p class="detail">{leaning}{percent}" % sure"</p>
    }
}
