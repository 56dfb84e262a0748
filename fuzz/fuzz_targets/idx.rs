//! The IDX loader on an image file and a label file (see `backprop_fuzz::idx_parts`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    backprop_fuzz::idx(data);
});
