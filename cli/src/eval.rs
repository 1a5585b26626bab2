//! `daynight eval`: score a model on labelled folders, one by one and pooled.
//!
//! A folder holds `day/` and `night/`, and may hold `dusk/`: dusk is neither label,
//! so it is never scored as right or wrong; it is reported as the share of its
//! photos the model calls uncertain (the band is meant for such light).

use std::path::{Path, PathBuf};

use daynight_core::reliability::{Reliability, CONFIDENT};
use daynight_core::{Label, Model};
use serde::Serialize;
use serde_json::{json, Value};

use crate::labelled::{dataset_name, load};
use crate::pipeline::{extract_file, par_map, progress_bar};
use crate::scoring::{score, summary, tier_lines, Scored};

/// How the dusk photos of a folder were answered.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Dusk {
    /// Dusk photos read.
    pub n: usize,
    /// Answered inside the uncertain band.
    pub in_band: usize,
    /// The same as a share.
    pub in_band_share: f64,
    /// Share answered night (p_night ≥ 0.5).
    pub night_share: f64,
    /// Share answered with confidence ≥ 0.9 either way.
    pub confident_share: f64,
}

impl Dusk {
    fn of(model: &Model, p_night: &[f64]) -> Dusk {
        let n = p_night.len();
        let share = |k: usize| k as f64 / n.max(1) as f64;
        let in_band = p_night.iter().filter(|&&p| model.is_uncertain(p)).count();
        let night = p_night.iter().filter(|&&p| Label::from_p_night(p) == Label::Night).count();
        let sure = p_night.iter().filter(|&&p| p.max(1.0 - p) >= CONFIDENT).count();
        Dusk { n, in_band, in_band_share: share(in_band), night_share: share(night), confident_share: share(sure) }
    }

    fn line(&self) -> String {
        format!(
            "dusk (never a label)  {} images: {:.1}% inside the uncertain band, {:.1}% called night, {:.1}% answered with p ≥ 0.9 either way",
            self.n,
            self.in_band_share * 100.0,
            self.night_share * 100.0,
            self.confident_share * 100.0
        )
    }
}

/// One folder's answers.
struct SetResult {
    path: PathBuf,
    /// `(p_night, is_night)` for every day and night photo.
    pairs: Vec<(f64, bool)>,
    /// Misclassified photos: path, truth is night, p_night.
    wrong: Vec<(String, bool, f64)>,
    /// p_night of every dusk photo (empty without `dusk/`).
    dusk: Vec<f64>,
    has_dusk: bool,
    /// The model names this folder among its training sets: not a held-out score.
    trained_on: bool,
}

fn evaluate(model: &Model, dir: &Path) -> anyhow::Result<SetResult> {
    let data = load(&[dir.to_path_buf()])?;
    let pairs: Vec<(f64, bool)> = data.samples.iter().map(|s| (model.predict(&s.features).p_night, s.night)).collect();
    let wrong = pairs
        .iter()
        .zip(&data.paths)
        .filter(|((p, night), _)| (Label::from_p_night(*p) == Label::Night) != *night)
        .map(|(&(p, night), path)| (path.display().to_string(), night, p))
        .collect();
    let dusk_dir = dir.join("dusk");
    let has_dusk = dusk_dir.is_dir();
    let mut dusk = Vec::new();
    if has_dusk {
        let files = crate::files::collect(&[dusk_dir]);
        let bar = progress_bar(files.len(), &format!("{}/dusk", dataset_name(dir)));
        for (path, result) in files.iter().zip(par_map(&files, &bar, extract_file)) {
            match result {
                Ok(e) => dusk.push(model.predict(&e.features).p_night),
                Err(err) => eprintln!("skipping {}: {err}", path.display()),
            }
        }
    }
    let trained_on = model.training().datasets.iter().any(|d| d.name == dataset_name(dir));
    Ok(SetResult { path: dir.to_path_buf(), pairs, wrong, dusk, has_dusk, trained_on })
}

fn set_json(model: &Model, r: &SetResult) -> Value {
    let wrong: Vec<Value> =
        r.wrong.iter().map(|(p, n, pn)| json!({"path": p, "truth": Label::from_night(*n), "p_night": pn})).collect();
    json!({
        "path": r.path.display().to_string(),
        "trained_on": r.trained_on,
        "metrics": score(model, r.pairs.iter().copied()),
        "reliability": Reliability::of(r.pairs.iter().copied()),
        "dusk": r.has_dusk.then(|| Dusk::of(model, &r.dusk)),
        "misclassified": wrong,
    })
}

/// Evaluates `model` on each of `dirs` and on all of them pooled; prints a report
/// (or one JSON object) and returns the pooled scores.
pub fn run(model: &Model, dirs: &[PathBuf], as_json: bool) -> anyhow::Result<Scored> {
    let results = dirs.iter().map(|d| evaluate(model, d)).collect::<anyhow::Result<Vec<_>>>()?;
    let all_pairs: Vec<(f64, bool)> = results.iter().flat_map(|r| r.pairs.iter().copied()).collect();
    let all_dusk: Vec<f64> = results.iter().flat_map(|r| r.dusk.iter().copied()).collect();
    let any_dusk = results.iter().any(|r| r.has_dusk);
    let pooled = score(model, all_pairs.iter().copied());
    let reliability = Reliability::of(all_pairs.iter().copied());
    if as_json {
        let sets: Vec<Value> = results.iter().map(|r| set_json(model, r)).collect();
        let pooled_json = json!({
            "metrics": pooled,
            "reliability": reliability,
            "dusk": any_dusk.then(|| Dusk::of(model, &all_dusk)),
        });
        println!("{}", json!({ "uncertain_band": model.uncertain_band(), "sets": sets, "pooled": pooled_json }));
        return Ok(pooled);
    }
    let [lo, hi] = model.uncertain_band();
    for r in &results {
        let s = score(model, r.pairs.iter().copied());
        let m = &s.metrics;
        println!(
            "{}: {} images ({} day, {} night)",
            r.path.display(),
            m.n,
            m.day_as_day + m.day_as_night,
            m.night_as_day + m.night_as_night
        );
        if r.trained_on {
            println!("  (the model was trained on this folder: these are not held-out numbers; see `daynight train`'s cross-validation)");
        }
        println!("  accuracy           {:.2}%  ({} errors)", m.accuracy * 100.0, m.errors());
        println!("  balanced accuracy  {:.2}%", m.balanced_accuracy * 100.0);
        println!("  log loss           {:.4}", m.log_loss);
        println!("  Brier score        {:.4}", m.brier);
        println!("  confidently wrong  {}  (wrong answer with p ≥ 0.9 for it)", m.confident_wrong);
        println!("  uncertain          {}  ({:.1}%, p_night in ({lo}, {hi}))", s.uncertain, s.uncertain_share * 100.0);
        print!("{}", tier_lines(&s, "  "));
        println!("  ECE                {:.4}  (expected calibration error, 10 bins)", s.ece);
        if r.has_dusk {
            println!("  {}", Dusk::of(model, &r.dusk).line());
        }
        println!("  confusion matrix   predicted day  predicted night");
        println!("    truly day        {:>13}  {:>15}", m.day_as_day, m.day_as_night);
        println!("    truly night      {:>13}  {:>15}", m.night_as_day, m.night_as_night);
        print!("  reliability:\n{}", Reliability::of(r.pairs.iter().copied()).table("    "));
        if r.wrong.is_empty() {
            println!("  misclassified: none");
        } else {
            println!("  misclassified:");
            for (path, night, p) in &r.wrong {
                println!("    {path}  truth {}  p_night {p:.3}", Label::from_night(*night));
            }
        }
    }
    let what = if results.len() == 1 { "this set".to_string() } else { format!("pooled over {} sets", results.len()) };
    println!("{what}: {}", summary(&pooled));
    print!("{}", tier_lines(&pooled, "  "));
    if any_dusk {
        println!("  {}", Dusk::of(model, &all_dusk).line());
    }
    print!("  reliability, {what}:\n{}", reliability.table("    "));
    Ok(pooled)
}
