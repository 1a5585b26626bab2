//! The feature vector: a few dozen numbers that describe how a photo is lit.
//!
//! Every feature is computed on the [`Grid`] (the photo area-averaged to 128×128) and
//! documented in [`FEATURES`] with what it measures and why it separates day from
//! night. The model file stores the feature names and refuses to load if they differ
//! from this table, so the code and a trained model can never silently disagree.

use crate::pixels::{Cell, Grid, PixelError, WORK_SIZE};

/// What one feature measures, and how to say it in plain words.
#[derive(Debug, Clone, Copy)]
pub struct FeatureInfo {
    /// Stable identifier, stored in the model file.
    pub name: &'static str,
    /// What it measures and why it tells day from night.
    pub description: &'static str,
    /// Phrase for a person when this feature pushes the answer towards day.
    pub day_phrase: &'static str,
    /// Phrase for a person when this feature pushes the answer towards night.
    pub night_phrase: &'static str,
}

const fn info(name: &'static str, description: &'static str, day_phrase: &'static str, night_phrase: &'static str) -> FeatureInfo {
    FeatureInfo { name, description, day_phrase, night_phrase }
}

/// Every feature, in the order of the vector [`extract`] returns.
pub const FEATURES: [FeatureInfo; 20] = [
    info("mean_v", "Mean HSV value (brightest channel) of the whole image: daylight raises everything.", "bright overall", "dark overall"),
    info("top_v", "Mean value of the top third, where the sky usually is; on webcams it separates day from night on its own.", "bright upper region", "dark upper region"),
    info("mid_v", "Mean value of the middle third.", "bright middle", "dark middle"),
    info("bottom_v", "Mean value of the bottom third; at night the ground is often lit while the sky is not.", "bright lower region", "dark lower region"),
    info("v_p10", "10th percentile of value: how dark the darkest tenth is. Night shadows go near black.", "no deep shadows", "deep black areas"),
    info("v_p50", "Median value: typical brightness, not swayed by a few lamps.", "typical area is bright", "typical area is dark"),
    info("v_p90", "90th percentile of value: how bright the brightest tenth is.", "bright highlights", "dim highlights"),
    info("log_luma", "Mean of ln(luma + 0.01), a geometric mean: a dark frame with a few lamps stays low.", "well lit throughout", "mostly dark with few lights"),
    info("dark_frac", "Share of cells with value < 0.15.", "little darkness", "large dark areas"),
    info("top_dark_frac", "Share of top-third cells with value < 0.15: a black sky.", "no black sky", "black sky"),
    info("bright_frac", "Share of cells with value > 0.85: sunlit surfaces or overcast sky.", "sunlit areas", "few bright areas"),
    info("light_spots", "Share of cells brighter than 0.7 inside a 5×5 neighbourhood darker than 0.35: lamps and lit windows in darkness.", "no point lights", "point lights in darkness"),
    info("mean_s", "Mean HSV saturation; night scenes under street lighting are often more saturated.", "natural colours", "strongly tinted colours"),
    info("top_s", "Mean saturation of the top third: blue sky and sodium-lit haze both score, so it works with the hue features.", "even sky colour", "tinted upper region"),
    info("top_blue", "Mean (blue − red) of the top third: daylight sky is blue, night sky black or orange.", "blue upper region", "warm or black upper region"),
    info("sky_frac", "Share of top-third cells that look like daylight sky: bright and bluish, or bright and grey.", "daylight sky", "no daylight sky"),
    info("warm_frac", "Share of cells lit in orange (red well above blue): tungsten and sodium lamps.", "no lamp-coloured light", "lamp-coloured light"),
    info("highlight_blue", "Blue share of the brightest tenth of cells: daylight highlights are neutral or blue, lamps are warm.", "cool, daylight highlights", "warm, artificial highlights"),
    info("v_std", "Standard deviation of value: night frames mix black areas with bright lights.", "even lighting", "harsh light-dark contrast"),
    info("top_minus_bottom", "Top-third minus bottom-third value: by day the sky is brighter than the ground.", "sky brighter than ground", "ground brighter than sky"),
];

/// Number of features.
pub const N_FEATURES: usize = FEATURES.len();

/// Feature names in vector order.
pub fn feature_names() -> Vec<&'static str> {
    FEATURES.iter().map(|f| f.name).collect()
}

/// Extracts the feature vector from RGBA8 pixels of any size.
pub fn extract(rgba: &[u8], width: u32, height: u32) -> Result<[f64; N_FEATURES], PixelError> {
    Ok(from_grid(&Grid::from_rgba(rgba, width, height)?))
}

/// Computes the feature vector from an already built working grid.
pub fn from_grid(grid: &Grid) -> [f64; N_FEATURES] {
    let third = WORK_SIZE / 3;
    let all = grid.cells();
    let top = grid.rows(0..third);
    let mid = grid.rows(third..WORK_SIZE - third);
    let bottom = grid.rows(WORK_SIZE - third..WORK_SIZE);

    let values: Vec<f32> = all.iter().map(Cell::value).collect();
    let mut sorted = values.clone();
    sorted.sort_by(f32::total_cmp);
    let pct = |p: f64| f64::from(sorted[((sorted.len() - 1) as f64 * p).round() as usize]);

    let mean_v = mean(all, |c| c.value());
    let top_v = mean(top, |c| c.value());
    let bottom_v = mean(bottom, |c| c.value());
    let var_v = mean(all, |c| (f64::from(c.value()) - mean_v).powi(2) as f32);

    // The brightest tenth of cells, for the colour of the highlights.
    let cut = sorted[sorted.len() * 9 / 10];
    let highlight_blue = mean_where(all, |c| c.value() >= cut, |c| c.b / (c.r + c.g + c.b + 1e-3));

    [
        mean_v,
        top_v,
        mean(mid, |c| c.value()),
        bottom_v,
        pct(0.10),
        pct(0.50),
        pct(0.90),
        mean(all, |c| (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b + 0.01).ln()),
        share(all, |c| c.value() < 0.15),
        share(top, |c| c.value() < 0.15),
        share(all, |c| c.value() > 0.85),
        light_spots(&values),
        mean(all, |c| c.saturation()),
        mean(top, |c| c.saturation()),
        mean(top, |c| c.b - c.r),
        share(top, looks_like_day_sky),
        share(all, |c| c.value() > 0.3 && c.r - c.b > 0.15),
        highlight_blue,
        var_v.sqrt(),
        top_v - bottom_v,
    ]
}

/// Daylight sky: bright and bluish, or bright and nearly grey (overcast).
fn looks_like_day_sky(c: &Cell) -> bool {
    let v = c.value();
    (v > 0.45 && c.b >= c.r && c.b >= 0.9 * c.g) || (v > 0.6 && c.saturation() < 0.12)
}

/// Share of cells brighter than 0.7 whose 5×5 neighbourhood (themselves included)
/// averages below 0.35: a lamp or lit window surrounded by night.
fn light_spots(values: &[f32]) -> f64 {
    let n = WORK_SIZE as isize;
    let at = |x: isize, y: isize| values[(y.clamp(0, n - 1) * n + x.clamp(0, n - 1)) as usize];
    let mut spots = 0usize;
    for y in 0..n {
        for x in 0..n {
            if at(x, y) <= 0.7 {
                continue;
            }
            let mut sum = 0.0;
            for dy in -2..=2 {
                for dx in -2..=2 {
                    sum += at(x + dx, y + dy);
                }
            }
            if sum / 25.0 < 0.35 {
                spots += 1;
            }
        }
    }
    spots as f64 / values.len() as f64
}

fn mean(cells: &[Cell], f: impl Fn(&Cell) -> f32) -> f64 {
    cells.iter().map(|c| f64::from(f(c))).sum::<f64>() / cells.len() as f64
}

fn share(cells: &[Cell], pred: impl Fn(&Cell) -> bool) -> f64 {
    cells.iter().filter(|c| pred(c)).count() as f64 / cells.len() as f64
}

fn mean_where(cells: &[Cell], pred: impl Fn(&Cell) -> bool, f: impl Fn(&Cell) -> f32) -> f64 {
    let (sum, n) = cells.iter().filter(|c| pred(c)).fold((0.0, 0usize), |(s, n), c| (s + f64::from(f(c)), n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testimages::*;

    fn get(f: &[f64; N_FEATURES], name: &str) -> f64 {
        f[FEATURES.iter().position(|i| i.name == name).unwrap()]
    }

    #[test]
    fn names_are_unique() {
        let mut names = feature_names();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), N_FEATURES);
    }

    #[test]
    fn sky_over_ground_looks_like_day() {
        let (w, h, px) = sky_over_ground(300, 200);
        let f = extract(&px, w, h).unwrap();
        assert!(get(&f, "top_v") > 0.7);
        assert!(get(&f, "sky_frac") > 0.9);
        assert!(get(&f, "top_minus_bottom") > 0.3);
        assert_eq!(get(&f, "light_spots"), 0.0);
    }

    #[test]
    fn lamps_in_the_dark_look_like_night() {
        let (w, h, px) = lamps_in_dark(400, 300);
        let f = extract(&px, w, h).unwrap();
        assert!(get(&f, "top_v") < 0.15);
        assert!(get(&f, "light_spots") > 0.0);
        assert!(get(&f, "dark_frac") > 0.8);
        assert!(get(&f, "warm_frac") > 0.0);
    }

    #[test]
    fn every_feature_is_finite_on_edge_cases() {
        for (w, h, px) in [flat_grey(1, 1), flat_grey(20000, 10), (2, 2, vec![0; 16]), (3, 1, vec![255; 12])] {
            let f = extract(&px, w, h).unwrap();
            assert!(f.iter().all(|v| v.is_finite()), "{w}x{h}: {f:?}");
        }
    }
}
