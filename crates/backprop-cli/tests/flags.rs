//! Flags that cannot work are one clear line with exit code 2 before anything is
//! allocated or written: networks and datasets larger than the memory, settings that
//! would be ignored or never act, and command-line mistakes.

use std::path::PathBuf;

mod common;
use common::{backprop, ok, rejects};

fn temp(name: &str) -> PathBuf {
    common::temp("cli-flags", name)
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

#[test]
fn settings_that_would_never_act_or_be_ignored_are_refused() {
    let iris = ["train", "--dataset", "iris", "--epochs", "1"];
    let with = |extra: &[&str]| {
        let mut args = iris.to_vec();
        args.extend_from_slice(extra);
        backprop(&args)
    };
    rejects(
        &with(&["--checkpoint", "c.ckpt", "--checkpoint-every", "0"]),
        &["invalid value '0' for '--checkpoint-every <CHECKPOINT_EVERY>': must be at least 1"],
    );
    rejects(
        &with(&["--lr", "0"]),
        &["invalid value '0' for '--lr <LR>': must be a finite number above 0"],
    );
    rejects(
        &with(&["--schedule", "step", "--step-every", "0"]),
        &["invalid value '0' for '--step-every <STEP_EVERY>': must be at least 1"],
    );
    rejects(
        &with(&["--target", "99"]),
        &["<training>: target: chooses columns of a CSV file (--data); the dataset iris has its targets built in"],
    );
    rejects(
        &with(&["--samples", "50"]),
        &["--samples and --noise apply to the generators moons, circles, spiral, blobs, xor, not to iris"],
    );
    rejects(
        &backprop(&["train", "--dataset", "moons", "--noise", "nan"]),
        &["invalid value 'nan' for '--noise <NOISE>': must be a finite number ≥ 0"],
    );
    for epsilon in ["0", "nan", "inf", "-1e-4"] {
        rejects(
            &backprop(&[
                "gradcheck",
                "--spec",
                "../../examples/tutorial.json",
                "--epsilon",
                epsilon,
            ]),
            &[&format!(
                "invalid value '{epsilon}' for '--epsilon <EPSILON>': must be a finite number above 0"
            )],
        );
    }
}

#[test]
fn command_line_mistakes_are_one_line() {
    // A negative number is a value, so the message is about the value.
    rejects(
        &backprop(&["train", "--dataset", "iris", "--lr", "-0.1"]),
        &["error: invalid value '-0.1' for '--lr <LR>': must be a finite number above 0"],
    );
    rejects(
        &backprop(&["predict"]),
        &["error: the following required arguments were not provided: --model <FILE>, --data <FILE>"],
    );
    rejects(
        &backprop(&["train", "--layer", "3"]),
        &["error: unexpected argument '--layer' found; tip: a similar argument exists: '--layers'"],
    );
    // Every choice is refused with the names its library enum lists.
    rejects(
        &backprop(&["explain", "--format", "pdf"]),
        &["error: invalid value 'pdf' for '--format <FORMAT>': unknown format `pdf`; expected one of text, markdown, json, html"],
    );
    rejects(
        &backprop(&["explain", "--order", "sideways"]),
        &["'--order <ORDER>': unknown update order `sideways`; expected one of textbook, published"],
    );
    rejects(
        &backprop(&["train", "--dataset", "iris", "--activation", "softplus"]),
        &["'--activation <ACTIVATION>': unknown activation `softplus`; expected one of sigmoid, tanh, relu, leaky_relu, identity, softmax"],
    );
    rejects(
        &backprop(&["train", "--dataset", "iris", "--schedule", "linear"]),
        &["unknown schedule `linear`; expected one of constant, step, cosine"],
    );
    rejects(
        &backprop(&["train", "--dataset", "iris", "--init", "zeros"]),
        &["unknown initializer `zeros`; expected one of xavier, xavier_normal, he, he_normal, uniform"],
    );
    // The library names settings; the program prints their flags.
    rejects(
        &backprop(&["train"]),
        &["error: <training data>: no data: name a CSV file (--data) or a dataset (--dataset)"],
    );
    // The languages are the registered catalogues.
    rejects(
        &backprop(&["explain", "--lang", "fr"]),
        &["error: invalid value 'fr' for '--lang <LANG>': unknown language `fr`; expected one of en, zh, es"],
    );
    rejects(
        &backprop(&[]),
        &["error: no command given; expected one of explain, gradcheck, check, exercise, train, evaluate, predict, inspect, serve"],
    );
    let help = backprop(&["train", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("Usage: backprop train"), "{help}");
    // The choices are listed from the same names.
    for listed in [
        "[possible values: sgd, momentum, nesterov, adam, adamw, rprop]",
        "[possible values: half_sse, mse, cross_entropy, binary_cross_entropy]",
        "- cosine:",
        "- regression:",
    ] {
        assert!(help.contains(listed), "{listed} in {help}");
    }
    let help = ok(&backprop(&["explain", "--help"]));
    assert!(
        help.contains("- published:") && help.contains("- zh:") && help.contains("- html:"),
        "{help}"
    );
}

#[test]
fn control_characters_in_names_are_escaped() {
    // A file name holding a terminal escape and a newline.
    let name = temp("a\u{1b}[31mb\nc.json");
    let out = backprop(&["explain", "--spec", name.to_str().unwrap()]);
    rejects(&out, &["cannot read ", "a\\u{1b}[31mb\\nc.json: "]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

#[test]
fn a_json_spec_may_start_with_a_byte_order_mark() {
    let spec = temp("bom.json");
    let text = std::fs::read_to_string("../../examples/tutorial.json").unwrap();
    std::fs::write(&spec, format!("\u{feff}{text}")).unwrap();
    let out = backprop(&["gradcheck", "--spec", spec.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn resuming_a_run_that_stopped_early_says_it_is_finished() {
    let ckpt = temp("early.ckpt");
    let _ = std::fs::remove_file(&ckpt);
    let run = backprop(&[
        "train",
        "--dataset",
        "iris",
        "--epochs",
        "500",
        "--patience",
        "1",
        "--quiet",
        "--checkpoint",
        ckpt.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    rejects(
        &backprop(&["train", "--resume", ckpt.to_str().unwrap()]),
        &[
            "cannot resume from ",
            "early.ckpt: <checkpoint>: training already finished: it stopped early after epoch ",
        ],
    );
}

#[test]
fn training_without_out_says_nothing_is_saved() {
    let run = backprop(&["train", "--dataset", "iris", "--epochs", "1"]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stderr.starts_with("note: no --out given, so the trained model will not be saved\n"),
        "{stderr}"
    );
    assert!(stdout.ends_with("not saved: no --out given\n"), "{stdout}");
}

#[test]
fn the_saved_split_is_the_data_as_read() {
    let dir = temp("split");
    let model = temp("split.safetensors");
    // The README's Iris command, whose test accuracy is 100% (30 samples).
    let run = backprop(&[
        "train",
        "--dataset",
        "iris",
        "--layers",
        "4,16,3",
        "--activation",
        "tanh",
        "--optimizer",
        "adam",
        "--lr",
        "0.01",
        "--epochs",
        "100",
        "--batch-size",
        "8",
        "--seed",
        "3",
        "--quiet",
        "--out",
        model.to_str().unwrap(),
        "--save-split",
        dir.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Every row of the split is a row of iris.csv, unchanged.
    let iris = std::fs::read_to_string("../backprop-train/data/iris.csv").unwrap();
    let test = std::fs::read_to_string(dir.join("test.csv")).unwrap();
    assert_eq!(test.lines().count(), 31, "a header and 30 samples");
    for row in test.lines().skip(1) {
        let values: Vec<f64> = row.split(',').take(4).map(|v| v.parse().unwrap()).collect();
        let found = iris.lines().skip(1).any(|r| {
            let raw: Vec<f64> = r.split(',').take(4).map(|v| v.parse().unwrap()).collect();
            raw.iter().zip(&values).all(|(a, b)| (a - b).abs() < 1e-6)
        });
        assert!(found, "{row} is not a row of iris.csv");
    }
    // So evaluating on it standardizes once, as training did: 100% again.
    let out = backprop(&[
        "evaluate",
        "--model",
        model.to_str().unwrap(),
        "--data",
        dir.join("test.csv").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["accuracy"], 1.0);
}
