//! `train`, `evaluate`, `predict` and `inspect` end to end on small real datasets, a
//! real interruption by a signal, and every kind of bad model or data file.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use backprop_train::model_file::Model;

mod common;
use common::{backprop, ok, s, stderr};

fn temp(name: &str) -> PathBuf {
    common::temp("cli-train", name)
}

/// Fails cleanly: exit code 2, one line naming `name`, containing `expected`.
#[track_caller]
fn rejects(out: &Output, name: &str, expected: &[&str]) {
    common::rejects(out, expected);
    assert!(stderr(out).contains(name), "names {name}: {}", stderr(out));
}

fn train_iris(name: &str) -> PathBuf {
    let model = temp(name);
    let metrics = temp(&format!("{name}.jsonl"));
    let plot = temp(&format!("{name}.svg"));
    let out = backprop(&[
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
        "60",
        "--batch-size",
        "8",
        "--seed",
        "1",
        "--out",
        s(&model),
        "--metrics",
        s(&metrics),
        "--plot",
        s(&plot),
    ]);
    let summary = ok(&out);
    assert!(
        summary.contains("test: 30 samples") && summary.contains("accuracy"),
        "{summary}"
    );
    // Plain per-epoch lines when stderr is not a terminal.
    assert_eq!(
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.starts_with("epoch"))
            .count(),
        60
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&metrics)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 60);
    for key in [
        "epoch",
        "train_loss",
        "train_accuracy",
        "validation_loss",
        "validation_accuracy",
        "learning_rate",
        "seconds",
        "samples_per_second",
    ] {
        assert!(lines[59].get(key).is_some(), "{key}");
    }
    assert!(std::fs::read_to_string(&plot).unwrap().contains("<svg"));
    model
}

#[test]
fn iris_trains_evaluates_predicts_and_inspects() {
    let model = train_iris("iris.safetensors");
    let e: serde_json::Value = serde_json::from_str(&ok(&backprop(&[
        "evaluate",
        "--model",
        s(&model),
        "--dataset",
        "iris",
        "--format",
        "json",
    ])))
    .unwrap();
    assert!(e["accuracy"].as_f64().unwrap() >= 0.9, "{e}");
    assert_eq!(e["samples"], 30);
    assert_eq!(e["confusion"].as_array().unwrap().len(), 3);
    let text = ok(&backprop(&[
        "evaluate",
        "--model",
        s(&model),
        "--dataset",
        "iris",
    ]));
    assert!(text.contains("confusion matrix") && text.contains("virginica"));

    let inputs = temp("iris-inputs.csv");
    std::fs::write(
        &inputs,
        "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n",
    )
    .unwrap();
    let csv = ok(&backprop(&[
        "predict",
        "--model",
        s(&model),
        "--data",
        s(&inputs),
    ]));
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "class,p_setosa,p_versicolor,p_virginica");
    assert!(
        rows[1].starts_with("setosa,") && rows[2].starts_with("virginica,"),
        "{csv}"
    );
    let probabilities: f64 = rows[1]
        .split(',')
        .skip(1)
        .map(|p| p.parse::<f64>().unwrap())
        .sum();
    assert!((probabilities - 1.0).abs() < 1e-5);

    let about = ok(&backprop(&["inspect", "--model", s(&model)]));
    assert!(
        about.contains("total parameters 131")
            && about.contains("tanh")
            && about.contains("setosa"),
        "{about}"
    );
}

#[test]
fn xor_is_learned_from_its_four_points() {
    let model = temp("xor.safetensors");
    let summary = ok(&backprop(&[
        "train",
        "--dataset",
        "xor",
        "--layers",
        "2,4,2",
        "--activation",
        "tanh",
        "--optimizer",
        "rprop",
        "--batch-size",
        "full",
        "--epochs",
        "300",
        "--validation",
        "0",
        "--test",
        "0",
        "--no-standardize",
        "--seed",
        "2",
        "--quiet",
        "--out",
        s(&model),
    ]));
    assert!(summary.is_empty());
    let e: serde_json::Value = serde_json::from_str(&ok(&backprop(&[
        "evaluate",
        "--model",
        s(&model),
        "--dataset",
        "xor",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(e["accuracy"], 1.0, "{e}");
}

#[test]
fn a_signal_interrupts_training_and_resume_ends_bit_identical() {
    let common = [
        "train",
        "--dataset",
        "digits",
        "--layers",
        "64,32,10",
        "--epochs",
        "60",
        "--batch-size",
        "16",
        "--seed",
        "5",
        "--optimizer",
        "adam",
    ];
    let whole = temp("whole.safetensors");
    ok(&backprop(
        &[&common[..], &["--quiet", "--out", s(&whole)]].concat(),
    ));

    let checkpoint = temp("interrupted.ckpt");
    let _ = std::fs::remove_file(&checkpoint);
    let resumed = temp("resumed.safetensors");
    let mut child = Command::new(env!("CARGO_BIN_EXE_backprop"))
        .args(
            [
                &common[..],
                &["--checkpoint", s(&checkpoint), "--checkpoint-every", "1000"],
            ]
            .concat(),
        )
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first epoch, then stop it as a shutdown would (SIGTERM; Ctrl-C's
    // SIGINT takes the same path).
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 && !line.starts_with("epoch") {
        line.clear();
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(
        rest.contains("resume with: backprop train --resume"),
        "{rest}"
    );

    ok(&backprop(&[
        "train",
        "--resume",
        s(&checkpoint),
        "--quiet",
        "--out",
        s(&resumed),
    ]));
    let (a, b) = (Model::load(&whole).unwrap(), Model::load(&resumed).unwrap());
    assert_eq!(a.network, b.network, "bit-identical weights");

    // A resumed run keeps the checkpoint's settings, so a flag that would change them
    // is refused (a usage error, exit 2) rather than silently ignored.
    let out = backprop(&["train", "--resume", s(&checkpoint), "--lr", "0.5"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("'--resume <FILE>' cannot be used with '--lr <LR>'"),
        "{stderr}"
    );
}

#[test]
fn bad_model_files_are_refused_with_a_reason() {
    let model = train_iris("for-corruption.safetensors");
    let bytes = std::fs::read(&model).unwrap();
    let inputs = temp("two.csv");
    std::fs::write(&inputs, "5.1,3.5,1.4,0.2\n").unwrap();

    let truncated = temp("truncated.safetensors");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    rejects(
        &backprop(&["predict", "--model", s(&truncated), "--data", s(&inputs)]),
        "truncated.safetensors",
        &["truncated or corrupted"],
    );

    let corrupted = temp("corrupted.safetensors");
    let mut c = bytes.clone();
    for b in &mut c[8..40] {
        *b = b'#';
    }
    std::fs::write(&corrupted, &c).unwrap();
    rejects(
        &backprop(&["inspect", "--model", s(&corrupted)]),
        "corrupted.safetensors",
        &["truncated or corrupted"],
    );

    // The same file claiming a newer format version (same length, so offsets stay valid).
    let pattern = b"\\\"format_version\\\":1";
    let at = bytes
        .windows(pattern.len())
        .position(|w| w == pattern)
        .expect("the version is in the metadata");
    let mut newer_bytes = bytes.clone();
    newer_bytes[at + pattern.len() - 1] = b'7';
    let newer = temp("newer.safetensors");
    std::fs::write(&newer, &newer_bytes).unwrap();
    rejects(
        &backprop(&["inspect", "--model", s(&newer)]),
        "newer.safetensors",
        &["format version 7", "reads version 1"],
    );

    let not_ours = temp("empty.safetensors");
    std::fs::write(&not_ours, b"").unwrap();
    rejects(
        &backprop(&["inspect", "--model", s(&not_ours)]),
        "empty.safetensors",
        &["truncated or corrupted"],
    );

    rejects(
        &backprop(&["inspect", "--model", s(&temp("missing.safetensors"))]),
        "missing.safetensors",
        &["cannot read"],
    );
}

#[test]
fn data_that_does_not_fit_the_model_is_refused() {
    let model = train_iris("for-width.safetensors");
    let wide = temp("wide.csv");
    std::fs::write(&wide, "1,2,3,4,5\n").unwrap();
    rejects(
        &backprop(&["predict", "--model", s(&model), "--data", s(&wide)]),
        "wide.csv",
        &["has 5 columns but the model takes 4"],
    );
    let word = temp("word.csv");
    std::fs::write(&word, "5.1,3.5,1.4,0.2\n5.1,x,1.4,0.2\n").unwrap();
    rejects(
        &backprop(&["predict", "--model", s(&model), "--data", s(&word)]),
        "word.csv:2:2",
        &["`x` is not a number"],
    );
    let unknown = temp("unknown-class.csv");
    std::fs::write(
        &unknown,
        "a,b,c,d,species\n5.1,3.5,1.4,0.2,setosa\n6.0,3.0,4.0,1.0,daisy\n",
    )
    .unwrap();
    rejects(
        &backprop(&["evaluate", "--model", s(&model), "--data", s(&unknown)]),
        "unknown-class.csv",
        &["class 'daisy' is not one the model was trained on"],
    );
}

#[test]
fn flags_that_do_not_fit_the_data_are_refused() {
    rejects(
        &backprop(&["train", "--dataset", "iris", "--layers", "5,8,3"]),
        "training",
        &["starts with 5 inputs but the data has 4 features"],
    );
    rejects(
        &backprop(&["train", "--dataset", "iris", "--layers", "4,8,2"]),
        "training",
        &["ends with 2 outputs but the data has 3 classes"],
    );
    rejects(
        &backprop(&["train", "--dataset", "nope"]),
        "nope",
        &["unknown dataset", "iris"],
    );
    rejects(
        &backprop(&["train", "--dataset", "iris", "--optimizer", "rprop"]),
        "training",
        &["--batch-size full"],
    );
    let err = backprop(&["train", "--dataset", "iris", "--optimizer", "fast"]);
    assert_eq!(err.status.code(), Some(2));
}

#[test]
fn the_printed_config_trains_the_same_as_the_flags() {
    let config = temp("iris.toml");
    let flags = [
        "--dataset",
        "iris",
        "--layers",
        "4,6,3",
        "--activation",
        "tanh",
        "--epochs",
        "3",
        "--seed",
        "9",
    ];
    let toml = ok(&backprop(
        &[&["train", "--print-config"][..], &flags[..]].concat(),
    ));
    assert!(
        toml.contains("[training.optimizer]") && toml.contains("layers = ["),
        "{toml}"
    );
    std::fs::write(&config, toml).unwrap();
    let (a, b) = (temp("flags.safetensors"), temp("config.safetensors"));
    ok(&backprop(
        &[&["train", "--quiet", "--out", s(&a)][..], &flags[..]].concat(),
    ));
    ok(&backprop(&[
        "train",
        "--quiet",
        "--config",
        s(&config),
        "--out",
        s(&b),
    ]));
    assert_eq!(
        Model::load(&a).unwrap().network,
        Model::load(&b).unwrap().network
    );
}

#[test]
fn a_regression_csv_trains_and_reports_mse_and_r2() {
    // y = 2·a − b + noise-free, 200 rows on a grid: a linear target a small network fits.
    let mut csv = String::from("a,b,y\n");
    for i in 0..200 {
        let (a, b) = ((i % 20) as f64 / 10.0 - 1.0, (i / 20) as f64 / 5.0 - 1.0);
        csv += &format!("{a},{b},{}\n", 2.0 * a - b);
    }
    let data = temp("linear.csv");
    std::fs::write(&data, csv).unwrap();
    let model = temp("linear.safetensors");
    ok(&backprop(&[
        "train",
        "--data",
        s(&data),
        "--layers",
        "2,8,1",
        "--activation",
        "tanh",
        "--epochs",
        "200",
        "--lr",
        "0.01",
        "--seed",
        "1",
        "--quiet",
        "--out",
        s(&model),
    ]));
    let e: serde_json::Value = serde_json::from_str(&ok(&backprop(&[
        "evaluate",
        "--model",
        s(&model),
        "--data",
        s(&data),
        "--format",
        "json",
    ])))
    .unwrap();
    assert!(e["r2"].as_f64().unwrap() > 0.99, "{e}");
    assert!(
        e["mse"].as_f64().unwrap() < 0.05 && e.get("accuracy").is_none(),
        "{e}"
    );
    let about = ok(&backprop(&["inspect", "--model", s(&model)]));
    assert!(
        about.contains("targets  y") && about.contains("Regression"),
        "{about}"
    );
}

#[test]
fn decision_regions_of_a_2d_classifier_are_drawn() {
    let png = temp("moons.png");
    ok(&backprop(&[
        "train",
        "--dataset",
        "moons",
        "--samples",
        "200",
        "--layers",
        "2,8,2",
        "--activation",
        "tanh",
        "--epochs",
        "20",
        "--quiet",
        "--plot-boundary",
        s(&png),
    ]));
    assert!(std::fs::read(&png)
        .unwrap()
        .starts_with(b"\x89PNG\r\n\x1a\n"));
    rejects(
        &backprop(&[
            "train",
            "--dataset",
            "iris",
            "--plot-boundary",
            s(&temp("iris-regions.png")),
        ]),
        "training",
        &["decision regions need 2-D inputs; the data has 4 features"],
    );
}
