//! "What do the answers mean?": uncertain, the percentage and the reasons' words,
//! in plain language, folded away until asked for.

use leptos::prelude::*;

/// The explanation, fixed text written into a `<details>` as HTML: static markup
/// through `view!` would cost the first load generated code for every element.
const HELP_HTML: &str = "<summary>What do the answers mean?</summary><dl>\
<dt>Day / night and “% sure”</dt>\
<dd>The model's answer, and how sure it is of it: 50 % is a coin toss, 100 % is certain. \
It looks only at light and colour (how bright the sky and the ground are, lamps, blue sky, green leaves), \
not at clocks or the length of shadows, so it can be fooled.</dd>\
<dt>Uncertain</dt>\
<dd>The model is less than 90 % sure either way, so it will not commit: dusk and dawn, \
heavy overcast, indoor light, night-mode phone shots. It still says which way it leans. \
Mark the truth on such photos to teach it.</dd>\
<dt>The reasons</dt>\
<dd>The few things about the photo that weighed most towards the answer, compared with the photos the model \
learnt from. “Upper region” is the top third of the photo (usually the sky), “lower region” the bottom third \
(usually the ground); “point lights in darkness” are lamps and lit windows; “lamp-coloured light” is \
orange-yellow street or room lighting; “deep black areas” are shadows close to black; “daylight sky” is \
bright blue or bright grey sky.</dd>\
<dt>Could not be read</dt>\
<dd>The file is not an image this browser can decode, or it is damaged. Nothing else is affected.</dd></dl>";

/// The explanation, as a `<details>`.
#[component]
pub fn Help() -> impl IntoView {
    view! { <details class="help" data-testid="help" inner_html=HELP_HTML></details> }
}
