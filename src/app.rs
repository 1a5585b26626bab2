//! The page: header, input mode (photos or camera), results, and the page-wide
//! drop and paste handlers.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::DragEvent;

use crate::camera::CameraPanel;
use crate::classify::Classifier;
use crate::model::{ModelInUse, Models};
use crate::results::{files_to_images, Help, Lightbox, Picker, ResultList, Results, Toolbar};
use crate::teach::{Teach, TeachPanel};
use crate::util::dom::focus_by_id;

/// Which input the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Choose, drop or paste photos.
    Photos,
    /// Live camera.
    Camera,
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let ready = RwSignal::new(false);
    // The model in use has one owner; the classifier reads it when a fresh worker
    // needs it again.
    let in_use = RwSignal::new(ModelInUse::builtin());
    let model_numbers = move || in_use.try_with_untracked(|m| m.numbers().map(<[f64]>::to_vec)).flatten();
    let classifier = Classifier::new(model_numbers, move || ready.set(true));
    let results = Results::new(classifier.clone());
    // The marks and the model in use outlive the list (Clear) and come back on reload.
    let teach = Teach::new(crate::teach::client::DEFAULT_USER_WEIGHT);
    let models = Models::new(in_use, classifier.clone(), results);
    leptos::task::spawn_local(teach.restore());
    leptos::task::spawn_local(models.start());
    // The entry shown in the larger view.
    let viewing = RwSignal::new(None::<u32>);
    let mode = RwSignal::new(Mode::Photos);
    install_debug_hooks(&classifier);
    // Reactive closures must be `Send`; the classifier lives on this thread only.
    let classifier = StoredValue::new_local(classifier);

    let drag = DragState::new();
    let on_drop = move |event: DragEvent| {
        drag.drop(&event);
        if let Some(files) = event.data_transfer().and_then(|data| data.files()) {
            results.add(files_to_images(&files));
        }
    };
    let _paste = window_event_listener(leptos::ev::paste, move |event| {
        let Some(files) = event.clipboard_data().and_then(|data| data.files()) else { return };
        if files.length() > 0 {
            event.prevent_default();
            results.add(files_to_images(&files));
        }
    });

    let offline = RwSignal::new(false);
    crate::offline::register_service_worker(move || {
        offline.try_set(true);
    });
    // Once the page can answer, the service worker fetches the trainer in the
    // background, so Retrain works offline from the first visit on.
    Effect::new(move |asked: Option<bool>| {
        let now = asked == Some(true) || (ready.get() && models.settled.get());
        if now && asked != Some(true) {
            crate::offline::cache_trainer_when_idle();
        }
        now
    });
    // Photos shared into the installed app, or opened with it.
    let share_note = crate::launch::receive(results);

    let tabs = [(Mode::Photos, "Photos"), (Mode::Camera, "Camera")];
    // The ARIA tabs pattern: arrow keys, Home and End move between the tabs (and
    // select them); only the selected tab is in the Tab order.
    let on_tab_key = move |event: web_sys::KeyboardEvent| {
        let at = tabs.iter().position(|(m, _)| *m == mode.get_untracked()).unwrap_or(0);
        let next = match event.key().as_str() {
            "ArrowRight" | "ArrowDown" => (at + 1) % tabs.len(),
            "ArrowLeft" | "ArrowUp" => (at + tabs.len() - 1) % tabs.len(),
            "Home" => 0,
            "End" => tabs.len() - 1,
            _ => return,
        };
        event.prevent_default();
        mode.set(tabs[next].0);
        focus_by_id(&format!("tab-{}", tabs[next].1));
    };
    let tab = move |(which, label): (Mode, &'static str)| {
        view! {
            <button type="button" role="tab" id=format!("tab-{label}") class="tab" aria-controls="input-panel"
                aria-selected=move || (mode.get() == which).to_string()
                tabindex=move || if mode.get() == which { "0" } else { "-1" }
                on:click=move |_| mode.set(which)>{label}</button>
        }
    };
    let has_results = move || results.entries.with(|e| !e.is_empty());

    view! {
        // Ready once the worker runs and the start-up model (stored, server or
        // built-in) is in use, so the first answers come from the right one.
        <main class:dragging=move || drag.over.get()
            data-ready=move || (ready.get() && models.settled.get()).to_string()
            data-model=move || models.in_use.with(|m| m.id.clone())
            data-model-origin=move || models.in_use.with(|m| m.origin.word())
            on:dragenter=move |e| drag.enter(&e) on:dragover=move |e| drag.over(&e)
            on:dragleave=move |_| drag.leave() on:drop=on_drop>
            <header class="masthead">
                <h1><span aria-hidden="true">"☀ "</span>"daynight"<span aria-hidden="true">" ☾"</span></h1>
                <p class="tagline">"Tells day photos from night photos."</p>
                <p class="privacy">
                    "Your photos never leave this device: everything runs here in your browser, nothing is uploaded."</p>
            </header>
            <crate::launch::ShareNote note=share_note />
            <div class="tabs" role="tablist" aria-label="Input" on:keydown=on_tab_key>
                {tabs.map(tab)}
            </div>
            <section class="panel" role="tabpanel" id="input-panel"
                aria-labelledby=move || if mode.get() == Mode::Photos { "tab-Photos" } else { "tab-Camera" }>
                {move || match mode.get() {
                    Mode::Photos => view! { <Picker results=results /> }.into_any(),
                    Mode::Camera => view! { <CameraPanel classifier=classifier.get_value() results=results /> }.into_any(),
                }}
            </section>
            <Help />
            <Show when=has_results>
                <Toolbar results=results models=models teach=teach />
            </Show>
            {move || results.cleared.with(Option::is_some).then(|| view! {
                <p class="notice undo-clear" role="status">"Results cleared. "
                    <button type="button" class="link" data-testid="undo-clear"
                        on:click=move |_| results.undo_clear()>"Undo"</button>
                </p>
            })}
            <ResultList results=results teach=teach on_view=Callback::new(move |id| viewing.set(Some(id))) />
            <TeachPanel teach=teach models=models results=results />
            <Lightbox results=results viewing=viewing />
            <p class="sr-only" role="status" aria-live="polite">{move || results.announcement.get()}</p>
            <div class="drop-overlay" aria-hidden="true"><p>"Drop photos to classify them"</p></div>
            <footer>"Classified in this tab with WebAssembly."
                {move || offline.get().then_some(" Works offline once loaded.")}</footer>
        </main>
    }
}

/// Whether files are being dragged over the page (it then shows "Drop photos to
/// classify them"). The browser sends `dragenter` and `dragleave` for every element
/// the pointer crosses, so entries are counted: the drag has left the page when the
/// count is back to zero.
#[derive(Clone, Copy)]
struct DragState {
    /// Files are over the page.
    over: RwSignal<bool>,
    depth: StoredValue<u32>,
}

impl DragState {
    fn new() -> DragState {
        DragState { over: RwSignal::new(false), depth: StoredValue::new(0) }
    }

    fn enter(&self, event: &DragEvent) {
        if carries_files(event) {
            event.prevent_default();
            self.depth.update_value(|d| *d += 1);
            self.over.set(true);
        }
    }

    /// Without this the browser refuses the drop (and opens the file instead).
    fn over(&self, event: &DragEvent) {
        if carries_files(event) {
            event.prevent_default();
        }
    }

    fn leave(&self) {
        self.depth.update_value(|d| *d = d.saturating_sub(1));
        if self.depth.get_value() == 0 {
            self.over.set(false);
        }
    }

    fn drop(&self, event: &DragEvent) {
        event.prevent_default();
        self.depth.set_value(0);
        self.over.set(false);
    }
}

/// A drag of files (not of text or a link from the page).
fn carries_files(event: &DragEvent) -> bool {
    event.data_transfer().is_some_and(|data| data.types().includes(&"Files".into(), 0))
}

/// With `?debug` in the address, `window.__daynight_debug.crashNext()` makes the
/// worker panic on the next image, so the browser tests can check the recovery
/// path. Without it nothing is exposed.
fn install_debug_hooks(classifier: &Classifier) {
    let Some(window) = web_sys::window() else { return };
    let debug = window
        .location()
        .search()
        .ok()
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .is_some_and(|params| params.has("debug"));
    if !debug {
        return;
    }
    let hooks = js_sys::Object::new();
    let c = classifier.clone();
    let crash_next = Closure::<dyn Fn()>::new(move || c.crash_next());
    let c = classifier.clone();
    let restarts = Closure::<dyn Fn() -> u32>::new(move || c.restarts());
    let _ = js_sys::Reflect::set(&hooks, &"crashNext".into(), crash_next.as_ref());
    let _ = js_sys::Reflect::set(&hooks, &"restarts".into(), restarts.as_ref());
    let _ = js_sys::Reflect::set(&window, &"__daynight_debug".into(), &hooks);
    // They live as long as the page.
    crash_next.forget();
    restarts.forget();
}
