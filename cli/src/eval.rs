//! `daynight eval`: score a model on a labelled folder.

use std::path::PathBuf;

use daynight_core::train::Metrics;
use daynight_core::{Label, Model};
use serde_json::json;

use crate::labelled::load;

/// Evaluates `model` on `dir`; prints a report (or JSON) and returns the metrics.
pub fn run(model: &Model, dir: &PathBuf, as_json: bool) -> anyhow::Result<Metrics> {
    let data = load(std::slice::from_ref(dir))?;
    let predictions: Vec<_> = data.samples.iter().map(|s| model.predict(&s.features)).collect();
    let preds: Vec<f64> = predictions.iter().map(|p| p.p_night).collect();
    let m = Metrics::score(preds.iter().zip(&data.samples).map(|(&p, s)| (p, s.night)));
    let wrong: Vec<(String, bool, f64)> = preds
        .iter()
        .zip(&data.samples)
        .zip(&data.paths)
        .filter(|((p, s), _)| (Label::from_p_night(**p) == Label::Night) != s.night)
        .map(|((p, s), path)| (path.display().to_string(), s.night, *p))
        .collect();
    let uncertain = predictions.iter().filter(|p| p.uncertain).count();
    if as_json {
        let wrong: Vec<_> =
            wrong.iter().map(|(p, n, pn)| json!({"path": p, "truth": if *n {"night"} else {"day"}, "p_night": pn})).collect();
        println!("{}", json!({"metrics": m, "uncertain": uncertain, "misclassified": wrong}));
        return Ok(m);
    }
    println!(
        "{}: {} images ({} day, {} night)",
        dir.display(),
        m.n,
        m.day_as_day + m.day_as_night,
        m.night_as_day + m.night_as_night
    );
    println!("  accuracy           {:.2}%  ({} errors)", m.accuracy * 100.0, m.errors());
    println!("  balanced accuracy  {:.2}%", m.balanced_accuracy * 100.0);
    println!("  log loss           {:.4}", m.log_loss);
    println!("  Brier score        {:.4}", m.brier);
    println!("  uncertain (p in {:?})  {}", model.uncertain_band(), uncertain);
    println!("  confusion matrix   predicted day  predicted night");
    println!("    truly day        {:>13}  {:>15}", m.day_as_day, m.day_as_night);
    println!("    truly night      {:>13}  {:>15}", m.night_as_day, m.night_as_night);
    if wrong.is_empty() {
        println!("  misclassified: none");
    } else {
        println!("  misclassified:");
        for (path, night, p) in &wrong {
            println!("    {path}  truth {}  p_night {p:.3}", if *night { "night" } else { "day" });
        }
    }
    Ok(m)
}
