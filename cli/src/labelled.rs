//! Labelled folders (`DIR/day`, `DIR/night`) turned into training samples.

use std::path::{Path, PathBuf};

use daynight_core::provenance::DatasetInfo;
use daynight_core::train::Sample;

use crate::pipeline::{extract_file, par_map, progress_bar};

/// Samples from several labelled folders, with where each came from.
pub struct Labelled {
    /// One per readable image, in folder order.
    pub samples: Vec<Sample>,
    /// The file behind each sample.
    pub paths: Vec<PathBuf>,
    /// Per folder: name and counts.
    pub datasets: Vec<DatasetInfo>,
}

/// Short, machine-independent name of a folder: its last two components.
pub fn dataset_name(dir: &Path) -> String {
    let parts: Vec<_> = dir.components().rev().take(2).map(|c| c.as_os_str().to_string_lossy()).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// Extracts features from every image in `dirs`. Unreadable files are reported on
/// stderr and skipped: one bad photo should not block training.
pub fn load(dirs: &[PathBuf]) -> anyhow::Result<Labelled> {
    let mut out = Labelled { samples: Vec::new(), paths: Vec::new(), datasets: Vec::new() };
    for (dataset, dir) in dirs.iter().enumerate() {
        let files = crate::files::labelled(dir)?;
        let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
        let bar = progress_bar(paths.len(), &dataset_name(dir));
        let extracted = par_map(&paths, &bar, extract_file);
        let mut info = DatasetInfo { name: dataset_name(dir), day: 0, night: 0 };
        for ((path, night), result) in files.into_iter().zip(extracted) {
            match result {
                Ok(e) => {
                    if night {
                        info.night += 1;
                    } else {
                        info.day += 1;
                    }
                    out.samples.push(Sample {
                        features: e.features,
                        night,
                        dataset,
                        group: format!("{}x{}", e.size.0, e.size.1),
                    });
                    out.paths.push(path);
                }
                Err(err) => eprintln!("skipping {}: {err}", path.display()),
            }
        }
        out.datasets.push(info);
    }
    Ok(out)
}
