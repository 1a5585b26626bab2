//! The help's text ("What do the answers mean?") as HTML: the three tiers, the
//! percentage, every reason a card can give and "could not be read". The tiers'
//! cut-offs and the reasons' words come from core ([`daynight_core::tier`],
//! [`daynight_core::explain::PHRASES`]), the same table the cards are written from,
//! so the help explains exactly the phrases that can appear.

use daynight_core::explain::{Phrase, NOTHING_TO_JUDGE, PHRASES};
use daynight_core::Label;

/// The fixed part before the reasons. HTML written into a `<details>`: static markup
/// through `view!` would cost the first load generated code for every element.
const TIERS_HTML: &str = "<summary>What do the answers mean?</summary><dl>\
<dt>Day / Night</dt>\
<dd>At least 90 % sure. Answers this sure were right 98 % of the time on photos the model had not seen.</dd>\
<dt>Probably day / Probably night</dt>\
<dd>70 to 89 % sure: usually right (87 % of the time), worth a look.</dd>\
<dt>Can't tell, leaning day / night</dt>\
<dd>Under 70 % sure: dusk and dawn, heavy overcast, indoor light, night-mode phone shots. \
It says which way it leans, which is right about 7 times in 10. Mark the truth on such photos to teach it.</dd>\
<dt>“% sure”</dt>\
<dd>How sure the model is of the side it gives, rounded down: 50 % is a coin toss, and it never says 100 %. \
It looks only at light and colour, not at clocks or the length of shadows, so it can be fooled.</dd>\
<dt>The reasons</dt><dd>The few things about the photo that weighed most towards the answer, \
compared with the photos the model learnt from; what was seen comes first.<dl class=\"phrases\">";

const END_HTML: &str = "</dl></dd>\
<dt>Could not be read</dt>\
<dd>The file is not an image this browser can decode, or it is damaged. Nothing else is affected.</dd></dl>";

/// The whole help as HTML: the tiers, then every phrase with what it means.
pub fn help_html() -> String {
    let mut html = String::from(TIERS_HTML);
    let mut add = |phrase: &Phrase| {
        html.push_str("<dt>");
        html.push_str(phrase.words);
        html.push_str("</dt><dd>");
        html.push_str(phrase.meaning);
        html.push_str("</dd>");
    };
    for side in [Label::Day, Label::Night] {
        PHRASES.iter().filter(|p| p.side == Some(side)).for_each(&mut add);
    }
    add(&NOTHING_TO_JUDGE);
    html + END_HTML
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_explains_every_phrase_a_card_can_give_and_the_tiers() {
        let html = help_html();
        for phrase in PHRASES.iter().chain([&NOTHING_TO_JUDGE]) {
            assert!(html.contains(&format!("<dt>{}</dt>", phrase.words)), "{}", phrase.words);
        }
        for words in
            ["Day / Night", "Probably day", "Can't tell, leaning", "90 %", "70 to 89 %", "Under 70 %", "Could not be read"]
        {
            assert!(html.contains(words), "{words}");
        }
        assert_eq!(html.matches("<dl").count(), html.matches("</dl>").count(), "balanced lists");
    }
}
