//! Where an image stands and what the list holds: the words and counts the cards,
//! the summary, the filter and the live region share. The tiers, their cut-offs and
//! their words are core's ([`daynight_core::tier`]), as the command line's are.

use daynight_core::tier::{headline, shown_percent};
use daynight_core::{Label, Tier};

use crate::classify::Classified;

/// Where one image stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Queued or being classified.
    Waiting,
    /// Classified.
    Done {
        /// The worker's answer.
        result: Classified,
        /// Milliseconds from handing the file to the classifier to the answer.
        ms: f64,
    },
    /// Could not be read; the message is for people.
    Failed(String),
}

/// What a status amounts to: where a card is counted and how it is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Not answered yet.
    Waiting,
    /// Could not be read or classified.
    Failed,
    /// At least 90 % sure of this side.
    Sure(Label),
    /// 70 to 89 % sure of this side.
    Probably(Label),
    /// Under 70 % sure: can't tell.
    Unsure,
}

impl Status {
    /// What this status amounts to.
    pub fn kind(&self) -> Kind {
        match self {
            Status::Waiting => Kind::Waiting,
            Status::Failed(_) => Kind::Failed,
            Status::Done { result, .. } => match result.tier() {
                Tier::Sure => Kind::Sure(result.label),
                Tier::Probably => Kind::Probably(result.label),
                Tier::Unsure => Kind::Unsure,
            },
        }
    }
}

impl Kind {
    /// The result card's CSS classes.
    pub fn card_class(self) -> &'static str {
        match self {
            Kind::Waiting => "card waiting",
            Kind::Failed => "card error",
            Kind::Sure(Label::Day) => "card day",
            Kind::Sure(Label::Night) => "card night",
            Kind::Probably(Label::Day) => "card probably day",
            Kind::Probably(Label::Night) => "card probably night",
            Kind::Unsure => "card uncertain",
        }
    }
}

/// What a set of images holds, by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Day, sure.
    pub day: u32,
    /// Night, sure.
    pub night: u32,
    /// Probably day.
    pub probably_day: u32,
    /// Probably night.
    pub probably_night: u32,
    /// Can't tell.
    pub unsure: u32,
    /// Could not be read or classified.
    pub failed: u32,
    /// Not answered yet.
    pub waiting: u32,
}

impl Tally {
    /// Counts images by what their status amounts to.
    pub fn of(kinds: impl IntoIterator<Item = Kind>) -> Tally {
        let mut tally = Tally::default();
        for kind in kinds {
            let count = match kind {
                Kind::Waiting => &mut tally.waiting,
                Kind::Failed => &mut tally.failed,
                Kind::Sure(Label::Day) => &mut tally.day,
                Kind::Sure(Label::Night) => &mut tally.night,
                Kind::Probably(Label::Day) => &mut tally.probably_day,
                Kind::Probably(Label::Night) => &mut tally.probably_night,
                Kind::Unsure => &mut tally.unsure,
            };
            *count += 1;
        }
        tally
    }

    /// Images with an answer, sure or not.
    pub fn classified(&self) -> u32 {
        self.day + self.night + self.probably_day + self.probably_night + self.unsure
    }

    /// "5 photos: 1 day, 1 night, 1 probably day, 1 can't tell; 1 could not be
    /// read." Only the outcomes present are named, in the cards' words.
    pub fn sentence(&self) -> String {
        let total = self.classified() + self.failed + self.waiting;
        let mut parts = Vec::new();
        let outcomes = [
            (self.day, "day"),
            (self.night, "night"),
            (self.probably_day, "probably day"),
            (self.probably_night, "probably night"),
            (self.unsure, "can't tell"),
        ];
        for (n, what) in outcomes {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        let mut text = format!("{total} {}", if total == 1 { "photo" } else { "photos" });
        if !parts.is_empty() {
            text = format!("{text}: {}", parts.join(", "));
        }
        if self.failed > 0 {
            text.push_str(&format!("{}{} could not be read", if parts.is_empty() { ": " } else { "; " }, self.failed));
        }
        if self.waiting > 0 {
            text.push_str(&format!(" ({} still waiting)", self.waiting));
        }
        text + "."
    }
}

/// Which cards the results list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Every card.
    All,
    /// "Probably day" or "probably night" (70 to 89 % sure).
    Probably,
    /// "Can't tell" (under 70 % sure).
    Unsure,
    /// Cards the user marked with the other label than the model's answer.
    Wrong,
    /// Photos that could not be classified.
    Failed,
}

impl Filter {
    /// Every filter, in the order offered.
    pub const ALL: [Filter; 5] = [Filter::All, Filter::Probably, Filter::Unsure, Filter::Wrong, Filter::Failed];

    /// The value of its `<option>`.
    pub fn key(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Probably => "probably",
            Filter::Unsure => "unsure",
            Filter::Wrong => "wrong",
            Filter::Failed => "failed",
        }
    }

    /// The words on its `<option>`.
    pub fn words(self) -> &'static str {
        match self {
            Filter::All => "All photos",
            Filter::Probably => "“Probably” only (70–89 % sure)",
            Filter::Unsure => "“Can't tell” only (under 70 %)",
            Filter::Wrong => "Wrong by your mark",
            Filter::Failed => "Could not be read",
        }
    }

    /// The filter whose [`Filter::key`] is `key`.
    pub fn from_key(key: &str) -> Filter {
        Filter::ALL.into_iter().find(|f| f.key() == key).unwrap_or(Filter::All)
    }

    /// Whether a card with this status and the user's mark shows.
    pub fn shows(self, status: &Status, mark: Option<Label>) -> bool {
        match self {
            Filter::All => true,
            Filter::Probably => matches!(status.kind(), Kind::Probably(_)),
            Filter::Unsure => status.kind() == Kind::Unsure,
            Filter::Failed => status.kind() == Kind::Failed,
            Filter::Wrong => agrees(status, mark) == Some(false),
        }
    }
}

/// Whether the model's answer matches the user's mark: `None` when unmarked or not
/// answered. An uncertain answer agrees only if it leans the marked way.
pub fn agrees(status: &Status, mark: Option<Label>) -> Option<bool> {
    match (status, mark) {
        (Status::Done { result, .. }, Some(mark)) => Some(result.label == mark),
        _ => None,
    }
}

/// How sure the model is of the label it gives, in `[0.5, 1]`: the bar's length.
pub fn confidence(result: &Classified) -> f64 {
    if result.label == Label::Night {
        result.p_night
    } else {
        1.0 - result.p_night
    }
}

/// The percentage shown with an answer: rounded down, below 100, inside its tier
/// ([`daynight_core::tier::shown_percent`]).
pub fn percent_sure(result: &Classified) -> u32 {
    shown_percent(result.p_night)
}

/// One line about one answer, for people: "night, 93 % sure", "probably day, 80 %
/// sure", "can't tell, leaning day (60 % sure)".
pub fn summary(status: &Status) -> String {
    match status {
        Status::Waiting => "waiting".into(),
        Status::Done { result, .. } => {
            // ASCII words: `to_lowercase` would bring Unicode case tables (kilobytes) into the wasm.
            let words = headline(result.p_night).to_ascii_lowercase();
            let sure = percent_sure(result);
            match result.tier() {
                Tier::Unsure => format!("{words} ({sure} % sure)"),
                _ => format!("{words}, {sure} % sure"),
            }
        }
        Status::Failed(message) => format!("could not be read: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::protocol::sample;

    fn done(label: Label, p_night: f64, uncertain: bool) -> Status {
        Status::Done { result: Classified { uncertain, ..sample(label, p_night) }, ms: 1.0 }
    }

    #[test]
    fn the_tier_words_and_percent_follow_core() {
        for (p, kind, words) in [
            (0.02, Kind::Sure(Label::Day), "day, 98 % sure"),
            (0.105, Kind::Probably(Label::Day), "probably day, 89 % sure"),
            (0.0021, Kind::Sure(Label::Day), "day, 99 % sure"),
            (0.81, Kind::Probably(Label::Night), "probably night, 81 % sure"),
            (0.4, Kind::Unsure, "can't tell, leaning day (60 % sure)"),
            (0.5, Kind::Unsure, "can't tell (50 % sure)"),
            (0.95, Kind::Sure(Label::Night), "night, 95 % sure"),
        ] {
            let label = Label::from_p_night(p);
            let status = done(label, p, Tier::of(p) != Tier::Sure);
            assert_eq!(status.kind(), kind, "{p}");
            assert_eq!(summary(&status), words, "{p}");
        }
    }

    #[test]
    fn the_summary_counts_uncertain_and_failed_apart() {
        let statuses = [
            done(Label::Day, 0.05, false),
            done(Label::Night, 0.95, false),
            done(Label::Night, 0.6, true),
            done(Label::Day, 0.2, true),
            Status::Failed("not an image".into()),
        ];
        let tally = Tally::of(statuses.iter().map(Status::kind));
        assert_eq!(
            (tally.day, tally.night, tally.unsure, tally.probably_day, tally.failed, tally.classified()),
            (1, 1, 1, 1, 1, 4)
        );
        assert_eq!(tally.sentence(), "5 photos: 1 day, 1 night, 1 probably day, 1 can't tell; 1 could not be read.");
        assert_eq!(Tally::of([Kind::Failed]).sentence(), "1 photo: 1 could not be read.");
        assert_eq!(Tally::of([Kind::Sure(Label::Day), Kind::Waiting]).sentence(), "2 photos: 1 day (1 still waiting).");
        assert_eq!(Tally::of([]).sentence(), "0 photos.");
    }

    #[test]
    fn filters_show_what_they_say() {
        let night = done(Label::Night, 0.95, false);
        let unsure = done(Label::Day, 0.4, true);
        let probably = done(Label::Night, 0.8, true);
        let failed = Status::Failed("empty".into());
        for status in [&night, &unsure, &failed, &Status::Waiting] {
            assert!(Filter::All.shows(status, None));
        }
        assert!(Filter::Unsure.shows(&unsure, None) && !Filter::Unsure.shows(&night, None));
        assert!(!Filter::Unsure.shows(&probably, None));
        assert!(Filter::Probably.shows(&probably, None) && !Filter::Probably.shows(&unsure, None));
        assert!(Filter::Failed.shows(&failed, None) && !Filter::Failed.shows(&night, None));
        assert!(Filter::Wrong.shows(&night, Some(Label::Day)));
        assert!(!Filter::Wrong.shows(&night, Some(Label::Night)));
        assert!(!Filter::Wrong.shows(&night, None), "unmarked is never wrong");
        assert!(Filter::Wrong.shows(&unsure, Some(Label::Night)), "an uncertain answer leaning the other way");
        for filter in Filter::ALL {
            assert_eq!(Filter::from_key(filter.key()), filter);
        }
        assert_eq!(Filter::from_key("nonsense"), Filter::All);
    }

    #[test]
    fn a_summary_names_the_side_and_how_sure() {
        assert_eq!(summary(&done(Label::Night, 0.93, false)), "night, 93 % sure");
        assert_eq!(summary(&Status::Failed("empty".into())), "could not be read: empty");
        assert_eq!(done(Label::Night, 0.6, true).kind().card_class(), "card uncertain");
        assert_eq!(done(Label::Night, 0.75, true).kind().card_class(), "card probably night");
    }
}
