//! Debian's HEIC and AVIF encoders, for the tests that make their own HEIF files:
//! `heif-enc` (package libheif-examples) and `avifenc` (libavif-bin), both installed by
//! `scripts/setup.sh`. Under CI (`CI=true`) a missing encoder is a failure; elsewhere
//! the tests that need one say they skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The encoders, if both are on `PATH`.
pub struct Encoders {
    heif_enc: PathBuf,
    avifenc: PathBuf,
}

/// A HEIF flavour to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// HEVC in HEIF, by `heif-enc` (libheif's own writer and libx265).
    Heic,
    /// AV1 in HEIF, by `avifenc` (libavif's writer and libaom): another writer than the
    /// libheif that reads it.
    Avif,
}

impl Kind {
    /// The file name extension.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Heic => "heic",
            Kind::Avif => "avif",
        }
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file())
}

impl Encoders {
    /// Both encoders, or `None` after saying why the calling test skips (outside CI).
    pub fn find() -> Option<Encoders> {
        match (on_path("heif-enc"), on_path("avifenc")) {
            (Some(heif_enc), Some(avifenc)) => Some(Encoders { heif_enc, avifenc }),
            _ => {
                let msg =
                    "heif-enc or avifenc not found (Debian packages libheif-examples and libavif-bin: run scripts/setup.sh)";
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("{msg}: CI must have them");
                }
                eprintln!("SKIPPED: {msg}");
                None
            }
        }
    }

    /// Encodes `input` (a JPEG or PNG) to `output` as `kind`, lossy at a quality where
    /// a photo's colours survive, plus `extra` arguments for the encoder.
    pub fn encode(&self, kind: Kind, input: &Path, output: &Path, extra: &[&str]) {
        let mut cmd = match kind {
            Kind::Heic => {
                let mut c = Command::new(&self.heif_enc);
                c.args(["-q", "85"]).args(extra).arg("-o").arg(output).arg(input);
                c
            }
            Kind::Avif => {
                let mut c = Command::new(&self.avifenc);
                c.args(["--speed", "9", "--min", "8", "--max", "24"]).args(extra).arg(input).arg(output);
                c
            }
        };
        let out = cmd.output().expect("the encoder runs");
        assert!(
            out.status.success() && output.is_file(),
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
