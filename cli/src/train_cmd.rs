//! `daynight train`: fit the model and report how well it generalises.

use std::path::{Path, PathBuf};

use anyhow::Context;
use daynight_core::examples::{ExampleSet, Examples};
use daynight_core::math::sigmoid;
use daynight_core::provenance::{TrainOptions, TrainingInfo};
use daynight_core::reliability::Reliability;
use daynight_core::train::{check_options, fit, is_camera_set, out_of_fold, OutOfFold, Pass, Sample};
use daynight_core::{Label, Model};
use serde_json::{json, Map, Value};

use crate::labelled::{load, Labelled};
use crate::scoring::{score, summary};

/// Where `train` writes.
#[derive(Debug, Clone, Copy)]
pub struct Outputs<'a> {
    /// The model JSON.
    pub model: &'a Path,
    /// The training samples as feature vectors, for retraining in the page.
    pub examples: Option<&'a Path>,
}

/// Trains on `dirs`, prints metrics, writes the model (and the examples, if asked).
/// Nothing is written unless every step succeeded: a failed run leaves no
/// half-trained model behind.
pub fn run(dirs: &[PathBuf], outputs: Outputs, opts: &TrainOptions, folds: usize, command: &str) -> anyhow::Result<Model> {
    // Settings first, so a typo is reported before minutes of feature extraction.
    check_options(opts)?;
    anyhow::ensure!(
        opts.dataset_weights.len() <= dirs.len(),
        "--weights has {} values for {} folders",
        opts.dataset_weights.len(),
        dirs.len()
    );
    let data = load(dirs)?;
    for set in &data.datasets {
        for (label, count) in [(Label::Day, set.day), (Label::Night, set.night)] {
            anyhow::ensure!(count > 0, "{}: no {label} image could be read; each folder needs both", set.name);
        }
    }
    let model = train(&data, opts, folds, command)?;
    let mut files = vec![(outputs.model, model.to_json().into_bytes())];
    if let Some(path) = outputs.examples {
        files.push((path, examples(&data, opts).to_bytes()));
    }
    for (path, bytes) in files {
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(model)
}

/// The samples the model was fitted on, with each set's weight and the L2 penalty:
/// what the page needs to retrain the same way with a user's photos added.
fn examples(data: &Labelled, opts: &TrainOptions) -> Examples {
    let sets = data
        .datasets
        .iter()
        .enumerate()
        .map(|(d, info)| ExampleSet { name: info.name.clone(), weight: opts.dataset_weights.get(d).copied().unwrap_or(1.0) })
        .collect();
    Examples { samples: data.samples.clone(), sets, l2: opts.l2, clip: opts.z_clip, held_out_weight: opts.held_out_weight }
}

/// Fits on everything and computes the reported metrics (training, group-aware
/// k-fold, leave one set out, leave one camera out), printing them as it goes. The
/// model's calibration is a Platt fit on every out-of-fold log-odds of the k-fold
/// and, weighing [`TrainOptions::held_out_weight`] each, of leave one set out.
pub fn train(data: &Labelled, opts: &TrainOptions, folds: usize, command: &str) -> anyhow::Result<Model> {
    let mut metrics = Map::new();
    let samples = &data.samples;

    // Group-aware k-fold (a webcam's frames all land in one fold, see `group_folds`)
    // and leave one set out (train on the other sets, score the one left out).
    let out = OutOfFold::compute(samples, opts, folds).map_err(|(pass, e)| match pass {
        Pass::KFold => {
            anyhow::Error::new(e).context(format!("{folds}-fold cross-validation needs more images per label (or fewer --folds)"))
        }
        Pass::LeaveOneSetOut => {
            anyhow::Error::new(e).context("leave one set out needs both labels in every combination of the other sets")
        }
    })?;
    let calibration = out.calibration(samples, opts.held_out_weight);
    let platt = calibration.platt(|_| true);
    let model = fit(samples, opts, TrainingInfo::default())?.with_calibration(platt)?;

    let training: Vec<(usize, f64)> = samples.iter().enumerate().map(|(i, s)| (i, model.predict(&s.features).p_night)).collect();
    report(data, &model, "training", &training, &mut metrics);
    // Each fold calibrated on the other folds only, so the calibration is scored
    // out of sample too.
    let what = format!("{folds}-fold group cv");
    let cv = calibration.cross_fitted(&out.fold);
    report(data, &model, &what, &cv, &mut metrics);
    reliability(data, &what, &cv, &mut metrics);
    println!(
        "  calibration (Platt, fitted on every out-of-fold log-odds of the k-fold and, weighing {} each, of leave one set out): p_night = sigmoid({:.4} × logit {:+.4})",
        opts.held_out_weight, platt.scale, platt.offset
    );

    // The set left out is calibrated on the other sets' out-of-fold log-odds only,
    // never on its own.
    if !out.held_out.is_empty() {
        let per_set: Vec<_> = (0..data.datasets.len()).map(|d| calibration.platt(|j| samples[j].dataset != d)).collect();
        let loso: Vec<(usize, f64)> =
            out.held_out.iter().map(|&(i, z)| (i, sigmoid(per_set[samples[i].dataset].apply(z)))).collect();
        report(data, &model, "leave one set out", &loso, &mut metrics);
        reliability(data, "leave one set out", &loso, &mut metrics);
    }

    // Leave one camera out, within each webcam folder (where the image size
    // identifies the camera), calibrated like the final model.
    for (d, info) in data.datasets.iter().enumerate() {
        if !is_camera_set(samples, d) {
            continue;
        }
        let mut cameras: Vec<&str> = samples.iter().filter(|s| s.dataset == d).map(|s| s.group.as_str()).collect();
        cameras.sort_unstable();
        cameras.dedup();
        let logo = out_of_fold(samples, opts, |_, s: &Sample| (s.dataset == d).then(|| s.group.clone()))
            .with_context(|| format!("leave-one-camera-out on {}", info.name))?;
        let p: Vec<(usize, f64)> = logo.iter().map(|&(i, z)| (i, sigmoid(platt.apply(z)))).collect();
        let scored = score(&model, p.iter().map(|&(i, p)| (p, samples[i].night)));
        println!("  {:<34} {:<28} {}", format!("leave one camera out ({})", cameras.len()), info.name, summary(&scored));
        metrics.insert(key("leave_one_camera_out", &info.name), json!(scored));
    }

    Ok(model.with_training(TrainingInfo {
        datasets: data.datasets.clone(),
        options: opts.clone(),
        metrics,
        command: command.to_string(),
    }))
}

/// Prints and stores the reliability table of `probabilities` over every set.
fn reliability(data: &Labelled, what: &str, probabilities: &[(usize, f64)], metrics: &mut Map<String, Value>) {
    let table = Reliability::of(probabilities.iter().map(|&(i, p)| (p, data.samples[i].night)));
    print!("  {what}, every set, reliability:\n{}", table.table("    "));
    metrics.insert(key(what, "reliability"), json!(table));
}

fn key(what: &str, set: &str) -> String {
    format!("{what}/{set}").replace(' ', "_")
}

/// Prints and stores one line per set, one for the photo sets that are not webcams
/// together (when there are webcams too), and one for every set.
fn report(data: &Labelled, model: &Model, what: &str, probabilities: &[(usize, f64)], metrics: &mut Map<String, Value>) {
    let samples = &data.samples;
    let mut line = |name: &str, keep: &dyn Fn(usize) -> bool| {
        let scored =
            score(model, probabilities.iter().filter(|(i, _)| keep(samples[*i].dataset)).map(|&(i, p)| (p, samples[i].night)));
        if scored.metrics.n > 0 {
            println!("  {what:<34} {name:<28} {}", summary(&scored));
            metrics.insert(key(what, name), json!(scored));
        }
    };
    for (d, info) in data.datasets.iter().enumerate() {
        line(&info.name, &|set| set == d);
    }
    let cameras: Vec<bool> = (0..data.datasets.len()).map(|d| is_camera_set(samples, d)).collect();
    if cameras.iter().any(|&c| c) && cameras.iter().filter(|&&c| !c).count() >= 2 {
        line("photos (all but webcams)", &|set| !cameras[set]);
    }
    line("all", &|_| true);
}
