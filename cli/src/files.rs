//! Finding the images to work on.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Extensions picked up when walking a folder. Formats a build cannot decode (TIFF;
/// HEIC and AVIF without the `heif` feature, as in the static container image) are
/// included on purpose: the user gets a per-file message instead of a silently smaller
/// batch.
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "jpe", "png", "gif", "webp", "bmp", "heic", "heif", "avif", "tif", "tiff"];

fn looks_like_image(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Expands files and folders (recursively, sorted by name) into the list of images
/// to read. Files named explicitly are always kept, whatever their extension; inside
/// folders only image-like names are. Symbolic links are followed, so a linked folder
/// is walked as if it were there (its images are listed under the link's path).
///
/// Nothing stops the batch: a path that cannot be looked at (missing, unreadable
/// folder, dangling link with an image name) is kept, so it is reported per file. A
/// link back to a folder being walked (a loop) is skipped with a warning on stderr:
/// everything in it is already being listed, and following it would never end.
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in paths {
        walk(root, |p| out.push(p));
    }
    out
}

/// Calls `found` with each path [`collect`] would list under `root`, in the same order,
/// one at a time: a caller that keeps only some (one shard of an archive of millions)
/// never holds the whole list.
pub fn walk(root: &Path, mut found: impl FnMut(PathBuf)) {
    for entry in WalkDir::new(root).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                if e.depth() == 0 || looks_like_image(e.path()) {
                    found(e.into_path());
                }
            }
            Err(e) => match (e.loop_ancestor(), e.path()) {
                (Some(ancestor), Some(path)) => {
                    eprintln!("skipping {}: a link back to {}", path.display(), ancestor.display())
                }
                (None, Some(path)) if e.depth() == 0 || path.is_dir() || looks_like_image(path) => found(path.to_path_buf()),
                _ => {}
            },
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
