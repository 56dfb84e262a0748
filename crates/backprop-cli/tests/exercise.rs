//! `backprop exercise` end to end: the same seed gives the same exercise, the template
//! carries its spec to `check`, and bad flags are refused.

mod common;
use common::{backprop, ok, rejects, s, scratch};

#[test]
fn an_exercise_is_made_and_checked_against_its_own_network() {
    let dir = scratch("exercise", "made");
    let (answers, solution) = (dir.join("answers.txt"), dir.join("solution.txt"));
    let args = [
        "exercise",
        "--seed",
        "7",
        "--answers",
        s(&answers),
        "--solution",
        s(&solution),
    ];
    let statement = ok(&backprop(&args));
    assert!(
        statement.contains("w5⁺") && statement.contains("w5+"),
        "{statement}"
    );
    assert_eq!(
        ok(&backprop(&args)),
        statement,
        "the same seed, the same exercise"
    );
    let other = ok(&backprop(&["exercise", "--seed", "8"]));
    assert_ne!(other, statement);
    let template = std::fs::read_to_string(&answers).unwrap();
    assert!(template.contains("\n# spec: {"), "{template}");
    assert!(template.contains("\nE_total = \n"), "{template}");
    assert!(std::fs::read_to_string(&solution)
        .unwrap()
        .contains("∂E_total/∂w5"));

    // Nothing filled in yet: no answers.
    rejects(&backprop(&["check", s(&answers)]), &["no answers"]);
    // A value (1.000, far from any error of this network): judged against the exercise's network, not the tutorial's.
    std::fs::write(
        &answers,
        template.replace("\nE_total = \n", "\nE_total = 1.000\n"),
    )
    .unwrap();
    let out = backprop(&["check", s(&answers), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = json["answers"][0]["expected"].as_f64().unwrap();
    // The tutorial's E_total is 0.298371109 (Mazur's published value).
    assert!((expected - 0.298371109).abs() > 1e-6, "{expected}");
    let right = template.replace("\nE_total = \n", &format!("\nE_total = {expected:.9}\n"));
    std::fs::write(&answers, right).unwrap();
    ok(&backprop(&["check", s(&answers)]));
}

#[test]
fn an_exercise_with_an_optimizer_asks_for_its_state() {
    let dir = scratch("exercise", "adam");
    let answers = dir.join("answers.txt");
    let statement = ok(&backprop(&[
        "exercise",
        "--seed",
        "3",
        "--optimizer",
        "adam",
        "--answers",
        s(&answers),
    ]));
    assert!(
        statement.contains("m(w5)⁺") && statement.contains("v(w5)+"),
        "{statement}"
    );
    assert!(statement.contains("The optimizer is Adam"), "{statement}");
    let template = std::fs::read_to_string(&answers).unwrap();
    assert!(
        template.contains("\"optimizer\":{\"kind\":\"adam\""),
        "{template}"
    );
    // m(w5)⁺ = (1 − β₁) × ∂E/∂w5 in the first round: the check knows the right value.
    let asked = template.replace("\nm(w5)+ = \n", "\nm(w5)+ = 1000\n");
    std::fs::write(&answers, &asked).unwrap();
    let out = backprop(&["check", s(&answers), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = json["answers"][0]["expected"].as_f64().unwrap();
    let grad = template.replace("\ndE_total/dw5 = \n", "\ndE_total/dw5 = 1000\n");
    std::fs::write(&answers, &grad).unwrap();
    let out = backprop(&["check", s(&answers), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let g = json["answers"][0]["expected"].as_f64().unwrap();
    assert!(
        (expected - 0.1 * g).abs() < 1e-12,
        "{expected} vs 0.1 × {g}"
    );
    std::fs::write(
        &answers,
        template.replace("\nm(w5)+ = \n", &format!("\nm(w5)+ = {expected:.9}\n")),
    )
    .unwrap();
    ok(&backprop(&["check", s(&answers)]));
}

#[test]
fn bad_layers_and_digits_are_refused() {
    rejects(
        &backprop(&["exercise", "--layers", "2"]),
        &["--layers", "1 to 4 layers"],
    );
    rejects(
        &backprop(&["exercise", "--layers", "2,x"]),
        &["--layers", "separated by commas"],
    );
    rejects(
        &backprop(&["exercise", "--layers", "2,9"]),
        &["--layers", "from 1 to 8"],
    );
    rejects(&backprop(&["exercise", "--digits", "5"]), &["--digits"]);
    rejects(
        &backprop(&["exercise", "--activation", "softmax", "--layers", "2,3,2"]),
        &["softmax"],
    );
}
