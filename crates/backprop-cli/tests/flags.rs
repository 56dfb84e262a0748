//! Flags that cannot work are one clear line with exit code 2 before anything is
//! allocated or written: networks and datasets larger than the memory, settings that
//! would be ignored or never act, and command-line mistakes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn backprop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backprop"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-flags");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Fails cleanly: exit code 2 and one line holding every piece of `expected`.
#[track_caller]
fn rejects(out: &Output, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in: {stderr}");
    }
}

#[test]
fn a_network_larger_than_the_memory_is_refused_before_allocating() {
    // (4+1)·99999999999 + (99999999999+1)·3 = 799999999995 parameters; at 4 bytes and
    // five copies (weights, the model's copy, gradients, Adam's two moments) that alone
    // is 14.6 TiB, more than any machine this runs on.
    rejects(
        &backprop(&["train", "--dataset", "iris", "--layers", "4,99999999999,3"]),
        &[
            "<training>: layers: training the network 4-99999999999-3 (799999999995 parameters) needs at least ",
            "TiB of memory, more than the ",
            " available",
        ],
    );
    // Sizes whose product does not fit in 64 bits are counted, not overflowed.
    rejects(
        &backprop(&[
            "train",
            "--dataset",
            "iris",
            "--layers",
            "4,18446744073709551615,3",
        ]),
        &["(over 2^64 parameters) needs more than 16 EiB of memory"],
    );
}

#[test]
fn a_dataset_larger_than_the_memory_is_refused_before_generating() {
    rejects(
        &backprop(&["train", "--dataset", "moons", "--samples", "18446744073709551615"]),
        &["<training>: samples: generating 18446744073709551615 samples of moons needs more than 16 EiB of memory"],
    );
    // 10¹² samples at 40 bytes each: 36.4 TiB.
    rejects(
        &backprop(&["train", "--dataset", "moons", "--samples", "1000000000000"]),
        &["generating 1000000000000 samples of moons needs at least 36.4 TiB of memory"],
    );
}

#[test]
fn weights_that_are_not_numbers_stop_training_and_nothing_is_saved() {
    let out = temp("nan.safetensors");
    let _ = std::fs::remove_file(&out);
    let run = backprop(&[
        "train",
        "--dataset",
        "iris",
        "--lr",
        "1e30",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: training diverged: weight ")
            && stderr.contains(" of layer ")
            && stderr.contains("in epoch 1; try a lower learning rate than 1e30"),
        "{stderr}"
    );
    assert!(!out.exists(), "no model of NaN weights was saved");
}
