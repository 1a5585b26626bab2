//! Finding the images to work on.

use std::path::{Path, PathBuf};

use daynight_core::formats::has_image_extension;
use daynight_core::Label;
use walkdir::WalkDir;

/// Expands files and folders (recursively, sorted by name) into the list of images
/// to read. Files named explicitly are always kept, whatever their extension; inside
/// folders only names with an image extension are (see [`daynight_core::formats`]).
/// Symbolic links are followed, so a linked folder is walked as if it were there (its
/// images are listed under the link's path).
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
                if e.depth() == 0 || has_image_extension(e.path()) {
                    found(e.into_path());
                }
            }
            Err(e) => match (e.loop_ancestor(), e.path()) {
                (Some(ancestor), Some(path)) => {
                    eprintln!("skipping {}: a link back to {}", path.display(), ancestor.display())
                }
                (None, Some(path)) if e.depth() == 0 || path.is_dir() || has_image_extension(path) => found(path.to_path_buf()),
                _ => {}
            },
        }
    }
}

/// A labelled training or test folder: `DIR/day/*` and `DIR/night/*`, each folder
/// named by its [`Label`].
pub fn labelled(dir: &Path) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for label in Label::ALL {
        let d = dir.join(label.as_str());
        anyhow::ensure!(d.is_dir(), "{} has no `{label}/` folder (expected DIR/day and DIR/night)", dir.display());
        out.extend(collect(&[d]).into_iter().map(|p| (p, label == Label::Night)));
    }
    anyhow::ensure!(!out.is_empty(), "{} holds no images", dir.display());
    Ok(out)
}
