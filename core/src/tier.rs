//! How sure an answer is, in three tiers, and the words and the percentage people see.
//!
//! Measured on photos the model was never trained on, answers at 90 % or more for their
//! side are right 99 % of the time, answers at 70–90 % about 93 %, answers below 70 % about
//! two times in three. So an answer is [`Tier::Sure`], [`Tier::Probably`] or
//! [`Tier::Unsure`], cut at [`SURE_AT`] and [`PROBABLY_AT`]; the page's cards, summary,
//! filter and exports and the CLI's outputs all take the tier, its word, the headline and
//! the shown percentage from here, so they cannot disagree.

use serde::{Deserialize, Serialize};

use crate::label::{words, Label, NIGHT_AT};

/// Sureness for the answer's side (`p_night` for night, `1 − p_night` for day) at and
/// above which an answer is [`Tier::Sure`]: `p_night ≤ 0.1` or `p_night ≥ 0.9`, the
/// model file's uncertain band.
pub const SURE_AT: f64 = 0.9;

/// Sureness at and above which an answer below [`SURE_AT`] is [`Tier::Probably`]:
/// `p_night ≤ 0.3` or `p_night ≥ 0.7`. Below it, [`Tier::Unsure`].
pub const PROBABLY_AT: f64 = 0.7;

/// The same cut-offs on the scale of `p_night`, from day to night: sure day at and below
/// the first, probably day up to the second, probably night from the third, sure night
/// from the fourth. Written out because in binary `1 − 0.9` is not `0.1`: comparing
/// `p_night` with these is exact at the cut-offs themselves (a test checks they mirror
/// [`SURE_AT`] and [`PROBABLY_AT`]).
pub const CUTS: [f64; 4] = [0.1, 0.3, 0.7, 0.9];

/// How sure an answer is. Serialized as its word, `"sure"`, `"probably"` or `"unsure"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Tier {
    /// At least [`SURE_AT`] for its side: "Day", "Night".
    Sure,
    /// At least [`PROBABLY_AT`], below [`SURE_AT`]: "Probably day".
    Probably,
    /// Below [`PROBABLY_AT`]: "Can't tell, leaning day".
    Unsure,
}

/// A word that is not one of the three tiers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a tier: expected \"sure\", \"probably\" or \"unsure\"")]
pub struct UnknownTier(pub String);

impl Tier {
    /// The three tiers, surest first.
    pub const ALL: [Tier; 3] = [Tier::Sure, Tier::Probably, Tier::Unsure];

    /// The tier of an answer with this probability of night.
    pub fn of(p_night: f64) -> Tier {
        let [sure_day, probably_day, probably_night, sure_night] = CUTS;
        if p_night <= sure_day || p_night >= sure_night {
            Tier::Sure
        } else if p_night <= probably_day || p_night >= probably_night {
            Tier::Probably
        } else {
            Tier::Unsure
        }
    }

    /// `"sure"`, `"probably"` or `"unsure"`: the `tier` column, the page's `data-tier`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Sure => "sure",
            Tier::Probably => "probably",
            Tier::Unsure => "unsure",
        }
    }

    /// The percentages [`shown_percent`] gives for this tier, lowest and highest.
    pub fn percents(self) -> (u32, u32) {
        match self {
            Tier::Sure => (90, 99),
            Tier::Probably => (70, 89),
            Tier::Unsure => (50, 69),
        }
    }
}

/// How sure the answer is of its side, as shown to people: the sureness in percent,
/// rounded down and never above 99 (no answer of this model is certain), so the number
/// never contradicts the tier: 0.105 shows 89 (probably day, not "90 % sure"), 0.0021
/// shows 99, not 100. Always within [`Tier::percents`] of [`Tier::of`] the same
/// `p_night`, even where the float arithmetic of `1 − p_night` lands on the other side of
/// a cut-off.
pub fn shown_percent(p_night: f64) -> u32 {
    let sureness = if p_night >= NIGHT_AT { p_night } else { 1.0 - p_night };
    let (low, high) = Tier::of(p_night).percents();
    // `as` saturates (and makes NaN 0); the clamp keeps the number inside its tier.
    ((sureness * 100.0).floor() as u32).clamp(low, high)
}

/// The answer in words, for a card's heading or a summary: "Day" or "Night" when sure,
/// "Probably day", "Can't tell, leaning day" — and "Can't tell" alone when the
/// shown percentage is 50, a coin toss that leans nowhere (a picture with almost nothing
/// to judge gets `p_night` 0.5).
pub fn headline(p_night: f64) -> &'static str {
    match (Tier::of(p_night), Label::from_p_night(p_night)) {
        (Tier::Sure, Label::Day) => "Day",
        (Tier::Sure, Label::Night) => "Night",
        (Tier::Probably, Label::Day) => "Probably day",
        (Tier::Probably, Label::Night) => "Probably night",
        (Tier::Unsure, _) if shown_percent(p_night) == 50 => "Can't tell",
        (Tier::Unsure, Label::Day) => "Can't tell, leaning day",
        (Tier::Unsure, Label::Night) => "Can't tell, leaning night",
    }
}

// `FromStr` (exactly the words of `as_str`), `Display`, and serde's conversions.
words!(Tier, UnknownTier);

#[cfg(test)]
mod tests {
    use super::*;

    fn below(x: f64) -> f64 {
        x.next_down()
    }

    fn above(x: f64) -> f64 {
        x.next_up()
    }

    #[test]
    fn the_cuts_mirror_the_sureness_levels() {
        let [a, b, c, d] = CUTS;
        assert_eq!((c, d), (PROBABLY_AT, SURE_AT));
        assert!((a - (1.0 - SURE_AT)).abs() < 1e-12 && (b - (1.0 - PROBABLY_AT)).abs() < 1e-12);
        assert!(a < b && b < NIGHT_AT && NIGHT_AT < c && c < d);
    }

    #[test]
    fn the_boundaries_and_their_neighbours() {
        use Tier::*;
        let cases: &[(f64, Tier, Label, u32, &str)] = &[
            (0.0, Sure, Label::Day, 99, "Day"),
            (0.0021, Sure, Label::Day, 99, "Day"),
            (below(0.1), Sure, Label::Day, 90, "Day"),
            (0.1, Sure, Label::Day, 90, "Day"),
            (above(0.1), Probably, Label::Day, 89, "Probably day"),
            (0.105, Probably, Label::Day, 89, "Probably day"),
            (below(0.3), Probably, Label::Day, 70, "Probably day"),
            (0.3, Probably, Label::Day, 70, "Probably day"),
            (above(0.3), Unsure, Label::Day, 69, "Can't tell, leaning day"),
            (0.45, Unsure, Label::Day, 55, "Can't tell, leaning day"),
            (below(0.5), Unsure, Label::Day, 50, "Can't tell"),
            (0.5, Unsure, Label::Night, 50, "Can't tell"),
            (above(0.5), Unsure, Label::Night, 50, "Can't tell"),
            (0.51, Unsure, Label::Night, 51, "Can't tell, leaning night"),
            (below(0.7), Unsure, Label::Night, 69, "Can't tell, leaning night"),
            (0.7, Probably, Label::Night, 70, "Probably night"),
            (above(0.7), Probably, Label::Night, 70, "Probably night"),
            (below(0.9), Probably, Label::Night, 89, "Probably night"),
            (0.9, Sure, Label::Night, 90, "Night"),
            (above(0.9), Sure, Label::Night, 90, "Night"),
            (0.9999, Sure, Label::Night, 99, "Night"),
            (1.0, Sure, Label::Night, 99, "Night"),
        ];
        for &(p, tier, label, percent, words) in cases {
            assert_eq!(Tier::of(p), tier, "tier of {p}");
            assert_eq!(Label::from_p_night(p), label, "label of {p}");
            assert_eq!(shown_percent(p), percent, "percent of {p}");
            assert_eq!(headline(p), words, "headline of {p}");
        }
    }

    #[test]
    fn the_shown_percentage_never_contradicts_the_tier() {
        // Every millionth of the scale, and the float neighbours of every hundredth,
        // where rounding `1 − p` could cross a cut-off.
        let grid = (0..=1_000_000).map(|i| f64::from(i) / 1e6);
        let hundredths = (0..=100).flat_map(|i| {
            let x = f64::from(i) / 100.0;
            [below(x), x, above(x)]
        });
        for p in grid.chain(hundredths).filter(|p| (0.0..=1.0).contains(p)) {
            let tier = Tier::of(p);
            let percent = shown_percent(p);
            let want = match percent {
                90..=99 => Tier::Sure,
                70..=89 => Tier::Probably,
                50..=69 => Tier::Unsure,
                _ => panic!("{p} shows {percent}"),
            };
            assert_eq!(tier, want, "{p}: tier {tier} but shown {percent} %");
            let sureness = p.max(1.0 - p) * 100.0;
            assert!(f64::from(percent) <= sureness + 1e-9, "{p}: {percent} % is more than {sureness}");
            assert_eq!(Tier::of(p) == Tier::Sure, p <= 0.1 || p >= 0.9, "{p}: sure is the old uncertain band's outside");
        }
    }

    #[test]
    fn the_words_parse_back_and_nothing_else_does() {
        for tier in Tier::ALL {
            assert_eq!(tier.as_str().parse::<Tier>(), Ok(tier));
            assert_eq!(tier.to_string(), tier.as_str());
            assert_eq!(serde_json::to_string(&tier).unwrap(), format!("\"{tier}\""));
            assert_eq!(serde_json::from_str::<Tier>(&format!("\"{tier}\"")).unwrap(), tier);
        }
        for bad in ["", "Sure", "uncertain", " unsure"] {
            assert_eq!(bad.parse::<Tier>(), Err(UnknownTier(bad.to_string())), "{bad:?}");
        }
    }
}
