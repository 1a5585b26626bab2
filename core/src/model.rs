//! The trained model: a standardizing scaler plus logistic regression, stored as JSON.
//!
//! Logistic regression keeps every answer explainable: the log-odds of night is a sum
//! of one term per feature, so each term is that feature's contribution.

use serde::{Deserialize, Serialize};

use crate::explain::{self, Phrase};
use crate::features::{feature_names, nothing_to_judge, FEATURES, N_FEATURES};
use crate::fnv;
use crate::label::{Label, NIGHT_AT};
use crate::math::sigmoid;
use crate::platt::Platt;
use crate::provenance::TrainingInfo;
use crate::tier::Tier;

/// Version of the model file format; bump when the meaning of any field changes.
/// Version 2 added `calibration` (Platt scaling of the log-odds); version 3 added
/// `scaler.clip` (standardized features are clipped before the weights).
pub const FORMAT_VERSION: u32 = 3;

/// The model committed in `model/daynight.json`, embedded at compile time.
pub const EMBEDDED_JSON: &str = include_str!("../../model/daynight.json");

/// The numbers of [`EMBEDDED_JSON`] as constants, written by `core/build.rs`.
mod compiled {
    include!(concat!(env!("OUT_DIR"), "/embedded_model.rs"));
}

/// Why a model file was refused. The messages are for people.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// Not valid JSON, or not the expected shape.
    #[error("model file is not valid model JSON: {0}")]
    Parse(String),
    /// The file's `format_version` is not the one this code reads.
    #[error(
        "model file has format version {found}, this program reads version {FORMAT_VERSION}; retrain it with `daynight train`"
    )]
    Version {
        /// Version found in the file.
        found: u32,
    },
    /// The file's feature list differs from the features this code computes.
    #[error(
        "model file was trained on features [{}] but this program computes [{}]; retrain it with `daynight train`",
        found.join(", "),
        feature_names().join(", ")
    )]
    Features {
        /// Names found in the file.
        found: Vec<String>,
    },
    /// A vector has the wrong length or holds a non-finite number.
    #[error("model file is inconsistent: {0}")]
    Invalid(String),
}

/// Per-feature standardization, clipped: `z = clamp((x - mean) / std, -clip, clip)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    /// Training mean of each feature.
    pub mean: Vec<f64>,
    /// Training standard deviation of each feature (never zero).
    pub std: Vec<f64>,
    /// Largest |z| a feature may contribute with. A linear model extrapolates: a
    /// photo far outside the training photos in one feature (a wallpaper's
    /// flat colours, a close-up's black background) would get a huge term from it
    /// and an answer far more certain than anything seen in training. Clipped, each
    /// feature can say "very high" but not "forty times higher", and cross-validation
    /// by set shows fewer confident mistakes on kinds of photo never trained on.
    pub clip: f64,
}

impl Scaler {
    /// The clipped standardized value of feature `i`.
    pub fn z(&self, i: usize, x: f64) -> f64 {
        ((x - self.mean[i]) / self.std[i]).clamp(-self.clip, self.clip)
    }
}

/// A trained day/night model. Built only by [`Model::new`] or [`Model::from_json`]
/// (deserializing goes through the same checks), so every `Model` is valid: its
/// numbers are finite and bounded and its features are the ones this code computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ModelFile", into = "ModelFile")]
pub struct Model(ModelFile);

/// The model file's fields, as stored; unchecked until [`Model::try_from`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ModelFile {
    /// File format version, see [`FORMAT_VERSION`].
    format_version: u32,
    /// Feature names, in vector order; must equal [`FEATURES`].
    features: Vec<String>,
    /// Standardization applied before the weights.
    scaler: Scaler,
    /// One weight per standardized feature; positive pushes towards night.
    weights: Vec<f64>,
    /// Regression log-odds of night for an average image, before calibration.
    bias: f64,
    /// Maps the regression's log-odds to calibrated log-odds (fitted out of fold).
    calibration: Platt,
    /// `p_night` strictly inside `[low, high]` was reported as uncertain before the
    /// three tiers ([`crate::tier`]); kept in the file (and the [`Model::id`]) as it was.
    uncertain_band: [f64; 2],
    /// Provenance and metrics.
    training: TrainingInfo,
}

impl TryFrom<ModelFile> for Model {
    type Error = ModelError;

    fn try_from(file: ModelFile) -> Result<Model, ModelError> {
        file.validate()?;
        Ok(Model(file))
    }
}

impl ModelFile {
    fn validate(&self) -> Result<(), ModelError> {
        if self.format_version != FORMAT_VERSION {
            return Err(ModelError::Version { found: self.format_version });
        }
        if self.features.iter().map(String::as_str).ne(feature_names()) {
            return Err(ModelError::Features { found: self.features.clone() });
        }
        for (name, v) in [("scaler.mean", &self.scaler.mean), ("scaler.std", &self.scaler.std), ("weights", &self.weights)] {
            if v.len() != N_FEATURES {
                return Err(ModelError::Invalid(format!("{name} has {} entries, expected {N_FEATURES}", v.len())));
            }
            if v.iter().any(|x| !x.is_finite()) {
                return Err(ModelError::Invalid(format!("{name} holds a non-finite number")));
            }
        }
        // Bounded numbers keep every logit finite (features are small), so a model
        // that loads can never answer NaN.
        let bounded = |v: &[f64]| v.iter().all(|x| x.abs() <= 1e6);
        if !bounded(&self.scaler.mean) || !bounded(&self.weights) || !bounded(&[self.bias]) {
            return Err(ModelError::Invalid("a mean, weight or bias is larger than 1e6".into()));
        }
        // A positive scale keeps every contribution's sign, so an explanation reads
        // the same before and after calibration.
        let Platt { scale, offset } = self.calibration;
        if !(scale > 0.0 && scale <= 1e6 && offset.abs() <= 1e6) {
            return Err(ModelError::Invalid("calibration.scale must be in (0, 1e6] and |calibration.offset| ≤ 1e6".into()));
        }
        if self.scaler.std.iter().any(|s| !(1e-9..=1e6).contains(s)) {
            return Err(ModelError::Invalid("scaler.std must be between 1e-9 and 1e6".into()));
        }
        if !(self.scaler.clip > 0.0 && self.scaler.clip <= 1e6) {
            return Err(ModelError::Invalid("scaler.clip must be in (0, 1e6]".into()));
        }
        let [lo, hi] = self.uncertain_band;
        if !self.bias.is_finite() || !(0.0..=NIGHT_AT).contains(&lo) || !(NIGHT_AT..=1.0).contains(&hi) {
            return Err(ModelError::Invalid("bias or uncertain_band out of range".into()));
        }
        Ok(())
    }
}

impl From<Model> for ModelFile {
    fn from(model: Model) -> ModelFile {
        model.0
    }
}

/// One feature's share of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Contribution {
    /// Feature name.
    pub feature: &'static str,
    /// Feature value (after the square root where the table asks for one).
    pub value: f64,
    /// Standardized value: how many training standard deviations above the mean,
    /// clipped to the model's `±scaler.clip`.
    pub z: f64,
    /// Its term in the log-odds of night: positive pushes towards night.
    pub logit: f64,
    /// Position in [`FEATURES`], so its words are found without comparing names.
    #[serde(skip)]
    index: usize,
}

impl Contribution {
    fn info(&self) -> &'static crate::features::FeatureInfo {
        &FEATURES[self.index]
    }

    /// Which answer this feature's plain words suggest to a person, if any.
    pub fn reads_as(&self) -> Option<Label> {
        self.reason().and_then(|p| p.side)
    }

    /// The reason this feature gives, in plain words: what is unusual about the photo
    /// (high or low against the training average), not which way the model leans.
    /// `None` for a feature that is never quoted.
    pub fn reason(&self) -> Option<&'static Phrase> {
        let reasons = self.info().reasons?;
        Some(if self.z >= 0.0 { reasons.high } else { reasons.low })
    }
}

/// The answer for one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// Probability that the photo was taken at night; 0.5 when there is almost
    /// nothing to judge.
    pub p_night: f64,
    /// The more likely label.
    pub label: Label,
    /// How sure the answer is: [`Tier::of`] `p_night`.
    pub tier: Tier,
    /// True unless the tier is [`Tier::Sure`]: `p_night` strictly between 0.1 and 0.9
    /// (dusk, dawn, indoor light), as before the tiers. [`Prediction::tier`] says more.
    pub uncertain: bool,
    /// The picture has almost nothing to judge ([`crate::features::nothing_to_judge`]:
    /// all one colour, fully transparent, a single pixel): `p_night` is 0.5, the tier
    /// unsure, the reason [`explain::NOTHING_TO_JUDGE`], and there are no contributions.
    pub nothing_to_judge: bool,
    /// Every feature's contribution, largest magnitude first (none when there is
    /// nothing to judge).
    pub contributions: Vec<Contribution>,
}

impl Prediction {
    fn new(p_night: f64, contributions: Vec<Contribution>) -> Prediction {
        let tier = Tier::of(p_night);
        Prediction {
            p_night,
            label: Label::from_p_night(p_night),
            tier,
            uncertain: tier != Tier::Sure,
            nothing_to_judge: false,
            contributions,
        }
    }

    /// The answer for a picture with almost nothing to judge: a coin toss.
    fn nothing_to_judge() -> Prediction {
        Prediction { nothing_to_judge: true, ..Prediction::new(0.5, Vec::new()) }
    }

    /// The reasons for the answer, at most `max`, as phrases of
    /// [`explain::PHRASES`]: what was seen first, then what was missing (see
    /// [`explain`]).
    pub fn reasons(&self, max: usize) -> Vec<&'static Phrase> {
        explain::reasons(self, max)
    }

    /// The reasons joined by `", "`, e.g. "lights in the dark, black sky, no daylight
    /// sky"; "almost nothing to judge" for a picture with nothing to judge.
    pub fn explanation(&self, max_reasons: usize) -> String {
        self.reasons(max_reasons).iter().map(|p| p.words).collect::<Vec<_>>().join(", ")
    }

    /// The answer in words: "Day", "Probably night", "Can't tell, leaning day" (see
    /// [`crate::tier::headline`]).
    pub fn headline(&self) -> &'static str {
        crate::tier::headline(self.p_night)
    }

    /// How sure the answer is of its side, in percent, as shown (see
    /// [`crate::tier::shown_percent`]).
    pub fn shown_percent(&self) -> u32 {
        crate::tier::shown_percent(self.p_night)
    }
}

impl Model {
    /// A model with the features this code computes, checked like a loaded file.
    pub fn new(
        scaler: Scaler,
        weights: Vec<f64>,
        bias: f64,
        calibration: Platt,
        uncertain_band: [f64; 2],
        training: TrainingInfo,
    ) -> Result<Model, ModelError> {
        let features = feature_names().into_iter().map(String::from).collect();
        Model::try_from(ModelFile {
            format_version: FORMAT_VERSION,
            features,
            scaler,
            weights,
            bias,
            calibration,
            uncertain_band,
            training,
        })
    }

    /// The same model with other provenance (which never affects an answer).
    pub fn with_training(self, training: TrainingInfo) -> Model {
        Model(ModelFile { training, ..self.0 })
    }

    /// The same regression with another calibration, checked like a loaded file.
    pub fn with_calibration(self, calibration: Platt) -> Result<Model, ModelError> {
        Model::try_from(ModelFile { calibration, ..self.0 })
    }

    /// Standardization applied before the weights.
    pub fn scaler(&self) -> &Scaler {
        &self.0.scaler
    }

    /// One weight per standardized feature, in table order; positive pushes towards night.
    pub fn weights(&self) -> &[f64] {
        &self.0.weights
    }

    /// Regression log-odds of night for an average image, before calibration.
    pub fn bias(&self) -> f64 {
        self.0.bias
    }

    /// How the regression's log-odds become calibrated log-odds.
    pub fn calibration(&self) -> Platt {
        self.0.calibration
    }

    /// Calibrated log-odds of night for an average image: the bias after calibration.
    /// With it, the contributions of a [`Prediction`] add up to its calibrated
    /// log-odds: `p_night = sigmoid(intercept + Σ contribution.logit)` (unless there
    /// was nothing to judge: then there are no contributions and `p_night` is 0.5).
    pub fn intercept(&self) -> f64 {
        self.0.calibration.apply(self.0.bias)
    }

    /// `p_night` strictly inside `[low, high]` was reported as uncertain before the
    /// tiers; [`Prediction::tier`] (cut at [`crate::tier::CUTS`]) is what answers show now.
    pub fn uncertain_band(&self) -> [f64; 2] {
        self.0.uncertain_band
    }

    /// Where the model came from and how well it did.
    pub fn training(&self) -> &TrainingInfo {
        &self.0.training
    }

    /// A short id for this model's numbers: 12 hex digits of 64-bit FNV-1a over the
    /// feature names and the exact bits of the scaler, weights, bias, calibration and
    /// uncertain band. Stable across platforms and runs, so an export says which model answered;
    /// provenance is left out, so a retrain that reproduces the numbers keeps the id.
    pub fn id(&self) -> String {
        let m = &self.0;
        // Each name ends in a NUL (never inside a name), so ["ab", "c"] ≠ ["a", "bc"].
        let names = m.features.iter().fold(fnv::OFFSET, |h, name| fnv::extend(fnv::extend(h, name.as_bytes()), &[0]));
        let calibration = [m.calibration.scale, m.calibration.offset];
        let numbers = m
            .scaler
            .mean
            .iter()
            .chain(&m.scaler.std)
            .chain(&m.weights)
            .chain([&m.bias])
            .chain(&calibration)
            .chain(&m.uncertain_band)
            .chain([&m.scaler.clip]);
        let hash = numbers.fold(names, |h, x| fnv::extend(h, &x.to_bits().to_le_bytes()));
        format!("{:012x}", hash >> 16)
    }

    /// How many numbers [`Model::to_numbers`] gives: scaler mean, scaler std and
    /// weights (one per feature each), then bias, calibration scale and offset, the
    /// uncertain band's two bounds and the scaler's clip.
    pub const NUMBERS: usize = 3 * N_FEATURES + 6;

    /// Every number that decides an answer, in the order of [`Model::NUMBERS`]: the
    /// model without its provenance, for handing a model to another wasm module of
    /// this build (a worker) without a JSON codec there. The feature list is implied:
    /// both ends compute the same features.
    pub fn to_numbers(&self) -> Vec<f64> {
        let m = &self.0;
        let tail = [m.bias, m.calibration.scale, m.calibration.offset, m.uncertain_band[0], m.uncertain_band[1], m.scaler.clip];
        m.scaler.mean.iter().chain(&m.scaler.std).chain(&m.weights).chain(&tail).copied().collect()
    }

    /// The model [`Model::to_numbers`] gave, checked like a loaded file (no provenance:
    /// it never affects an answer, nor the [`Model::id`]).
    pub fn from_numbers(numbers: &[f64]) -> Result<Model, ModelError> {
        if numbers.len() != Model::NUMBERS {
            return Err(ModelError::Invalid(format!("{} numbers, expected {}", numbers.len(), Model::NUMBERS)));
        }
        let (vectors, tail) = numbers.split_at(3 * N_FEATURES);
        let part = |k: usize| vectors[k * N_FEATURES..(k + 1) * N_FEATURES].to_vec();
        Model::new(
            Scaler { mean: part(0), std: part(1), clip: tail[5] },
            part(2),
            tail[0],
            Platt { scale: tail[1], offset: tail[2] },
            [tail[3], tail[4]],
            TrainingInfo::default(),
        )
    }

    /// The model embedded in this build. Natively it is read from
    /// [`EMBEDDED_JSON`], provenance included; in wasm it is
    /// [`Model::embedded_numbers`], so the browser carries no JSON parser (the
    /// answers and the [`Model::id`] are the same).
    pub fn embedded() -> Result<Model, ModelError> {
        if cfg!(target_arch = "wasm32") {
            Model::embedded_numbers()
        } else {
            Model::from_json(EMBEDDED_JSON)
        }
    }

    /// The embedded model from its numbers, compiled in as constants (see
    /// `core/build.rs`), without its provenance: [`TrainingInfo`] is empty.
    pub fn embedded_numbers() -> Result<Model, ModelError> {
        use compiled::*;
        let scaler = Scaler { mean: MEAN.to_vec(), std: STD.to_vec(), clip: CLIP };
        let calibration = Platt { scale: SCALE, offset: OFFSET };
        Model::new(scaler, WEIGHTS.to_vec(), BIAS, calibration, BAND, TrainingInfo::default())
    }

    /// Parses and validates a model file.
    pub fn from_json(json: &str) -> Result<Model, ModelError> {
        // Read the version first so an old or future file gets the version message,
        // not a confusing "missing field" one.
        #[derive(Deserialize)]
        struct Header {
            format_version: u32,
        }
        let header: Header = serde_json::from_str(json).map_err(|e| ModelError::Parse(e.to_string()))?;
        if header.format_version != FORMAT_VERSION {
            return Err(ModelError::Version { found: header.format_version });
        }
        let file: ModelFile = serde_json::from_str(json).map_err(|e| ModelError::Parse(e.to_string()))?;
        Model::try_from(file)
    }

    /// Serializes the model as pretty JSON (stable field order, for readable diffs).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a model always serializes") + "\n"
    }

    /// Calibrated log-odds of night for a feature vector: [`Model::intercept`] plus
    /// every feature's term (the same sum [`Model::predict`] takes `p_night` from, when
    /// the picture has something to judge: this is the regression alone).
    pub fn logit(&self, features: &[f64; N_FEATURES]) -> f64 {
        self.intercept() + self.terms(features).map(|(_, t)| t).sum::<f64>()
    }

    /// `(z, scale × weight × z)` for every feature, in table order: each feature's
    /// clipped standardized value and its term in the calibrated log-odds.
    fn terms<'a>(&'a self, features: &'a [f64; N_FEATURES]) -> impl Iterator<Item = (f64, f64)> + 'a {
        let scale = self.0.calibration.scale;
        features.iter().zip(&self.0.weights).enumerate().map(move |(i, (&x, w))| {
            let z = self.0.scaler.z(i, x);
            (z, scale * (w * z))
        })
    }

    /// Classifies a feature vector. Features of a picture with almost nothing to judge
    /// ([`crate::features::nothing_to_judge`]) get 0.5, unsure, whatever the regression
    /// would say: the page's worker and the CLI both answer through here, for fresh
    /// pixels and for stored features alike.
    pub fn predict(&self, features: &[f64; N_FEATURES]) -> Prediction {
        if nothing_to_judge(features) {
            return Prediction::nothing_to_judge();
        }
        let p_night = sigmoid(self.logit(features));
        let mut contributions: Vec<Contribution> = self
            .terms(features)
            .zip(features)
            .zip(FEATURES.iter())
            .enumerate()
            .map(|(index, (((z, logit), &value), info))| Contribution { feature: info.name, value, z, logit, index })
            .collect();
        contributions.sort_by(|a, b| b.logit.abs().total_cmp(&a.logit.abs()));
        Prediction::new(p_night, contributions)
    }

    /// Whether `p_night` lies strictly inside the model file's uncertain band (for the
    /// committed model, and every model `daynight train` writes, exactly when
    /// [`Tier::of`] is not [`Tier::Sure`]).
    pub fn is_uncertain(&self, p_night: f64) -> bool {
        let [lo, hi] = self.0.uncertain_band;
        p_night > lo && p_night < hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads() {
        Model::embedded().expect("the committed model matches the code");
    }

    #[test]
    fn the_compiled_in_numbers_are_the_json_model() {
        let json = Model::embedded().unwrap();
        let numbers = Model::embedded_numbers().expect("the constants make a valid model");
        assert_eq!(numbers.id(), json.id());
        // Bit for bit, provenance aside.
        assert_eq!(numbers, json.with_training(TrainingInfo::default()));
    }

    #[test]
    fn round_trips_through_json() {
        let m = Model::embedded().unwrap();
        assert_eq!(Model::from_json(&m.to_json()).unwrap(), m);
    }

    #[test]
    fn rejects_another_version() {
        let mut v: serde_json::Value = serde_json::from_str(EMBEDDED_JSON).unwrap();
        v["format_version"] = 99.into();
        let err = Model::from_json(&v.to_string()).unwrap_err();
        assert_eq!(err, ModelError::Version { found: 99 });
        assert!(err.to_string().contains("version 99"));
    }

    #[test]
    fn rejects_another_feature_list() {
        let mut v: serde_json::Value = serde_json::from_str(EMBEDDED_JSON).unwrap();
        v["features"][0] = "moon_phase".into();
        let err = Model::from_json(&v.to_string()).unwrap_err();
        assert!(matches!(err, ModelError::Features { .. }));
        assert!(err.to_string().contains("moon_phase"));
    }

    #[test]
    fn rejects_garbage_and_wrong_lengths() {
        assert!(matches!(Model::from_json("not json"), Err(ModelError::Parse(_))));
        let mut v: serde_json::Value = serde_json::from_str(EMBEDDED_JSON).unwrap();
        v["weights"].as_array_mut().unwrap().pop();
        assert!(matches!(Model::from_json(&v.to_string()), Err(ModelError::Invalid(_))));
    }

    #[test]
    fn rejects_a_clip_that_is_not_positive() {
        for clip in [0.0, -1.0, 2e6] {
            let mut v: serde_json::Value = serde_json::from_str(EMBEDDED_JSON).unwrap();
            v["scaler"]["clip"] = clip.into();
            assert!(matches!(Model::from_json(&v.to_string()), Err(ModelError::Invalid(_))), "{clip}");
        }
    }

    #[test]
    fn a_feature_far_outside_training_counts_no_more_than_clip_deviations() {
        let m = Model::embedded().unwrap();
        let clip = m.scaler().clip;
        let i = (0..N_FEATURES).max_by(|&a, &b| m.weights()[a].abs().total_cmp(&m.weights()[b].abs())).unwrap();
        let mut f: [f64; N_FEATURES] = std::array::from_fn(|k| m.scaler().mean[k]);
        f[i] += 1000.0 * m.scaler().std[i];
        let c = m.predict(&f).contributions.into_iter().find(|c| c.feature == FEATURES[i].name).unwrap();
        assert_eq!(c.z, clip);
        assert!((c.logit - m.calibration().scale * m.weights()[i] * clip).abs() < 1e-12, "{c:?}");
    }

    #[test]
    fn a_file_of_an_older_format_version_gets_the_retrain_message() {
        // Each version as it was written: without the field that came after it.
        for (version, pointer, field) in [(1u32, "", "calibration"), (2, "/scaler", "clip")] {
            let mut v: serde_json::Value = serde_json::from_str(EMBEDDED_JSON).unwrap();
            v["format_version"] = version.into();
            v.pointer_mut(pointer).and_then(|o| o.as_object_mut()).unwrap().remove(field);
            let err = Model::from_json(&v.to_string()).unwrap_err();
            assert_eq!(err, ModelError::Version { found: version });
            assert!(err.to_string().contains("retrain it with `daynight train`"), "{err}");
        }
    }

    #[test]
    fn rejects_a_calibration_that_flips_or_overflows() {
        for (scale, offset) in [(0.0, 0.0), (-1.0, 0.0), (2e6, 0.0), (1.0, 2e6)] {
            let mut v: serde_json::Value = serde_json::from_str(EMBEDDED_JSON).unwrap();
            v["calibration"] = serde_json::json!({ "scale": scale, "offset": offset });
            assert!(matches!(Model::from_json(&v.to_string()), Err(ModelError::Invalid(_))), "{scale} {offset}");
        }
    }

    #[test]
    fn calibration_scales_every_contribution_and_moves_the_intercept() {
        let m = Model::embedded().unwrap();
        let f = [0.3; N_FEATURES];
        let platt = Platt { scale: 0.5, offset: -0.25 };
        let c = m.clone().with_calibration(platt).unwrap();
        let raw = m.clone().with_calibration(Platt::IDENTITY).unwrap();
        let expected = platt.apply(raw.logit(&f));
        assert!((c.logit(&f) - expected).abs() < 1e-12);
        let p = c.predict(&f);
        let sum = c.intercept() + p.contributions.iter().map(|x| x.logit).sum::<f64>();
        assert!((sigmoid(sum) - p.p_night).abs() < 1e-12);
        assert!((sigmoid(expected) - p.p_night).abs() < 1e-12);
    }

    #[test]
    fn the_id_follows_the_numbers() {
        let m = Model::embedded().unwrap();
        let id = m.id();
        assert_eq!(id.len(), 12);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(Model::from_json(&m.to_json()).unwrap().id(), id, "equal models, equal ids");
        let info = TrainingInfo { command: "another command".into(), ..m.training().clone() };
        assert_eq!(m.clone().with_training(info).id(), id, "provenance is not part of the id");
        let mut weights = m.weights().to_vec();
        weights[7] = f64::from_bits(weights[7].to_bits() + 1);
        let nudged =
            Model::new(m.scaler().clone(), weights, m.bias(), m.calibration(), m.uncertain_band(), m.training().clone()).unwrap();
        assert_ne!(nudged.id(), id, "one weight one bit off");
        let band =
            Model::new(m.scaler().clone(), m.weights().to_vec(), m.bias(), m.calibration(), [0.3, 0.7], TrainingInfo::default())
                .unwrap();
        assert_ne!(band.id(), id);
        let calibration = Platt { offset: m.calibration().offset + 0.01, ..m.calibration() };
        assert_ne!(m.clone().with_calibration(calibration).unwrap().id(), id, "calibration changes answers");
    }

    #[test]
    fn the_numbers_carry_every_answer_and_are_checked() {
        let m = Model::embedded().unwrap();
        let numbers = m.to_numbers();
        assert_eq!(numbers.len(), Model::NUMBERS);
        let back = Model::from_numbers(&numbers).unwrap();
        assert_eq!(back.id(), m.id(), "same numbers, same id");
        let f = [0.2; N_FEATURES];
        assert_eq!(back.predict(&f), m.predict(&f));
        assert!(matches!(Model::from_numbers(&numbers[1..]), Err(ModelError::Invalid(_))));
        for (i, bad) in [(0, f64::NAN), (N_FEATURES, 0.0), (2 * N_FEATURES, f64::INFINITY), (3 * N_FEATURES + 1, -1.0)] {
            let mut n = numbers.clone();
            n[i] = bad;
            assert!(matches!(Model::from_numbers(&n), Err(ModelError::Invalid(_))), "number {i} = {bad}");
        }
    }
}
