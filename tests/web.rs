//! Browser tests, run in headless Chromium by `wasm-bindgen-test-runner`
//! (`tests/e2e/wasm-test.sh`): the wasm build of the pixel → feature → probability
//! path gives the native numbers, the browser's canvas round trip keeps them, and
//! the components render the hooks the end-to-end tests read.

#![cfg(target_arch = "wasm32")]

use daynight_core::{classify_rgba, extract, testimages, Label, Model};
use daynight_web::camera::device as camera;
use daynight_web::classify::protocol::{Classified, Job, Reply, Request};
use daynight_web::results::{export, Entry, ResultCard, Status};
use daynight_web::teach::Teach;
use daynight_web::worker::wire::Wire;
use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const PARITY: &str = include_str!("../core/tests/fixtures/parity.json");

fn scene(name: &str, w: u32, h: u32) -> testimages::Image {
    testimages::by_name(name, w, h).unwrap_or_else(|| panic!("unknown scene {name} in the parity fixture"))
}

/// How close wasm must come to native. Bit-identical except where the core calls a
/// transcendental function: `f32::ln` (in `log_luma`) is the platform's libm natively
/// and Rust's own libm in wasm, which differ in the last bit for some inputs; over
/// 16384 cells that averages to a few 1e-9.
const TOLERANCE: f64 = 1e-7;

#[wasm_bindgen_test]
fn wasm_features_and_p_night_match_the_native_fixture() {
    let fixture: serde_json::Value = serde_json::from_str(PARITY).unwrap();
    let names = fixture["feature_names"].as_array().unwrap();
    let model = Model::embedded().unwrap();
    let scenes = fixture["scenes"].as_array().unwrap();
    assert!(scenes.len() >= 4);
    let mut worst = (0.0f64, String::new());
    for s in scenes {
        let name = s["scene"].as_str().unwrap();
        let (w, h) = (s["width"].as_u64().unwrap() as u32, s["height"].as_u64().unwrap() as u32);
        let (w, h, px) = scene(name, w, h);
        let features = extract(&px, w, h).unwrap();
        let p = model.predict(&features).p_night;
        let wanted =
            s["features"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).chain([s["p_night"].as_f64().unwrap()]);
        for (i, (got, want)) in features.iter().copied().chain([p]).zip(wanted).enumerate() {
            let what = names.get(i).and_then(|n| n.as_str()).unwrap_or("p_night");
            if (got - want).abs() > worst.0 {
                worst = ((got - want).abs(), format!("{name}: {what} is {got} in wasm, {want} natively"));
            }
        }
    }
    web_sys::console::log_1(&format!("largest wasm/native difference: {:e} ({})", worst.0, worst.1).into());
    assert!(worst.0 <= TOLERANCE, "{}", worst.1);
}

/// The worker's path: pixels drawn on an OffscreenCanvas and read back unchanged.
#[wasm_bindgen_test]
fn pixels_through_an_offscreen_canvas_classify_as_directly() {
    let model = Model::embedded().unwrap();
    for (name, expected) in [("sky_over_ground", Label::Day), ("lamps_in_dark", Label::Night)] {
        let (w, h, px) = scene(name, 256, 256);
        let canvas = web_sys::OffscreenCanvas::new(w, h).unwrap();
        let context: web_sys::OffscreenCanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
        let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px), w, h).unwrap();
        context.put_image_data(&image, 0.0, 0.0).unwrap();
        let back = context.get_image_data(0.0, 0.0, f64::from(w), f64::from(h)).unwrap().data().0;
        assert_eq!(back, px, "{name}: opaque pixels survive the canvas exactly");
        let prediction = classify_rgba(&model, &back, w, h).unwrap();
        assert_eq!(prediction.label, expected, "{name}");
        assert!(!prediction.explanation(3).is_empty());
    }
}

#[wasm_bindgen_test]
fn camera_errors_are_plain_words() {
    assert!(camera::describe_error("NotAllowedError", "").contains("refused"));
    assert!(camera::describe_error("NotFoundError", "").contains("No camera"));
    assert!(camera::describe_error("NotReadableError", "").contains("busy"));
    assert!(camera::describe_error("OverconstrainedError", "").contains("not available"));
    // The test page is http://127.0.0.1, a secure context: the camera may be asked for.
    assert_eq!(camera::unavailable_reason(), None);
}

fn classified(label: Label, p_night: f64) -> Classified {
    Classified {
        label,
        p_night,
        uncertain: false,
        explanation: "dark upper region, point lights in darkness".into(),
        width: 640,
        height: 480,
        decode_ms: 3.5,
        work_ms: 0.25,
        features: vec![0.25; daynight_core::N_FEATURES],
    }
}

/// The one JavaScript codec: every reply and request reads back from the object the
/// browser posts (the typed round trips themselves are tested natively).
#[wasm_bindgen_test]
fn messages_survive_the_trip_through_javascript() {
    let blob = web_sys::Blob::new().unwrap();
    for reply in [
        Reply::Done { id: 7, result: classified(Label::Night, 0.93) },
        Reply::Thumb { id: 7, thumb: None },
        Reply::Thumb { id: 7, thumb: Some(blob.clone().into()) },
        Reply::Failed { id: 8, message: "the file is empty".into() },
        Reply::Model { id: 9, model: "0123456789ab".into() },
    ] {
        let js = reply.clone().into_wire().into_js();
        assert_eq!(Reply::from_wire(Wire::from_js(&js)), Ok(reply));
    }
    for job in [Job::File(blob.into()), Job::Features(vec![0.5; daynight_core::N_FEATURES]), Job::Model(None)] {
        let request = Request { id: 3, job, crash: false };
        let js = request.clone().into_wire().into_js();
        assert_eq!(Request::from_wire(Wire::from_js(&js)), Ok(request));
    }
}

/// Mounts one card; `mark` is the user's mark on it, if any.
fn mount_card_marked(status: Status, mark: Option<Label>) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("ul").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let entry = Entry {
        id: 1,
        name: "street, at night.jpg".into(),
        thumb: ArcRwSignal::new(Some("data:,".into())),
        status: ArcRwSignal::new(status),
        example: ArcRwSignal::new(None),
    };
    std::mem::forget(leptos::mount::mount_to(host.clone(), move || {
        let teach = Teach::new(10.0);
        if let Some(label) = mark {
            let id = teach.mark(None, &entry.name, label, &[0.5; daynight_core::N_FEATURES]);
            entry.example.set(Some(id));
        }
        view! {
            <ResultCard entry=entry teach=teach on_view=Callback::new(|_| ()) on_remove=Callback::new(|_| ()) />
        }
    }));
    host
}

fn mount_card(status: Status) -> web_sys::HtmlElement {
    mount_card_marked(status, None)
}

#[wasm_bindgen_test]
fn a_marked_card_says_whether_the_model_agreed() {
    let done = || Status::Done { result: classified(Label::Night, 0.93), ms: 12.0 };
    let card = |host: web_sys::HtmlElement| host.query_selector("[data-testid=result]").unwrap().unwrap();
    let agreed = card(mount_card_marked(done(), Some(Label::Night)));
    assert_eq!(agreed.get_attribute("data-mark").as_deref(), Some("night"));
    assert!(agreed.text_content().unwrap().contains("the model agrees"));
    let pressed = agreed.query_selector("[data-testid=mark-night]").unwrap().unwrap();
    assert_eq!(pressed.get_attribute("aria-pressed").as_deref(), Some("true"));
    let wrong = card(mount_card_marked(done(), Some(Label::Day)));
    assert_eq!(wrong.get_attribute("data-mark").as_deref(), Some("day"));
    assert!(wrong.text_content().unwrap().contains("disagrees"));
    let unmarked = card(mount_card(done()));
    assert_eq!(unmarked.get_attribute("data-mark"), None);
    let button = unmarked.query_selector("[data-testid=mark-day]").unwrap().unwrap();
    assert_eq!(button.get_attribute("aria-pressed").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
fn a_finished_card_carries_the_test_hooks() {
    let host = mount_card(Status::Done { result: classified(Label::Night, 0.93), ms: 12.34 });
    let card = host.query_selector("[data-testid=result]").unwrap().unwrap();
    assert_eq!(card.get_attribute("data-name").as_deref(), Some("street, at night.jpg"));
    assert_eq!(card.get_attribute("data-label").as_deref(), Some("night"));
    assert_eq!(card.get_attribute("data-p-night").as_deref(), Some("0.93"));
    assert_eq!(card.get_attribute("data-ms").as_deref(), Some("12.3"));
    assert_eq!(card.get_attribute("data-error"), None);
    let text = card.text_content().unwrap();
    assert!(text.contains("night") && text.contains("93 %") && text.contains("point lights"), "{text}");
}

#[wasm_bindgen_test]
fn a_failed_card_shows_the_error_and_no_label() {
    let host = mount_card(Status::Failed("the file is empty".into()));
    let card = host.query_selector("[data-testid=result]").unwrap().unwrap();
    assert_eq!(card.get_attribute("data-error").as_deref(), Some("the file is empty"));
    assert_eq!(card.get_attribute("data-label"), None);
    assert!(card.class_name().contains("error"));
    // No thumbnail is decoded for a file the worker refused.
    assert!(card.query_selector("img").unwrap().is_none());
}

#[wasm_bindgen_test]
fn exports_keep_every_photo_with_its_status_and_the_clis_columns() {
    let rows = [
        export::row(
            "=cmd, \"quoted\".jpg",
            &Status::Done { result: classified(Label::Day, 0.125), ms: 20.04 },
            Some(Label::Night),
        ),
        export::row("empty.jpg", &Status::Failed("the file is empty".into()), None),
        export::row("later.jpg", &Status::Waiting, None),
    ];
    assert_eq!(rows.len(), 3, "a photo still being classified is exported too");
    let json: serde_json::Value = serde_json::from_str(&export::to_json(&rows, "abc", "2026-11-30T10:00:00.000Z")).unwrap();
    assert_eq!(json[0]["path"], "=cmd, \"quoted\".jpg");
    assert_eq!(json[0]["status"], "classified");
    assert_eq!(json[0]["label"], "day");
    assert_eq!(json[0]["p_night"], 0.125);
    assert_eq!(json[0]["ms"], 20.0);
    assert_eq!(json[0]["why"], "dark upper region, point lights in darkness");
    assert_eq!(json[0]["model"], "abc");
    assert_eq!(json[1]["status"], "failed");
    assert_eq!(json[1]["label"], serde_json::Value::Null);
    assert_eq!(json[1]["error"], "the file is empty");
    assert_eq!(json[2]["status"], "pending");
    assert_eq!(json[2]["date"], "2026-11-30T10:00:00.000Z");
    let keys: Vec<&str> = json[0].as_object().unwrap().keys().map(String::as_str).collect();
    let mut columns = daynight_core::report::COLUMNS.to_vec();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    columns.sort_unstable();
    assert_eq!(sorted, columns, "JSON keys are the CSV's columns");
    let csv = daynight_core::report::to_csv(&rows, "abc", "today", daynight_web::util::format::exact);
    assert!(csv.starts_with('\u{feff}'), "a BOM, so spreadsheets read UTF-8");
}
