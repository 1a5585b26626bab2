//! Fuzz target: see `daynight_core::invariants::features_are_finite_and_deterministic`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    daynight_core::invariants::features_are_finite_and_deterministic(data);
});
