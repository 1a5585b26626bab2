//! The committed built-in examples (`model/examples.bin`, what the page retrains on)
//! belong to the committed model: same samples, same settings, and a fit on them
//! gives the model's answers. (That retraining from the photos rewrites the file byte
//! for byte is checked in `cli/tests/dataset.rs`, which needs the shared photos.)

use daynight_core::examples::Examples;
use daynight_core::provenance::{TrainOptions, TrainingInfo};
use daynight_core::retrain::{teach, Marked, DEFAULT_USER_WEIGHT};
use daynight_core::train::{fit, Metrics};
use daynight_core::Model;

const EXAMPLES: &[u8] = include_bytes!("../../model/examples.bin");

fn committed() -> (Model, Examples) {
    (Model::embedded().unwrap(), Examples::from_bytes(EXAMPLES).expect("model/examples.bin reads"))
}

#[test]
fn the_examples_are_the_models_training_set() {
    let (model, examples) = committed();
    let info = model.training();
    assert_eq!(examples.l2, info.options.l2);
    assert_eq!(examples.sets.iter().map(|s| s.weight).collect::<Vec<_>>(), info.options.dataset_weights);
    for (d, (set, counted)) in examples.sets.iter().zip(&info.datasets).enumerate() {
        assert_eq!(set.name, counted.name);
        let nights = examples.samples.iter().filter(|s| s.dataset == d && s.night).count();
        let days = examples.samples.iter().filter(|s| s.dataset == d && !s.night).count();
        assert_eq!((days, nights), (counted.day, counted.night), "{}", set.name);
    }
}

#[test]
fn a_fit_on_the_examples_gives_the_committed_models_answers() {
    let (model, examples) = committed();
    let opts = TrainOptions {
        l2: examples.l2,
        dataset_weights: examples.sets.iter().map(|s| s.weight).collect(),
        ..TrainOptions::default()
    };
    let refit = fit(&examples.samples, &opts, TrainingInfo::default()).unwrap().with_calibration(model.calibration()).unwrap();
    // 16-bit features move the weights a little, never the answers.
    let worst = refit.weights().iter().zip(model.weights()).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    println!("largest weight difference after quantization: {worst:e}");
    assert!(worst < 1e-3, "{worst}");
    let mut worst_p = 0.0f64;
    for s in &examples.samples {
        let (a, b) = (refit.predict(&s.features), model.predict(&s.features));
        worst_p = worst_p.max((a.p_night - b.p_night).abs());
        assert_eq!(a.label, b.label);
    }
    println!("largest p_night difference: {worst_p:e}");
    assert!(worst_p < 1e-3);
}

#[test]
fn teaching_with_marks_taken_from_the_examples_keeps_them_right() {
    // 40 night photos of the phone set, marked again: the built-in model already
    // knows them, so teaching must keep them right and change little else.
    let (model, examples) = committed();
    let phone = examples.sets.iter().position(|s| s.name.contains("phone")).expect("a phone set");
    let marks: Vec<Marked> = examples
        .samples
        .iter()
        .filter(|s| s.dataset == phone && s.night)
        .take(40)
        .map(|s| Marked { features: s.features, night: s.night })
        .collect();
    let started = std::time::Instant::now();
    let t = teach(&examples, &marks, DEFAULT_USER_WEIGHT, &model).unwrap();
    println!(
        "taught on {} + {} in {:?}: before {} after {} trained {}",
        examples.samples.len(),
        marks.len(),
        started.elapsed(),
        t.before,
        t.after,
        t.trained
    );
    assert!(t.after >= 0.95 && t.trained >= 0.95, "{} {}", t.after, t.trained);
    let all = Metrics::score(examples.samples.iter().map(|s| (t.model.predict(&s.features).p_night, s.night)));
    assert!(all.accuracy > 0.9, "{all:?}");
    // serde_json may read a printed number back one bit off, so a model is what its
    // JSON reads as: the trainer takes its id and numbers from the JSON it hands out.
    let saved = Model::from_json(&t.model.to_json()).unwrap();
    for s in &examples.samples {
        let (a, b) = (saved.predict(&s.features), t.model.predict(&s.features));
        assert!(a.label == b.label && (a.p_night - b.p_night).abs() < 1e-12);
    }
}

#[test]
fn the_custom_model_overlays_example_model_loads() {
    // k8s/custom-model/ deploys this file as the server's model.json; the page
    // refuses a file whose format or features differ from this build's.
    let text = include_str!("../../k8s/custom-model/model.json");
    let model = Model::from_json(text).unwrap_or_else(|e| panic!("{e}: cp model/daynight.json k8s/custom-model/model.json"));
    assert!(!model.id().is_empty());
}

/// The nothing-to-judge rule (`features::FLAT_BELOW`) never takes a real photo: the
/// flattest of the 1,560 training photos has a brightness spread five times the limit.
#[test]
fn no_training_photo_has_nothing_to_judge() {
    use daynight_core::features::{nothing_to_judge, FLAT_BELOW};
    let (model, examples) = committed();
    let v_std = daynight_core::FEATURES.iter().position(|f| f.name == "v_std").unwrap();
    // The feature is square-rooted: squared, it is the standard deviation itself.
    let flattest = examples.samples.iter().map(|s| s.features[v_std].powi(2)).fold(f64::INFINITY, f64::min);
    println!("flattest training photo: brightness standard deviation {flattest:.4}, limit {FLAT_BELOW:.4}");
    assert!(flattest > 5.0 * FLAT_BELOW, "{flattest}");
    for s in &examples.samples {
        assert!(!nothing_to_judge(&s.features));
        assert!(!model.predict(&s.features).nothing_to_judge);
    }
}
