//! The committed model on scenes the tests paint themselves: no data set needed.

use daynight_core::features::Lean;
use daynight_core::testimages::{flat_grey, lamps_in_dark, sky_over_ground};
use daynight_core::{classify_rgba, Label, Model, Prediction, FEATURES};

fn classify((w, h, px): (u32, u32, Vec<u8>)) -> Prediction {
    classify_rgba(&Model::embedded().unwrap(), &px, w, h).unwrap()
}

#[test]
fn bright_sky_over_ground_is_day() {
    let p = classify(sky_over_ground(640, 480));
    assert_eq!(p.label, Label::Day, "{p:?}");
    assert!(p.p_night < 0.1, "{}", p.p_night);
}

#[test]
fn dark_frame_with_a_few_lights_is_night() {
    let p = classify(lamps_in_dark(640, 480));
    assert_eq!(p.label, Label::Night);
    assert!(p.p_night > 0.9, "{}", p.p_night);
}

#[test]
fn flat_grey_gets_a_finite_answer() {
    let p = classify(flat_grey(300, 200));
    assert!((0.0..=1.0).contains(&p.p_night));
    println!("flat grey: p_night {:.3}, uncertain {}", p.p_night, p.uncertain);
}

#[test]
fn the_answer_does_not_depend_on_input_size() {
    let small = classify(sky_over_ground(256, 256)).p_night;
    let large = classify(sky_over_ground(2048, 1536)).p_night;
    assert!((small - large).abs() < 0.05, "{small} vs {large}");
}

#[test]
fn contributions_add_up_to_the_probability() {
    let model = Model::embedded().unwrap();
    let (w, h, px) = flat_grey(100, 100);
    let p = classify_rgba(&model, &px, w, h).unwrap();
    let logit = model.intercept() + p.contributions.iter().map(|c| c.logit).sum::<f64>();
    assert!((daynight_core::math::sigmoid(logit) - p.p_night).abs() < 1e-12);
    assert_eq!(p.contributions.len(), daynight_core::N_FEATURES);
}

#[test]
fn explanation_names_reasons_for_the_label() {
    let night = classify(lamps_in_dark(320, 240)).explanation(3);
    let day = classify(sky_over_ground(320, 240)).explanation(3);
    println!("night: {night}\nday: {day}");
    assert!(!night.is_empty() && !day.is_empty());
    assert_ne!(night, day);
}

#[test]
fn the_sky_and_ground_features_are_weighed_the_way_their_words_read() {
    // Explanations quote a feature only when its words point the way of the answer;
    // these three were added for their reasons, so the model must weigh them that way.
    let model = Model::embedded().unwrap();
    for name in ["blue_top_v", "bright_blobs", "ground_over_sky"] {
        let i = FEATURES.iter().position(|f| f.name == name).unwrap();
        let w = model.weights()[i];
        match FEATURES[i].lean {
            Lean::Day => assert!(w < 0.0, "{name}: weight {w}, but a high value reads as day"),
            Lean::Night => assert!(w > 0.0, "{name}: weight {w}, but a high value reads as night"),
            Lean::Neither => panic!("{name} should lean one way"),
        }
    }
}
