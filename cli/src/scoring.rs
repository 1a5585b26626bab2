//! Scoring a set of answers against the truth: what `daynight train` and `daynight
//! eval` both report, in the same words and the same JSON.

use daynight_core::reliability::Reliability;
use daynight_core::train::Metrics;
use daynight_core::Model;
use serde::Serialize;

/// What `train` and `eval` report for a set of predictions.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    /// Accuracy, confusion matrix, log loss, Brier score, confidently wrong.
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Answers inside the model's uncertain band.
    pub uncertain: usize,
    /// The same as a share of the images.
    pub uncertain_share: f64,
    /// Expected calibration error over ten bins of `p_night`.
    pub ece: f64,
}

/// Scores `(p_night, is_night)` pairs, with `model`'s uncertain band.
pub fn score(model: &Model, pairs: impl IntoIterator<Item = (f64, bool)> + Clone) -> Scored {
    let metrics = Metrics::score(pairs.clone());
    let uncertain = pairs.clone().into_iter().filter(|&(p, _)| model.is_uncertain(p)).count();
    let ece = Reliability::of(pairs).ece;
    Scored { metrics, uncertain, uncertain_share: uncertain as f64 / metrics.n.max(1) as f64, ece }
}

/// One line: accuracy, balanced accuracy, errors, confidently wrong, uncertain, ECE, log loss, Brier.
pub fn summary(s: &Scored) -> String {
    let m = &s.metrics;
    format!(
        "acc {:6.2}%  bal {:6.2}%  errors {:3}/{:<4}  sure+wrong {:3}  uncertain {:5.1}%  ECE {:.4}  logloss {:.4}  brier {:.4}",
        m.accuracy * 100.0,
        m.balanced_accuracy * 100.0,
        m.errors(),
        m.n,
        m.confident_wrong,
        s.uncertain_share * 100.0,
        s.ece,
        m.log_loss,
        m.brier
    )
}
