//! `backprop check` end to end: exit codes, the JSON verdicts, and each kind of bad
//! answers file refused with its line and exit code 2. Values are the tutorial's
//! (Mazur, "A Step by Step Backpropagation Example": w5⁺ = 0.35891648, w6⁺ =
//! 0.408666186, E_total = 0.298371109).

mod common;
use common::{backprop, ok, rejects, s, temp};

/// Writes an answers file into the scratch space.
fn answers(name: &str, text: &str) -> std::path::PathBuf {
    let path = temp("check", name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn right_answers_exit_0() {
    let file = answers("right.txt", "# round 1\nw5+ = 0.358916\nE_total = 0.2984\n");
    let out = ok(&backprop(&["check", s(&file)]));
    assert!(out.contains("line 2: w5⁺ = 0.358916: right."), "{out}");
    assert!(out.contains("2 right, 0 off by rounding, 0 wrong"), "{out}");
}

#[test]
fn a_wrong_answer_exits_1_with_its_mistake_in_json() {
    // w5 + η·∂E/∂w5 = 0.40 + 0.5 × 0.0821670406 = 0.441084.
    let file = answers("wrong.txt", "w5+ = 0.441084\nw6+ = 0.408666\n");
    let out = backprop(&["check", s(&file), "--format", "json", "--lang", "es"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &json["answers"][0];
    assert_eq!(first["line"], 1);
    assert_eq!(first["name"], "w5+");
    assert_eq!(first["verdict"], "wrong");
    assert_eq!(first["mistake"], "added_update");
    assert!(first["message"].as_str().unwrap().contains("incorrecto"));
    assert_eq!(json["answers"][1]["verdict"], "right");
    assert_eq!(
        (json["right"].as_u64(), json["wrong"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn an_unknown_name_exits_1_with_the_nearest() {
    let file = answers("unknown.txt", "detla_o1 = 0.13\n");
    let out = backprop(&["check", s(&file)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("did you mean delta_o1"));
}

#[test]
fn each_bad_line_is_refused_with_its_line() {
    for (name, text, expected) in [
        (
            "no_equals.txt",
            "w5+ = 0.35\nw6 0.4\n",
            &["line 2", "expected NAME = VALUE"][..],
        ),
        (
            "no_name.txt",
            " = 0.4\n",
            &["line 1", "no name before '='"][..],
        ),
        (
            "not_number.txt",
            "w5+ = 0.35x\n",
            &["line 1", "\"0.35x\" is not a number"][..],
        ),
        (
            "infinite.txt",
            "\n\nw5+ = inf\n",
            &["line 3", "not a number"][..],
        ),
        (
            "bad_round.txt",
            "[round two]\nw5 = 0.4\n",
            &["line 1", "not a round from 1 to 100"][..],
        ),
        ("empty.txt", "# nothing yet\n", &["no answers"][..]),
    ] {
        let file = answers(name, text);
        rejects(&backprop(&["check", s(&file)]), expected);
    }
}

#[test]
fn an_unreadable_file_is_refused() {
    let missing = temp("check", "does-not-exist.txt");
    rejects(&backprop(&["check", s(&missing)]), &["cannot read"]);
    let binary = temp("check", "binary.txt");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    rejects(&backprop(&["check", s(&binary)]), &["cannot read"]);
}

#[test]
fn explain_names_lists_both_spellings() {
    let out = ok(&backprop(&["explain", "--names"]));
    for line in [
        "w5⁺",
        "w5+",
        "∂E_total/∂w5",
        "dE_total/dw5",
        "δ_o1",
        "delta_o1",
    ] {
        assert!(out.contains(line), "{line} in {out}");
    }
    assert!(out
        .lines()
        .any(|l| l.starts_with("∂E_total/∂out_h1") && l.ends_with("dE_total/dout_h1")));
}
