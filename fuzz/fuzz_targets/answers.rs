//! The answers-file parser of `backprop check`, then the check of the answers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    backprop_fuzz::answers(data);
});
