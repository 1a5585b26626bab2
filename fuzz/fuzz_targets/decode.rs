//! Fuzz target: see `daynight_core::invariants::decode_never_panics`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    daynight_core::invariants::decode_never_panics(data);
});
