//! Retraining from the page's marks: a fit on the built-in examples
//! ([`crate::examples`]) plus the photos the user marked as day or night, exactly as
//! `daynight train` fits and calibrates, and an honest before/after on the marks.
//! [`teach`] does it (it teaches the model the marked photos).
//!
//! The browser's trainer worker runs this; so can anything native (the tests do).
//! The page's own list of marks is another thing (the web app's `teach` module): this
//! module only ever sees their features and labels, as [`Marked`].

use serde_json::{json, Map};

use crate::examples::Examples;
use crate::features::N_FEATURES;
use crate::label::Label;
use crate::model::Model;
use crate::provenance::{DatasetInfo, TrainOptions, TrainingInfo};
use crate::train::{fit, Metrics, OutOfFold, Sample, TrainError};

/// Each marked photo weighs as much as this many built-in examples, by default: 20
/// marked photos then carry about a fifth of the training weight (400 against the
/// 1,560 built-in examples). Measured with `cli/examples/teach_weight.rs` (each data
/// set in turn left out of the built-in examples, 40 of its photos marked): at 20 the
/// marked photos are all right and the rest of their kind improves (webcams 95.5 →
/// 99.0 %, phone photos 95.7 → 99.1 %, Pexels 81.2 → 81.7 %) while the other sets
/// lose at most 0.5 point; from 80 up the other sets lose more.
pub const DEFAULT_USER_WEIGHT: f64 = 20.0;

/// Folds of the cross-validation that scores the marks and fits the calibration.
pub const FOLDS: usize = 5;

/// A photo the user marked: its features and the true answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    /// Its feature vector, as the classifier computed it.
    pub features: [f64; N_FEATURES],
    /// True when the user said night.
    pub night: bool,
}

/// Why no model could be taught. The messages are for people.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TeachError {
    /// Nothing marked: a retrain would only repeat the built-in model.
    #[error("mark at least one photo as day or night first")]
    NoMarks,
    /// The marks' weight is zero, negative or not a number.
    #[error("the weight of a marked photo must be a number above 0, not {0}")]
    Weight(f64),
    /// The fit itself failed.
    #[error(transparent)]
    Train(#[from] TrainError),
}

/// A taught model and how it does on the marked photos.
#[derive(Debug, Clone, PartialEq)]
pub struct Taught {
    /// The new model, calibrated, with its provenance.
    pub model: Model,
    /// Share of the marks the `before` model got right (it never trained on them).
    pub before: f64,
    /// Share of the marks answered right in [`FOLDS`]-fold cross-validation: each
    /// mark scored by a model trained without its fold (and calibrated without it).
    pub after: f64,
    /// Share of the marks the new model gets right (it trained on them).
    pub trained: f64,
    /// For each mark, in order: whether the `before` model got it right. With
    /// [`Taught::after_right`], a caller can compare the two on any subset of the
    /// marks (those the model in use never trained on, say).
    pub before_right: Vec<bool>,
    /// For each mark, in order: whether its cross-validated answer was right.
    pub after_right: Vec<bool>,
}

/// Relative weight of the marks' data set such that each mark weighs `user_weight`
/// average built-in examples (see `train::sample_weights`: a set's total is its
/// relative weight's share of the whole, split equally among its samples).
fn marks_set_weight(builtin: &Examples, marks: usize, user_weight: f64) -> f64 {
    let total: f64 = builtin.sets.iter().map(|s| s.weight).sum();
    user_weight * marks as f64 * total / builtin.samples.len().max(1) as f64
}

/// Retrains on `builtin` plus `marked`, each mark weighing `user_weight` built-in
/// examples; `before` is the model the marks are compared with. Deterministic.
pub fn teach(builtin: &Examples, marked: &[Marked], user_weight: f64, before: &Model) -> Result<Taught, TeachError> {
    if marked.is_empty() {
        return Err(TeachError::NoMarks);
    }
    if !(user_weight.is_finite() && user_weight > 0.0) {
        return Err(TeachError::Weight(user_weight));
    }
    let marks_set = builtin.sets.len();
    let mut samples = builtin.samples.clone();
    samples.extend(marked.iter().map(|m| Sample {
        features: m.features,
        night: m.night,
        dataset: marks_set,
        group: "marked".into(),
    }));
    let mut dataset_weights: Vec<f64> = builtin.sets.iter().map(|s| s.weight).collect();
    dataset_weights.push(marks_set_weight(builtin, marked.len(), user_weight));
    let opts = TrainOptions {
        l2: builtin.l2,
        dataset_weights,
        z_clip: builtin.clip,
        held_out_weight: builtin.held_out_weight,
        ..TrainOptions::default()
    };

    // As `daynight train` does: group-aware folds (the marks, one group, are dealt
    // out in order) and leave one set out (the marks are a set), a Platt fit on both
    // kinds of out-of-fold log-odds, then the fit on all.
    let out = OutOfFold::compute(&samples, &opts, FOLDS).map_err(|(_, e)| e)?;
    let calibration = out.calibration(&samples, opts.held_out_weight);
    let platt = calibration.platt(|_| true);
    let model = fit(&samples, &opts, TrainingInfo::default())?.with_calibration(platt).map_err(TrainError::from)?;

    let is_mark = |i: usize| samples[i].dataset == marks_set;
    let cv = calibration.cross_fitted(&out.fold);
    let after = Metrics::score(cv.iter().filter(|&&(i, _)| is_mark(i)).map(|&(i, p)| (p, samples[i].night))).accuracy;
    let score = |m: &Model| Metrics::score(marked.iter().map(|s| (m.predict(&s.features).p_night, s.night))).accuracy;
    let (before_model, (before, trained)) = (before, (score(before), score(&model)));
    let right = |p: f64, night: bool| (Label::from_p_night(p) == Label::Night) == night;
    let before_right = marked.iter().map(|m| right(before_model.predict(&m.features).p_night, m.night)).collect();
    let mut after_right = vec![false; marked.len()];
    for &(i, p) in cv.iter().filter(|&&(i, _)| is_mark(i)) {
        after_right[i - builtin.samples.len()] = right(p, samples[i].night);
    }

    let mut datasets: Vec<DatasetInfo> = builtin
        .sets
        .iter()
        .enumerate()
        .map(|(d, set)| {
            let night = builtin.samples.iter().filter(|s| s.dataset == d && s.night).count();
            let all = builtin.samples.iter().filter(|s| s.dataset == d).count();
            DatasetInfo { name: set.name.clone(), day: all - night, night }
        })
        .collect();
    let nights = marked.iter().filter(|m| m.night).count();
    datasets.push(DatasetInfo { name: "marked in the page".into(), day: marked.len() - nights, night: nights });
    let mut metrics = Map::new();
    metrics.insert("marked/before".into(), json!(before));
    metrics.insert(format!("marked/{FOLDS}-fold_cv"), json!(after));
    metrics.insert("marked/training".into(), json!(trained));
    let command = format!(
        "retrained in the page: {} built-in examples and {} marked photos, each mark weighing as {user_weight} built-in examples",
        builtin.samples.len(),
        marked.len()
    );
    let model = model.with_training(TrainingInfo { datasets, options: opts, command, metrics });
    Ok(Taught { model, before, after, trained, before_right, after_right })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::ExampleSet;

    /// Two overlapping clusters of "built-in" examples split by feature 0, and a kind of photo
    /// (feature 1 high) that they call day but that is night.
    fn builtin() -> Examples {
        let samples = (0..200)
            .map(|i| {
                let night = i % 2 == 0;
                let mut features = crate::features::something_to_judge();
                // One in ten on the wrong side: real examples overlap, so the calibration stays moderate.
                let side = if (i % 10 == 0) == night { 1.0 } else { -1.0 };
                features[0] = side + (i % 7) as f64 * 0.05;
                features[1] = (i % 5) as f64 * 0.1;
                features[2] = (i % 11) as f64 * 0.1;
                Sample { features, night, dataset: (i / 2) % 2, group: String::new() }
            })
            .collect();
        let sets = vec![ExampleSet { name: "a".into(), weight: 2.0 }, ExampleSet { name: "b".into(), weight: 1.0 }];
        Examples { samples, sets, l2: 1.0, clip: 2.0, held_out_weight: 1.0 }
    }

    fn neon(n: usize) -> Vec<Marked> {
        (0..n)
            .map(|i| {
                let mut features = crate::features::something_to_judge();
                features[0] = 0.8 + (i % 3) as f64 * 0.05;
                features[1] = 3.0 + (i % 4) as f64 * 0.1;
                Marked { features, night: true }
            })
            .collect()
    }

    fn plain_fit(e: &Examples) -> Model {
        let opts = TrainOptions { l2: e.l2, dataset_weights: e.sets.iter().map(|s| s.weight).collect(), ..Default::default() };
        fit(&e.samples, &opts, TrainingInfo::default()).unwrap()
    }

    #[test]
    fn twenty_marks_teach_a_new_kind_of_night_and_keep_the_rest() {
        let e = builtin();
        let before = plain_fit(&e);
        let marks = neon(20);
        let t = teach(&e, &marks, DEFAULT_USER_WEIGHT, &before).unwrap();
        assert_eq!(t.before, 0.0, "the built-in model calls them all day");
        assert_eq!((t.after, t.trained), (1.0, 1.0));
        assert_eq!((t.before_right.clone(), t.after_right.clone()), (vec![false; 20], vec![true; 20]), "mark by mark");
        let kept = Metrics::score(e.samples.iter().map(|s| (t.model.predict(&s.features).p_night, s.night)));
        assert!(kept.accuracy >= 0.89, "{kept:?}");
        assert_eq!(teach(&e, &marks, DEFAULT_USER_WEIGHT, &before).unwrap(), t, "deterministic");
        assert_eq!(t.model.training().datasets.last().map(|d| (d.day, d.night)), Some((0, 20)));
    }

    #[test]
    fn the_per_mark_answers_add_up_to_the_shares() {
        let e = builtin();
        let mut marks = neon(6);
        marks.extend(neon(4).into_iter().map(|m| Marked { night: false, ..m }));
        let t = teach(&e, &marks, 2.0, &plain_fit(&e)).unwrap();
        let share = |v: &[bool]| v.iter().filter(|&&r| r).count() as f64 / v.len() as f64;
        assert_eq!((t.before_right.len(), t.after_right.len()), (10, 10));
        assert!((share(&t.before_right) - t.before).abs() < 1e-12, "{t:?}");
        assert!((share(&t.after_right) - t.after).abs() < 1e-12, "{t:?}");
    }

    #[test]
    fn a_tiny_weight_leaves_the_marks_wrong() {
        // The weight is what makes the marks matter: the test above can fail.
        let e = builtin();
        let before = plain_fit(&e);
        let t = teach(&e, &neon(20), 0.001, &before).unwrap();
        assert!(t.trained < 0.5, "{t:?}");
    }

    #[test]
    fn each_mark_weighs_as_many_builtin_examples_as_asked() {
        let e = builtin();
        // 10 marks at weight 3 against 200 built-in examples of total weight 3.
        let w = marks_set_weight(&e, 10, 3.0);
        let share = w / (w + 3.0);
        assert!((share - 30.0 / 230.0).abs() < 1e-12, "{share}");
    }

    #[test]
    fn refuses_no_marks_and_bad_weights() {
        let e = builtin();
        let before = plain_fit(&e);
        assert_eq!(teach(&e, &[], 20.0, &before), Err(TeachError::NoMarks));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(teach(&e, &neon(2), bad, &before), Err(TeachError::Weight(_))), "{bad}");
        }
    }
}
