//! Live camera mode: the video with the label over it, camera choice, snapshot.
//!
//! About four times a second the current frame is shrunk by the browser and sent
//! (transferred, not copied) to the classifier worker; a new frame is only taken
//! once the previous answer is in, so a slow device drops frames instead of queueing
//! them. The camera is released when Stop is pressed or the mode is left.

use std::time::Duration;

use daynight_core::Label;
use leptos::html::Video;
use leptos::prelude::*;
use web_sys::MediaStream;

use crate::camera;
use crate::classifier::Classifier;
use crate::protocol::{exact, fixed, now_ms, Classified, Source};
use crate::results::Results;

/// How often a frame is classified.
const FRAME_INTERVAL: Duration = Duration::from_millis(250);

/// The latest live answer, with the time it took from grabbing the frame.
#[derive(Debug, Clone, PartialEq)]
struct Live {
    result: Classified,
    frame_ms: f64,
    frames: u32,
}

/// The camera panel. Explains plainly when the page cannot use a camera.
#[component]
pub fn CameraPanel(classifier: Classifier, results: Results) -> impl IntoView {
    if let Some(reason) = camera::unavailable_reason() {
        return view! {
            <div class="notice" role="note" data-testid="camera-unavailable">
                <p><strong>"The camera is not available here."</strong></p>
                <p>{reason}</p>
            </div>
        }
        .into_any();
    }

    let video = NodeRef::<Video>::new();
    let stream = RwSignal::new_local(None::<MediaStream>);
    let error = RwSignal::new(None::<String>);
    let cameras = RwSignal::new(Vec::<(String, String)>::new());
    let chosen = RwSignal::new(None::<String>);
    let live = RwSignal::new(None::<Live>);
    let starting = RwSignal::new(false);
    let busy = StoredValue::new(false);
    let frames = StoredValue::new(0u32);

    let stop = move || {
        if let Some(s) = stream.get_untracked() {
            camera::stop(&s);
        }
        if let Some(v) = video.get_untracked() {
            v.set_src_object(None);
        }
        stream.set(None);
        live.set(None);
    };

    let start = move |device: Option<String>| {
        stop();
        error.set(None);
        starting.set(true);
        leptos::task::spawn_local(async move {
            match camera::start(device.as_deref()).await {
                Ok(s) => {
                    if let Some(v) = video.get_untracked() {
                        v.set_src_object(Some(&s));
                        // Muted, inline video may autoplay everywhere; a refusal only delays the first frame.
                        let _ = v.play();
                    }
                    chosen.set(camera::device_of(&s));
                    stream.set(Some(s));
                    // Labels are only readable once permission has been given.
                    cameras.set(camera::list_cameras().await);
                }
                Err(message) => error.set(Some(message)),
            }
            starting.set(false);
        });
    };

    // Classify a frame every FRAME_INTERVAL while the camera runs.
    let tick = {
        let classifier = classifier.clone();
        move || {
            let Some(v) = video.get_untracked() else { return };
            // HAVE_CURRENT_DATA: a frame can be read.
            if busy.get_value() || stream.with_untracked(Option::is_none) || v.ready_state() < 2 {
                return;
            }
            busy.set_value(true);
            let classifier = classifier.clone();
            leptos::task::spawn_local(async move {
                let started = now_ms();
                if let Ok(bitmap) = camera::grab_frame(&v).await {
                    if let Ok((result, _)) = classifier.classify(Source::Frame, bitmap.into()).await {
                        frames.update_value(|n| *n += 1);
                        if stream.with_untracked(Option::is_some) {
                            live.set(Some(Live { result, frame_ms: now_ms() - started, frames: frames.get_value() }));
                        }
                    }
                }
                busy.set_value(false);
            });
        }
    };
    let interval = StoredValue::new_local(None::<IntervalHandle>);
    Effect::new(move || {
        let running = stream.with(Option::is_some);
        if let Some(handle) = interval.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if running {
            interval.set_value(set_interval_with_handle(tick.clone(), FRAME_INTERVAL).ok());
        }
    });
    // Leaving camera mode (this component unmounts) releases the camera.
    on_cleanup(move || {
        stop();
        if let Some(handle) = interval.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });

    let snapshot = move |_| {
        let Some(v) = video.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match camera::snapshot(&v).await {
                Ok(blob) => results.add(vec![(snapshot_name(), blob)]),
                Err(message) => error.set(Some(format!("The snapshot failed: {message}."))),
            }
        });
    };

    let running = move || stream.with(Option::is_some);
    view! {
        <div class="camera">
            <div class="stage" class:on=running>
                <video node_ref=video playsinline muted autoplay prop:muted=true aria-label="camera preview"></video>
                <Show when=move || live.get().is_some()>
                    {move || live.get().map(|l| {
                        let (icon, word) = match (l.result.uncertain, l.result.label) {
                            (true, _) => ("◐", "uncertain"),
                            (false, Label::Day) => ("☀", "day"),
                            (false, Label::Night) => ("☾", "night"),
                        };
                        view! {
                            <div class="live" data-testid="live"
                                data-label=l.result.label.as_str()
                                data-p-night=exact(l.result.p_night)
                                data-work-ms=fixed(l.result.work_ms, 3)
                                data-frame-ms=fixed(l.frame_ms, 2)
                                data-frames=l.frames.to_string()>
                                <span class="icon" aria-hidden="true">{icon}</span>" "{word}
                                <meter min="0" max="1" low="0.35" high="0.65" optimum="0.5" value=exact(l.result.p_night) aria-label="probability of night"></meter>
                                <span class="pct">{fixed(l.result.p_night * 100.0, 0)}" % night"</span>
                            </div>
                        }
                    })}
                </Show>
                <Show when=move || !running()>
                    <p class="placeholder">{move || if starting.get() { "Starting the camera…" } else { "The camera is off." }}</p>
                </Show>
            </div>
            <div class="camera-controls">
                <Show when=move || !running() fallback=move || view! {
                    <button type="button" on:click=move |_| stop()>"Stop camera"</button>
                    <button type="button" class="primary" on:click=snapshot>"Snapshot"</button>
                }>
                    <button type="button" class="primary" disabled=starting on:click=move |_| start(chosen.get_untracked())>"Start camera"</button>
                </Show>
                <Show when=move || { cameras.with(|c| c.len() > 1) }>
                    <label class="choose">"Camera "
                        <select on:change=move |ev| start(Some(event_target_value(&ev)))>
                            <For each=move || cameras.get() key=|(id, _)| id.clone() let((id, label))>
                                <option value=id.clone() selected=move || chosen.get().as_deref() == Some(id.as_str())>{label}</option>
                            </For>
                        </select>
                    </label>
                </Show>
            </div>
            {move || error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
        </div>
    }
    .into_any()
}

/// "camera 14-03-27.jpg", from the local time.
fn snapshot_name() -> String {
    let now = js_sys::Date::new_0();
    format!("camera {:02}-{:02}-{:02}.jpg", now.get_hours(), now.get_minutes(), now.get_seconds())
}
