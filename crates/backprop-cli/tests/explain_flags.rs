//! `explain`'s rounds and `gradcheck`'s report: what is refused, what is said beside
//! the numbers, and how each comparison is labelled.

use std::path::PathBuf;
use std::process::Command;

mod common;
use common::{backprop, stderr};

/// Exit code 2 and an error that mentions every one of `expected`, without a panic.
#[track_caller]
fn refused(args: &[&str], expected: &[&str]) {
    let out = backprop(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    assert!(err.starts_with("error: "), "{err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// Writes a spec into the test's scratch directory.
fn spec(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("explain_flags");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn rounds_must_be_at_least_one_and_bounded() {
    refused(&["explain", "--rounds", "0"], &["--rounds", "at least 1"]);
    // These used to overflow a capacity or allocate 32 GiB before running.
    refused(
        &["explain", "--rounds", "18446744073709551615"],
        &["--rounds", "at most 1000000000"],
    );
    refused(
        &["explain", "--rounds", "4294967296"],
        &["at most 1000000000"],
    );
    refused(
        &["explain", "--rounds", "99999999999999999999999"],
        &["at most 1000000000"],
    );
    refused(&["explain", "--rounds", "ten"], &["whole number"]);
}

#[test]
fn showing_more_rounds_than_run_says_all_are_shown() {
    let out = backprop(&["explain", "--rounds", "2", "--show", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--show 5 is more than --rounds 2; all 2 rounds are shown in full"),
        "{}",
        stderr(&out)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Round 2") && !text.contains("Round 3"));
}

#[test]
fn gradcheck_refuses_a_step_that_is_not_a_positive_number() {
    let tutorial = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/tutorial.json");
    for epsilon in ["0", "nan", "inf", "-1e-4"] {
        refused(
            &["gradcheck", "--spec", tutorial, "--epsilon", epsilon],
            &["--epsilon", "finite number above 0"],
        );
    }
    refused(
        &["gradcheck", "--spec", tutorial, "--tolerance", "nan"],
        &["--tolerance"],
    );
}

/// A ReLU neuron whose net is exactly 0 for one sample: w = 1, b = −1, x = 1.
const KINK: &str = r#"{"inputs": 1, "layers": [
  {"size": 2, "activation": "relu", "weights": [[1.0], [0.5]], "bias": [-1.0, 0.2]},
  {"size": 1, "activation": "identity", "weights": [[0.7, -0.3]]}],
  "loss": "half_sse", "learning_rate": 0.1,
  "samples": [{"input": [1.0], "target": [0.5]}, {"input": [2.0], "target": [1.0]}]}"#;

#[test]
fn gradcheck_names_the_neuron_on_a_relu_kink() {
    let path = spec("kink.json", KINK);
    let out = backprop(&["gradcheck", "--spec", path.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    // The bias of the neuron on the kink: backpropagation takes ReLU's slope 0 on the
    // first sample, the difference sees half of it.
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL"), "{text}");
    assert!(
        text.contains("note: for samples[0], layers[0] neuron 0 (weights[0]) has net = 0,")
            && text.contains("relu has no derivative"),
        "{text}"
    );
    // Only that neuron: the other one's net is 0.7 and 1.2.
    assert_eq!(text.matches("note:").count(), 1, "{text}");
}

/// Gradients that are both zero are compared absolutely, labelled so, and zero is `0`.
#[test]
fn gradcheck_labels_absolute_comparisons_and_prints_zero_plainly() {
    // A dead ReLU (net = −1 for the only sample): every gradient into it is 0.
    let dead = r#"{"inputs": 1, "layers": [
      {"size": 1, "activation": "relu", "weights": [[1.0]], "bias": [-2.0]},
      {"size": 1, "activation": "identity", "weights": [[0.5]]}],
      "loss": "half_sse", "learning_rate": 0.1,
      "samples": [{"input": [1.0], "target": [0.5]}]}"#;
    let path = spec("dead.json", dead);
    let out = backprop(&["gradcheck", "--spec", path.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("layers[0]: worst absolute difference 0 (both gradients below 1e-6)"),
        "{text}"
    );
    assert!(!text.contains("0e0"), "{text}");
}

/// The README's error examples are what the program prints for the files in examples/.
#[test]
fn the_readmes_error_examples_are_true() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let mut checked = 0;
    for pair in lines.windows(2) {
        let Some(args) = pair[0].strip_prefix("$ backprop ") else {
            continue;
        };
        if !pair[1].starts_with("error: ") {
            continue;
        }
        let out = Command::new(env!("CARGO_BIN_EXE_backprop"))
            .args(args.split(' '))
            .current_dir(root)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args}");
        assert_eq!(stderr(&out).trim_end(), pair[1], "{args}");
        checked += 1;
    }
    assert!(checked >= 2, "the README shows at least two errors");
}

/// A spec whose network cannot fit in memory is refused before anything is allocated
/// (it used to abort allocating 800 GB; found by the spec fuzz target).
#[test]
fn a_spec_larger_than_the_memory_is_one_line() {
    let path = spec(
        "huge.json",
        r#"{"inputs": 1, "layers": [{"size": 100000000000, "activation": "tanh", "init": "xavier"},
            {"size": 1, "activation": "identity", "init": "xavier"}],
            "loss": "half_sse", "learning_rate": 0.1, "samples": [{"input": [1], "target": [0]}]}"#,
    );
    for command in ["explain", "gradcheck"] {
        refused(
            &[command, "--spec", path.to_str().unwrap()],
            &[
                "huge.json: layers: the network 1-100000000000-1 (300000000001 parameters) needs at least ",
                "TiB of memory, more than the ",
            ],
        );
    }
}

/// Showing more rounds in full than the memory holds is refused before anything runs;
/// the page needs far more per shown term than text (measured: about 1.4 kB a term).
#[test]
fn shown_rounds_that_cannot_fit_are_refused_first() {
    // The tutorial has 272 terms a round (8 weights, 4 neurons, 2 inputs, 1 sample:
    // 8 + 32·4 + 4·2 + 16·8); 10⁹ rounds shown as a page would need 245 TB.
    refused(
        &["explain", "--rounds", "1000000000", "--show", "1000000000", "--format", "html"],
        &[
            "error: <options>: show: showing 1000000000 rounds of this network in full as a page (272000000000 terms) needs at least ",
            "more than the ",
        ],
    );
}
