//! Measuring calibration: does `p_night` mean what it says? Among photos given
//! `p_night ≈ 0.8`, about 80 % should be night ([`Reliability`]), and an answer given
//! with confidence ≥ [`CONFIDENT`] should rarely be wrong ([`confidently_wrong`]).
//! Evaluation only: the model's own calibration is [`crate::platt`].

use serde::Serialize;

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
