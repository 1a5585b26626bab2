//! Live camera mode: the video with the answer over it, camera choice, snapshot.
//!
//! The stream and its frame loop belong to [`use_camera`](super::hook::use_camera): each new camera frame is
//! shrunk by the browser and sent (transferred, not copied) to the classifier
//! worker, one at a time; frames that arrive meanwhile are dropped and counted. The camera is released when Stop is pressed or the mode is
//! left, whatever is in flight.

use leptos::html::Video;
use leptos::prelude::*;

use super::counts::FrameCounts;
use super::device as camera;
use super::hook::use_camera;
use super::smooth::{Smoothed, Smoother};
use crate::classify::protocol::Job;
use crate::classify::{Classified, Classifier};
use crate::results::status::summary;
use crate::results::{Results, Status};
use crate::util::format::{exact, fixed, now_ms};
use daynight_core::{tier, Label, Tier};

/// The latest live answer, with the time it took from grabbing the frame.
#[derive(Debug, Clone, PartialEq)]
struct Live {
    result: Classified,
    frame_ms: f64,
    /// Frames classified this session.
    frames: u32,
    /// Camera frames this session, and how many of them were dropped (not classified).
    counts: FrameCounts,
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
    let live = RwSignal::new(None::<Live>);
    // What the label shows: the answers averaged, changed at most ~3 times a second.
    let shown = RwSignal::new(None::<Smoothed>);
    let smoother = StoredValue::new(Smoother::default());
    let frames = StoredValue::new(0u32);
    let snapshot_note = RwSignal::new(None::<u32>);

    let cam = {
        let classifier = classifier.clone();
        use_camera(video, move |v, counts| {
            let classifier = classifier.clone();
            async move {
                let started = now_ms();
                let Ok(bitmap) = camera::grab_frame(&v).await else { return };
                let Ok((result, _)) = classifier.classify(Job::Frame(bitmap.into())).await else { return };
                // The component may be gone by now: try_* do nothing then.
                let Some(n) = frames.try_update_value(|n| {
                    *n += 1;
                    *n
                }) else {
                    return;
                };
                let now = now_ms();
                if let Some(calm) = smoother.try_update_value(|s| s.push(now, result.p_night)).flatten() {
                    shown.try_set(Some(calm));
                }
                live.try_set(Some(Live { result, frame_ms: now - started, frames: n, counts }));
            }
        })
    };
    // A stopped camera shows no stale answer.
    Effect::new({
        let running = cam.running;
        move || {
            if !running.get() {
                live.set(None);
                shown.set(None);
                smoother.update_value(Smoother::reset);
            }
        }
    });

    let on_toggle = {
        let cam = cam.clone();
        move |_| {
            if cam.running.get_untracked() || cam.starting.get_untracked() {
                cam.stop();
            } else {
                cam.start(cam.chosen.get_untracked());
            }
        }
    };

    let error = cam.error;
    let snapshot = move |_| {
        let Some(v) = video.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match camera::snapshot(&v).await {
                Ok(blob) => {
                    results.add(vec![(results.unique_name(&snapshot_base(), "jpg"), blob)]);
                    snapshot_note.try_set(results.last_added.get_untracked());
                }
                // try_set: the panel may have been left meanwhile.
                Err(message) => {
                    error.try_set(Some(format!("The snapshot failed: {message}.")));
                }
            }
        });
    };

    let running = cam.running;
    let starting = cam.starting;
    let cameras = cam.cameras;
    let chosen = cam.chosen;
    let on_choose = {
        let cam = cam.clone();
        move |ev| cam.start(Some(event_target_value(&ev)))
    };
    view! {
        <div class="camera">
            <div class="stage" class:on=running>
                <video node_ref=video playsinline muted autoplay prop:muted=true aria-label="camera preview"></video>
                // The per-frame numbers are attributes (for tests and the benchmark);
                // what people read is the calm, averaged answer.
                {move || live.with(Option::is_some).then(|| {
                    let raw = move |f: fn(&Live) -> String| live.with(|l| l.as_ref().map(f));
                    view! {
                        <div class="live" data-testid="live"
                            data-label=move || shown.get().map(|s| s.label.as_str())
                            data-frame-label=move || raw(|l| l.result.label.as_str().into())
                            data-p-night=move || raw(|l| exact(l.result.p_night))
                            data-work-ms=move || raw(|l| fixed(l.result.work_ms, 3))
                            data-frame-ms=move || raw(|l| fixed(l.frame_ms, 2))
                            data-frames=move || raw(|l| l.frames.to_string())
                            data-seen=move || raw(|l| l.counts.seen.to_string())
                            data-dropped=move || raw(|l| l.counts.dropped.to_string())>
                            {move || shown.get().map(|s| view! { <CameraLabel shown=s /> })}
                        </div>
                    }
                })}
                <Show when=move || !running.get()>
                    <p class="placeholder">{move || if starting.get() { "Starting the camera…" } else { "The camera is off." }}</p>
                </Show>
            </div>
            <div class="camera-controls">
                // One button that keeps keyboard focus: its label follows the state.
                <button type="button" id="camera-toggle" class:primary=move || !running.get() && !starting.get()
                    on:click=on_toggle>
                    // While it starts, the one thing to do is to call it off.
                    {move || if running.get() || starting.get() { "Stop camera" } else { "Start camera" }}
                </button>
                <Show when=move || running.get()>
                    <button type="button" class="primary" on:click=snapshot>"Snapshot"</button>
                </Show>
                <Show when=move || { cameras.with(|c| c.len() > 1) }>
                    <label class="choose">"Camera "
                        <select on:change=on_choose.clone()>
                            <For each=move || cameras.get() key=|(id, _)| id.clone() let((id, label))>
                                <option value=id.clone() selected=move || chosen.get().as_deref() == Some(id.as_str())>{label}</option>
                            </For>
                        </select>
                    </label>
                </Show>
            </div>
            {move || snapshot_note.get().map(|id| view! { <SnapshotNote id=id results=results /> })}
            {move || error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
        </div>
    }
    .into_any()
}

/// The live label: the calm answer's side and how sure, with its bar.
#[component]
fn CameraLabel(shown: Smoothed) -> impl IntoView {
    // The side the smoother holds to (hysteresis), in the tiers' words and percentage.
    let p = if (shown.label == Label::Night) == (shown.p_night >= 0.5) { shown.p_night } else { 0.5 };
    let sure = if shown.label == Label::Night { p } else { 1.0 - p };
    let icon = match (Tier::of(p), shown.label) {
        (Tier::Unsure, _) => "◐",
        (_, Label::Day) => "☀",
        (_, Label::Night) => "☾",
    };
    view! {
        <p class="verdict" data-testid="camera-label" data-tier=Tier::of(p).as_str()>
            <span class="icon" aria-hidden="true">{icon}</span>" "{tier::headline(p)}" · "{tier::shown_percent(p)}" % sure"
        </p>
        <meter class="sure" min="0" max="1" value=exact(sure) aria-hidden="true"></meter>
    }
}

/// "Added camera 14-03-27.jpg: day, 93 % sure. Show it ↓", under the controls, so a
/// snapshot visibly does something even when its card is below the fold.
#[component]
fn SnapshotNote(id: u32, results: Results) -> impl IntoView {
    let entry = results.entries.with_untracked(|e| e.iter().find(|e| e.id == id).cloned());
    let Some(entry) = entry else { return ().into_any() };
    let status = entry.status.clone();
    let show = move |_| {
        let card = document().get_element_by_id(&format!("result-{id}"));
        if let Some(card) = card {
            card.scroll_into_view();
        }
    };
    view! {
        <p class="snapshot-note" data-testid="snapshot-note">
            "Added "<strong>{entry.name.clone()}</strong>": "
            {move || match status.get() {
                Status::Waiting => "classifying…".to_string(),
                other => summary(&other),
            }}". "
            <button type="button" class="link" on:click=show>"Show it in the results ↓"</button>
        </p>
    }
    .into_any()
}

/// "camera 14-03-27", from the local time.
fn snapshot_base() -> String {
    let now = js_sys::Date::new_0();
    format!("camera {:02}-{:02}-{:02}", now.get_hours(), now.get_minutes(), now.get_seconds())
}
