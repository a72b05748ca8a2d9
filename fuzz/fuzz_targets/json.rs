//! See `fuzz/src/lib.rs`: `opinio_fuzz::json` says what this target does with its input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| opinio_fuzz::json(data));
