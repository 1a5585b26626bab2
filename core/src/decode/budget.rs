//! One memory budget for every decode in the process, so that a batch's peak memory
//! does not grow with the number of threads.
//!
//! Most photos cost little to decode (a JPEG at reduced scale is its file and a
//! quarter-megapixel of pixels), but some cost memory in proportion to their pixels:
//! a progressive JPEG (libjpeg-turbo keeps every DCT coefficient until the last scan,
//! about 3 bytes a pixel), and the formats decoded at full size (about 8 bytes a
//! pixel). With one thread per CPU, sixteen 16 MP PNGs in flight are 1.8 GB. Each decode
//! therefore first reserves what it will need, estimated from the header
//! ([`working_bytes`]), out of [`DECODE_BUDGET`]; a decode that does not fit waits for
//! others to finish. Requests are served in arrival order, so a large one is not
//! starved by a stream of small ones; one larger than the whole budget runs alone.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use image::ImageFormat;

use super::jpeg;
use crate::header::{self, Verdict};

/// Bytes the decodes of one process may hold at once (photos' files included), unless
/// set otherwise ([`Budget::set_total`]; the CLI's `--decode-memory`): cheap decodes
/// run side by side on every core, but at most one 16 MP progressive JPEG or 8 MP PNG
/// at a time.
pub const DECODE_BUDGET: u64 = 64 << 20;

/// What a decode needs beside its file and pixels: the decoder's own buffers and
/// tables, rounded up.
const OVERHEAD: u64 = 1 << 20;

/// A process-wide budget of bytes, handed out in arrival order.
#[derive(Debug)]
pub struct Budget {
    total: AtomicU64,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug)]
struct State {
    /// Bytes reserved now.
    used: u64,
    /// The ticket the next request gets, and the one served next.
    next: u64,
    serving: u64,
}

/// Bytes held out of a [`Budget`] until dropped.
#[derive(Debug)]
pub struct Reservation<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    /// A budget of `total` bytes, none in use.
    pub const fn new(total: u64) -> Budget {
        Budget {
            total: AtomicU64::new(total),
            state: Mutex::new(State { used: 0, next: 0, serving: 0 }),
            changed: Condvar::new(),
        }
    }

    /// Changes the total, for requests from now on (at least 1 byte).
    pub fn set_total(&self, bytes: u64) {
        self.total.store(bytes.max(1), Ordering::Relaxed);
        self.changed.notify_all();
    }

    /// Waits until `bytes` fit beside what is reserved and every earlier request has
    /// been served, then holds them. A request over the whole budget is cut to the
    /// whole budget: it then runs alone rather than never.
    pub fn reserve(&self, bytes: u64) -> Reservation<'_> {
        let total = self.total.load(Ordering::Relaxed);
        let bytes = bytes.min(total);
        let mut state = self.lock();
        let ticket = state.next;
        state.next += 1;
        while state.serving != ticket || state.used + bytes > total {
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state.serving += 1;
        state.used += bytes;
        drop(state);
        // The next in line may fit too.
        self.changed.notify_all();
        Reservation { budget: self, bytes }
    }

    /// Bytes reserved at this moment.
    pub fn used(&self) -> u64 {
        self.lock().used
    }

    // A panic while the lock is held cannot leave the numbers half-updated (each
    // change is one statement), so a poisoned lock is still good.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Reservation<'_> {
    /// The bytes held.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.lock().used -= self.bytes;
        self.budget.changed.notify_all();
    }
}

/// The budget every decode of this process shares.
pub static DECODES: Budget = Budget::new(DECODE_BUDGET);

/// What decoding a file of `file_len` bytes whose first bytes are `head` will hold at
/// its peak, its file included. `None` when the dimensions are not in `head` (a JPEG
/// with large metadata before its frame header): read more, or assume the worst.
pub fn working_bytes(head: &[u8], file_len: u64) -> Option<u64> {
    let (width, height) = match header::check(head, file_len) {
        Ok(Verdict::Fits { width, height }) => (width, height),
        Ok(Verdict::NeedMore) => return None,
        // Refused before any pixel is allocated: the file is all it holds.
        Err(_) => return Some(file_len + OVERHEAD),
    };
    // The same sniffing of the first bytes the decode itself goes by.
    let decode = match image::guess_format(head) {
        _ if header::is_heif(head) => heif_working_bytes(width, height),
        Ok(ImageFormat::Jpeg) => jpeg::working_bytes(head, super::MIN_JPEG_SIDE)?,
        // The decoded image (up to 4 bytes a pixel for 8-bit formats) and its RGBA copy.
        _ => u64::from(width) * u64::from(height) * 8,
    };
    Some(file_len + decode + OVERHEAD)
}

/// A HEIC or AVIF: decoded whole by libheif, then reduced.
#[cfg(feature = "heif")]
fn heif_working_bytes(width: u32, height: u32) -> u64 {
    u64::from(width) * u64::from(height) * super::heif::BYTES_PER_PIXEL
}

/// A HEIC or AVIF in a build without libheif: refused unread.
#[cfg(not(feature = "heif"))]
fn heif_working_bytes(_: u32, _: u32) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn reservations_add_up_and_are_given_back() {
        let budget = Budget::new(100);
        let a = budget.reserve(30);
        let b = budget.reserve(50);
        assert_eq!((budget.used(), a.bytes(), b.bytes()), (80, 30, 50));
        drop(a);
        assert_eq!(budget.used(), 50);
        drop(b);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn a_request_over_the_whole_budget_runs_alone() {
        let budget = Budget::new(100);
        let big = budget.reserve(1_000);
        assert_eq!(big.bytes(), 100);
        drop(big);
        budget.set_total(500);
        assert_eq!(budget.reserve(1_000).bytes(), 500);
    }

    /// Eight threads asking for 40 of 100 bytes: never more than two hold at once,
    /// and the large requests among them are served, not starved.
    #[test]
    fn concurrent_decodes_never_exceed_the_budget() {
        let budget = Budget::new(100);
        let (holding, most) = (AtomicU64::new(0), AtomicU64::new(0));
        std::thread::scope(|s| {
            for i in 0..8u64 {
                let (budget, holding, most) = (&budget, &holding, &most);
                s.spawn(move || {
                    for _ in 0..20 {
                        let want = if i == 0 { 100 } else { 40 };
                        let held = budget.reserve(want);
                        let now = holding.fetch_add(held.bytes(), Ordering::SeqCst) + held.bytes();
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_micros(200));
                        holding.fetch_sub(held.bytes(), Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 100, "held {} of 100", most.load(Ordering::SeqCst));
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn estimates_from_the_header() {
        let mut png = Vec::new();
        image::RgbaImage::new(1000, 500)
            .write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
            .expect("a PNG can be written");
        let len = png.len() as u64;
        assert_eq!(working_bytes(&png, len), Some(len + 1000 * 500 * 8 + OVERHEAD));
        assert_eq!(working_bytes(b"not an image at all", 19), Some(19 + OVERHEAD), "refused before decoding");
        assert_eq!(working_bytes(&png[..20], len), None, "the size is not in the first 20 bytes");
    }
}
