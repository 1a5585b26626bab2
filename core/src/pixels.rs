//! Pixel input and the fixed working grid every feature is computed on.
//!
//! Whatever size the caller hands over (a 16 MP phone photo decoded natively, or a
//! 256×256 bitmap the browser already shrank), the pixels are area-averaged onto a
//! [`WORK_SIZE`]×[`WORK_SIZE`] grid first. Area averaging keeps the mean colour of
//! every region exact, so the native and the browser paths see nearly the same grid
//! even though they downscale in different places.

use std::fmt;

/// Side of the square working grid, in cells. Aspect ratio is deliberately ignored:
/// "top third" means the top third of the photo in portrait and landscape alike.
pub const WORK_SIZE: usize = 128;

/// Longest side accepted, in pixels, by the native decoder and the browser's header
/// check alike. Wide panoramas pass; a forged header does not.
pub const MAX_SIDE: u32 = 30_000;

/// The largest input this crate accepts, in pixels (about 120 MP). Decoders enforce it
/// before allocating; here it only guards against arithmetic overflow.
pub const MAX_PIXELS: u64 = 120_000_000;

/// An image size over the limits, said with the limit it actually breaks: "25000×25000
/// pixels (625 MP), over the limit of 120 MP" or "100000×10 pixels, over the limit of
/// 30000 px a side". One wording for the header check, the decoder and the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oversize {
    /// Width in pixels (0 when the decoder did not say).
    pub width: u64,
    /// Height in pixels (0 when the decoder did not say).
    pub height: u64,
}

impl Oversize {
    /// `Some` when `width`×`height` breaks [`MAX_SIDE`] or [`MAX_PIXELS`].
    pub fn check(width: u64, height: u64) -> Option<Oversize> {
        let side = u64::from(MAX_SIDE);
        (width > side || height > side || width.saturating_mul(height) > MAX_PIXELS).then_some(Oversize { width, height })
    }
}

impl fmt::Display for Oversize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Oversize { width, height } = *self;
        let max_mp = MAX_PIXELS / 1_000_000;
        if width == 0 || height == 0 {
            write!(f, "over the size limits ({MAX_SIDE} px a side, {max_mp} MP)")
        } else if width > u64::from(MAX_SIDE) || height > u64::from(MAX_SIDE) {
            write!(f, "{width}×{height} pixels, over the limit of {MAX_SIDE} px a side")
        } else {
            let mp = width.saturating_mul(height).div_ceil(1_000_000);
            write!(f, "{width}×{height} pixels ({mp} MP), over the limit of {max_mp} MP")
        }
    }
}

/// Why a pixel buffer cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PixelError {
    /// Width or height is zero.
    Empty,
    /// The buffer length is not `width × height × 4`.
    LengthMismatch {
        /// Bytes expected from the dimensions.
        expected: u64,
        /// Bytes actually given.
        actual: usize,
    },
    /// More than [`MAX_PIXELS`] pixels.
    TooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

impl fmt::Display for PixelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PixelError::Empty => write!(f, "the image has no pixels (width or height is 0)"),
            PixelError::LengthMismatch { expected, actual } => {
                write!(f, "pixel buffer holds {actual} bytes but the dimensions need {expected} (RGBA, 4 bytes a pixel)")
            }
            PixelError::TooLarge { width, height } => {
                write!(f, "the image is {}", Oversize { width: u64::from(*width), height: u64::from(*height) })
            }
        }
    }
}

impl std::error::Error for PixelError {}

/// One working-grid cell: sRGB channels (not linearised) in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell {
    /// Red.
    pub r: f32,
    /// Green.
    pub g: f32,
    /// Blue.
    pub b: f32,
}

impl Cell {
    /// HSV value: the brightest channel. Street lights and blue sky both score high,
    /// which is why the features pair it with saturation and hue cues.
    pub fn value(&self) -> f32 {
        self.r.max(self.g).max(self.b)
    }

    /// HSV saturation (0 for black, so dark cells never look "colourful").
    pub fn saturation(&self) -> f32 {
        let max = self.value();
        if max <= 1e-6 {
            0.0
        } else {
            (max - self.r.min(self.g).min(self.b)) / max
        }
    }
}

/// The downscaled image: `WORK_SIZE` rows of `WORK_SIZE` cells, row-major, top first.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    cells: Vec<Cell>,
}

impl Grid {
    /// Area-averages RGBA8 pixels (row-major, 4 bytes a pixel) onto the working grid.
    /// Alpha is ignored, except that a fully transparent pixel (alpha 0) counts as
    /// black: it has no colour, and a browser's canvas, which the page reads pixels
    /// from, gives it back as black whatever the file stored, so both paths see the same
    /// grid (a fully transparent PNG is all black, with nothing to judge).
    pub fn from_rgba(rgba: &[u8], width: u32, height: u32) -> Result<Grid, PixelError> {
        if width == 0 || height == 0 {
            return Err(PixelError::Empty);
        }
        let pixels = u64::from(width) * u64::from(height);
        if pixels > MAX_PIXELS {
            return Err(PixelError::TooLarge { width, height });
        }
        let expected = pixels * 4;
        if rgba.len() as u64 != expected {
            return Err(PixelError::LengthMismatch { expected, actual: rgba.len() });
        }
        let (w, h) = (width as usize, height as usize);
        let xs = axis_weights(w, WORK_SIZE);
        let ys = axis_weights(h, WORK_SIZE);

        // Separable: first collapse each input row to WORK_SIZE columns, then combine rows.
        // Sums are f32 per row (≤ 20k terms of ≤ 1) and f64 across rows to stay exact enough.
        let mut out = vec![[0f64; 3]; WORK_SIZE * WORK_SIZE];
        let mut row = vec![[0f32; 3]; WORK_SIZE];
        let mut row_owner = vec![Vec::new(); h];
        for (oy, taps) in ys.iter().enumerate() {
            for &(iy, wgt) in taps {
                row_owner[iy].push((oy, wgt));
            }
        }
        for (iy, owners) in row_owner.iter().enumerate() {
            let line = &rgba[iy * w * 4..(iy + 1) * w * 4];
            for (ox, taps) in xs.iter().enumerate() {
                let mut acc = [0f32; 3];
                for &(ix, wgt) in taps {
                    let p = &line[ix * 4..ix * 4 + 4];
                    if p[3] == 0 {
                        // Fully transparent: black, it adds nothing.
                        continue;
                    }
                    acc[0] += wgt * f32::from(p[0]);
                    acc[1] += wgt * f32::from(p[1]);
                    acc[2] += wgt * f32::from(p[2]);
                }
                row[ox] = acc;
            }
            for &(oy, wgt) in owners {
                let dst = &mut out[oy * WORK_SIZE..(oy + 1) * WORK_SIZE];
                for (d, s) in dst.iter_mut().zip(&row) {
                    for c in 0..3 {
                        d[c] += f64::from(wgt) * f64::from(s[c]);
                    }
                }
            }
        }
        let cells = out
            .into_iter()
            .map(|[r, g, b]| Cell {
                r: (r / 255.0).clamp(0.0, 1.0) as f32,
                g: (g / 255.0).clamp(0.0, 1.0) as f32,
                b: (b / 255.0).clamp(0.0, 1.0) as f32,
            })
            .collect();
        Ok(Grid { cells })
    }

    /// The cell at column `x`, row `y`.
    pub fn at(&self, x: usize, y: usize) -> Cell {
        self.cells[y * WORK_SIZE + x]
    }

    /// All cells, row-major.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }
}

/// For each of `n_out` output cells along one axis, the input indices it covers and
/// the fraction of the cell each one fills (weights of a cell sum to 1). Works for
/// upscaling too: a 1-pixel input simply fills every cell.
fn axis_weights(n_in: usize, n_out: usize) -> Vec<Vec<(usize, f32)>> {
    let scale = n_in as f64 / n_out as f64;
    (0..n_out)
        .map(|o| {
            let start = o as f64 * scale;
            let end = (o + 1) as f64 * scale;
            let first = start.floor() as usize;
            let last = (end.ceil() as usize).min(n_in).max(first + 1);
            (first..last)
                .filter_map(|i| {
                    let overlap = (end.min(i as f64 + 1.0) - start.max(i as f64)).max(0.0);
                    (overlap > 0.0).then(|| (i, (overlap / scale) as f32))
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solid(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
        (0..w * h).flat_map(|_| [rgb[0], rgb[1], rgb[2], 255]).collect()
    }

    #[test]
    fn weights_sum_to_one_when_shrinking_and_growing() {
        for (n_in, n_out) in [(1000, 128), (128, 128), (1, 128), (3, 128), (20000, 128)] {
            for taps in axis_weights(n_in, n_out) {
                let sum: f32 = taps.iter().map(|t| t.1).sum();
                assert!((sum - 1.0).abs() < 1e-4, "{n_in}->{n_out}: {sum}");
            }
        }
    }

    #[test]
    fn solid_colour_stays_solid_at_any_size() {
        for (w, h) in [(1, 1), (7, 3), (640, 372), (20000, 10)] {
            let g = Grid::from_rgba(&solid(w, h, [200, 100, 50]), w, h).unwrap();
            let c = g.at(WORK_SIZE - 1, WORK_SIZE - 1);
            assert!((c.r - 200.0 / 255.0).abs() < 1e-3 && (c.b - 50.0 / 255.0).abs() < 1e-3, "{w}x{h}: {c:?}");
        }
    }

    #[test]
    fn rejects_bad_buffers() {
        assert_eq!(Grid::from_rgba(&[], 0, 5), Err(PixelError::Empty));
        assert!(matches!(Grid::from_rgba(&[0; 7], 1, 2), Err(PixelError::LengthMismatch { .. })));
        assert!(matches!(Grid::from_rgba(&[], 100_000, 100_000), Err(PixelError::TooLarge { .. })));
    }

    #[test]
    fn a_fully_transparent_pixel_is_black_whatever_colour_it_stores() {
        let hidden: Vec<u8> = [[250, 240, 230, 0], [10, 200, 30, 0], [0, 0, 0, 0], [90, 90, 255, 0]].concat();
        let g = Grid::from_rgba(&hidden, 2, 2).unwrap();
        assert!(g.cells().iter().all(|c| *c == Cell::default()), "{:?}", g.at(0, 0));
        // Any other alpha keeps the colour as stored (the browser's canvas gives it back too).
        let faint: Vec<u8> = [[200, 100, 50, 1], [200, 100, 50, 128]].concat();
        let g = Grid::from_rgba(&faint, 2, 1).unwrap();
        assert!((g.at(0, 0).r - 200.0 / 255.0).abs() < 1e-3 && (g.at(WORK_SIZE - 1, 0).b - 50.0 / 255.0).abs() < 1e-3);
    }

    #[test]
    fn top_half_stays_on_top() {
        let (w, h) = (10u32, 10u32);
        let px: Vec<u8> =
            (0..h).flat_map(|y| (0..w).flat_map(move |_| if y < 5 { [255, 255, 255, 255] } else { [0, 0, 0, 255] })).collect();
        let g = Grid::from_rgba(&px, w, h).unwrap();
        assert!(g.at(0, 0).value() > 0.99);
        assert!(g.at(0, WORK_SIZE - 1).value() < 0.01);
    }
}
