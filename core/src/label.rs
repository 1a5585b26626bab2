//! Day or night: the two answers, their words, and the one threshold between them.
//!
//! The words `"day"` and `"night"` are written and read here only: the CLI's folders
//! and reports, the exports and the page's stored marks all go through [`Label`].

use serde::{Deserialize, Serialize};

/// `p_night` at and above which the answer is night: the one decision threshold
/// (predictions, metrics and the uncertain band's bounds all use it).
pub const NIGHT_AT: f64 = 0.5;

/// Day or night. Serialized as its word, `"day"` or `"night"`, and read back with
/// the same parse as [`Label::from_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Label {
    /// Daylight.
    Day,
    /// Night or darkness.
    Night,
}

/// A word that is neither `"day"` nor `"night"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a label: expected \"day\" or \"night\"")]
pub struct UnknownLabel(pub String);

impl Label {
    /// Both labels, day first (the order of the labelled folders `day/` and `night/`).
    pub const ALL: [Label; 2] = [Label::Day, Label::Night];

    /// `"day"` or `"night"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Day => "day",
            Label::Night => "night",
        }
    }

    /// Night when `night` is true: the label of a `bool` truth, as training samples
    /// store it.
    pub fn from_night(night: bool) -> Label {
        if night {
            Label::Night
        } else {
            Label::Day
        }
    }

    /// The label a probability of night stands for: night from [`NIGHT_AT`] up.
    pub fn from_p_night(p_night: f64) -> Label {
        Label::from_night(p_night >= NIGHT_AT)
    }

    /// The opposite label.
    pub fn other(self) -> Label {
        match self {
            Label::Day => Label::Night,
            Label::Night => Label::Day,
        }
    }
}

/// The traits of an enum that is written as one word of its own (`Label`, and
/// [`crate::tier::Tier`]): given `ALL`, `as_str` and an error type holding the word it
/// refused, the one parse of the words (exactly what `as_str` writes, nothing looser, so
/// a file read back is the file written), `TryFrom<String>` and `Into<&str>` for serde,
/// and `Display`.
macro_rules! words {
    ($ty:ident, $unknown:ident) => {
        impl std::str::FromStr for $ty {
            type Err = $unknown;

            fn from_str(word: &str) -> Result<$ty, $unknown> {
                $ty::ALL.into_iter().find(|x| x.as_str() == word).ok_or_else(|| $unknown(word.to_string()))
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $unknown;

            fn try_from(word: String) -> Result<$ty, $unknown> {
                word.parse()
            }
        }

        impl From<$ty> for &'static str {
            fn from(x: $ty) -> &'static str {
                x.as_str()
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use words;

words!(Label, UnknownLabel);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_parse_back_to_their_label_and_nothing_else_does() {
        for label in Label::ALL {
            assert_eq!(label.as_str().parse::<Label>(), Ok(label));
            assert_eq!(label.to_string(), label.as_str());
            assert_eq!(serde_json::to_string(&label).unwrap(), format!("\"{label}\""));
            assert_eq!(serde_json::from_str::<Label>(&format!("\"{label}\"")).unwrap(), label);
        }
        for bad in ["", "Day", "NIGHT", " night", "dusk", "uncertain"] {
            assert_eq!(bad.parse::<Label>(), Err(UnknownLabel(bad.to_string())), "{bad:?}");
        }
        let err = serde_json::from_str::<Label>("\"dusk\"").unwrap_err().to_string();
        assert!(err.contains("\"dusk\" is not a label"), "{err}");
        assert!(serde_json::from_value::<Label>(serde_json::json!("night")).is_ok(), "owned strings read too");
    }

    #[test]
    fn a_probability_and_a_truth_give_their_label() {
        assert_eq!(Label::from_p_night(NIGHT_AT), Label::Night);
        assert_eq!(Label::from_p_night(0.49), Label::Day);
        assert_eq!((Label::from_night(true), Label::from_night(false)), (Label::Night, Label::Day));
        assert_eq!(Label::Day.other(), Label::Night);
    }
}
