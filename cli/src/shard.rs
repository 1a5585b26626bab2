//! `classify --shard K/N`: split one batch over N processes (the pods of an Indexed Job)
//! with no coordinator. Each process walks the same paths and keeps the files whose
//! path, relative to the root it was found under, hashes to K modulo N. The hash is
//! FNV-1a (fixed, unlike std's randomly seeded hasher), so every process and every run
//! agrees; a file's shard depends only on its own relative path, so the shards are
//! disjoint, together cover everything, and do not depend on listing order or on where
//! the archive is mounted.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use daynight_core::fnv::fnv1a64;

/// Shard `index` of `count`: a resolved `--shard`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, `0..count`.
    pub index: u32,
    /// How many shards the batch is split into.
    pub count: u32,
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the file at `key` (see [`key`]) belongs to this shard. FNV-1a spreads
    /// similar names (IMG_0001.jpg, IMG_0002.jpg, …) evenly enough for this.
    pub fn contains(&self, key: &[u8]) -> bool {
        fnv1a64(key) % u64::from(self.count) == u64::from(self.index)
    }
}

/// The environment variable Kubernetes sets to a pod's index in an Indexed Job.
pub const INDEX_VAR: &str = "JOB_COMPLETION_INDEX";

/// `--shard` as typed: `K/N`, or `auto/N` to take K from [`INDEX_VAR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardArg {
    /// `None` for `auto`.
    index: Option<u32>,
    count: u32,
}

impl FromStr for ShardArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, n) = s.split_once('/').ok_or("expected K/N or auto/N, e.g. 0/4")?;
        let count: u32 = n.parse().map_err(|_| format!("N in K/N must be a whole number, not {n:?}"))?;
        if count == 0 {
            return Err("N in K/N must be at least 1".into());
        }
        let index = match k {
            "auto" => None,
            k => Some(parse_index(k, count)?),
        };
        Ok(ShardArg { index, count })
    }
}

fn parse_index(k: &str, count: u32) -> Result<u32, String> {
    let index: u32 = k.parse().map_err(|_| format!("K in K/N must be a whole number or `auto`, not {k:?}"))?;
    if index >= count {
        return Err(format!("K must be below N (shards are numbered 0 to {}), not {index}", count - 1));
    }
    Ok(index)
}

impl ShardArg {
    /// The shard, taking `auto`'s index from `env_index` (the value of [`INDEX_VAR`]).
    pub fn resolve(self, env_index: Option<&str>) -> anyhow::Result<Shard> {
        let index = match self.index {
            Some(k) => k,
            None => {
                let k = env_index.ok_or_else(|| {
                    anyhow::anyhow!("--shard auto/{} needs {INDEX_VAR} (Kubernetes sets it in an Indexed Job)", self.count)
                })?;
                // An index past N means the Job's `completions` and N disagree: refuse
                // rather than silently leave files out.
                parse_index(k.trim(), self.count).map_err(|e| anyhow::anyhow!("{INDEX_VAR}={k}: {e}"))?
            }
        };
        Ok(Shard { index, count: self.count })
    }
}

/// The bytes a file is sharded by: its path relative to the root it was found under,
/// components joined with `/`; a file named directly on the command line (its own
/// root) goes by its file name.
pub fn key(root: &Path, file: &Path) -> Vec<u8> {
    let rel = match file.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel,
        _ => Path::new(file.file_name().unwrap_or(file.as_os_str())),
    };
    let parts: Vec<&[u8]> = rel.iter().map(|c| c.as_encoded_bytes()).collect();
    parts.join(&b'/')
}

/// The files of one shard: the images under `roots` (as [`crate::files::walk`]
/// finds them), filtered by `shard` when there is one.
pub struct Selection {
    /// The files to work on, in walk order.
    pub files: Vec<PathBuf>,
    /// How many files were found under the roots before sharding.
    pub found: usize,
}

/// Walks `roots` and keeps this shard's files (all of them without a shard). Files
/// are filtered as the walk finds them, so memory grows with the shard, not with the
/// archive.
pub fn select(roots: &[PathBuf], shard: Option<Shard>) -> Selection {
    let mut files = Vec::new();
    let mut found = 0;
    for root in roots {
        crate::files::walk(root, |f| {
            found += 1;
            if shard.is_none_or(|s| s.contains(&key(root, &f))) {
                files.push(f);
            }
        });
    }
    Selection { files, found }
}

/// "shard 1/3: 34 of 100 files" (or "100 files" without a shard), for stderr.
pub fn describe(selection: &Selection, shard: Option<Shard>) -> String {
    match shard {
        Some(s) => format!("shard {s}: {} of {} files", selection.files.len(), selection.found),
        None => format!("{} files", selection.files.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_auto() {
        assert_eq!("2/5".parse::<ShardArg>().unwrap().resolve(None).unwrap(), Shard { index: 2, count: 5 });
        let auto: ShardArg = "auto/4".parse().unwrap();
        assert_eq!(auto.resolve(Some("3")).unwrap(), Shard { index: 3, count: 4 });
        assert!(auto.resolve(None).unwrap_err().to_string().contains(INDEX_VAR));
        assert!(auto.resolve(Some("4")).is_err(), "an index past N means completions and N disagree");
        for bad in ["3", "5/5", "1/0", "-1/3", "x/3", "1/x", "1/3/4"] {
            assert!(bad.parse::<ShardArg>().is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_are_relative_to_the_root_and_use_slashes() {
        assert_eq!(key(Path::new("/mnt/photos"), Path::new("/mnt/photos/2019/a.jpg")), b"2019/a.jpg");
        assert_eq!(key(Path::new("photos/"), Path::new("photos/2019/a.jpg")), b"2019/a.jpg");
        assert_eq!(key(Path::new("x/a.jpg"), Path::new("x/a.jpg")), b"a.jpg");
    }

    #[test]
    fn every_key_lands_in_exactly_one_shard_and_shards_are_balanced() {
        let count = 4;
        let mut sizes = [0usize; 4];
        for i in 0..4000 {
            let k = format!("2024/IMG_{i:04}.jpg");
            let hits: Vec<u32> = (0..count).filter(|&index| Shard { index, count }.contains(k.as_bytes())).collect();
            assert_eq!(hits.len(), 1, "{k}");
            sizes[hits[0] as usize] += 1;
        }
        assert!(sizes.iter().all(|&n| (850..=1150).contains(&n)), "{sizes:?}");
    }
}
