//! The reasons an answer gives, in plain words: every phrase that can appear on a card
//! or in the CLI's `why`, with a line for people that says what it means ([`PHRASES`]).
//!
//! The page's help renders this table, and each feature's words in
//! [`crate::features::FEATURES`] are looked up in it when the crate compiles (a phrase
//! that is not here does not build), so the help and the cards cannot disagree.
//!
//! A phrase is a few words without a comma (explanations join phrases with `", "`) and
//! is a reason for one answer only. It says either what was seen in the photo ("lights
//! in the dark") or what was missing that the other answer would show ("no lights in
//! the dark"); an explanation puts what was seen first.

use crate::label::Label;
use crate::model::{Contribution, Prediction};

/// One phrase a reason can be said in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phrase {
    /// The words on a card, e.g. "bright blue sky": short, no comma.
    pub words: &'static str,
    /// What they mean, in one line for people (the help's text).
    pub meaning: &'static str,
    /// The answer the phrase is a reason for; `None` only for [`NOTHING_TO_JUDGE`].
    pub side: Option<Label>,
    /// Something seen in the photo (`true`), or the absence of something the other
    /// answer would show (`false`, e.g. "no black sky").
    pub seen: bool,
}

const fn seen(side: Label, words: &'static str, meaning: &'static str) -> Phrase {
    Phrase { words, meaning, side: Some(side), seen: true }
}

const fn missing(side: Label, words: &'static str, meaning: &'static str) -> Phrase {
    Phrase { words, meaning, side: Some(side), seen: false }
}

use Label::{Day, Night};

/// The one reason a picture with almost nothing to judge gets (see
/// [`crate::features::nothing_to_judge`]): all one colour, fully transparent, or a
/// single pixel. Its answer is 50 % either way, in the unsure tier.
pub const NOTHING_TO_JUDGE: Phrase = Phrase {
    words: "almost nothing to judge",
    meaning:
        "The picture is all one colour (fully transparent, or a single pixel, counts too): there is no light or shade to go by.",
    side: None,
    seen: false,
};

/// Every phrase an explanation can use, for the help: reasons for day (what was seen,
/// then what was missing), reasons for night (the same), and [`NOTHING_TO_JUDGE`].
/// Each is used by at least one feature or by the nothing-to-judge rule (a test checks
/// it), so the help lists nothing a card never says.
#[rustfmt::skip]
pub const PHRASES: &[Phrase] = &[
    seen(Day, "bright overall", "The photo as a whole is bright."),
    seen(Day, "bright upper part", "The top half of the photo, where the sky usually is, is bright."),
    seen(Day, "bright middle part", "The middle of the photo is bright."),
    seen(Day, "bright lower part", "The bottom half of the photo, usually the ground, is bright."),
    seen(Day, "large bright areas", "Wide areas are brightly lit, like sky or sunlit walls, not just small lamps."),
    seen(Day, "daylight sky", "Bright blue or bright grey sky at the top of the photo."),
    seen(Day, "bright blue sky", "Blue at the top of the photo, and bright, as the sky is by day."),
    seen(Day, "sky brighter than ground", "The top of the photo is brighter than the bottom, as by day."),
    seen(Day, "white daylight", "The brightest parts are white or bluish like sunlight, not orange or coloured like lamps."),
    seen(Day, "bluish tones", "The lower half of the photo leans blue, as daylight and its shadows do."),
    seen(Day, "green plants", "Green leaves or grass: plants look green only in daylight."),
    seen(Day, "sunlit colours", "Bright, vivid greens and blues, as sunlight shows them."),
    seen(Day, "colourful shadows", "The shadows still hold colour, as they do in daylight."),
    seen(Day, "detail in the shadows", "Dark parts still show detail (leaves, bark, stone), as in daylight."),
    seen(Day, "detail everywhere", "Fine detail all across the photo, as daylight shows it."),
    seen(Day, "even light", "The light is spread evenly, without bright lights next to deep darkness."),
    missing(Day, "few dark areas", "Little of the photo is dark."),
    missing(Day, "no black sky", "The top of the photo is not black."),
    missing(Day, "no dark blue sky", "No deep, dim blue of dusk or moonlight at the top of the photo."),
    missing(Day, "no lights in the dark", "No lamps or lit windows shining out of darkness."),
    missing(Day, "no warm lamplight", "No orange or yellow light of street lamps or light bulbs."),
    missing(Day, "no coloured lights", "No vivid lights in many colours, like neon signs or a city at night."),
    seen(Night, "dark overall", "The photo as a whole is dark."),
    seen(Night, "dark upper part", "The top half of the photo, where the sky usually is, is dark."),
    seen(Night, "dark middle part", "The middle of the photo is dark."),
    seen(Night, "dark lower part", "The bottom half of the photo, usually the ground, is dark."),
    seen(Night, "large dark areas", "Much of the photo is dark or close to black."),
    seen(Night, "black sky", "The top of the photo is black."),
    seen(Night, "dark blue sky", "Deep, dim blue at the top: the sky at dusk or in moonlight."),
    seen(Night, "ground brighter than sky", "The bottom of the photo is brighter than the top: lit ground under a dark sky."),
    seen(Night, "lights in the dark", "Lamps or lit windows shining out of darkness."),
    seen(Night, "warm lamplight", "Orange or yellow light of street lamps or light bulbs."),
    seen(Night, "coloured lights", "Vivid lights in many colours, like neon signs or a city at night."),
    seen(Night, "harsh contrast", "Bright lights right next to deep darkness."),
    seen(Night, "smooth darkness", "The dark parts are smooth and empty, like a night sky or an unlit wall."),
    seen(Night, "colourless darkness", "The dark parts are grey or black, without any colour."),
    missing(Night, "few bright areas", "Little of the photo is brightly lit."),
    missing(Night, "no daylight sky", "No bright blue or bright grey sky at the top of the photo."),
    missing(Night, "no bright blue sky", "No bright blue at the top of the photo."),
    missing(Night, "no bluish tones", "The lower half of the photo does not lean blue as it does in daylight."),
    missing(Night, "little green", "Hardly any green of leaves or grass."),
    missing(Night, "no sunlit colours", "No bright, vivid greens and blues as sunlight shows them."),
    missing(Night, "little detail", "Hardly any fine detail: most of the photo is flat."),
    NOTHING_TO_JUDGE,
];

/// The phrase of [`PHRASES`] with these words. Evaluated at compile time by the feature
/// table: words that are not in [`PHRASES`] do not compile.
pub(crate) const fn phrase(words: &str) -> &'static Phrase {
    let mut i = 0;
    while i < PHRASES.len() {
        if crate::features::same(PHRASES[i].words.as_bytes(), words.as_bytes()) {
            return &PHRASES[i];
        }
        i += 1;
    }
    panic!("these words are not in explain::PHRASES")
}

/// The reasons for `prediction`'s answer, at most `max`, what was seen first:
/// the phrases of the strongest contributions that push towards the answer and whose
/// words are a reason for it (see [`crate::features::Lean`]), each once. When those are
/// all absences, the strongest thing seen for the answer (if any) takes the last
/// place, so an answer is never explained by what is missing alone. Then what was seen
/// goes first, each group in order of strength. A picture with nothing to judge gets
/// [`NOTHING_TO_JUDGE`] alone.
pub(crate) fn reasons(prediction: &Prediction, max: usize) -> Vec<&'static Phrase> {
    if prediction.nothing_to_judge {
        return [&NOTHING_TO_JUDGE].into_iter().take(max).collect();
    }
    let label = prediction.label;
    let night = label == Label::Night;
    let candidates = prediction
        .contributions
        .iter()
        .filter(|c| (c.logit > 0.0) == night)
        .filter_map(Contribution::reason)
        .filter(|p| p.side == Some(label));
    let mut chosen: Vec<&'static Phrase> = Vec::new();
    let mut strongest_seen = None;
    for p in candidates {
        if p.seen && strongest_seen.is_none() {
            strongest_seen = Some(p);
        }
        if chosen.len() < max && !chosen.contains(&p) {
            chosen.push(p);
        }
        if chosen.len() == max && strongest_seen.is_some() {
            break;
        }
    }
    if let Some(p) = strongest_seen {
        if !chosen.is_empty() && !chosen.iter().any(|c| c.seen) {
            chosen.pop();
            chosen.push(p);
        }
    }
    // Stable: the order of strength holds within each group.
    chosen.sort_by_key(|p| !p.seen);
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Lean, FEATURES};

    #[test]
    fn every_phrase_is_short_plain_and_listed_once() {
        for (i, p) in PHRASES.iter().enumerate() {
            assert!(!p.words.trim().is_empty() && p.words.trim() == p.words, "{p:?}");
            assert!(!p.words.contains(','), "a comma inside {:?} would read as two reasons", p.words);
            assert!(p.words.split(' ').count() <= 5, "{:?} is not short", p.words);
            assert_eq!(p.words, p.words.to_lowercase(), "reasons are written in lower case: {:?}", p.words);
            assert!(!p.meaning.is_empty() && !p.meaning.contains('\n') && p.meaning.ends_with('.'), "{p:?}");
            assert!(PHRASES[..i].iter().all(|q| q.words != p.words), "{:?} is listed twice", p.words);
        }
    }

    #[test]
    fn every_listed_phrase_can_appear_and_every_feature_word_is_listed() {
        let used: Vec<&Phrase> =
            FEATURES.iter().filter_map(|f| f.reasons).flat_map(|r| [r.high, r.low]).chain([&NOTHING_TO_JUDGE]).collect();
        for p in PHRASES {
            assert!(used.contains(&p), "{:?} is in the help but no feature says it", p.words);
        }
        for p in used {
            assert!(PHRASES.contains(p), "{:?} can appear but is not in the help", p.words);
        }
    }

    #[test]
    fn a_features_words_read_the_way_it_leans() {
        for f in &FEATURES {
            let (high, low) = match f.lean {
                Lean::Day => (Label::Day, Label::Night),
                Lean::Night => (Label::Night, Label::Day),
                Lean::Neither => {
                    assert!(f.reasons.is_none(), "{} is never quoted, so it has no words", f.name);
                    continue;
                }
            };
            let r = f.reasons.unwrap_or_else(|| panic!("{} leans but has no words", f.name));
            assert_eq!((r.high.side, r.low.side), (Some(high), Some(low)), "{}", f.name);
        }
    }
}
