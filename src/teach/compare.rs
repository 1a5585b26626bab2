//! Before and after a retrain, measured the same way: on the marked photos the model
//! in use never trained on, where both answers are held out (the model in use's as it
//! is, the new model's cross-validated).

use crate::model::Origin;

/// How a retrain compares with the model in use.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Share right by the model in use.
    pub before: f64,
    /// Share right by the new model, cross-validated.
    pub after: f64,
    /// How many marked photos the shares are on.
    pub on: usize,
    /// True when the model in use had trained on every marked photo: then both are
    /// on all of them, and "before" is not held out (the sentence says so).
    pub all_seen: bool,
}

impl Comparison {
    /// Compares per-mark answers (`before_right`, `after_right`, in mark order) on
    /// the marks the model in use has not seen (`seen[i]` false).
    pub fn new(before_right: &[bool], after_right: &[bool], seen: &[bool]) -> Comparison {
        let unseen: Vec<usize> = (0..before_right.len()).filter(|&i| !seen.get(i).copied().unwrap_or(false)).collect();
        let all_seen = unseen.is_empty();
        let on: Vec<usize> = if all_seen { (0..before_right.len()).collect() } else { unseen };
        let share = |right: &[bool]| {
            let n = on.iter().filter(|&&i| right.get(i).copied().unwrap_or(false)).count();
            if on.is_empty() {
                0.0
            } else {
                n as f64 / on.len() as f64
            }
        };
        Comparison { before: share(before_right), after: share(after_right), on: on.len(), all_seen }
    }

    /// Whether the new model does worse than the model in use: then the page keeps
    /// the model in use and offers the new one.
    pub fn worse(&self) -> bool {
        self.after < self.before
    }
}

/// The model a retrain is compared with, in words: "the built-in model", "this
/// server's model.json", "the model imported from x.json", "the model trained here
/// on 12 marked photos".
pub fn model_words(origin: &Origin) -> String {
    match origin {
        Origin::Builtin => "the built-in model".into(),
        Origin::Server => "this server's model.json".into(),
        Origin::Imported(file) => format!("the model imported from {file}"),
        Origin::Trained(n) => format!("the model trained here on {n} marked {}", if *n == 1 { "photo" } else { "photos" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_photos_the_model_in_use_never_saw_are_compared() {
        let before = [true, true, false, false];
        let after = [true, false, true, true];
        let c = Comparison::new(&before, &after, &[true, true, false, false]);
        assert_eq!(c, Comparison { before: 0.0, after: 1.0, on: 2, all_seen: false });
        assert!(!c.worse());
        let all = Comparison::new(&before, &after, &[false; 4]);
        assert_eq!(all, Comparison { before: 0.5, after: 0.75, on: 4, all_seen: false });
    }

    #[test]
    fn when_every_photo_was_seen_both_are_on_all_and_it_says_so() {
        let c = Comparison::new(&[true, true], &[true, false], &[true, true]);
        assert_eq!(c, Comparison { before: 1.0, after: 0.5, on: 2, all_seen: true });
        assert!(c.worse());
    }

    #[test]
    fn the_model_compared_with_is_named_for_what_it_is() {
        assert_eq!(model_words(&Origin::Builtin), "the built-in model");
        assert_eq!(model_words(&Origin::Trained(1)), "the model trained here on 1 marked photo");
        assert_eq!(model_words(&Origin::Trained(12)), "the model trained here on 12 marked photos");
        assert_eq!(model_words(&Origin::Imported("x.json".into())), "the model imported from x.json");
    }
}
