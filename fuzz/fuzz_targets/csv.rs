//! The CSV loader with its default options.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    backprop_fuzz::csv(data);
});
