//! Finding the images to work on.

use std::path::{Path, PathBuf};

/// Extensions picked up when walking a folder. Formats this build cannot decode
/// (HEIC, AVIF, TIFF) are included on purpose: the user gets a per-file message
/// instead of a silently smaller batch.
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "jpe", "png", "gif", "webp", "bmp", "heic", "heif", "avif", "tif", "tiff"];

fn looks_like_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Expands files and folders (recursively, sorted) into the list of images to read.
/// Files named explicitly are always kept, whatever their extension; inside folders
/// only image-like names are. A path that does not exist is kept too, so it is
/// reported per file rather than aborting the batch.
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if looks_like_image(&p) {
            out.push(p);
        }
    }
}

/// A labelled training or test folder: `DIR/day/*` and `DIR/night/*`.
pub fn labelled(dir: &Path) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for (sub, night) in [("day", false), ("night", true)] {
        let d = dir.join(sub);
        anyhow::ensure!(d.is_dir(), "{} has no `{sub}/` folder (expected DIR/day and DIR/night)", dir.display());
        out.extend(collect(&[d]).into_iter().map(|p| (p, night)));
    }
    anyhow::ensure!(!out.is_empty(), "{} holds no images", dir.display());
    Ok(out)
}
