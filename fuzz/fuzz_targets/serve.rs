//! The HTTP request handler on `METHOD URL`, a newline, then the body.
#![no_main]

use std::sync::OnceLock;

use backprop_serve::Limits;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static LIMITS: OnceLock<Limits> = OnceLock::new();
    backprop_fuzz::serve(data, LIMITS.get_or_init(backprop_fuzz::serve_limits));
});
