//! The program end to end: output on the happy path, and one clear line with exit code 2
//! for each kind of bad input.

use std::path::PathBuf;

mod common;
use common::backprop;

/// Writes `text` to a fresh file named `name` and returns its path.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The tutorial's spec with one substring replaced.
fn tutorial_with(from: &str, to: &str) -> String {
    let text = include_str!("../../../examples/tutorial.json");
    assert!(text.contains(from), "{from} not in the tutorial spec");
    text.replacen(from, to, 1)
}

/// Runs `explain --spec` on `text` and checks the failure is clean: exit code 2, one
/// line on stderr naming the file and containing `expected`, nothing on stdout.
#[track_caller]
fn rejects(name: &str, text: &str, expected: &[&str]) {
    let path = file(name, text);
    let out = backprop(&["explain", "--spec", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(name), "names the file: {stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in: {stderr}");
    }
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

#[test]
fn explain_prints_the_tutorials_round_and_tables() {
    let out = backprop(&["explain"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // Numbers from shared/reference/seed-example.md.
    for expected in [
        "0.593269992",
        "0.751365070",
        "0.298371109",
        "0.082167041",
        "0.358916480",
        "0.036350306",
        "0.000438568",
        "0.149780716",
        "0.291027773694",
        "3.51018778298e-5",
        "0.015912196",
    ] {
        assert!(text.contains(expected), "{expected} missing");
    }
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
}

#[test]
fn explain_in_chinese_spanish_and_markdown() {
    let zh =
        String::from_utf8(backprop(&["explain", "--lang", "zh", "--rounds", "10"]).stdout).unwrap();
    assert!(zh.contains("前向传播") && zh.contains("反向传播") && zh.contains("0.082167041"));
    let es =
        String::from_utf8(backprop(&["explain", "--lang", "es", "--rounds", "10"]).stdout).unwrap();
    assert!(es.starts_with("Retropropagación, paso a paso\n"));
    assert!(es.contains("Propagación hacia adelante") && es.contains("Propagación hacia atrás"));
    assert!(es.contains("∂E_total/∂w5 = ∂E_total/∂out_o1 × ∂out_o1/∂net_o1 × ∂net_o1/∂w5"));
    assert!(es.contains("0.082167041"));
    let md =
        String::from_utf8(backprop(&["explain", "--format", "markdown", "--rounds", "10"]).stdout)
            .unwrap();
    assert!(md.starts_with("# "));
    assert!(
        md.contains("```math")
            && md.contains("\\frac{\\partial E_{\\mathrm{total}}}{\\partial w_{5}}")
    );
}

#[test]
fn explain_json_follows_the_documented_schema() {
    let out = backprop(&[
        "explain",
        "--format",
        "json",
        "--rounds",
        "3",
        "--show",
        "2",
        "--order",
        "published",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["order"], "published");
    assert_eq!(v["network"]["layers"][1]["weights"][0][0], 0.4);
    let rounds = v["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2);
    let layer = &rounds[0]["layers"][1];
    for key in [
        "input",
        "net",
        "out",
        "d_out",
        "d_net",
        "grad_weights",
        "grad_bias",
        "weights_before",
        "weights_after",
        "bias_before",
        "bias_after",
    ] {
        assert!(!layer[key].is_null(), "{key} missing");
    }
    // Full f64 precision: ∂E/∂w5 as JAX computes it (tests/data/reference_vectors.json).
    let g = layer["grad_weights"][0][0].as_f64().unwrap();
    assert!((g - 0.0821670405642308).abs() < 1e-15);
    assert_eq!(layer["bias_before"], 0.6, "a shared bias is a number");
    assert_eq!(v["milestones"].as_array().unwrap().len(), 2); // after 1 and 3 rounds
}

#[test]
fn toml_specs_work_like_json() {
    let toml = r#"
inputs = 2
loss = "half_sse"
learning_rate = 0.5
train_bias = false

[[layers]]
size = 2
activation = "sigmoid"
weights = [[0.15, 0.20], [0.25, 0.30]]
bias = 0.35

[[layers]]
size = 2
activation = "sigmoid"
weights = [[0.40, 0.45], [0.50, 0.55]]
bias = 0.60

[[samples]]
input = [0.05, 0.10]
target = [0.01, 0.99]
"#;
    let path = file("tutorial.toml", toml);
    let out = backprop(&["explain", "--spec", path.to_str().unwrap(), "--rounds", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("0.082167041"));
}

#[test]
fn gradcheck_passes_on_the_tutorial_and_reports_the_worst_entry() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/tutorial.json");
    let out = backprop(&["gradcheck", "--spec", spec]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("checked 10 parameters")
            && text.contains("worst relative error")
            && text.contains("PASS")
    );
    // An impossible tolerance fails with exit code 1.
    let out = backprop(&["gradcheck", "--spec", spec, "--tolerance", "0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("FAIL"));
}

#[test]
fn a_syntax_error_names_the_line_and_column() {
    rejects(
        "syntax.json",
        "{\n  \"inputs\": 2,\n  \"layers\": [,]\n}",
        &["syntax.json:3:14", "expected"],
    );
    rejects(
        "syntax.toml",
        "inputs = 2\nlayers = [\n",
        &["syntax.toml:3:1", "invalid array, expected `]`"],
    );
}

#[test]
fn weights_of_the_wrong_shape() {
    rejects(
        "rows.json",
        &tutorial_with("[[0.40, 0.45], [0.50, 0.55]]", "[[0.40, 0.45]]"),
        &[
            "layers[1].weights",
            "has 1 rows but the layer has 2 neurons",
        ],
    );
    rejects(
        "columns.json",
        &tutorial_with("[0.25, 0.30]", "[0.25, 0.30, 0.1]"),
        &["layers[0].weights[1]", "has 3 values but the network has 2"],
    );
}

#[test]
fn an_unknown_activation_or_loss_lists_the_known_ones() {
    rejects(
        "activation.json",
        &tutorial_with("\"activation\": \"sigmoid\"", "\"activation\": \"sigmod\""),
        &[
            "activation.json:4:",
            "unknown variant `sigmod`",
            "sigmoid",
            "leaky_relu",
        ],
    );
    rejects(
        "loss.json",
        &tutorial_with("\"half_sse\"", "\"hinge\""),
        &[
            "unknown variant `hinge`",
            "half_sse",
            "binary_cross_entropy",
        ],
    );
}

#[test]
fn a_non_finite_number() {
    rejects(
        "huge.json",
        &tutorial_with("0.35", "1e999"),
        &["huge.json:4:", "number out of range"],
    );
    let toml = "inputs = 1\nloss = \"mse\"\nlearning_rate = 0.1\n[[layers]]\nsize = 1\nactivation = \"identity\"\nweights = [[nan]]\n[[samples]]\ninput = [1.0]\ntarget = [1.0]\n";
    rejects(
        "nan.toml",
        toml,
        &["layers[0].weights[0][0]", "NaN is not a finite number"],
    );
}

#[test]
fn no_samples_or_a_sample_of_the_wrong_length() {
    rejects(
        "empty.json",
        &tutorial_with(
            "[{\"input\": [0.05, 0.10], \"target\": [0.01, 0.99]}]",
            "[]",
        ),
        &["samples", "no samples"],
    );
    rejects(
        "short.json",
        &tutorial_with("[0.05, 0.10]", "[0.05]"),
        &[
            "samples[0].input",
            "has 1 values but the network has 2 inputs",
        ],
    );
    rejects(
        "target.json",
        &tutorial_with("[0.01, 0.99]", "[0.01]"),
        &[
            "samples[0].target",
            "has 1 values but the network has 2 outputs",
        ],
    );
}

#[test]
fn softmax_on_a_hidden_layer() {
    rejects(
        "softmax.json",
        &tutorial_with("\"activation\": \"sigmoid\"", "\"activation\": \"softmax\""),
        &[
            "layers[0].activation",
            "softmax is for the output layer only",
        ],
    );
}

#[test]
fn a_learning_rate_that_is_not_positive() {
    rejects(
        "zero.json",
        &tutorial_with("0.5,", "0,"),
        &["learning_rate", "greater than 0, got 0"],
    );
    rejects(
        "negative.json",
        &tutorial_with("0.5,", "-0.1,"),
        &["learning_rate", "got -0.1"],
    );
}

#[test]
fn a_log_loss_on_outputs_outside_zero_one() {
    let text = tutorial_with("\"half_sse\"", "\"cross_entropy\"").replace(
        "\"size\": 2, \"activation\": \"sigmoid\", \"weights\": [[0.40",
        "\"size\": 2, \"activation\": \"relu\", \"weights\": [[0.40",
    );
    rejects(
        "log.json",
        &text,
        &[
            "loss",
            "cross_entropy needs outputs between 0 and 1",
            "not relu",
        ],
    );
}

#[test]
fn a_missing_file() {
    let out = backprop(&["explain", "--spec", "no/such/spec.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("cannot read no/such/spec.json") && stderr.contains("No such file"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn an_unknown_field_is_a_typo_not_silence() {
    rejects(
        "typo.json",
        &tutorial_with("\"learning_rate\"", "\"learning_rat\""),
        &["unknown field `learning_rat`", "learning_rate"],
    );
}

#[test]
fn backprop_simd_pins_the_instruction_set_or_says_what_is_wrong() {
    let run = |value: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_backprop"))
            .args(["explain", "--rounds", "10", "--format", "json"])
            .env("BACKPROP_SIMD", value)
            .output()
            .unwrap()
    };
    // The tutorial's products are plain loops whatever the set: the same trace.
    let scalar = run("scalar");
    assert_eq!(scalar.status.code(), Some(0));
    assert_eq!(scalar.stdout, run("auto").stdout);
    let bad = run("sse9");
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("BACKPROP_SIMD")
            && stderr
                .contains("unknown instruction set `sse9`; expected one of scalar, avx2, avx512"),
        "{stderr}"
    );
}

#[test]
fn an_optimizer_with_an_unknown_field_or_an_impossible_value() {
    let with = |optimizer: &str| {
        tutorial_with(
            "\"learning_rate\": 0.5,",
            &format!("\"learning_rate\": 0.5, \"optimizer\": {optimizer},"),
        )
    };
    rejects(
        "opt-field.json",
        &with(r#"{"kind": "adam", "momentum": 0.9}"#),
        &[
            ":8:",
            "unknown field `momentum`, expected one of `beta1`, `beta2`, `epsilon`",
        ],
    );
    rejects(
        "opt-beta.json",
        &with(r#"{"kind": "adam", "beta1": 1}"#),
        &["optimizer.beta1: must be in [0, 1), got 1"],
    );
    rejects(
        "opt-step.json",
        &with(r#"{"kind": "rprop", "initial_step": 60}"#),
        &["optimizer.initial_step: must be > 0 and within [step_min, step_max], got 60"],
    );
}
