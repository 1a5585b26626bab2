//! `daynight train`: fit the model and report how well it generalises.

use std::path::{Path, PathBuf};

use anyhow::Context;
use daynight_core::provenance::{TrainOptions, TrainingInfo};
use daynight_core::train::{check_options, fit, out_of_fold, Metrics, Sample};
use daynight_core::Model;
use serde_json::{json, Map, Value};

use crate::labelled::{load, Labelled};

/// Trains on `dirs`, prints metrics, writes the model to `out`. Nothing is written
/// unless every step succeeded: a failed run leaves no half-trained model behind.
pub fn run(dirs: &[PathBuf], out: &Path, opts: &TrainOptions, folds: usize, command: &str) -> anyhow::Result<Model> {
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
        for (label, count) in [("day", set.day), ("night", set.night)] {
            anyhow::ensure!(count > 0, "{}: no {label} image could be read; each folder needs both", set.name);
        }
    }
    let model = train(&data, opts, folds, command)?;
    std::fs::write(out, model.to_json()).with_context(|| format!("cannot write {}", out.display()))?;
    println!("wrote {}", out.display());
    Ok(model)
}

/// Fits on everything and computes the reported metrics (training, k-fold,
/// leave-one-camera-out), printing them as it goes.
pub fn train(data: &Labelled, opts: &TrainOptions, folds: usize, command: &str) -> anyhow::Result<Model> {
    let mut metrics = Map::new();
    let final_model = fit(&data.samples, opts, TrainingInfo::default())?;
    let train_pairs: Vec<(usize, f64)> =
        data.samples.iter().enumerate().map(|(i, s)| (i, final_model.predict(&s.features).p_night)).collect();
    report(data, "training", &train_pairs, &mut metrics);

    // k-fold: every folder is cut into k interleaved folds (sorted file order, i mod k),
    // so each fold holds both labels and all of a folder's scenes.
    let mut seen = vec![0usize; data.datasets.len()];
    let fold_key: Vec<String> = data
        .samples
        .iter()
        .map(|s| {
            seen[s.dataset] += 1;
            ((seen[s.dataset] - 1) % folds).to_string()
        })
        .collect();
    let kfold = out_of_fold(&data.samples, opts, |i, _| Some(fold_key[i].clone()))
        .with_context(|| format!("{folds}-fold cross-validation needs more images per label (or fewer --folds)"))?;
    report(data, &format!("{folds}-fold cv"), &kfold, &mut metrics);

    // Leave one camera out: in a webcam folder the image size identifies the camera.
    // Folders with many sizes (photos from many cameras) are covered by k-fold instead.
    for (d, info) in data.datasets.iter().enumerate() {
        let mut groups: Vec<&str> = data.samples.iter().filter(|s| s.dataset == d).map(|s| s.group.as_str()).collect();
        groups.sort();
        groups.dedup();
        if !(2..=30).contains(&groups.len()) {
            continue;
        }
        let logo = out_of_fold(&data.samples, opts, |_, s: &Sample| (s.dataset == d).then(|| s.group.clone()))
            .with_context(|| format!("leave-one-camera-out on {}", info.name))?;
        let m = Metrics::score(logo.iter().map(|&(i, p)| (p, data.samples[i].night)));
        println!("  leave-one-camera-out ({} cameras) {:<28} {}", groups.len(), info.name, summary(&m));
        metrics.insert(format!("leave_one_camera_out/{}", info.name), json!(m));
    }

    Ok(final_model.with_training(TrainingInfo {
        datasets: data.datasets.clone(),
        options: opts.clone(),
        metrics,
        command: command.to_string(),
    }))
}

fn report(data: &Labelled, what: &str, pairs: &[(usize, f64)], metrics: &mut Map<String, Value>) {
    for (d, info) in data.datasets.iter().enumerate() {
        let m =
            Metrics::score(pairs.iter().filter(|(i, _)| data.samples[*i].dataset == d).map(|&(i, p)| (p, data.samples[i].night)));
        println!("  {what:<34} {:<28} {}", info.name, summary(&m));
        metrics.insert(format!("{what}/{}", info.name).replace(' ', "_"), json!(m));
    }
    let all = Metrics::score(pairs.iter().map(|&(i, p)| (p, data.samples[i].night)));
    println!("  {what:<34} {:<28} {}", "all", summary(&all));
    metrics.insert(format!("{what}/all").replace(' ', "_"), json!(all));
}

/// One line: accuracy, balanced accuracy, errors, log loss.
pub fn summary(m: &Metrics) -> String {
    format!(
        "acc {:6.2}%  bal {:6.2}%  errors {:3}/{:<4}  logloss {:.4}  brier {:.4}",
        m.accuracy * 100.0,
        m.balanced_accuracy * 100.0,
        m.errors(),
        m.n,
        m.log_loss,
        m.brier
    )
}
