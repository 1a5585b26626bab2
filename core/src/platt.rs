//! Platt scaling: turning the regression's log-odds into probabilities that mean
//! what they say.
//!
//! A regression fitted with an L2 penalty and per-set weights is not calibrated on
//! photos it has not seen: its out-of-fold log-odds are a little too confident.
//! [`Platt`] scaling fits `p = sigmoid(scale · logit + offset)` to out-of-fold
//! log-odds (two numbers, so it cannot overfit). The model stores the two numbers
//! ([`crate::model::Model::calibration`]); whether the result means what it says is
//! measured apart, by [`crate::reliability`].

use serde::{Deserialize, Serialize};

use crate::math::{sigmoid, softplus};

/// Platt scaling: calibrated log-odds = `scale · logit + offset`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    /// Multiplies the regression's log-odds; below 1 softens over-confident answers.
    pub scale: f64,
    /// Added after scaling: shifts every answer towards night (positive) or day.
    pub offset: f64,
}

impl Platt {
    /// No change: `scale` 1, `offset` 0 (exactly, so the log-odds pass unchanged).
    pub const IDENTITY: Platt = Platt { scale: 1.0, offset: 0.0 };

    /// Calibrated log-odds for the regression's `logit`.
    pub fn apply(&self, logit: f64) -> f64 {
        self.scale * logit + self.offset
    }

    /// Fits the two numbers to `(logit, is_night)` pairs: [`Platt::fit_weighted`]
    /// with every pair weighing 1.
    pub fn fit(pairs: &[(f64, bool)]) -> Platt {
        let weighted: Vec<(f64, bool, f64)> = pairs.iter().map(|&(z, night)| (z, night, 1.0)).collect();
        Platt::fit_weighted(&weighted)
    }

    /// Fits the two numbers to `(logit, is_night, weight)` triples by Newton's method
    /// on the weighted log loss, with Platt's targets (`(n₊ + 1)/(n₊ + 2)` for night,
    /// `1/(n₋ + 2)` for day instead of 1 and 0, `n` the summed weights): they keep
    /// both numbers finite even when the logits separate the labels perfectly, and
    /// change nothing measurable on a thousand photos. Weights let one kind of
    /// out-of-fold log-odds count less than another (see
    /// [`crate::provenance::TrainOptions::held_out_weight`]). Deterministic;
    /// [`Platt::IDENTITY`] when nothing weighs anything.
    pub fn fit_weighted(pairs: &[(f64, bool, f64)]) -> Platt {
        let nights: f64 = pairs.iter().filter(|p| p.1).map(|p| p.2).sum();
        let days: f64 = pairs.iter().filter(|p| !p.1).map(|p| p.2).sum();
        if nights + days <= 0.0 {
            return Platt::IDENTITY;
        }
        let (t_night, t_day) = ((nights + 1.0) / (nights + 2.0), 1.0 / (days + 2.0));
        let target = |night: bool| if night { t_night } else { t_day };
        let loss = |a: f64, b: f64| -> f64 {
            pairs
                .iter()
                .map(|&(z, night, w)| {
                    let (t, x) = (target(night), a * z + b);
                    // −[t ln σ(x) + (1−t) ln σ(−x)], written to stay finite for large |x|.
                    w * (softplus(x) - t * x)
                })
                .sum()
        };
        let (mut a, mut b) = (1.0, 0.0);
        let mut current = loss(a, b);
        for _ in 0..100 {
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for &(z, night, w) in pairs {
                let p = sigmoid(a * z + b);
                let (r, s) = (w * (p - target(night)), w * (p * (1.0 - p)).max(1e-12));
                ga += r * z;
                gb += r;
                haa += s * z * z;
                hab += s * z;
                hbb += s;
            }
            // A whisker of ridge keeps the 2×2 solve defined when every logit is equal.
            let (haa, hbb) = (haa + 1e-12, hbb + 1e-12);
            let det = haa * hbb - hab * hab;
            let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
            // Newton with step halving: the loss never goes up.
            let mut step = 1.0;
            let (mut na, mut nb) = (a - da, b - db);
            let mut next = loss(na, nb);
            // `next > current` would let a NaN through; `is_le` does not.
            let better = |next: f64| next.partial_cmp(&current).is_some_and(|o| o.is_le());
            while !better(next) && step > 1e-10 {
                step /= 2.0;
                (na, nb) = (a - step * da, b - step * db);
                next = loss(na, nb);
            }
            if !better(next) {
                break;
            }
            let moved = (na - a).abs().max((nb - b).abs());
            (a, b, current) = (na, nb, next);
            if moved < 1e-12 {
                break;
            }
        }
        Platt { scale: a, offset: b }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Logits whose true log-odds are `truth_scale · logit + truth_offset`, with labels
    /// drawn deterministically so that each logit's night share matches.
    fn synthetic(truth: Platt) -> Vec<(f64, bool)> {
        let mut out = Vec::new();
        for i in 0..200 {
            let z = (i as f64 - 100.0) / 25.0;
            let p = sigmoid(truth.apply(z));
            // 50 copies of each logit, `round(50 p)` of them night.
            let nights = (50.0 * p).round() as usize;
            out.extend((0..50).map(|k| (z, k < nights)));
        }
        out
    }

    #[test]
    fn platt_recovers_the_scale_and_offset_that_made_the_labels() {
        let truth = Platt { scale: 0.8, offset: -0.3 };
        let fit = Platt::fit(&synthetic(truth));
        assert!((fit.scale - 0.8).abs() < 0.02 && (fit.offset + 0.3).abs() < 0.02, "{fit:?}");
        assert_eq!(Platt::fit(&synthetic(truth)), fit, "deterministic");
    }

    #[test]
    fn platt_stays_finite_on_separable_and_degenerate_input() {
        let separable: Vec<(f64, bool)> = (0..20).map(|i| (f64::from(i) - 9.5, i >= 10)).collect();
        let fit = Platt::fit(&separable);
        assert!(fit.scale.is_finite() && fit.scale > 0.0 && fit.offset.is_finite(), "{fit:?}");
        let same = Platt::fit(&[(1.0, true), (1.0, false)]);
        assert!(same.scale.is_finite() && same.offset.is_finite(), "{same:?}");
        assert_eq!(Platt::fit(&[]), Platt::IDENTITY);
        assert_eq!(Platt::IDENTITY.apply(1.25), 1.25);
    }

    #[test]
    fn a_weight_counts_like_copies() {
        let data = synthetic(Platt { scale: 0.8, offset: -0.3 });
        let humble = synthetic(Platt { scale: 0.3, offset: 0.0 });
        let twice: Vec<(f64, bool)> = data.iter().chain(&humble).chain(&humble).copied().collect();
        let weighted: Vec<(f64, bool, f64)> =
            data.iter().map(|&(z, n)| (z, n, 1.0)).chain(humble.iter().map(|&(z, n)| (z, n, 2.0))).collect();
        let (a, b) = (Platt::fit(&twice), Platt::fit_weighted(&weighted));
        assert!((a.scale - b.scale).abs() < 1e-9 && (a.offset - b.offset).abs() < 1e-9, "{a:?} {b:?}");
        let light: Vec<(f64, bool, f64)> = weighted.iter().map(|&(z, n, w)| (z, n, if w == 2.0 { 0.1 } else { 1.0 })).collect();
        let c = Platt::fit_weighted(&light);
        assert!(b.scale < c.scale && c.scale < 0.8, "the humble half pulls the scale down as it weighs more: {b:?} {c:?}");
        let zero: Vec<(f64, bool, f64)> = data.iter().map(|&(z, n)| (z, n, 0.0)).collect();
        assert_eq!(Platt::fit_weighted(&zero), Platt::IDENTITY);
    }
}
