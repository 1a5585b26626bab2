//! The logistic function and its kin, written once so the model, the calibration
//! and the trainer compute them the same way, bit for bit.

/// The logistic function `1 / (1 + e⁻ˣ)`, safe for large |x|.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + eˣ)` without overflow: the log loss of a logit, `−ln σ(−x)`.
pub fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_stable() {
        assert_eq!(sigmoid(1000.0), 1.0);
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn softplus_is_finite_and_matches_its_definition() {
        assert_eq!(softplus(1000.0), 1000.0);
        assert_eq!(softplus(-1000.0), 0.0);
        for x in [-3.0, -0.5, 0.0, 0.5, 3.0] {
            assert!((softplus(x) - (1.0 + f64::exp(x)).ln()).abs() < 1e-12, "{x}");
        }
    }
}
