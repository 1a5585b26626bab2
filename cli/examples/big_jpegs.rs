//! Writes phone-sized JPEGs for `scripts/bench-batch.sh` and `scripts/bench-jpeg.sh`,
//! so the benchmarks need no photos of their own: `cargo run --release --example big_jpegs -- DIR N WIDTH HEIGHT`.
//! Day and night scenes in turn, with pixel noise so the files compress like photos
//! (a flat picture would decode unrealistically fast).

use std::io::Cursor;

use daynight_core::testimages::{lamps_in_dark, sky_over_ground};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, n, width, height] = args.as_slice() else {
        eprintln!("usage: big_jpegs DIR N WIDTH HEIGHT");
        std::process::exit(2);
    };
    let (n, width, height): (usize, u32, u32) =
        (n.parse().expect("N is a number"), width.parse().expect("WIDTH is a number"), height.parse().expect("HEIGHT"));
    std::fs::create_dir_all(dir).expect("the folder can be created");
    // A small linear congruential generator: the same files on every run.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..n {
        let (_, _, mut px) = if i % 2 == 0 { sky_over_ground(width, height) } else { lamps_in_dark(width, height) };
        for p in px.chunks_exact_mut(4) {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let noise = (seed >> 59) as u8; // 0..31
            for c in &mut p[..3] {
                *c = c.saturating_add(noise).saturating_sub(16);
            }
        }
        let image = image::RgbaImage::from_raw(width, height, px).expect("the scene fills the image");
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgba8(image)
            .to_rgb8()
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
            .expect("JPEG encoding works");
        std::fs::write(format!("{dir}/big-{i:02}.jpg"), bytes).expect("the file can be written");
    }
}
