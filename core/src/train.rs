//! Training: L2-regularised logistic regression on standardized features, fitted by
//! Newton's method. No randomness anywhere, so the same folders always give the same
//! model, bit for bit on the same machine.

use serde::Serialize;

use crate::features::N_FEATURES;
use crate::label::Label;
use crate::math::sigmoid;
use crate::model::{Model, ModelError, Scaler};
use crate::platt::Platt;
use crate::provenance::{TrainOptions, TrainingInfo};
use crate::reliability::confidently_wrong;

/// Why no model could be trained. The messages are for people.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    /// No samples at all (for instance, no image of the folders could be read).
    #[error("no images to train on")]
    NoImages,
    /// Every sample has the same label: nothing to tell apart.
    #[error("no {0} images to train on: the model needs examples of both day and night")]
    MissingLabel(Label),
    /// The L2 penalty is negative or not a number.
    #[error("the L2 penalty must be a finite number of at least 0, not {0}")]
    L2(f64),
    /// A data set weight is zero, negative or not finite.
    #[error("the weight of data set {number} is {value}; it must be a finite number above 0")]
    DatasetWeight {
        /// 1-based position in [`TrainOptions::dataset_weights`].
        number: usize,
        /// The weight given.
        value: f64,
    },
    /// The clip of standardized features is not a positive number.
    #[error("the clip of standardized features must be a finite number above 0, not {0}")]
    Clip(f64),
    /// The weight of the leave-one-set-out log-odds in the calibration is negative or not finite.
    #[error("the weight of the held-out log-odds in the calibration must be a finite number of at least 0, not {0}")]
    HeldOutWeight(f64),
    /// The fit produced numbers a model may not hold (they would fail at every load).
    #[error("the fitted model is unusable ({0}); the images may be too few or too alike")]
    Model(#[from] ModelError),
    /// A cross-validation fold could not be fitted on the other folds.
    #[error("fold {fold}: {error}")]
    Fold {
        /// The fold's key.
        fold: String,
        /// Why its training part could not be fitted.
        error: Box<TrainError>,
    },
}

/// One labelled example.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Its feature vector.
    pub features: [f64; N_FEATURES],
    /// True for night.
    pub night: bool,
    /// Which data set it came from, for balancing and for reports.
    pub dataset: usize,
    /// Grouping key for leave-one-group-out validation (e.g. the camera).
    pub group: String,
}

/// Quality of a set of predictions against labels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    /// Number of images.
    pub n: usize,
    /// Share classified correctly.
    pub accuracy: f64,
    /// Mean of the per-class recalls (insensitive to class imbalance).
    pub balanced_accuracy: f64,
    /// Day images called day.
    pub day_as_day: usize,
    /// Day images called night.
    pub day_as_night: usize,
    /// Night images called day.
    pub night_as_day: usize,
    /// Night images called night.
    pub night_as_night: usize,
    /// Mean negative log-likelihood (nats); lower is better.
    pub log_loss: f64,
    /// Mean squared error of `p_night`; lower is better.
    pub brier: f64,
    /// Wrong answers given with confidence ≥ [`crate::reliability::CONFIDENT`].
    pub confident_wrong: usize,
}

impl Metrics {
    /// Scores `(p_night, is_night)` pairs.
    pub fn score(pairs: impl IntoIterator<Item = (f64, bool)>) -> Metrics {
        let (mut dd, mut dn, mut nd, mut nn) = (0, 0, 0, 0);
        let (mut ll, mut brier) = (0.0, 0.0);
        let mut confident_wrong = 0;
        for (p, night) in pairs {
            confident_wrong += usize::from(confidently_wrong(p, night));
            let called_night = Label::from_p_night(p) == Label::Night;
            match (night, called_night) {
                (false, false) => dd += 1,
                (false, true) => dn += 1,
                (true, false) => nd += 1,
                (true, true) => nn += 1,
            }
            let y = if night { 1.0 } else { 0.0 };
            let pc = p.clamp(1e-15, 1.0 - 1e-15);
            ll -= y * pc.ln() + (1.0 - y) * (1.0 - pc).ln();
            brier += (p - y).powi(2);
        }
        let n = dd + dn + nd + nn;
        let ratio = |a: usize, b: usize| if a + b == 0 { 1.0 } else { a as f64 / (a + b) as f64 };
        let nf = n.max(1) as f64;
        Metrics {
            n,
            accuracy: (dd + nn) as f64 / nf,
            balanced_accuracy: (ratio(dd, dn) + ratio(nn, nd)) / 2.0,
            day_as_day: dd,
            day_as_night: dn,
            night_as_day: nd,
            night_as_night: nn,
            log_loss: ll / nf,
            brier: brier / nf,
            confident_wrong,
        }
    }

    /// Number of misclassified images.
    pub fn errors(&self) -> usize {
        self.day_as_night + self.night_as_day
    }
}

/// Checks the settings alone, so a caller can refuse them before reading any image.
pub fn check_options(opts: &TrainOptions) -> Result<(), TrainError> {
    if !(opts.l2.is_finite() && opts.l2 >= 0.0) {
        return Err(TrainError::L2(opts.l2));
    }
    if !(opts.z_clip.is_finite() && opts.z_clip > 0.0) {
        return Err(TrainError::Clip(opts.z_clip));
    }
    if !(opts.held_out_weight.is_finite() && opts.held_out_weight >= 0.0) {
        return Err(TrainError::HeldOutWeight(opts.held_out_weight));
    }
    match opts.dataset_weights.iter().enumerate().find(|(_, w)| !(w.is_finite() && **w > 0.0)) {
        Some((i, &value)) => Err(TrainError::DatasetWeight { number: i + 1, value }),
        None => Ok(()),
    }
}

/// Fits a model to `samples`. `info` is stored in the file as is, with `opts` as its
/// options. Refuses settings and samples that cannot give a model, and checks the
/// result as a loaded file would be checked.
pub fn fit(samples: &[Sample], opts: &TrainOptions, info: TrainingInfo) -> Result<Model, TrainError> {
    check_options(opts)?;
    if samples.is_empty() {
        return Err(TrainError::NoImages);
    }
    for label in [Label::Day, Label::Night] {
        if !samples.iter().any(|s| s.night == (label == Label::Night)) {
            return Err(TrainError::MissingLabel(label));
        }
    }
    let scaler = fit_scaler(samples, opts.z_clip);
    let z: Vec<[f64; N_FEATURES]> = samples.iter().map(|s| standardize(&scaler, &s.features)).collect();
    let y: Vec<f64> = samples.iter().map(|s| if s.night { 1.0 } else { 0.0 }).collect();
    let w = sample_weights(samples, &opts.dataset_weights);
    let theta = newton(&z, &y, &w, opts.l2);
    let training = TrainingInfo { options: opts.clone(), ..info };
    Ok(Model::new(scaler, theta[..N_FEATURES].to_vec(), theta[N_FEATURES], Platt::IDENTITY, opts.uncertain_band, training)?)
}

/// The log-odds of each sample from a model fitted (uncalibrated) on the other
/// folds. `fold_of` assigns a fold key to every sample; samples with `None` are
/// always in training. Fails when a fold's training part cannot be fitted (say, a
/// fold holds every day image).
pub fn out_of_fold(
    samples: &[Sample],
    opts: &TrainOptions,
    fold_of: impl Fn(usize, &Sample) -> Option<String>,
) -> Result<Vec<(usize, f64)>, TrainError> {
    let keys: Vec<Option<String>> = samples.iter().enumerate().map(|(i, s)| fold_of(i, s)).collect();
    let mut folds: Vec<&String> = keys.iter().flatten().collect();
    folds.sort();
    folds.dedup();
    let mut out = Vec::new();
    for fold in folds {
        let train: Vec<Sample> =
            samples.iter().zip(&keys).filter(|(_, k)| k.as_ref() != Some(fold)).map(|(s, _)| s.clone()).collect();
        let model = fit(&train, opts, TrainingInfo::default())
            .map_err(|e| TrainError::Fold { fold: fold.clone(), error: Box::new(e) })?;
        for (i, s) in samples.iter().enumerate() {
            if keys[i].as_ref() == Some(fold) {
                out.push((i, model.logit(&s.features)));
            }
        }
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out)
}

/// Whether data set `dataset` looks like a few fixed cameras (webcams): 2 to 30
/// distinct groups. A folder of photos from many cameras has more; one camera or
/// one crop size (every photo resized alike) has one.
pub fn is_camera_set(samples: &[Sample], dataset: usize) -> bool {
    let mut groups: Vec<&str> = samples.iter().filter(|s| s.dataset == dataset).map(|s| s.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    (2..=30).contains(&groups.len())
}

/// Group-aware folds for `k`-fold cross-validation, one fold number (`0..k`) per
/// sample. In a camera set ([`is_camera_set`]) every camera's frames go to one fold
/// together, so no fold is scored on frames of a scene it trained on: cameras
/// largest first (ties by name) each join the fold holding fewest of that set's
/// frames so far (ties: the lower fold). Other sets have no camera to keep together:
/// their samples are dealt out in order (`i mod k` within the set), which gives
/// every fold both labels. Deterministic.
pub fn group_folds(samples: &[Sample], k: usize) -> Vec<usize> {
    let k = k.max(1);
    let mut fold = vec![0; samples.len()];
    let sets = samples.iter().map(|s| s.dataset).max().map_or(0, |d| d + 1);
    for d in 0..sets {
        let members: Vec<usize> = (0..samples.len()).filter(|&i| samples[i].dataset == d).collect();
        if is_camera_set(samples, d) {
            let mut groups: Vec<(&str, usize)> = Vec::new();
            for &i in &members {
                match groups.iter_mut().find(|(g, _)| *g == samples[i].group) {
                    Some((_, n)) => *n += 1,
                    None => groups.push((&samples[i].group, 1)),
                }
            }
            groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let mut load = vec![0usize; k];
            for (group, count) in groups {
                let target = (0..k).min_by_key(|&f| (load[f], f)).unwrap_or(0);
                load[target] += count;
                for &i in members.iter().filter(|&&i| samples[i].group == group) {
                    fold[i] = target;
                }
            }
        } else {
            for (n, &i) in members.iter().enumerate() {
                fold[i] = n % k;
            }
        }
    }
    fold
}

/// Which out-of-fold pass of [`OutOfFold::compute`] could not be fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The group-aware k-fold.
    KFold,
    /// Leave one set out.
    LeaveOneSetOut,
}

/// The out-of-fold log-odds a model's calibration is fitted on, computed the one way
/// `daynight train` and the page's retraining ([`crate::retrain`]) share: group-aware
/// k-fold ([`group_folds`]) and, when the samples come from two sets or more, leave
/// one set out.
#[derive(Debug, Clone, PartialEq)]
pub struct OutOfFold {
    /// Each sample's k-fold fold.
    pub fold: Vec<usize>,
    /// `(sample, log-odds)` from the k-fold.
    pub kfold: Vec<(usize, f64)>,
    /// `(sample, log-odds)` from leave one set out; empty with a single set.
    pub held_out: Vec<(usize, f64)>,
}

impl OutOfFold {
    /// Both passes over `samples` with `folds` folds; says which pass failed.
    pub fn compute(samples: &[Sample], opts: &TrainOptions, folds: usize) -> Result<OutOfFold, (Pass, TrainError)> {
        let fold = group_folds(samples, folds);
        let kfold = out_of_fold(samples, opts, |i, _| Some(fold[i].to_string())).map_err(|e| (Pass::KFold, e))?;
        let sets = samples.iter().map(|s| s.dataset).max().map_or(0, |d| d + 1);
        let several = (0..sets).filter(|&d| samples.iter().any(|s| s.dataset == d)).count() >= 2;
        let held_out = if several {
            out_of_fold(samples, opts, |_, s| Some(s.dataset.to_string())).map_err(|e| (Pass::LeaveOneSetOut, e))?
        } else {
            Vec::new()
        };
        Ok(OutOfFold { fold, kfold, held_out })
    }

    /// The calibration data of these log-odds for `samples`, leave one set out's
    /// weighing `held_out_weight` each.
    pub fn calibration<'a>(&'a self, samples: &'a [Sample], held_out_weight: f64) -> CalibrationData<'a> {
        CalibrationData { samples, kfold: &self.kfold, held_out: &self.held_out, held_out_weight }
    }
}

/// The out-of-fold log-odds a calibration is fitted on: the k-fold's, each weighing
/// one, and leave-one-set-out's, each weighing `held_out_weight` (there may be none).
/// The k-fold's say how sure the model may be on photos like the training photos;
/// leave-one-set-out's, how sure on a kind of photo it never saw. Mixing them keeps
/// the probabilities honest on photos unlike any in training.
#[derive(Debug, Clone, Copy)]
pub struct CalibrationData<'a> {
    /// The samples the log-odds belong to (for their labels).
    pub samples: &'a [Sample],
    /// `(sample, log-odds)` from the k-fold, as [`out_of_fold`] returns them.
    pub kfold: &'a [(usize, f64)],
    /// `(sample, log-odds)` from leave one set out; may be empty.
    pub held_out: &'a [(usize, f64)],
    /// Weight of each held-out log-odds.
    pub held_out_weight: f64,
}

impl CalibrationData<'_> {
    /// A Platt fit on the log-odds of the samples `keep` accepts (by index).
    pub fn platt(&self, keep: impl Fn(usize) -> bool) -> Platt {
        let weighted = |logits: &[(usize, f64)], weight: f64| -> Vec<(f64, bool, f64)> {
            logits.iter().filter(|&&(i, _)| keep(i)).map(|&(i, z)| (z, self.samples[i].night, weight)).collect()
        };
        let mut triples = weighted(self.kfold, 1.0);
        if self.held_out_weight > 0.0 {
            triples.extend(weighted(self.held_out, self.held_out_weight));
        }
        Platt::fit_weighted(&triples)
    }

    /// Calibrated probabilities for the k-fold log-odds, each fold's calibrated by a
    /// fit on the *other* folds' samples only (`fold[i]` is sample i's fold). Scores
    /// computed from these are honest about calibration too, not only about the
    /// regression.
    pub fn cross_fitted(&self, fold: &[usize]) -> Vec<(usize, f64)> {
        let mut folds: Vec<usize> = self.kfold.iter().map(|&(i, _)| fold[i]).collect();
        folds.sort_unstable();
        folds.dedup();
        let platt: Vec<(usize, Platt)> = folds.into_iter().map(|f| (f, self.platt(|i| fold[i] != f))).collect();
        self.kfold
            .iter()
            .map(|&(i, z)| {
                let p = platt.iter().find(|(f, _)| *f == fold[i]).map_or(Platt::IDENTITY, |(_, p)| *p);
                (i, sigmoid(p.apply(z)))
            })
            .collect()
    }
}

fn fit_scaler(samples: &[Sample], clip: f64) -> Scaler {
    let n = samples.len() as f64;
    let mut mean = vec![0.0; N_FEATURES];
    for s in samples {
        for (m, x) in mean.iter_mut().zip(&s.features) {
            *m += x / n;
        }
    }
    let mut var = vec![0.0; N_FEATURES];
    for s in samples {
        for ((v, x), m) in var.iter_mut().zip(&s.features).zip(&mean) {
            *v += (x - m).powi(2) / n;
        }
    }
    // A constant feature gets std 1 so it standardizes to 0 instead of dividing by 0.
    let std = var.into_iter().map(|v| if v > 1e-18 { v.sqrt() } else { 1.0 }).collect();
    Scaler { mean, std, clip }
}

/// The clipped standardized features, exactly as the model sees them when it answers.
fn standardize(scaler: &Scaler, x: &[f64; N_FEATURES]) -> [f64; N_FEATURES] {
    std::array::from_fn(|i| scaler.z(i, x[i]))
}

/// Per-sample weights averaging 1: each data set's total is proportional to its
/// entry in `relative` (1 when missing), shared equally by its images.
fn sample_weights(samples: &[Sample], relative: &[f64]) -> Vec<f64> {
    let sets = samples.iter().map(|s| s.dataset).max().unwrap_or(0) + 1;
    let mut counts = vec![0usize; sets];
    for s in samples {
        counts[s.dataset] += 1;
    }
    let rel = |d: usize| relative.get(d).copied().unwrap_or(1.0);
    let total: f64 = (0..sets).filter(|&d| counts[d] > 0).map(rel).sum();
    let n = samples.len() as f64;
    samples.iter().map(|s| n * rel(s.dataset) / (total * counts[s.dataset] as f64)).collect()
}

/// Newton's method on the penalised negative log-likelihood. Parameters are the
/// weights followed by the bias. The objective is strictly convex (the L2 term), so
/// this converges in a handful of steps from zero.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
fn newton(z: &[[f64; N_FEATURES]], y: &[f64], w: &[f64], l2: f64) -> Vec<f64> {
    const D: usize = N_FEATURES + 1;
    let mut theta = vec![0.0; D];
    for _ in 0..100 {
        let mut grad = vec![0.0; D];
        let mut hess = vec![vec![0.0; D]; D];
        for ((zi, yi), wi) in z.iter().zip(y).zip(w) {
            let x: Vec<f64> = zi.iter().copied().chain([1.0]).collect();
            let eta: f64 = x.iter().zip(&theta).map(|(a, b)| a * b).sum();
            let p = sigmoid(eta);
            let r = wi * (p - yi);
            let s = wi * (p * (1.0 - p)).max(1e-12);
            for a in 0..D {
                grad[a] += r * x[a];
                for b in 0..=a {
                    hess[a][b] += s * x[a] * x[b];
                }
            }
        }
        for a in 0..D {
            for b in 0..a {
                hess[b][a] = hess[a][b];
            }
        }
        for a in 0..N_FEATURES {
            grad[a] += l2 * theta[a];
            hess[a][a] += l2;
        }
        let step = solve(hess, grad);
        let mut largest: f64 = 0.0;
        for (t, s) in theta.iter_mut().zip(&step) {
            *t -= s;
            largest = largest.max(s.abs());
        }
        if largest < 1e-10 {
            break;
        }
    }
    theta
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (a is small, SPD).
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs())).unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-300 {
            continue;
        }
        for row in col + 1..n {
            let f = a[row][col] / d;
            if f != 0.0 {
                for k in col..n {
                    a[row][k] -= f * a[col][k];
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-300 { 0.0 } else { (b[row] - s) / a[row][row] };
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(v: f64, night: bool) -> Sample {
        let mut features = crate::features::something_to_judge();
        features[0] = v;
        features[1] = v * 0.5 + 0.1;
        Sample { features, night, dataset: 0, group: String::new() }
    }

    fn toy() -> Vec<Sample> {
        (0..40).map(|i| sample(i as f64 / 40.0, i < 18)).collect()
    }

    #[test]
    fn learns_a_threshold_and_is_deterministic() {
        let a = fit(&toy(), &TrainOptions::default(), TrainingInfo::default()).unwrap();
        let b = fit(&toy(), &TrainOptions::default(), TrainingInfo::default()).unwrap();
        assert_eq!(a, b);
        let m = Metrics::score(toy().iter().map(|s| (a.predict(&s.features).p_night, s.night)));
        assert!(m.accuracy >= 0.95, "{m:?}");
        assert!(a.weights()[0] < 0.0, "brighter must mean less night");
    }

    #[test]
    fn refuses_input_that_cannot_give_a_model() {
        let opts = TrainOptions::default();
        let fit = |s: &[Sample], o: &TrainOptions| fit(s, o, TrainingInfo::default()).unwrap_err();
        assert_eq!(fit(&[], &opts), TrainError::NoImages);
        assert_eq!(fit(&[sample(0.1, true)], &opts), TrainError::MissingLabel(Label::Day));
        let days: Vec<Sample> = (0..5).map(|i| sample(f64::from(i), false)).collect();
        assert_eq!(fit(&days, &opts), TrainError::MissingLabel(Label::Night));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let o = TrainOptions { dataset_weights: vec![1.0, bad], ..opts.clone() };
            assert!(matches!(fit(&toy(), &o), TrainError::DatasetWeight { number: 2, .. }), "weight {bad}");
        }
        for bad in [-1.0, f64::NAN] {
            assert!(matches!(fit(&toy(), &TrainOptions { l2: bad, ..opts.clone() }), TrainError::L2(_)));
        }
        for bad in [0.0, -1.0, f64::INFINITY] {
            assert_eq!(fit(&toy(), &TrainOptions { z_clip: bad, ..opts.clone() }), TrainError::Clip(bad));
        }
        for bad in [-0.5, f64::NAN] {
            assert!(matches!(fit(&toy(), &TrainOptions { held_out_weight: bad, ..opts.clone() }), TrainError::HeldOutWeight(_)));
        }
        let band = TrainOptions { uncertain_band: [0.6, 0.9], ..opts.clone() };
        assert!(matches!(fit(&toy(), &band), TrainError::Model(ModelError::Invalid(_))));
    }

    #[test]
    fn a_fold_without_both_labels_is_an_error_not_a_panic() {
        let s = vec![sample(0.1, true), sample(0.9, false), sample(0.2, true)];
        let err = out_of_fold(&s, &TrainOptions::default(), |i, _| Some(i.to_string())).unwrap_err();
        assert_eq!(err.to_string(), "fold 1: no day images to train on: the model needs examples of both day and night");
    }

    #[test]
    fn metrics_count_the_confusion_matrix() {
        let m = Metrics::score([(0.9, true), (0.2, false), (0.6, false), (0.1, true)]);
        assert_eq!((m.night_as_night, m.day_as_day, m.day_as_night, m.night_as_day), (1, 1, 1, 1));
        assert_eq!(m.accuracy, 0.5);
        assert_eq!(m.errors(), 2);
    }

    #[test]
    fn out_of_fold_predicts_every_sample_once() {
        let s = toy();
        let oof = out_of_fold(&s, &TrainOptions::default(), |i, _| Some((i % 4).to_string())).unwrap();
        assert_eq!(oof.len(), s.len());
        assert!(oof.iter().enumerate().all(|(k, (i, z))| k == *i && z.is_finite()));
        let fold: Vec<usize> = (0..s.len()).map(|i| i % 4).collect();
        let data = CalibrationData { samples: &s, kfold: &oof, held_out: &[], held_out_weight: 1.0 };
        let p = data.cross_fitted(&fold);
        assert!(p.iter().zip(&oof).all(|((i, p), (j, _))| i == j && (0.0..=1.0).contains(p)));
    }

    #[test]
    fn group_folds_keep_each_camera_in_one_fold_and_deal_out_other_sets() {
        let mut s = toy();
        // Set 0: 24 frames of three cameras (12, 8, 4 frames); set 1: 16 photos of one size.
        for (i, x) in s.iter_mut().enumerate() {
            (x.dataset, x.group) = match i {
                0..=11 => (0, "cam-a".into()),
                12..=19 => (0, "cam-b".into()),
                20..=23 => (0, "cam-c".into()),
                _ => (1, "200x200".into()),
            };
        }
        let fold = group_folds(&s, 2);
        assert_eq!(fold, group_folds(&s, 2), "deterministic");
        for cam in ["cam-a", "cam-b", "cam-c"] {
            let mut f: Vec<usize> = (0..s.len()).filter(|&i| s[i].group == cam).map(|i| fold[i]).collect();
            f.dedup();
            assert_eq!(f.len(), 1, "{cam} straddles folds");
        }
        // Largest camera to fold 0, the next to the emptier fold 1, the last to fold 1 (8 < 12).
        assert_eq!((fold[0], fold[12], fold[20]), (0, 1, 1));
        assert_eq!(fold[24..].to_vec(), (0..16).map(|n| n % 2).collect::<Vec<_>>());
        assert!(is_camera_set(&s, 0) && !is_camera_set(&s, 1));
    }

    #[test]
    fn dataset_weights_split_the_total() {
        let mut s = toy();
        for x in s.iter_mut().take(10) {
            x.dataset = 1;
        }
        let w = sample_weights(&s, &[1.0, 3.0]);
        let (a, b): (f64, f64) = (w[10..].iter().sum(), w[..10].iter().sum());
        assert!((b / a - 3.0).abs() < 1e-12 && ((a + b) - 40.0).abs() < 1e-9);
    }

    #[test]
    fn solves_a_linear_system() {
        let x = solve(vec![vec![4.0, 1.0], vec![1.0, 3.0]], vec![1.0, 2.0]);
        assert!((x[0] - 1.0 / 11.0).abs() < 1e-12 && (x[1] - 7.0 / 11.0).abs() < 1e-12);
    }
}
