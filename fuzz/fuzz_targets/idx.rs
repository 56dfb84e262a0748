//! The IDX loader on an image file and a label file (see `backprop_fuzz::idx_parts`).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

/// One directory per fuzzing process for the two files the loader reads; under
/// `TMPDIR`, which `scripts/fuzz` points at a directory it removes afterwards.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("backprop-fuzz-idx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory for the IDX files");
        dir
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    backprop_fuzz::idx(data, dir());
});
