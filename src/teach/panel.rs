//! The Teach panel: the marked examples, retraining on them, and the model in use
//! (where it came from, back to the built-in one, export and import).

use leptos::html::Input;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::client::{check_model, retrain, MAX_MODEL_BYTES};
use super::compare::{model_words, Comparison};
use super::marks::Teach;
use super::protocol::Retrained;
use crate::model::{ModelInUse, Models, Origin};
use crate::results::Results;
use crate::util::dom::download;
use crate::util::format::fixed;

/// The heaviest a marked photo may weigh, in built-in examples: beyond that a
/// handful of marks would outweigh all 1,560 built-in examples together.
const MAX_WEIGHT: f64 = 1000.0;

/// Where a retrain stands.
#[derive(Debug, Clone, PartialEq)]
enum Training {
    Idle,
    Running,
    /// The new model is in use.
    Done {
        /// Before and after, measured the same way.
        comparison: Comparison,
        /// The model compared with, in words.
        against: String,
        /// Cards whose answer changed.
        changed: usize,
    },
    /// The new model did worse: the model in use was kept; `pending` is offered.
    Kept {
        /// Before and after, measured the same way.
        comparison: Comparison,
        /// The model compared with, in words.
        against: String,
        /// The new model, if the user wants it anyway.
        pending: ModelInUse,
    },
}

/// The panel.
#[component]
pub fn TeachPanel(
    /// The marked examples and the user weight.
    teach: Teach,
    /// The model in use.
    models: Models,
    /// The results list, whose cards lose their mark when it is forgotten here.
    results: Results,
) -> impl IntoView {
    let training = RwSignal::new(Training::Idle);
    let weight_input = NodeRef::<Input>::new();
    let counts = move || teach.counts();
    let total = move || {
        let (day, night) = counts();
        day + night
    };
    // The built-in examples hold both labels, so one mark of either kind is enough.
    let blocked = move || {
        if total() == 0 {
            Some("Mark at least one photo “it's day” or “it's night” first.")
        } else if training.get() == Training::Running || models.busy.get() {
            Some("Training…")
        } else {
            None
        }
    };
    let on_retrain = move |_| {
        // The browser parses the number: Rust's float parser would add a few KB to the wasm.
        let weight = weight_input
            .get_untracked()
            .map(|input| input.value_as_number())
            .filter(|w| w.is_finite() && (1.0..=MAX_WEIGHT).contains(w));
        let Some(weight) = weight else {
            models.problem.set(Some(format!(
                "The weight of each of your photos must be a number from 1 to {}, e.g. 20.",
                MAX_WEIGHT as u32
            )));
            return;
        };
        teach.user_weight.set(weight);
        models.clear_problem();
        training.set(Training::Running);
        let marked = teach.marked_with_keys();
        let in_use = models.in_use.get_untracked();
        let before_model = models.before_model();
        leptos::task::spawn_local(async move {
            let seen: Vec<bool> = marked.iter().map(|(key, ..)| in_use.trained_on.contains(key)).collect();
            let keys: Vec<String> = marked.iter().map(|(key, ..)| key.clone()).collect();
            let examples = marked.into_iter().map(|(_, features, label)| (features, label)).collect();
            let against = model_words(&in_use.origin);
            let outcome = match retrain(examples, weight, before_model.as_ref()).await {
                Ok(Retrained { model, before_right, after_right, .. }) => {
                    let comparison = Comparison::new(&before_right, &after_right, &seen);
                    let new = ModelInUse::trained(model, keys);
                    if comparison.worse() {
                        Ok(Training::Kept { comparison, against, pending: new })
                    } else {
                        models.switch(new).await.map(|switched| Training::Done { comparison, against, changed: switched.changed })
                    }
                }
                Err(why) => Err(why),
            };
            match outcome {
                Ok(state) => training.try_set(state),
                Err(why) => {
                    models.problem.try_set(Some(format!("Training failed: {why}. The model in use is unchanged.")));
                    training.try_set(Training::Idle)
                }
            };
        });
    };
    let use_new = move |_| {
        let Training::Kept { comparison, against, pending } = training.get_untracked() else { return };
        models.clear_problem();
        training.set(Training::Running);
        leptos::task::spawn_local(async move {
            match models.switch(pending).await {
                Ok(switched) => training.try_set(Training::Done { comparison, against, changed: switched.changed }),
                Err(why) => {
                    models.problem.try_set(Some(format!("The new model could not be used: {why}.")));
                    training.try_set(Training::Idle)
                }
            };
        });
    };
    let undo = move |_| {
        models.clear_problem();
        training.set(Training::Idle);
        leptos::task::spawn_local(async move {
            if let Err(why) = models.undo().await {
                models.problem.try_set(Some(format!("Could not undo: {why}.")));
            }
        });
    };
    let back = move |_| {
        models.clear_problem();
        training.set(Training::Idle);
        leptos::task::spawn_local(async move {
            if let Err(why) = models.use_builtin().await {
                models.problem.try_set(Some(format!("Could not go back to the built-in model: {why}.")));
            }
        });
    };
    let export = move |_| {
        leptos::task::spawn_local(async move {
            let file_name = models.in_use.with_untracked(ModelInUse::file_name);
            let saved = match models.json().await {
                Ok(json) => {
                    download(&file_name, "application/json", &json).map_err(|_| "the download could not start".to_string())
                }
                Err(why) => Err(why),
            };
            if let Err(why) = saved {
                models.problem.try_set(Some(format!("The model could not be exported: {why}.")));
            }
        });
    };
    let import_input = NodeRef::<Input>::new();
    let on_import = move |_| {
        let Some(input) = import_input.get() else { return };
        let file = input.files().and_then(|files| files.get(0));
        // Cleared so choosing the same file again still fires `change`.
        input.set_value("");
        let Some(file) = file else { return };
        models.clear_problem();
        training.set(Training::Idle);
        leptos::task::spawn_local(async move { import(models, file).await });
    };

    // The parts are type-erased (`into_any`): one big view type costs the first
    // load several KB of generated code.
    let status = view! {
        <p class="model-source" data-testid="model-source">
            {move || models.in_use.with(|m| m.origin.sentence())}
            {move || models.in_use.with(|m| format!(" (id {})", m.id))}
        </p>
        {move || models.problem.get().map(|message| view! {
            <div class="notice error" role="alert" data-testid="model-problem">
                <p>{message}</p>
                // What the parser said, for whoever wants it; not the headline.
                {move || models.detail.get().map(|detail| view! {
                    <details class="detail"><summary>"Details"</summary><p>{detail}</p></details>
                })}
            </div>
        })}
        {move || teach.store_error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
        <p data-testid="teach-count">{move || {
            let (day, night) = counts();
            format!("Your examples: {day} day, {night} night.")
        }}</p>
    }
    .into_any();
    let controls = view! {
        <div class="teach-controls">
            <label class="weight">"Weight of each of yours "
                <input node_ref=weight_input type="number" min="1" max=MAX_WEIGHT as u32 step="any" inputmode="decimal"
                    data-testid="user-weight"
                    value=fixed(teach.user_weight.get_untracked(), 0) />
            </label>
            <button type="button" class="primary" data-testid="retrain"
                disabled=move || blocked().is_some()
                aria-describedby="retrain-why"
                on:click=on_retrain>"Retrain"</button>
            <span id="retrain-why" class="hint">{blocked}</span>
        </div>
    }
    .into_any();
    let actions = view! {
        <div class="model-actions">
            <button type="button" data-testid="export-model" on:click=export>"Export model"</button>
            <button type="button" on:click=move |_| {
                if let Some(input) = import_input.get() {
                    input.click();
                }
            }>"Import model…"</button>
            <input node_ref=import_input type="file" accept=".json,application/json" data-testid="import-model"
                class="visually-hidden" tabindex="-1" aria-hidden="true" on:change=on_import />
            {move || models.in_use.with(|m| m.origin != Origin::Builtin).then(|| view! {
                <button type="button" data-testid="use-builtin" on:click=back>"Back to the built-in model"</button>
            })}
        </div>
    }
    .into_any();
    view! {
        <section class="teach" aria-labelledby="teach-title" data-testid="teach">
            <h2 id="teach-title">"Teach it your photos"</h2>
            <p class="hint">"Wrong answer? Mark the truth on the cards (“it's day”, “it's night”), then retrain. "
                "Only the numbers the model reads from each photo are kept, on this device; never the photos."</p>
            {status}
            {controls}
            <TrainingState training=training use_new=Callback::new(use_new) />
            {move || models.previous.with(|p| p.as_ref().map(|p| model_words(&p.origin))).map(|previous| view! {
                <p class="undo">
                    <button type="button" data-testid="undo-retrain" on:click=undo
                        disabled=move || models.busy.get()>"Undo: back to "{previous}</button>
                </p>
            })}
            {actions}
            <ExampleList teach=teach results=results />
        </section>
    }
    .into_any()
}

/// Progress while training, then what it achieved.
#[component]
fn TrainingState(training: RwSignal<Training>, use_new: Callback<()>) -> impl IntoView {
    let percent = |x: f64| format!("{} %", (x * 100.0).round() as u32);
    // "on your 6 marked photos", and which of them, when the model in use had seen some.
    let on = |c: &Comparison| {
        let photos = if c.on == 1 { "photo" } else { "photos" };
        match c.all_seen {
            true => format!(
                "on your {} marked {photos} (the model in use trained on all of them, so its score is not held out)",
                c.on
            ),
            false => format!("on your {} marked {photos} it had not seen", c.on),
        }
    };
    move || {
        match training.get() {
        Training::Idle => ().into_any(),
        Training::Running => view! {
            <p class="progress" data-testid="retrain-progress" role="status">
                <progress aria-label="training"></progress>" Training on the built-in examples and yours…"
            </p>
        }
        .into_any(),
        Training::Done { comparison: c, against, changed } => view! {
            <p class="retrained" data-testid="retrain-result" role="status"
                data-before=fixed(c.before, 4) data-after=fixed(c.after, 4) data-changed=changed.to_string()>
                "Right "{on(&c)}": "<strong>{percent(c.before)}</strong>" before ("{against}"), "
                <strong>{percent(c.after)}</strong>" after (cross-validated: each photo judged by a model "
                "trained without it). The new model is in use; "{changed.to_string()}
                {if changed == 1 { " card" } else { " cards" }}" changed answer."
            </p>
        }
        .into_any(),
        Training::Kept { comparison: c, against, .. } => view! {
            <div class="retrained worse" data-testid="retrain-result" role="status"
                data-before=fixed(c.before, 4) data-after=fixed(c.after, 4) data-kept="true">
                <p>"The new model does worse "{on(&c)}": "<strong>{percent(c.after)}</strong>" right (cross-validated) "
                    "against "<strong>{percent(c.before)}</strong>" for "{against}". The model in use is kept."</p>
                <button type="button" data-testid="use-new-model" on:click=move |_| use_new.run(())>"Use the new model anyway"</button>
            </div>
        }
        .into_any(),
    }
    }
}

/// The marked examples by name, each removable; they outlive the results list.
/// Redrawn whole when it changes (it is short, and a keyed `<For>` costs the
/// first load more code than it saves here).
#[component]
fn ExampleList(teach: Teach, results: Results) -> impl IntoView {
    let forget = move |_| {
        teach.forget_all();
        results.unlink_example(None);
    };
    let items = move || {
        teach.examples.with(|examples| {
            examples
                .iter()
                .map(|example| {
                    let (id, name) = (example.id, example.stored.name.clone());
                    view! {
                        <li data-testid="marked-example" data-key=example.key.clone()>
                            <span>{name.clone()}": "{example.stored.label.as_str()}</span>
                            <button type="button" class="quiet" aria-label=format!("Forget {name}")
                                on:click=move |_| {
                                teach.unmark(id);
                                results.unlink_example(Some(id));
                            }>"Forget"</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    // A memo, so the <details> (and whether it is open) stays while items change.
    let any = Memo::new(move |_| teach.examples.with(|e| !e.is_empty()));
    move || {
        any.get().then(|| {
            view! {
                <details class="examples">
                    <summary>"Your marked examples"</summary>
                    <ul data-testid="teach-list">{items}</ul>
                    <button type="button" class="quiet" on:click=forget>"Forget them all"</button>
                </details>
            }
        })
    }
}

/// Reads a model file and hands it to the worker, which validates it; a refused file
/// leaves the model in use as it was and says why.
async fn import(models: Models, file: web_sys::File) {
    let name = file.name();
    // Refused before reading it into memory.
    if file.size() > MAX_MODEL_BYTES as f64 {
        models.problem.try_set(Some(format!("{name} is too large for a daynight model file. The model in use is unchanged.")));
        return;
    }
    let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
    let Some(text) = text else {
        models.problem.try_set(Some(format!("{name} could not be read. The model in use is unchanged.")));
        return;
    };
    let applied = match check_model(text).await {
        Ok(model) => models.switch(ModelInUse::custom(model, Origin::Imported(name.clone()))).await.map(drop),
        Err(why) => Err(why),
    };
    if let Err(why) = applied {
        models.problem.try_set(Some(format!(
            "{name} is not a daynight model file this app can use (it is damaged, from another version, or not a \
             model at all). The model in use is unchanged."
        )));
        models.detail.try_set(Some(why));
    }
}
