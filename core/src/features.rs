//! The feature vector: 82 numbers that describe how a photo is lit.
//!
//! Every feature is computed on the [`Grid`] (the photo area-averaged to 128×128) and
//! documented in [`FEATURES`] with what it measures and why it separates day from
//! night. The model file stores the feature names and refuses to load if they differ
//! from this table, so the code and a trained model can never silently disagree.
//!
//! Shares and means that live in `0..=1` are square-rooted (`sqrt: true` in the
//! table): most of what separates night from day happens near zero (a few lamps, a
//! sliver of sky), and the root spreads those small values out for a linear model.

use crate::explain::{phrase, Phrase};
use crate::label::Label;
use crate::pixels::{Cell, Grid, PixelError, WORK_SIZE};

/// What one feature measures, and how to say it in plain words.
#[derive(Debug, Clone, Copy)]
pub struct FeatureInfo {
    /// Stable identifier, stored in the model file.
    pub name: &'static str,
    /// What it measures and why it tells day from night. Documentation for people
    /// and native tools only: the browser's wasm leaves these texts out.
    #[cfg(not(target_arch = "wasm32"))]
    pub description: &'static str,
    /// The reasons it gives for a value above and below the training average, from
    /// [`crate::explain::PHRASES`]; `None` for a feature that leans neither way, which is
    /// never quoted.
    pub reasons: Option<Reasons>,
    /// Whether the raw value (in `0..=1`) is square-rooted.
    pub sqrt: bool,
    /// What a high value suggests to a person (the side its high words are a reason
    /// for). Explanations only quote a feature when its plain words point the same way
    /// as the answer: a linear model may use "sunlit colours" as evidence of night to
    /// offset a correlated feature, which is true arithmetic but a confusing reason.
    pub lean: Lean,
}

/// A feature's words: one phrase for a value above the training average, one for below.
#[derive(Debug, Clone, Copy)]
pub struct Reasons {
    /// Above the average, e.g. "bright upper part".
    pub high: &'static Phrase,
    /// Below the average, e.g. "dark upper part": always a reason for the other answer.
    pub low: &'static Phrase,
}

/// The answer a high feature value suggests to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lean {
    /// A high value reads as daylight (bright sky, foliage…).
    Day,
    /// A high value reads as night (black sky, lamps…).
    Night,
    /// Either way (saturation, some hues): never quoted as a reason.
    Neither,
}

/// A feature that is quoted as a reason: `high` and `low` are words of
/// [`crate::explain::PHRASES`], looked up at compile time, for opposite answers; the
/// feature leans the way of `high`. On wasm the description is dropped here, at compile
/// time, so its text is never emitted into the bundle.
#[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
const fn info(name: &'static str, description: &'static str, high: &str, low: &str, sqrt: bool) -> FeatureInfo {
    let (high, low) = (phrase(high), phrase(low));
    let lean = match (high.side, low.side) {
        (Some(Label::Day), Some(Label::Night)) => Lean::Day,
        (Some(Label::Night), Some(Label::Day)) => Lean::Night,
        _ => panic!("a feature's high and low words must be reasons for opposite answers"),
    };
    FeatureInfo {
        name,
        #[cfg(not(target_arch = "wasm32"))]
        description,
        reasons: Some(Reasons { high, low }),
        sqrt,
        lean,
    }
}

/// A feature that leans neither way: never quoted, so it has no words.
#[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
const fn quiet(name: &'static str, description: &'static str, sqrt: bool) -> FeatureInfo {
    FeatureInfo {
        name,
        #[cfg(not(target_arch = "wasm32"))]
        description,
        reasons: None,
        sqrt,
        lean: Lean::Neither,
    }
}

/// Position of `name` in [`FEATURES`]. Evaluated at compile time (see [`at!`]): a
/// name that is not in the table does not compile, and no name is compared at run time.
const fn index_of(name: &str) -> usize {
    let mut i = 0;
    while i < N_FEATURES {
        if same(FEATURES[i].name.as_bytes(), name.as_bytes()) {
            return i;
        }
        i += 1;
    }
    panic!("not a feature name")
}

/// Byte-for-byte equality, usable at compile time.
pub(crate) const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// [`index_of`] for several names, at compile time.
const fn indices<const K: usize>(names: [&str; K]) -> [usize; K] {
    let mut out = [0; K];
    let mut i = 0;
    while i < K {
        out[i] = index_of(names[i]);
        i += 1;
    }
    out
}

/// The index of a feature, resolved at compile time: `at!("top_v")`.
macro_rules! at {
    ($name:literal) => {{
        const INDEX: usize = index_of($name);
        INDEX
    }};
}

/// Number of features.
pub const N_FEATURES: usize = 82;

/// Every feature, in the order of the vector [`extract`] returns.
pub const FEATURES: [FeatureInfo; N_FEATURES] = [
    info("mean_v", "Mean HSV value (brightest channel) of the whole image: daylight raises everything.", "bright overall", "dark overall", true),
    info("top_v", "Mean value of the top third, where the sky usually is; on webcams it separates day from night on its own.", "bright upper part", "dark upper part", true),
    info("mid_v", "Mean value of the middle third.", "bright middle part", "dark middle part", true),
    info("bottom_v", "Mean value of the bottom third; at night the ground is often lit while the sky is not.", "bright lower part", "dark lower part", true),
    info("v_p10", "10th percentile of value: how dark the darkest tenth is. Night shadows go near black.", "few dark areas", "large dark areas", true),
    info("v_p50", "Median value: typical brightness, not swayed by a few lamps.", "bright overall", "dark overall", true),
    info("v_p90", "90th percentile of value: how bright the brightest tenth is.", "large bright areas", "few bright areas", true),
    info("log_luma", "Mean of ln(luma + 0.01), a geometric mean: a dark frame with a few lamps stays low.", "bright overall", "dark overall", false),
    info("dark_frac", "Share of cells with value < 0.15.", "large dark areas", "few dark areas", true),
    info("top_dark_frac", "Share of top-third cells with value < 0.15: a black sky.", "black sky", "no black sky", true),
    info("bright_frac", "Share of cells with value > 0.85: sunlit surfaces or overcast sky.", "large bright areas", "few bright areas", true),
    info("light_spots", "Share of cells brighter than 0.7 inside a 5×5 neighbourhood darker than 0.35: lamps and lit windows in darkness.", "lights in the dark", "no lights in the dark", true),
    quiet("mean_s", "Mean HSV saturation; night scenes under street lighting are often more saturated.", true),
    quiet("top_s", "Mean saturation of the top third: blue sky and sodium-lit haze both score, so it works with the hue features.", true),
    info("top_blue", "Mean (blue − red) of the top third: daylight sky is blue, night sky black or orange.", "bright blue sky", "no bright blue sky", false),
    info("sky_frac", "Share of top-third cells that look like daylight sky: bright and bluish, or bright and grey.", "daylight sky", "no daylight sky", true),
    info("warm_frac", "Share of cells lit in orange (red well above blue): tungsten and sodium lamps.", "warm lamplight", "no warm lamplight", true),
    info("highlight_blue", "Blue share of the brightest tenth of cells: daylight highlights are neutral or blue, lamps are warm.", "white daylight", "warm lamplight", true),
    info("v_std", "Standard deviation of value: night frames mix black areas with bright lights.", "harsh contrast", "even light", true),
    info("top_minus_bottom", "Top-third minus bottom-third value: by day the sky is brighter than the ground.", "sky brighter than ground", "ground brighter than sky", false),
    info("grid00_v", "Mean value of the 4×4 grid cell in row 0, column 0 (row 0 at the top): where in the frame the light is.", "bright upper part", "dark upper part", true),
    info("grid01_v", "Mean value of the 4×4 grid cell in row 0, column 1 (row 0 at the top): where in the frame the light is.", "bright upper part", "dark upper part", true),
    info("grid02_v", "Mean value of the 4×4 grid cell in row 0, column 2 (row 0 at the top): where in the frame the light is.", "bright upper part", "dark upper part", true),
    info("grid03_v", "Mean value of the 4×4 grid cell in row 0, column 3 (row 0 at the top): where in the frame the light is.", "bright upper part", "dark upper part", true),
    info("grid10_v", "Mean value of the 4×4 grid cell in row 1, column 0 (row 0 at the top): where in the frame the light is.", "bright upper part", "dark upper part", true),
    info("grid11_v", "Mean value of the 4×4 grid cell in row 1, column 1 (row 0 at the top): where in the frame the light is.", "bright upper part", "dark upper part", true),
    info("grid12_v", "Mean value of the 4×4 grid cell in row 1, column 2 (row 0 at the top): where in the frame the light is.", "bright upper part", "dark upper part", true),
    info("grid13_v", "Mean value of the 4×4 grid cell in row 1, column 3 (row 0 at the top): where in the frame the light is.", "bright upper part", "dark upper part", true),
    info("grid20_v", "Mean value of the 4×4 grid cell in row 2, column 0 (row 0 at the top): where in the frame the light is.", "bright lower part", "dark lower part", true),
    info("grid21_v", "Mean value of the 4×4 grid cell in row 2, column 1 (row 0 at the top): where in the frame the light is.", "bright lower part", "dark lower part", true),
    info("grid22_v", "Mean value of the 4×4 grid cell in row 2, column 2 (row 0 at the top): where in the frame the light is.", "bright lower part", "dark lower part", true),
    info("grid23_v", "Mean value of the 4×4 grid cell in row 2, column 3 (row 0 at the top): where in the frame the light is.", "bright lower part", "dark lower part", true),
    info("grid30_v", "Mean value of the 4×4 grid cell in row 3, column 0 (row 0 at the top): where in the frame the light is.", "bright lower part", "dark lower part", true),
    info("grid31_v", "Mean value of the 4×4 grid cell in row 3, column 1 (row 0 at the top): where in the frame the light is.", "bright lower part", "dark lower part", true),
    info("grid32_v", "Mean value of the 4×4 grid cell in row 3, column 2 (row 0 at the top): where in the frame the light is.", "bright lower part", "dark lower part", true),
    info("grid33_v", "Mean value of the 4×4 grid cell in row 3, column 3 (row 0 at the top): where in the frame the light is.", "bright lower part", "dark lower part", true),
    quiet("band0_s", "Mean saturation of horizontal band 0 of 4 (0 at the top).", true),
    info("band0_blue", "Mean (blue − red) of band 0: blue daylight versus warm lamplight or black.", "bright blue sky", "no bright blue sky", false),
    info("band0_std", "Standard deviation of value in band 0: lights in darkness make it high.", "harsh contrast", "even light", true),
    quiet("band1_s", "Mean saturation of horizontal band 1 of 4 (0 at the top).", true),
    info("band1_blue", "Mean (blue − red) of band 1: blue daylight versus warm lamplight or black.", "bright blue sky", "no bright blue sky", false),
    info("band1_std", "Standard deviation of value in band 1: lights in darkness make it high.", "harsh contrast", "even light", true),
    quiet("band2_s", "Mean saturation of horizontal band 2 of 4 (0 at the top).", true),
    info("band2_blue", "Mean (blue − red) of band 2: blue daylight versus warm lamplight or black.", "bluish tones", "no bluish tones", false),
    info("band2_std", "Standard deviation of value in band 2: lights in darkness make it high.", "harsh contrast", "even light", true),
    quiet("band3_s", "Mean saturation of horizontal band 3 of 4 (0 at the top).", true),
    info("band3_blue", "Mean (blue − red) of band 3: blue daylight versus warm lamplight or black.", "bluish tones", "no bluish tones", false),
    info("band3_std", "Standard deviation of value in band 3: lights in darkness make it high.", "harsh contrast", "even light", true),
    info("hist0", "Share of cells with value in [0.000, 0.125): the brightness histogram in eight bins.", "large dark areas", "few dark areas", true),
    info("hist1", "Share of cells with value in [0.125, 0.250): the brightness histogram in eight bins.", "large dark areas", "few dark areas", true),
    info("hist2", "Share of cells with value in [0.250, 0.375): the brightness histogram in eight bins.", "large dark areas", "few dark areas", true),
    info("hist3", "Share of cells with value in [0.375, 0.500): the brightness histogram in eight bins.", "large dark areas", "few dark areas", true),
    info("hist4", "Share of cells with value in [0.500, 0.625): the brightness histogram in eight bins.", "large bright areas", "few bright areas", true),
    info("hist5", "Share of cells with value in [0.625, 0.750): the brightness histogram in eight bins.", "large bright areas", "few bright areas", true),
    info("hist6", "Share of cells with value in [0.750, 0.875): the brightness histogram in eight bins.", "large bright areas", "few bright areas", true),
    info("hist7", "Share of cells with value in [0.875, 1.000]: the brightness histogram in eight bins.", "large bright areas", "few bright areas", true),
    info("gradient", "Mean absolute difference of value between neighbouring cells: daylight shows texture everywhere, night mostly flat darkness.", "detail everywhere", "little detail", true),
    info("dark_s", "Mean saturation of dark cells (value < 0.2): coloured shadows are daylight, tinted black is sky glow.", "colourful shadows", "colourless darkness", true),
    info("bright_s", "Mean saturation of bright cells (value > 0.6).", "coloured lights", "white daylight", true),
    info("bright_warm", "Mean (red − blue) of bright cells: sunlit surfaces are neutral, lamps orange.", "warm lamplight", "white daylight", false),
    info("yellow", "Share of yellow-orange cells (red > 0.5, green > 0.3, blue < 0.6 × red): sodium and tungsten light.", "warm lamplight", "no warm lamplight", true),
    info("spots_wide", "Share of cells brighter than 0.6 inside a 9×9 neighbourhood darker than 0.3: isolated lights.", "lights in the dark", "no lights in the dark", true),
    quiet("hue_red", "Sum of saturation × value over red cells (hue sextant 0), per cell: how much vivid red the photo holds.", true),
    quiet("hue_yellow", "Sum of saturation × value over yellow cells (hue sextant 1), per cell: how much vivid yellow the photo holds.", true),
    info("hue_green", "Sum of saturation × value over green cells (hue sextant 2), per cell: how much vivid green the photo holds.", "green plants", "little green", true),
    info("hue_cyan", "Sum of saturation × value over cyan cells (hue sextant 3), per cell: how much vivid cyan the photo holds.", "sunlit colours", "no sunlit colours", true),
    quiet("hue_blue", "Sum of saturation × value over blue cells (hue sextant 4), per cell: how much vivid blue the photo holds.", true),
    info("hue_magenta", "Sum of saturation × value over magenta cells (hue sextant 5), per cell: how much vivid magenta the photo holds.", "coloured lights", "no coloured lights", true),
    quiet("bright_sat", "Share of cells both bright (> 0.6) and saturated (> 0.5): neon signs, lamps, sunlit colour.", true),
    info("bright_sat_warm", "Share of bright saturated cells in red, yellow or magenta: signs and lamps.", "coloured lights", "no coloured lights", true),
    info("bright_sat_cool", "Share of bright saturated cells in green, cyan or blue: foliage, sea and sky in sunlight.", "sunlit colours", "no sunlit colours", true),
    info("deep_blue_top", "Share of top-third cells that are deep, dim blue (blue hour and moonlit sky).", "dark blue sky", "no dark blue sky", true),
    info("light_blue_top", "Share of top-third cells that are bright pale blue: clear or hazy daylight sky.", "bright blue sky", "no bright blue sky", true),
    info("foliage", "Share of green cells with some colour and light: vegetation looks green only in daylight.", "green plants", "little green", true),
    info("bright_hue_entropy", "Entropy of the hue sextants of bright, saturated cells: city lights come in many colours.", "coloured lights", "no coloured lights", false),
    info("peak", "Share of cells above 0.8 that stand 0.4 above their 7×7 neighbourhood: sharp light sources.", "lights in the dark", "no lights in the dark", true),
    info("blue_top_v", "How bright the blue of the upper region is: daylight sky is bright blue, twilight and night blue is dim. Mean value of top-third cells with a blue hue (180°–300°) and saturation > 0.25; 0 when 20 or fewer cells are blue.", "bright blue sky", "no bright blue sky", false),
    info("bright_blobs", "Share of cells brighter than 0.85 inside a 9×9 neighbourhood averaging above 0.8: large bright areas (sky, sunlit walls, a window seen from inside), unlike lamps, which are small.", "large bright areas", "few bright areas", true),
    info("ground_over_sky", "ln((bottom-third value + 0.02) / (top-third value + 0.02)): the ratio of ground to sky brightness; at night the ground is lit while the sky stays dark.", "ground brighter than sky", "sky brighter than ground", false),
    info("texture_rel", "Mean over cells of the step in value to the right and below neighbours, divided by (value + 0.05): detail relative to brightness. Daylight shows detail in the shadows as much as in the light (bark, leaves, stone); at night the dark areas are flat and the detail sits around the lamps. Unlike the colour features it holds across kinds of photo: it cuts confident mistakes when a whole set is left out of training.", "detail in the shadows", "smooth darkness", false),
    info("dark_texture", "Mean step in value (right plus below) among cells darker than 0.3; 0 without any: a dark forest or close-up by day is dark but textured, a night sky or an unlit wall is smooth.", "detail in the shadows", "smooth darkness", true),
    info("mid_texture", "Share of cells of middle value (0.15 to 0.7) whose step in value (right plus below) exceeds 0.04: sunlit detail across the frame. Night photos hold few mid-tones, and those are mostly smooth glow.", "detail everywhere", "little detail", true),
];

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
    let mut f = raw_features(grid);
    for (value, info) in f.iter_mut().zip(&FEATURES) {
        if info.sqrt {
            *value = value.max(0.0).sqrt();
        }
    }
    f
}

/// Standard deviation of brightness (HSV value, `0..=1`) over the working grid below
/// which a picture has almost nothing to judge: less than one 8-bit grey level.
///
/// Every feature describes how light is spread over the picture (where it is bright,
/// where dark, lamps in darkness, texture…). A picture whose brightness does not vary
/// has none of that: it is one colour (a fully transparent PNG reads as black, see
/// [`Grid::from_rgba`]; a single pixel fills the whole grid), and whatever the model
/// said would be an extrapolation from that colour alone (a transparent PNG came out
/// "night, 99 % sure"). Real photos are far from it: the flattest of the 1,560 training
/// photos (`model/examples.bin`, checked by a test) has a standard deviation of 0.022,
/// more than five grey levels, and none of the 1,799 photos of the three shared data
/// sets (dusk and the webcam test split included) is judged flat.
pub const FLAT_BELOW: f64 = 1.0 / 255.0;

/// Whether these features are those of a picture with almost nothing to judge
/// ([`FLAT_BELOW`]). Read from the features, so [`crate::Model::predict`] applies the
/// rule wherever the features come from: fresh pixels, or features stored and scored
/// again by another model.
pub fn nothing_to_judge(features: &[f64; N_FEATURES]) -> bool {
    // `v_std` is stored square-rooted.
    let root = features[at!("v_std")];
    root * root < FLAT_BELOW
}

/// For tests that build feature vectors by hand: all zero but a brightness spread, so
/// they are not taken for a picture with nothing to judge.
#[cfg(test)]
pub(crate) const fn something_to_judge() -> [f64; N_FEATURES] {
    let mut features = [0.0; N_FEATURES];
    features[at!("v_std")] = 0.5;
    features
}

/// Per-cell quantities every feature is built from.
struct Px {
    cell: Cell,
    v: f32,
    s: f32,
    /// Hue in sextant units, `0.0..6.0` (0 red, 1 yellow, 2 green, 3 cyan, 4 blue,
    /// 5 magenta; grey: 0).
    h: f32,
    /// Hue sextant: the whole part of `h`.
    hue: u8,
}

impl Px {
    fn new(cell: Cell) -> Px {
        let (r, g, b) = (cell.r, cell.g, cell.b);
        let v = cell.value();
        let chroma = v - r.min(g).min(b);
        let h = if chroma <= 1e-6 {
            0.0
        } else if v == r {
            ((g - b) / chroma).rem_euclid(6.0)
        } else if v == g {
            (b - r) / chroma + 2.0
        } else {
            (r - g) / chroma + 4.0
        };
        Px { cell, v, s: cell.saturation(), h, hue: (h.floor() as u8) % 6 }
    }
}

/// Every feature before the square roots, in table order. Each value is stored at
/// its name's index (resolved at compile time); a feature left out stays NaN, which
/// the tests catch.
fn raw_features(grid: &Grid) -> [f64; N_FEATURES] {
    let n = WORK_SIZE;
    let third = n / 3;
    let px: Vec<Px> = grid.cells().iter().copied().map(Px::new).collect();
    let rows = |r: std::ops::Range<usize>| &px[r.start * n..r.end * n];
    let (all, top, mid, bottom) = (&px[..], rows(0..third), rows(third..n - third), rows(n - third..n));
    let values: Vec<f32> = px.iter().map(|p| p.v).collect();
    let n_cells = values.len() as f64;
    let ranks = |p: f64| ((values.len() - 1) as f64 * p).round() as usize;
    let [p10, p50, p90] = order_statistics(&values, [ranks(0.10), ranks(0.50), ranks(0.90)]);
    let top_v = mean(top, |p| p.v);
    let bottom_v = mean(bottom, |p| p.v);
    // The brightest tenth of cells: at and above the 90th percentile.
    let highlight_cut = p90;

    let mut f = [f64::NAN; N_FEATURES];
    f[at!("mean_v")] = mean(all, |p| p.v);
    f[at!("top_v")] = top_v;
    f[at!("mid_v")] = mean(mid, |p| p.v);
    f[at!("bottom_v")] = bottom_v;
    f[at!("v_p10")] = f64::from(p10);
    f[at!("v_p50")] = f64::from(p50);
    f[at!("v_p90")] = f64::from(p90);
    f[at!("log_luma")] = mean(all, |p| (0.2126 * p.cell.r + 0.7152 * p.cell.g + 0.0722 * p.cell.b + 0.01).ln());
    f[at!("dark_frac")] = share(all, |p| p.v < 0.15);
    f[at!("top_dark_frac")] = share(top, |p| p.v < 0.15);
    f[at!("bright_frac")] = share(all, |p| p.v > 0.85);
    f[at!("light_spots")] = isolated_lights(&values, &box_mean(&values, 2), 0.7, 0.35);
    f[at!("mean_s")] = mean(all, |p| p.s);
    f[at!("top_s")] = mean(top, |p| p.s);
    f[at!("top_blue")] = mean(top, |p| p.cell.b - p.cell.r);
    f[at!("sky_frac")] = share(top, looks_like_day_sky);
    f[at!("warm_frac")] = share(all, |p| p.v > 0.3 && p.cell.r - p.cell.b > 0.15);
    f[at!("highlight_blue")] = mean_where(all, |p| p.v >= highlight_cut, |p| p.cell.b / (p.cell.r + p.cell.g + p.cell.b + 1e-3));
    f[at!("v_std")] = std_dev(all);
    f[at!("top_minus_bottom")] = top_v - bottom_v;

    // Where the light is: a 4×4 grid of mean values, and four horizontal bands.
    const GRID: [usize; 16] = indices([
        "grid00_v", "grid01_v", "grid02_v", "grid03_v", "grid10_v", "grid11_v", "grid12_v", "grid13_v", "grid20_v", "grid21_v",
        "grid22_v", "grid23_v", "grid30_v", "grid31_v", "grid32_v", "grid33_v",
    ]);
    let q = n / 4;
    for (k, &index) in GRID.iter().enumerate() {
        let (gy, gx) = (k / 4, k % 4);
        let sum: f64 = (gy * q..(gy + 1) * q)
            .flat_map(|y| (gx * q..(gx + 1) * q).map(move |x| (x, y)))
            .map(|(x, y)| f64::from(px[y * n + x].v))
            .sum();
        f[index] = sum / (q * q) as f64;
    }
    const BANDS: [[usize; 3]; 4] = [
        indices(["band0_s", "band0_blue", "band0_std"]),
        indices(["band1_s", "band1_blue", "band1_std"]),
        indices(["band2_s", "band2_blue", "band2_std"]),
        indices(["band3_s", "band3_blue", "band3_std"]),
    ];
    for (k, &[s, blue, sd]) in BANDS.iter().enumerate() {
        let band = rows(k * q..(k + 1) * q);
        f[s] = mean(band, |p| p.s);
        f[blue] = mean(band, |p| p.cell.b - p.cell.r);
        f[sd] = std_dev(band);
    }

    // Brightness histogram, eight equal bins; 1.0 falls in the last.
    const HIST: [usize; 8] = indices(["hist0", "hist1", "hist2", "hist3", "hist4", "hist5", "hist6", "hist7"]);
    let mut hist = [0usize; 8];
    for p in all {
        hist[((p.v * 8.0) as usize).min(7)] += 1;
    }
    for (&index, count) in HIST.iter().zip(hist) {
        f[index] = count as f64 / all.len() as f64;
    }

    let gradient = {
        let at = |x: usize, y: usize| f64::from(values[y * n + x]);
        let dx: f64 = (0..n).flat_map(|y| (0..n - 1).map(move |x| (x, y))).map(|(x, y)| (at(x + 1, y) - at(x, y)).abs()).sum();
        let dy: f64 = (0..n - 1).flat_map(|y| (0..n).map(move |x| (x, y))).map(|(x, y)| (at(x, y + 1) - at(x, y)).abs()).sum();
        (dx + dy) / (n * (n - 1)) as f64
    };
    f[at!("gradient")] = gradient;
    f[at!("dark_s")] = mean_where(all, |p| p.v < 0.2, |p| p.s);
    f[at!("bright_s")] = mean_where(all, |p| p.v > 0.6, |p| p.s);
    f[at!("bright_warm")] = mean_where(all, |p| p.v > 0.6, |p| p.cell.r - p.cell.b);
    f[at!("yellow")] = share(all, |p| p.cell.r > 0.5 && p.cell.g > 0.3 && p.cell.b < 0.6 * p.cell.r);
    // The 9×9 neighbourhood mean serves two features: isolated lights and large bright areas.
    let local9 = box_mean(&values, 4);
    f[at!("spots_wide")] = isolated_lights(&values, &local9, 0.6, 0.3);
    f[at!("bright_blobs")] = values.iter().zip(&local9).filter(|(v, m)| **v > 0.85 && **m > 0.8).count() as f64 / n_cells;

    // Colour of the light: vivid hues weighted by saturation × value.
    const HUES: [usize; 6] = indices(["hue_red", "hue_yellow", "hue_green", "hue_cyan", "hue_blue", "hue_magenta"]);
    for (k, &index) in HUES.iter().enumerate() {
        let sum: f64 = all.iter().filter(|p| p.hue as usize == k).map(|p| f64::from(p.s * p.v)).sum();
        f[index] = sum / all.len() as f64;
    }
    let vivid = |p: &Px| p.v > 0.6 && p.s > 0.5;
    let blueish = |p: &Px| p.hue == 3 || p.hue == 4;
    f[at!("bright_sat")] = share(all, vivid);
    f[at!("bright_sat_warm")] = share(all, |p| vivid(p) && matches!(p.hue, 0 | 1 | 5));
    f[at!("bright_sat_cool")] = share(all, |p| vivid(p) && matches!(p.hue, 2..=4));
    f[at!("deep_blue_top")] = share(top, |p| blueish(p) && p.s > 0.45 && p.v < 0.65 && p.v > 0.1);
    f[at!("light_blue_top")] = share(top, |p| blueish(p) && p.s < 0.6 && p.v > 0.6);
    f[at!("foliage")] = share(all, |p| p.hue == 2 && p.s > 0.25 && p.v > 0.12);
    f[at!("bright_hue_entropy")] = bright_hue_entropy(all);
    f[at!("peak")] = sharp_peaks(&values);

    // Sky against ground: how bright the blue up there is, and which third is brighter.
    let blue_sky = |p: &&Px| (3.0..5.0).contains(&p.h) && p.s > 0.25;
    let (blue_cells, blue_sum) = top.iter().filter(blue_sky).fold((0usize, 0.0), |(n, sum), p| (n + 1, sum + f64::from(p.v)));
    f[at!("blue_top_v")] = if blue_cells > 20 { blue_sum / blue_cells as f64 } else { 0.0 };
    f[at!("ground_over_sky")] = ((bottom_v + 0.02) / (top_v + 0.02)).ln();

    let t = Texture::of(&values);
    f[at!("texture_rel")] = t.relative;
    f[at!("dark_texture")] = t.dark;
    f[at!("mid_texture")] = t.mid_share;
    f
}

/// Local detail: for every cell but the last row and column, the step in value to
/// its right neighbour plus the step to the one below.
struct Texture {
    /// Mean of step / (value + 0.05): detail relative to how bright the cell is.
    relative: f64,
    /// Mean step among cells darker than 0.3 (0 when there are none).
    dark: f64,
    /// Share of cells with value in (0.15, 0.7) and a step above 0.04.
    mid_share: f64,
}

impl Texture {
    fn of(values: &[f32]) -> Texture {
        let n = WORK_SIZE;
        let (mut relative, mut dark_sum, mut dark_cells, mut mid) = (0.0f64, 0.0f64, 0usize, 0usize);
        for y in 0..n - 1 {
            for x in 0..n - 1 {
                let v = values[y * n + x];
                let step = (values[y * n + x + 1] - v).abs() + (values[(y + 1) * n + x] - v).abs();
                relative += f64::from(step / (v + 0.05));
                if v < 0.3 {
                    dark_sum += f64::from(step);
                    dark_cells += 1;
                }
                mid += usize::from(v > 0.15 && v < 0.7 && step > 0.04);
            }
        }
        let cells = ((n - 1) * (n - 1)) as f64;
        let dark = if dark_cells == 0 { 0.0 } else { dark_sum / dark_cells as f64 };
        Texture { relative: relative / cells, dark, mid_share: mid as f64 / cells }
    }
}

/// Daylight sky: bright and bluish, or bright and nearly grey (overcast).
fn looks_like_day_sky(p: &Px) -> bool {
    let c = p.cell;
    (p.v > 0.45 && c.b >= c.r && c.b >= 0.9 * c.g) || (p.v > 0.6 && p.s < 0.12)
}

/// The values at three ranks of the sorted order, by selection rather than a full
/// sort (linear time: this runs on every camera frame).
fn order_statistics(values: &[f32], ranks: [usize; 3]) -> [f32; 3] {
    let mut v = values.to_vec();
    ranks.map(|k| *v.select_nth_unstable_by(k, f32::total_cmp).1)
}

/// Box mean of `values` over a (2r+1)² window, edges clamped (the border repeats
/// rather than fading to black). Separable running sums: cost does not grow with r.
fn box_mean(values: &[f32], r: usize) -> Vec<f32> {
    let n = WORK_SIZE;
    let last = n as isize - 1;
    let width = (2 * r + 1) as f32;
    // One pass along a line of n values at `stride`, reading `src`, writing `dst`.
    let pass = |src: &[f32], dst: &mut [f32], start: usize, stride: usize| {
        let at = |i: isize| src[start + i.clamp(0, last) as usize * stride];
        let r = r as isize;
        let mut sum: f32 = (-r..=r).map(at).sum();
        for i in 0..n as isize {
            dst[start + i as usize * stride] = sum / width;
            sum += at(i + r + 1) - at(i - r);
        }
    };
    let mut tmp = vec![0.0; n * n];
    let mut out = vec![0.0; n * n];
    for y in 0..n {
        pass(values, &mut tmp, y * n, 1);
    }
    for x in 0..n {
        pass(&tmp, &mut out, x, n);
    }
    out
}

/// Share of cells brighter than `bright` whose neighbourhood mean (`local`, from
/// [`box_mean`]) is below `dark`: a lamp or lit window surrounded by night.
fn isolated_lights(values: &[f32], local: &[f32], bright: f32, dark: f32) -> f64 {
    values.iter().zip(local).filter(|(v, m)| **v > bright && **m < dark).count() as f64 / values.len() as f64
}

/// Share of cells above 0.8 standing 0.4 above their 7×7 neighbourhood mean.
fn sharp_peaks(values: &[f32]) -> f64 {
    let local = box_mean(values, 3);
    values.iter().zip(&local).filter(|(v, m)| **v > 0.8 && **v - **m > 0.4).count() as f64 / values.len() as f64
}

/// Entropy (nats) of hue sextants among bright, saturated cells; 0 when fewer than
/// ten cells are bright.
fn bright_hue_entropy(all: &[Px]) -> f64 {
    if all.iter().filter(|p| p.v > 0.5).count() <= 10 {
        return 0.0;
    }
    let mut counts = [0usize; 6];
    for p in all.iter().filter(|p| p.v > 0.5 && p.s > 0.3) {
        counts[p.hue as usize] += 1;
    }
    let total = counts.iter().sum::<usize>().max(1) as f64;
    counts.iter().filter(|&&c| c > 0).map(|&c| c as f64 / total).map(|p| -p * p.ln()).sum()
}

fn mean(px: &[Px], f: impl Fn(&Px) -> f32) -> f64 {
    px.iter().map(|p| f64::from(f(p))).sum::<f64>() / px.len() as f64
}

fn share(px: &[Px], pred: impl Fn(&Px) -> bool) -> f64 {
    px.iter().filter(|p| pred(p)).count() as f64 / px.len() as f64
}

fn mean_where(px: &[Px], pred: impl Fn(&Px) -> bool, f: impl Fn(&Px) -> f32) -> f64 {
    let (sum, n) = px.iter().filter(|p| pred(p)).fold((0.0, 0usize), |(s, n), p| (s + f64::from(f(p)), n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

fn std_dev(px: &[Px]) -> f64 {
    let m = mean(px, |p| p.v);
    mean(px, |p| (f64::from(p.v) - m).powi(2) as f32).sqrt()
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
    fn every_table_entry_is_computed() {
        for (w, h, px) in [flat_grey(8, 8), sky_over_ground(90, 60), lamps_in_dark(90, 60)] {
            let raw = raw_features(&Grid::from_rgba(&px, w, h).unwrap());
            let missing: Vec<&str> = raw.iter().zip(&FEATURES).filter(|(v, _)| v.is_nan()).map(|(_, i)| i.name).collect();
            assert!(missing.is_empty(), "never computed: {missing:?}");
        }
    }

    #[test]
    fn names_resolve_to_their_table_position() {
        assert_eq!(at!("mean_v"), 0);
        assert_eq!(at!("mid_texture"), N_FEATURES - 1);
        assert_eq!(at!("blue_top_v"), at!("peak") + 1, "the three sky-and-ground features follow peak");
        assert_eq!(at!("texture_rel"), at!("ground_over_sky") + 1, "the three texture features come last");
        assert_eq!(FEATURES[at!("hue_cyan")].name, "hue_cyan");
    }

    #[test]
    fn sky_over_ground_looks_like_day() {
        let (w, h, px) = sky_over_ground(300, 200);
        let f = extract(&px, w, h).unwrap();
        assert!(get(&f, "top_v") > 0.7);
        assert!(get(&f, "sky_frac") > 0.9);
        assert!(get(&f, "top_minus_bottom") > 0.3);
        assert_eq!(get(&f, "light_spots"), 0.0);
        assert!(get(&f, "blue_top_v") > 0.6, "a bright blue sky");
        assert!(get(&f, "ground_over_sky") < 0.0, "sky brighter than ground");
    }

    #[test]
    fn lamps_are_not_bright_blobs_but_a_bright_wall_is() {
        let (w, h, px) = lamps_in_dark(400, 300);
        let f = extract(&px, w, h).unwrap();
        assert_eq!(get(&f, "bright_blobs"), 0.0, "small lamps");
        assert!(get(&f, "blue_top_v") < 0.1, "at most a dim, bluish black up there");
        let (w, h, px) = flat_grey(64, 64);
        assert_eq!(get(&extract(&px, w, h).unwrap(), "ground_over_sky"), 0.0, "even light");
        let white = vec![255u8; 64 * 64 * 4];
        assert_eq!(get(&extract(&white, 64, 64).unwrap(), "bright_blobs"), 1.0);
    }

    #[test]
    fn texture_is_zero_on_flat_light_and_high_on_a_checkerboard() {
        let (w, h, px) = flat_grey(64, 64);
        let f = extract(&px, w, h).unwrap();
        assert_eq!((get(&f, "texture_rel"), get(&f, "dark_texture"), get(&f, "mid_texture")), (0.0, 0.0, 0.0));
        // Dark grey and mid grey cells alternating on the working grid: every cell
        // differs from both neighbours by 0.2 (twice: right and below).
        let checker: Vec<u8> = (0..128 * 128)
            .flat_map(|i| {
                let v = if (i % 128 + i / 128) % 2 == 0 { 51 } else { 102 };
                [v, v, v, 255]
            })
            .collect();
        let f = extract(&checker, 128, 128).unwrap();
        assert!((get(&f, "dark_texture") - 0.4f64.sqrt()).abs() < 1e-6, "step 0.4 in every dark cell");
        assert_eq!(get(&f, "mid_texture"), 1.0, "both greys are mid-tones, all textured");
        assert!(get(&f, "texture_rel") > 1.0, "{}", get(&f, "texture_rel"));
    }

    #[test]
    fn lamps_in_the_dark_look_like_night() {
        let (w, h, px) = lamps_in_dark(400, 300);
        let f = extract(&px, w, h).unwrap();
        assert!(get(&f, "top_v") < 0.3, "sqrt of a near-black mean");
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
