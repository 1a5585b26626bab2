//! How the process gives memory back, so that the decode budget
//! (`daynight_core::decode::budget`) bounds what the process holds, not only what it uses.

/// Makes every allocation of 1 MB or more a mapping of its own, returned to the system
/// when freed.
///
/// glibc's malloc starts out doing that from 128 KB, but after the first such block is
/// freed it raises the threshold, up to 32 MB, and serves later blocks from the
/// thread's heap, which keeps freed memory. Each decoding thread would then hold on to
/// the largest photo it ever decoded: measured on eight 16 MP progressive JPEGs, 355 MB
/// peak with 4 threads though the budget let only one decode at a time. Setting the
/// threshold fixes it (glibc stops adjusting a threshold that was set). What it costs:
/// fresh pages for each photo's file and pixels, within the noise of the benchmarks.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn give_back_large_frees() {
    // SAFETY: mallopt only changes allocator parameters; called once, at start-up,
    // before any thread exists. A refusal (0) leaves glibc's default, which is safe.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Other C libraries: nothing to adjust.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back_large_frees() {}
