//! "What do the answers mean?", folded away until asked for (its text: [`super::help_text`]).

use leptos::prelude::*;

use super::help_text::help_html;

/// The explanation, as a `<details>`.
#[component]
pub fn Help() -> impl IntoView {
    view! { <details class="help" data-testid="help" inner_html=help_html()></details> }
}
