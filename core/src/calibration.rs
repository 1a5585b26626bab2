//! Calibration: turning the regression's log-odds into probabilities that mean what
//! they say, and measuring whether they do.
//!
//! A regression fitted with an L2 penalty and per-set weights is not calibrated on
//! photos it has not seen: its out-of-fold log-odds are a little too confident.
//! [`Platt`] scaling fits `p = sigmoid(scale · logit + offset)` to out-of-fold
//! log-odds (two numbers, so it cannot overfit), and [`Reliability`] checks the
//! result: among photos given `p_night ≈ 0.8`, about 80 % should be night.

use serde::{Deserialize, Serialize};

use crate::model::sigmoid;

/// Confidence at and above which a wrong answer counts as *confidently* wrong: a
/// day photo given `p_night ≥ 0.9`, or a night photo given `p_night ≤ 0.1`.
pub const CONFIDENT: f64 = 0.9;

/// True when the answer for `p_night` is wrong for `night` with confidence ≥ [`CONFIDENT`].
pub fn confidently_wrong(p_night: f64, night: bool) -> bool {
    if night {
        p_night <= 1.0 - CONFIDENT
    } else {
        p_night >= CONFIDENT
    }
}

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

/// ln(1 + eˣ) without overflow.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// One bin of a [`Reliability`] table: photos whose `p_night` fell in `[low, high)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge of `p_night`.
    pub low: f64,
    /// Upper edge (the last bin includes 1).
    pub high: f64,
    /// Photos in the bin.
    pub count: usize,
    /// Their mean `p_night` (0 when the bin is empty).
    pub mean_predicted: f64,
    /// The share of them that are night (0 when the bin is empty).
    pub observed: f64,
}

/// Does `p_night` mean what it says? Predictions grouped into equal-width bins of
/// `p_night`, each with its mean prediction and the share that really is night.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    /// Ten bins: `[0, 0.1)`, `[0.1, 0.2)`, … `[0.9, 1]`.
    pub bins: Vec<Bin>,
    /// Expected calibration error: the count-weighted mean of
    /// |mean predicted − observed share| over the bins. 0 is perfect.
    pub ece: f64,
}

impl Reliability {
    /// Number of bins.
    pub const BINS: usize = 10;

    /// The table for `(p_night, is_night)` pairs.
    pub fn of(pairs: impl IntoIterator<Item = (f64, bool)>) -> Reliability {
        let mut sums = [(0usize, 0.0f64, 0usize); Reliability::BINS];
        for (p, night) in pairs {
            let k = ((p * Reliability::BINS as f64) as usize).min(Reliability::BINS - 1);
            sums[k].0 += 1;
            sums[k].1 += p;
            sums[k].2 += usize::from(night);
        }
        let total: usize = sums.iter().map(|s| s.0).sum();
        let width = 1.0 / Reliability::BINS as f64;
        let bins: Vec<Bin> = sums
            .iter()
            .enumerate()
            .map(|(k, &(count, sum_p, nights))| {
                let of = |x: f64| if count == 0 { 0.0 } else { x / count as f64 };
                Bin {
                    low: k as f64 * width,
                    high: (k + 1) as f64 * width,
                    count,
                    mean_predicted: of(sum_p),
                    observed: of(nights as f64),
                }
            })
            .collect();
        let ece = bins.iter().map(|b| b.count as f64 * (b.mean_predicted - b.observed).abs()).sum::<f64>() / total.max(1) as f64;
        Reliability { bins, ece }
    }

    /// The table as text, one line per non-empty bin, each line starting with `indent`.
    pub fn table(&self, indent: &str) -> String {
        let mut out = format!("{indent}p_night      images  mean p_night  night share\n");
        for b in self.bins.iter().filter(|b| b.count > 0) {
            out += &format!(
                "{indent}{:.1}–{:.1}  {:>10}  {:>12.3}  {:>11.3}\n",
                b.low, b.high, b.count, b.mean_predicted, b.observed
            );
        }
        out + &format!("{indent}expected calibration error (ECE) {:.4}\n", self.ece)
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

    #[test]
    fn reliability_bins_and_ece() {
        let r = Reliability::of([(0.05, false), (0.05, false), (0.95, true), (0.95, false), (1.0, true)]);
        assert_eq!(r.bins.len(), 10);
        assert_eq!(r.bins[0].count, 2);
        assert_eq!(r.bins[9].count, 3, "1.0 falls in the last bin");
        assert!((r.bins[9].observed - 2.0 / 3.0).abs() < 1e-12);
        // |0.05 − 0| · 2 + |0.9667 − 0.6667| · 3, over 5.
        assert!((r.ece - (0.1 + 0.9) / 5.0).abs() < 1e-9, "{}", r.ece);
        assert!(r.table("  ").contains("0.9–1.0"));
        assert_eq!(Reliability::of([]).ece, 0.0);
    }

    #[test]
    fn confidently_wrong_is_wrong_at_ninety_percent_either_way() {
        assert!(confidently_wrong(0.95, false) && confidently_wrong(0.05, true));
        assert!(!confidently_wrong(0.85, false) && !confidently_wrong(0.95, true));
    }
}
