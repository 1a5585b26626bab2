//! Synthetic scenes as RGBA8 buffers, for tests, benchmarks and the browser parity
//! check. They are generated, never read from disk, so a bare clone can run every
//! test that uses them. Each returns `(width, height, pixels)`.

/// An RGBA8 image: width, height and row-major pixels.
pub type Image = (u32, u32, Vec<u8>);

fn paint(width: u32, height: u32, f: impl Fn(u32, u32) -> [u8; 3]) -> Image {
    let mut px = Vec::with_capacity(width as usize * height as usize * 4);
    for y in 0..height {
        for x in 0..width {
            let [r, g, b] = f(x, y);
            px.extend_from_slice(&[r, g, b, 255]);
        }
    }
    (width, height, px)
}

/// Cheap deterministic noise in `0..=span`, so scenes are not perfectly flat.
fn noise(x: u32, y: u32, span: u32) -> u8 {
    let h = x.wrapping_mul(374_761_393) ^ y.wrapping_mul(668_265_263);
    let h = (h ^ (h >> 13)).wrapping_mul(1_274_126_177);
    (h % (span + 1)) as u8
}

/// Blue sky over the top 45 %, sunlit green-brown ground below: a plain day scene.
pub fn sky_over_ground(width: u32, height: u32) -> Image {
    paint(width, height, |x, y| {
        let n = noise(x, y, 12);
        if y * 100 < height * 45 {
            [110 + n, 160 + n, 235]
        } else {
            [95 + n, 110 + n, 60 + n]
        }
    })
}

/// Near-black frame with a few warm lamps and a row of lit windows: a night scene.
pub fn lamps_in_dark(width: u32, height: u32) -> Image {
    let lamps = [(0.2, 0.55), (0.5, 0.6), (0.8, 0.5)];
    paint(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let lit = lamps.iter().any(|(lx, ly)| (fx - lx).abs() < 0.012 && (fy - ly).abs() < 0.016);
        let window = fy > 0.7 && fy < 0.72 && (x / (width / 20).max(1)).is_multiple_of(3);
        if lit {
            [255, 200, 120]
        } else if window {
            [240, 210, 150]
        } else {
            let n = noise(x, y, 8);
            [8 + n, 8 + n, 14 + n]
        }
    })
}

/// A uniform mid-grey frame: no cue either way, so the model should not be sure.
pub fn flat_grey(width: u32, height: u32) -> Image {
    paint(width, height, |_, _| [128, 128, 128])
}

/// A smooth gradient with noise, for benchmarks on large frames.
pub fn gradient(width: u32, height: u32) -> Image {
    paint(width, height, |x, y| {
        let n = noise(x, y, 20);
        [(x * 200 / width.max(1)) as u8 + n, (y * 200 / height.max(1)) as u8 + n, 128]
    })
}

/// The scene named `name` (one of the functions above, by its name) at `width`×`height`:
/// the parity fixtures name their scenes, and the wasm and CLI checks rebuild them by it.
pub fn by_name(name: &str, width: u32, height: u32) -> Option<Image> {
    let scene = match name {
        "sky_over_ground" => sky_over_ground,
        "lamps_in_dark" => lamps_in_dark,
        "flat_grey" => flat_grey,
        "gradient" => gradient,
        _ => return None,
    };
    Some(scene(width, height))
}
