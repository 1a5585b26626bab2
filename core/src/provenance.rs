//! Where a model came from: the training folders, the settings and the metrics,
//! stored in the model file for people to read and for retraining to reproduce it.
//!
//! Kept apart from [`crate::model`] (which stores it) and [`crate::train`] (which
//! fills it) so neither of those depends on the other for it.

use serde::{Deserialize, Serialize};

/// Where a model came from and how well it did, kept in the file for people to read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// Training folders and their day/night counts.
    pub datasets: Vec<DatasetInfo>,
    /// The settings it was trained with.
    pub options: TrainOptions,
    /// The command that produced the file, for reproducing it.
    pub command: String,
    /// Named metrics (training accuracy, cross-validation, …).
    pub metrics: serde_json::Map<String, serde_json::Value>,
}

/// One training folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    /// Folder name as given to `daynight train` (last two path components).
    pub name: String,
    /// Day images used.
    pub day: usize,
    /// Night images used.
    pub night: usize,
}

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// L2 penalty on the standardized weights (not on the bias).
    pub l2: f64,
    /// Relative total weight of each data set, in the order given (missing: 1).
    /// Within a set every image weighs the same, so a big set of one kind of camera
    /// cannot drown out a small set of another unless asked to.
    pub dataset_weights: Vec<f64>,
    /// `p_night` band reported as uncertain. By default every answer under
    /// [`CONFIDENT`](crate::reliability::CONFIDENT) (90 %) either way: an answer
    /// is then either sure at that level, where a wrong one counts as confidently
    /// wrong, or says it is unsure. Checked on the phone set's dusk photos, which
    /// are neither day nor night: 58 % of them fall inside ([0.25, 0.75] held 33 %).
    pub uncertain_band: [f64; 2],
    /// Standardized features are clipped to `±z_clip` before the weights (see
    /// [`crate::model::Scaler::clip`]): a photo unlike the training photos in one
    /// respect cannot push the answer arbitrarily far.
    pub z_clip: f64,
    /// Weight of the leave-one-set-out log-odds, beside the k-fold's (weight 1), in
    /// the data the calibration is fitted on. 0 calibrates on the k-fold alone; more
    /// makes the probabilities humbler, as on a kind of photo never seen.
    pub held_out_weight: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { l2: 3.0, dataset_weights: Vec::new(), uncertain_band: [0.1, 0.9], z_clip: 2.0, held_out_weight: 1.0 }
    }
}
