//! Where an image stands and what the list holds: the words and counts the cards,
//! the summary, the filter and the live region share.

use daynight_core::Label;

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
    /// Could not be classified; the message is for people.
    Failed(String),
}

/// What a status amounts to: where a card is counted and how it is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Not answered yet.
    Waiting,
    /// Could not be read or classified.
    Failed,
    /// Inside the model's uncertain band.
    Uncertain,
    /// Confidently day.
    Day,
    /// Confidently night.
    Night,
}

impl Status {
    /// What this status amounts to.
    pub fn kind(&self) -> Kind {
        match self {
            Status::Waiting => Kind::Waiting,
            Status::Failed(_) => Kind::Failed,
            Status::Done { result, .. } if result.uncertain => Kind::Uncertain,
            Status::Done { result, .. } if result.label == Label::Night => Kind::Night,
            Status::Done { .. } => Kind::Day,
        }
    }
}

impl Kind {
    /// The result card's CSS classes.
    pub fn card_class(self) -> &'static str {
        match self {
            Kind::Waiting => "card waiting",
            Kind::Failed => "card error",
            Kind::Uncertain => "card uncertain",
            Kind::Day => "card day",
            Kind::Night => "card night",
        }
    }
}

/// What a set of images holds, by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Confidently day.
    pub day: u32,
    /// Confidently night.
    pub night: u32,
    /// Inside the model's uncertain band.
    pub uncertain: u32,
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
                Kind::Uncertain => &mut tally.uncertain,
                Kind::Day => &mut tally.day,
                Kind::Night => &mut tally.night,
            };
            *count += 1;
        }
        tally
    }

    /// Images with an answer (classified, uncertain or not).
    pub fn classified(&self) -> u32 {
        self.day + self.night + self.uncertain
    }

    /// "3 photos: 1 day, 1 night, 1 uncertain; 1 could not be read." Only the
    /// outcomes present are named.
    pub fn sentence(&self) -> String {
        let total = self.classified() + self.failed + self.waiting;
        let mut parts = Vec::new();
        for (n, what) in [(self.day, "day"), (self.night, "night"), (self.uncertain, "uncertain")] {
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
    /// Answers inside the uncertain band.
    Uncertain,
    /// Cards the user marked with the other label than the model's answer.
    Wrong,
    /// Photos that could not be classified.
    Failed,
}

impl Filter {
    /// Every filter, in the order offered.
    pub const ALL: [Filter; 4] = [Filter::All, Filter::Uncertain, Filter::Wrong, Filter::Failed];

    /// The value of its `<option>`.
    pub fn key(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Uncertain => "uncertain",
            Filter::Wrong => "wrong",
            Filter::Failed => "failed",
        }
    }

    /// The words on its `<option>`.
    pub fn words(self) -> &'static str {
        match self {
            Filter::All => "All photos",
            Filter::Uncertain => "Uncertain only",
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
            Filter::Uncertain => status.kind() == Kind::Uncertain,
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

/// How sure the model is of the label it gives, in `[0.5, 1]`: the one number the
/// page shows with an answer (bar and text alike).
pub fn confidence(result: &Classified) -> f64 {
    if result.label == Label::Night {
        result.p_night
    } else {
        1.0 - result.p_night
    }
}

/// [`confidence`] as the whole percentage shown ("93 % sure").
pub fn percent_sure(result: &Classified) -> u32 {
    (confidence(result) * 100.0).round() as u32
}

/// The word for an answer: "day", "night" or "uncertain".
pub fn verdict_word(result: &Classified) -> &'static str {
    if result.uncertain {
        "uncertain"
    } else {
        result.label.as_str()
    }
}

/// One line about one answer, for people: "night, 93 % sure" or
/// "uncertain, leaning day (60 % sure)".
pub fn summary(status: &Status) -> String {
    match status {
        Status::Waiting => "waiting".into(),
        Status::Done { result, .. } => {
            let sure = percent_sure(result);
            if result.uncertain {
                format!("uncertain, leaning {} ({sure} % sure)", result.label)
            } else {
                format!("{}, {sure} % sure", result.label)
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
    fn the_summary_counts_uncertain_and_failed_apart() {
        let statuses = [
            done(Label::Day, 0.05, false),
            done(Label::Night, 0.95, false),
            done(Label::Night, 0.6, true),
            Status::Failed("not an image".into()),
        ];
        let tally = Tally::of(statuses.iter().map(Status::kind));
        assert_eq!((tally.day, tally.night, tally.uncertain, tally.failed, tally.classified()), (1, 1, 1, 1, 3));
        assert_eq!(tally.sentence(), "4 photos: 1 day, 1 night, 1 uncertain; 1 could not be read.");
        assert_eq!(Tally::of([Kind::Failed]).sentence(), "1 photo: 1 could not be read.");
        assert_eq!(Tally::of([Kind::Day, Kind::Waiting]).sentence(), "2 photos: 1 day (1 still waiting).");
        assert_eq!(Tally::of([]).sentence(), "0 photos.");
    }

    #[test]
    fn filters_show_what_they_say() {
        let night = done(Label::Night, 0.95, false);
        let unsure = done(Label::Day, 0.3, true);
        let failed = Status::Failed("empty".into());
        for status in [&night, &unsure, &failed, &Status::Waiting] {
            assert!(Filter::All.shows(status, None));
        }
        assert!(Filter::Uncertain.shows(&unsure, None) && !Filter::Uncertain.shows(&night, None));
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
        assert_eq!(summary(&done(Label::Day, 0.4, true)), "uncertain, leaning day (60 % sure)");
        assert_eq!(summary(&Status::Failed("empty".into())), "could not be read: empty");
        assert_eq!(done(Label::Night, 0.7, true).kind().card_class(), "card uncertain");
    }
}
