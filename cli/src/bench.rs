//! `daynight bench`: the speed numbers, printed rather than asserted.

use std::path::PathBuf;
use std::time::Instant;

use daynight_core::{extract, testimages, Model, BROWSER_DECODE_SIZE, WORK_SIZE};

use crate::pipeline::{classify_file, par_map};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median time of `f` over `runs` runs, in milliseconds.
fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

/// Prints feature-extraction times and batch throughput over `dir`.
pub fn run(model: &Model, dir: &PathBuf, rounds: usize) -> anyhow::Result<()> {
    println!("feature extraction + prediction, one thread, median:");
    for (label, side_w, side_h, runs) in [
        ("working size", WORK_SIZE as u32, WORK_SIZE as u32, 2000),
        ("browser decode size", BROWSER_DECODE_SIZE, BROWSER_DECODE_SIZE, 1000),
        ("16 MP (4608x3456)", 4608, 3456, 5),
    ] {
        let (w, h, px) = testimages::gradient(side_w, side_h);
        let ms = time_ms(runs, || {
            let f = extract(&px, w, h).expect("valid buffer");
            std::hint::black_box(model.predict(&f));
        });
        println!("  {label:<22} {w}x{h:<6} {:>10.1} µs/image", ms * 1000.0);
    }

    let files = crate::files::collect(std::slice::from_ref(dir));
    anyhow::ensure!(!files.is_empty(), "no images under {}", dir.display());
    println!(
        "classify (decode + features + predict) over {} ({} images, {} threads):",
        dir.display(),
        files.len(),
        rayon::current_num_threads()
    );
    let mut rates = Vec::new();
    for round in 1..=rounds {
        let t = Instant::now();
        let outcomes = par_map(&files, &indicatif::ProgressBar::hidden(), |p| classify_file(model, p));
        let secs = t.elapsed().as_secs_f64();
        let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
        let per_image = median(outcomes.iter().map(|o| o.ms).collect());
        println!("  round {round}: {:.1} images/s, median {per_image:.1} ms/image, {failed} failed", files.len() as f64 / secs);
        rates.push(files.len() as f64 / secs);
    }
    println!("  throughput (median of {rounds} rounds): {:.1} images/s", median(rates));
    Ok(())
}
