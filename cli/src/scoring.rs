//! Scoring a set of answers against the truth: what `daynight train` and `daynight
//! eval` both report, in the same words and the same JSON.

use std::collections::BTreeMap;

use daynight_core::reliability::Reliability;
use daynight_core::tier::CUTS;
use daynight_core::train::Metrics;
use daynight_core::{Label, Model, Tier};
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
    /// How each tier's answers did, `sure` first.
    pub tiers: BTreeMap<Tier, TierScore>,
}

/// How the answers of one tier did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TierScore {
    /// Answers in this tier.
    pub n: usize,
    /// The same as a share of all answers.
    pub share: f64,
    /// Share of them that are right (`null` when there are none).
    pub accuracy: Option<f64>,
}

/// Scores `(p_night, is_night)` pairs, with `model`'s uncertain band.
pub fn score(model: &Model, pairs: impl IntoIterator<Item = (f64, bool)> + Clone) -> Scored {
    let metrics = Metrics::score(pairs.clone());
    let uncertain = pairs.clone().into_iter().filter(|&(p, _)| model.is_uncertain(p)).count();
    let ece = Reliability::of(pairs.clone()).ece;
    let tiers = Tier::ALL
        .into_iter()
        .map(|tier| {
            let (n, right) = pairs
                .clone()
                .into_iter()
                .filter(|&(p, _)| Tier::of(p) == tier)
                .fold((0usize, 0usize), |(n, right), (p, night)| {
                    (n + 1, right + usize::from(Label::from_p_night(p) == Label::from_night(night)))
                });
            let accuracy = (n > 0).then(|| right as f64 / n as f64);
            (tier, TierScore { n, share: n as f64 / metrics.n.max(1) as f64, accuracy })
        })
        .collect();
    Scored { metrics, uncertain, uncertain_share: uncertain as f64 / metrics.n.max(1) as f64, ece, tiers }
}

/// One line per tier: its cut-offs, its share of the answers and how many of them are right.
pub fn tier_lines(s: &Scored, indent: &str) -> String {
    let [a, b, c, d] = CUTS;
    let ranges =
        [format!("p_night ≤ {a} or ≥ {d}"), format!("p_night in ({a}, {b}] or [{c}, {d})"), format!("p_night in ({b}, {c})")];
    let mut out = String::new();
    for ((tier, t), range) in s.tiers.iter().zip(ranges) {
        let (low, high) = tier.percents();
        let right = t.accuracy.map_or("—".to_string(), |a| format!("{:.1}% right", a * 100.0));
        out.push_str(&format!(
            "{indent}{:<18} {:5.1}% of answers ({} images), {right}  ({low}–{high} % sure: {range})\n",
            tier.as_str(),
            t.share * 100.0,
            t.n
        ));
    }
    out
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
