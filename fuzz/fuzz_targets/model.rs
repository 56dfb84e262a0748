//! The model and checkpoint loader, then one prediction.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    backprop_fuzz::model(data);
});
