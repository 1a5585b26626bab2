//! How much should one marked photo weigh when the page retrains? Measured here on
//! the built-in examples, the way issue 10 asks the page to be used: the model is
//! weak on a kind of photo it never saw; the user marks 40 of that kind; does the
//! retrained model get the marked ones right, do the other photos of that kind get
//! better (or at least not worse), and does it forget the rest?
//!
//! Each data set in turn plays the unseen kind: the "built-in" model is trained on
//! the other sets, 40 photos of the held-out set (evenly spread) are marked, and the
//! rest of it is scored. Run:
//!
//! ```sh
//! cargo run --release -p daynight-cli --example teach_weight
//! ```

use daynight_core::examples::{ExampleSet, Examples};
use daynight_core::provenance::{TrainOptions, TrainingInfo};
use daynight_core::retrain::{teach, Marked, DEFAULT_USER_WEIGHT};
use daynight_core::train::{fit, Metrics, Sample};
use daynight_core::Model;

const MARKS: usize = 40;
const WEIGHTS: [f64; 7] = [1.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0];

fn accuracy(model: &Model, samples: &[&Sample]) -> f64 {
    Metrics::score(samples.iter().map(|s| (model.predict(&s.features).p_night, s.night))).accuracy
}

fn main() -> anyhow::Result<()> {
    let all = Examples::from_bytes(&std::fs::read("model/examples.bin")?)?;
    println!("each marked photo weighs W built-in examples (default {DEFAULT_USER_WEIGHT}); {MARKS} marks per run");
    println!(
        "{:<28} {:>5} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "unseen kind", "W", "marks right", "marks cv", "kind before", "kind after", "others after"
    );
    for (held, set) in all.sets.iter().enumerate() {
        // The other sets, renumbered, are the built-in examples of this run.
        let keep: Vec<usize> = (0..all.sets.len()).filter(|&d| d != held).collect();
        let samples: Vec<Sample> = all
            .samples
            .iter()
            .filter(|s| s.dataset != held)
            .map(|s| Sample { dataset: keep.iter().position(|&d| d == s.dataset).unwrap_or(0), ..s.clone() })
            .collect();
        let sets: Vec<ExampleSet> = keep.iter().map(|&d| all.sets[d].clone()).collect();
        let builtin = Examples { samples, sets, l2: all.l2, clip: all.clip, held_out_weight: all.held_out_weight };
        let opts = TrainOptions {
            l2: builtin.l2,
            dataset_weights: builtin.sets.iter().map(|s| s.weight).collect(),
            ..TrainOptions::default()
        };
        let before = fit(&builtin.samples, &opts, TrainingInfo::default())?;

        let kind: Vec<&Sample> = all.samples.iter().filter(|s| s.dataset == held).collect();
        let step = kind.len() as f64 / MARKS as f64;
        let marked_at: Vec<usize> = (0..MARKS).map(|i| (i as f64 * step) as usize).collect();
        let marks: Vec<Marked> = marked_at.iter().map(|&i| Marked { features: kind[i].features, night: kind[i].night }).collect();
        let rest: Vec<&Sample> = (0..kind.len()).filter(|i| !marked_at.contains(i)).map(|i| kind[i]).collect();
        let others: Vec<&Sample> = builtin.samples.iter().collect();
        for w in WEIGHTS {
            let t = teach(&builtin, &marks, w, &before)?;
            println!(
                "{:<28} {:>5} {:>11.1}% {:>11.1}% {:>11.1}% {:>11.1}% {:>11.1}%",
                set.name,
                w,
                100.0 * t.trained,
                100.0 * t.after,
                100.0 * accuracy(&before, &rest),
                100.0 * accuracy(&t.model, &rest),
                100.0 * accuracy(&t.model, &others),
            );
        }
    }
    Ok(())
}
