//! The spec parser on TOML text, then the network it describes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    backprop_fuzz::spec(data, true);
});
