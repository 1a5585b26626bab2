//! The built-in training examples as feature vectors: what the page retrains on
//! besides the photos a user marked, shipped as `model/examples.bin` (never the
//! photos themselves).
//!
//! `daynight train --examples-out FILE` writes it from the same samples the model
//! was fitted on, so the README's train command regenerates model and examples
//! together, bit for bit.
//!
//! # Format (version 2, all numbers little-endian)
//!
//! | bytes | what |
//! | --- | --- |
//! | 4 | magic `DNEX` |
//! | u16 | format version, [`VERSION`] |
//! | u16, u32 | number of features F, number of samples S |
//! | f64 × 3 | the L2 penalty, the feature clip (`--clip`) and the held-out weight of the calibration (`--held-out-weight`) the model was trained with |
//! | str | feature names joined by `\n` (must equal [`crate::feature_names`]) |
//! | u16, then per set: f64, str | data sets: relative weight (`--weights`), name |
//! | u16, then per group: str | group names (a webcam's image size; see [`Sample::group`]) |
//! | F × (f64, f64) | per feature: lowest and highest value over the samples |
//! | S × (u8, u8, u16) | per sample: 1 for night (0 for day), data set, group |
//! | F × S × u16 | the features, feature by feature (column-major, which gzip likes) |
//!
//! `str` is a u32 byte length and that many bytes of UTF-8. A feature value `x` is
//! stored as `q = round((x − low) / (high − low) × 65535)` and read back as
//! `low + q × (high − low) / 65535`: 16 bits per number, an error of at most 1/131070
//! of the feature's range, far below what moves a fitted weight (measured in the
//! tests: the model fitted on the read-back examples gives the committed model's
//! answers). Half the size of `f32`, a quarter of `f64`.

use crate::features::{feature_names, N_FEATURES};
use crate::train::Sample;

/// The file format version this code writes and reads.
pub const VERSION: u16 = 2;

const MAGIC: &[u8; 4] = b"DNEX";
const LEVELS: f64 = 65535.0;

/// Why an examples file could not be read. The messages are for people.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExamplesError {
    /// Not an examples file at all (another file served under its name, say).
    #[error("the built-in examples file is not a daynight examples file")]
    NotExamples,
    /// Written by another version of the format.
    #[error("the built-in examples file has format version {0}, this program reads version {VERSION}")]
    Version(u16),
    /// Made for other features (the features changed and the file was not rebuilt).
    #[error("the built-in examples were made for other features than this program computes; rebuild them with `daynight train … --examples-out`")]
    Features,
    /// Cut short or inconsistent.
    #[error("the built-in examples file is damaged ({0})")]
    Damaged(&'static str),
}

/// One data set of the examples.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleSet {
    /// Its name, as in the model's provenance.
    pub name: String,
    /// Its relative weight in training (`--weights`).
    pub weight: f64,
}

/// Labelled feature vectors and how they were weighted.
#[derive(Debug, Clone, PartialEq)]
pub struct Examples {
    /// The samples, in training order; `dataset` indexes [`Examples::sets`].
    pub samples: Vec<Sample>,
    /// The data sets.
    pub sets: Vec<ExampleSet>,
    /// The L2 penalty the built-in model was trained with.
    pub l2: f64,
    /// How many standard deviations a feature may count for (`--clip`).
    pub clip: f64,
    /// How much leave one set out's log-odds count in the calibration (`--held-out-weight`).
    pub held_out_weight: f64,
}

impl Examples {
    /// Writes the file. `sets` names every data set a sample refers to.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(N_FEATURES as u16).to_le_bytes());
        out.extend_from_slice(&(self.samples.len() as u32).to_le_bytes());
        for x in [self.l2, self.clip, self.held_out_weight] {
            out.extend_from_slice(&x.to_le_bytes());
        }
        put_str(&mut out, &feature_names().join("\n"));
        out.extend_from_slice(&(self.sets.len() as u16).to_le_bytes());
        for set in &self.sets {
            out.extend_from_slice(&set.weight.to_le_bytes());
            put_str(&mut out, &set.name);
        }
        let mut groups: Vec<&str> = Vec::new();
        for s in &self.samples {
            if !groups.contains(&s.group.as_str()) {
                groups.push(&s.group);
            }
        }
        out.extend_from_slice(&(groups.len() as u16).to_le_bytes());
        for g in &groups {
            put_str(&mut out, g);
        }
        let ranges: Vec<(f64, f64)> = (0..N_FEATURES)
            .map(|f| {
                let values = self.samples.iter().map(|s| s.features[f]);
                (values.clone().fold(f64::INFINITY, f64::min), values.fold(f64::NEG_INFINITY, f64::max))
            })
            .collect();
        for (lo, hi) in &ranges {
            out.extend_from_slice(&lo.to_le_bytes());
            out.extend_from_slice(&hi.to_le_bytes());
        }
        for s in &self.samples {
            let group = groups.iter().position(|g| *g == s.group).unwrap_or(0) as u16;
            out.extend_from_slice(&[u8::from(s.night), s.dataset as u8]);
            out.extend_from_slice(&group.to_le_bytes());
        }
        for (f, &(lo, hi)) in ranges.iter().enumerate() {
            for s in &self.samples {
                let q = if hi > lo { ((s.features[f] - lo) / (hi - lo) * LEVELS).round() } else { 0.0 };
                out.extend_from_slice(&(q as u16).to_le_bytes());
            }
        }
        out
    }

    /// Reads a file [`Examples::to_bytes`] wrote, checking every length and that its
    /// features are the ones this code computes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Examples, ExamplesError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4).ok() != Some(MAGIC.as_slice()) {
            return Err(ExamplesError::NotExamples);
        }
        let version = r.u16()?;
        if version != VERSION {
            return Err(ExamplesError::Version(version));
        }
        let (n_features, n_samples) = (usize::from(r.u16()?), r.u32()? as usize);
        let (l2, clip, held_out_weight) = (r.f64()?, r.f64()?, r.f64()?);
        if n_features != N_FEATURES || r.str()? != feature_names().join("\n") {
            return Err(ExamplesError::Features);
        }
        let sets = (0..r.u16()?).map(|_| Ok(ExampleSet { weight: r.f64()?, name: r.str()? })).collect::<Result<Vec<_>, _>>()?;
        let groups = (0..r.u16()?).map(|_| r.str()).collect::<Result<Vec<_>, _>>()?;
        let ranges = (0..N_FEATURES).map(|_| Ok((r.f64()?, r.f64()?))).collect::<Result<Vec<_>, _>>()?;
        // Checked before allocating: a forged count must not reserve gigabytes. The
        // product is checked too: on wasm32 (a 32-bit usize) a forged count would
        // otherwise wrap around to a length that matches.
        if samples_bytes(n_samples) != Some(r.bytes.len() - r.at) {
            return Err(ExamplesError::Damaged("its length does not match its sample count"));
        }
        let positive = |x: f64| x.is_finite() && x > 0.0;
        if !(l2.is_finite() && l2 >= 0.0 && positive(clip) && held_out_weight.is_finite() && held_out_weight >= 0.0)
            || sets.iter().any(|s| !(s.weight.is_finite() && s.weight > 0.0))
        {
            return Err(ExamplesError::Damaged("a weight, the clip or the L2 penalty is not a positive number"));
        }
        if ranges.iter().any(|(lo, hi)| !(lo.is_finite() && hi.is_finite() && lo <= hi)) {
            return Err(ExamplesError::Damaged("a feature range is not finite"));
        }
        let mut samples = Vec::with_capacity(n_samples);
        for _ in 0..n_samples {
            let head = r.take(4)?;
            let (night, dataset, group) = (head[0], usize::from(head[1]), usize::from(u16::from_le_bytes([head[2], head[3]])));
            if night > 1 || dataset >= sets.len() || group >= groups.len() {
                return Err(ExamplesError::Damaged("a sample's label, set or group is out of range"));
            }
            samples.push(Sample { features: [0.0; N_FEATURES], night: night == 1, dataset, group: groups[group].clone() });
        }
        for (f, (lo, hi)) in ranges.iter().enumerate() {
            for s in &mut samples {
                s.features[f] = lo + f64::from(r.u16()?) * (hi - lo) / LEVELS;
            }
        }
        Ok(Examples { samples, sets, l2, clip, held_out_weight })
    }
}

/// Bytes the samples of a file take after its header: per sample its label, set and
/// group (4 bytes) and its features (2 bytes each). `None` when that overflows.
fn samples_bytes(n_samples: usize) -> Option<usize> {
    n_samples.checked_mul(4 + 2 * N_FEATURES)
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// A cursor over the file that fails instead of reading past its end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ExamplesError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(ExamplesError::Damaged("it ends too early"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ExamplesError> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u16(&mut self) -> Result<u16, ExamplesError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, ExamplesError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn f64(&mut self) -> Result<f64, ExamplesError> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    fn str(&mut self) -> Result<String, ExamplesError> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| ExamplesError::Damaged("a name is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn examples() -> Examples {
        let samples = (0..30)
            .map(|i| {
                let mut features = [0.0; N_FEATURES];
                for (f, x) in features.iter_mut().enumerate() {
                    *x = (i * 7 + f * 3) as f64 / 11.0 - 2.0;
                }
                features[5] = 0.25; // a constant feature
                Sample { features, night: i % 3 == 0, dataset: i % 2, group: format!("{}x480", 600 + i % 4) }
            })
            .collect();
        let sets = vec![ExampleSet { name: "a/day".into(), weight: 4.0 }, ExampleSet { name: "b".into(), weight: 2.0 }];
        Examples { samples, sets, l2: 10.0, clip: 2.0, held_out_weight: 0.85 }
    }

    #[test]
    fn round_trips_within_the_quantization_step() {
        let e = examples();
        let bytes = e.to_bytes();
        assert_eq!(
            bytes.len(),
            4 + 2
                + 2
                + 4
                + 3 * 8
                + 4
                + feature_names().join("\n").len()
                + 2
                + (8 + 4 + 5)
                + (8 + 4 + 1)
                + 2
                + 4 * (4 + 7)
                + N_FEATURES * 16
                + 30 * 4
                + N_FEATURES * 30 * 2
        );
        let back = Examples::from_bytes(&bytes).unwrap();
        assert_eq!((back.sets.clone(), back.l2, back.clip, back.held_out_weight), (e.sets.clone(), 10.0, 2.0, 0.85));
        for (a, b) in back.samples.iter().zip(&e.samples) {
            assert_eq!((a.night, a.dataset, &a.group), (b.night, b.dataset, &b.group));
            for f in 0..N_FEATURES {
                let step = 29.0 * 7.0 / 11.0 / LEVELS; // every feature spans 29 × 7 / 11
                assert!((a.features[f] - b.features[f]).abs() <= step / 2.0 + 1e-12, "feature {f}");
            }
            assert_eq!(a.features[5], 0.25, "a constant feature comes back exactly");
        }
        assert_eq!(Examples::from_bytes(&back.to_bytes()).unwrap(), back, "reading back is stable");
    }

    #[test]
    fn refuses_other_files_versions_features_and_every_truncation() {
        let bytes = examples().to_bytes();
        assert_eq!(Examples::from_bytes(b"<!doctype html>"), Err(ExamplesError::NotExamples));
        let mut v = bytes.clone();
        v[4] = 9;
        assert_eq!(Examples::from_bytes(&v), Err(ExamplesError::Version(9)));
        let mut f = bytes.clone();
        let at = 4 + 2 + 2 + 4 + 3 * 8 + 4; // the first byte of the first feature name
        f[at] = b'X';
        assert_eq!(Examples::from_bytes(&f), Err(ExamplesError::Features));
        for cut in 0..bytes.len() {
            assert!(Examples::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut label = bytes.clone();
        let first_sample = bytes.len() - N_FEATURES * 30 * 2 - 30 * 4;
        label[first_sample] = 2;
        assert!(matches!(Examples::from_bytes(&label), Err(ExamplesError::Damaged(_))));
    }

    #[test]
    fn a_forged_huge_sample_count_is_refused_not_wrapped() {
        let bytes = examples().to_bytes();
        // The sample count is the u32 after the magic, the version and the feature count.
        for forged in [u32::MAX, u32::MAX / 2 + 1, 30 + 1, 0] {
            let mut f = bytes.clone();
            f[8..12].copy_from_slice(&forged.to_le_bytes());
            let refused = ExamplesError::Damaged("its length does not match its sample count");
            assert_eq!(Examples::from_bytes(&f), Err(refused), "{forged} samples");
        }
        // What a 32-bit usize meets: the product overflows, and is refused as such.
        assert_eq!(samples_bytes(usize::MAX / 2), None);
        assert_eq!(samples_bytes(30), Some(30 * (4 + 2 * N_FEATURES)));
    }
}
