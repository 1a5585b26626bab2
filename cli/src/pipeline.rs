//! One image through the shared pipeline: file → pixels → features → prediction.

use std::path::Path;
use std::time::Instant;

use daynight_core::decode::decode_file;
use daynight_core::report::Row;
use daynight_core::{extract, Label, Model, Prediction, Tier, N_FEATURES};
use rayon::prelude::*;

/// Features of one decoded file, with its dimensions (a proxy for which camera took it).
pub struct Extracted {
    /// The feature vector.
    pub features: [f64; N_FEATURES],
    /// Width × height of the image (upright, at full size even when a JPEG was decoded
    /// at reduced scale).
    pub size: (u32, u32),
}

/// Decodes a file and extracts its features; the error is a message for people.
pub fn extract_file(path: &Path) -> Result<Extracted, String> {
    let img = decode_file(path).map_err(|e| e.to_string())?;
    let features = extract(&img.rgba, img.width, img.height).map_err(|e| e.to_string())?;
    Ok(Extracted { features, size: img.full_size })
}

/// The outcome for one file of a batch.
pub struct Outcome {
    /// The prediction, or why there is none.
    pub result: Result<Prediction, String>,
    /// Wall time for this file, decode included, in milliseconds.
    pub ms: f64,
}

impl Outcome {
    /// This file's answer as an export row, numbers rounded as printed: `p_night` to
    /// 1e-6, `ms` to 1e-3 (finer digits are noise, and they make diffs of outputs noisy).
    /// A `p_night` that rounding would carry across a cut-off (0.8999996 to 0.9) keeps
    /// its digits, so the printed number always gives the row's label and tier.
    pub fn row(&self, path: String) -> Row {
        let ms = (self.ms * 1000.0).round() / 1000.0;
        match &self.result {
            Ok(p) => {
                let rounded = (p.p_night * 1e6).round() / 1e6;
                let same = Tier::of(rounded) == p.tier && Label::from_p_night(rounded) == p.label;
                Row { p_night: Some(if same { rounded } else { p.p_night }), ..Row::classified(path, p, ms) }
            }
            Err(e) => Row::failed(path, e.clone()),
        }
    }
}

/// Classifies one file.
pub fn classify_file(model: &Model, path: &Path) -> Outcome {
    let start = Instant::now();
    let result = extract_file(path).map(|e| model.predict(&e.features));
    Outcome { result, ms: start.elapsed().as_secs_f64() * 1000.0 }
}

/// Runs `f` over `paths` on every core, keeping input order, ticking `progress`.
pub fn par_map<T: Send>(
    paths: &[std::path::PathBuf],
    progress: &indicatif::ProgressBar,
    f: impl Fn(&Path) -> T + Sync,
) -> Vec<T> {
    let out = paths
        .par_iter()
        .map(|p| {
            let r = f(p);
            progress.inc(1);
            r
        })
        .collect();
    progress.finish_and_clear();
    out
}

/// A progress bar on stderr, drawn only when stderr is a terminal (never in pipes or CI).
pub fn progress_bar(len: usize, what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40.cyan/blue} {pos}/{len} ({per_sec}, eta {eta})")
            .expect("valid template"),
    );
    bar.set_message(what.to_string());
    bar
}
