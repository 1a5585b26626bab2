//! The committed model on scenes the tests paint themselves: no data set needed.

use daynight_core::explain::{NOTHING_TO_JUDGE, PHRASES};
use daynight_core::features::Lean;
use daynight_core::testimages::{flat_grey, gradient, lamps_in_dark, sky_over_ground};
use daynight_core::{classify_rgba, Label, Model, Prediction, Tier, FEATURES};

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

/// `w`×`h` pixels all of one RGBA colour.
fn solid(w: u32, h: u32, rgba: [u8; 4]) -> (u32, u32, Vec<u8>) {
    (w, h, rgba.repeat((w * h) as usize))
}

#[test]
fn a_picture_of_one_colour_has_almost_nothing_to_judge() {
    let (w, h, sky) = sky_over_ground(64, 48);
    // A scene hidden under alpha 0: the colour a transparent pixel stores does not count.
    let hidden: Vec<u8> = sky.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2], 0]).collect();
    let cases = [
        ("flat grey", flat_grey(300, 200)),
        ("white", solid(64, 64, [255; 4])),
        ("black", solid(64, 64, [0, 0, 0, 255])),
        ("orange", solid(50, 70, [230, 120, 20, 255])),
        ("transparent", solid(64, 64, [0; 4])),
        ("transparent over a scene", (w, h, hidden)),
        ("one pixel", solid(1, 1, [30, 60, 200, 255])),
        ("one white pixel", solid(1, 1, [255; 4])),
    ];
    for (name, image) in cases {
        let p = classify(image);
        assert!(p.nothing_to_judge, "{name}: {p:?}");
        assert_eq!((p.p_night, p.tier, p.uncertain), (0.5, Tier::Unsure, true), "{name}");
        assert_eq!(p.explanation(3), "almost nothing to judge", "{name}");
        assert_eq!((p.headline(), p.shown_percent()), ("Can't tell", 50), "{name}");
        assert!(p.contributions.is_empty(), "{name}: nothing was weighed");
    }
    assert_eq!(NOTHING_TO_JUDGE.words, "almost nothing to judge");
}

#[test]
fn a_scene_has_something_to_judge_and_its_tier_follows_p_night() {
    for (w, h, px) in [sky_over_ground(320, 240), lamps_in_dark(320, 240), gradient(301, 197)] {
        let p = classify((w, h, px));
        assert!(!p.nothing_to_judge && p.contributions.len() == daynight_core::N_FEATURES);
        assert_eq!(p.tier, Tier::of(p.p_night));
        assert_eq!(p.uncertain, p.tier != Tier::Sure);
    }
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
    let (w, h, px) = gradient(100, 100);
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

/// An explanation is phrases of the help's table joined by ", ": every phrase is in
/// [`PHRASES`], a reason for the answer, said once, what was seen before what was missing.
fn check_explanation(p: &Prediction, max: usize) {
    let text = p.explanation(max);
    let reasons = p.reasons(max);
    assert!(reasons.len() <= max);
    assert_eq!(text, reasons.iter().map(|r| r.words).collect::<Vec<_>>().join(", "));
    assert_eq!(text.split(", ").filter(|s| !s.is_empty()).count(), reasons.len(), "{text:?}: a comma only between phrases");
    for (i, r) in reasons.iter().enumerate() {
        assert!(PHRASES.contains(r), "{:?} is not in the help", r.words);
        assert!(!r.words.is_empty() && !r.words.contains(','), "{:?}", r.words);
        assert!(reasons[..i].iter().all(|q| q.words != r.words), "{text:?} says {:?} twice", r.words);
        if p.nothing_to_judge {
            assert_eq!(**r, NOTHING_TO_JUDGE);
        } else {
            assert_eq!(r.side, Some(p.label), "{text:?}: {:?} is a reason for the other answer", r.words);
        }
    }
    let first_missing = reasons.iter().position(|r| !r.seen).unwrap_or(reasons.len());
    assert!(reasons[first_missing..].iter().all(|r| !r.seen), "{text:?}: what was seen comes first");
    if !p.nothing_to_judge && !reasons.is_empty() {
        assert!(reasons[0].seen, "{text:?}: never only what is missing (the scenes all show something)");
    }
}

#[test]
fn explanations_are_phrases_of_the_help_seen_first() {
    let scenes = [sky_over_ground(320, 240), lamps_in_dark(320, 240), gradient(301, 197), flat_grey(64, 64)];
    for (w, h, px) in scenes {
        let p = classify((w, h, px));
        for max in 0..=6 {
            check_explanation(&p, max);
        }
    }
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
