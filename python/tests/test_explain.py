"""Explanations, checks and exercises from Python. Expected numbers are the tutorial's
(Mazur, "A Step by Step Backpropagation Example"), as the Rust tests hold them."""

import json
import pathlib

import backprop
import pytest

W5_GRAD = 0.082167041  # ∂E_total/∂w5, the tutorial
W5_AFTER = 0.358916480  # w5⁺ = 0.4 − 0.5 × ∂E_total/∂w5, the tutorial


def test_the_tutorial_s_numbers_in_the_trace_and_the_text():
    ex = backprop.explain()
    round1 = ex.trace["rounds"][0]
    assert round1["loss"] == pytest.approx(0.298371109, abs=1e-9)
    assert round1["layers"][1]["grad_weights"][0][0] == pytest.approx(W5_GRAD, abs=1e-9)
    assert round1["layers"][1]["weights_after"][0][0] == pytest.approx(W5_AFTER, abs=1e-9)
    assert ex.trace["rounds_run"] == 10_000
    assert "= 0.082167041" in ex.text()
    assert "前向传播" in ex.text(lang="zh")
    md = ex.markdown()
    assert isinstance(md, backprop.Markdown) and md._repr_markdown_() == str(md)
    assert "\\begin{aligned}" in md


def test_the_trace_is_the_program_s(program):
    # The same schema and numbers as `backprop explain --format json`.
    import subprocess

    done = subprocess.run([program, "explain", "--format", "json", "--rounds", "100"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert backprop.explain(rounds=100).trace == json.loads(done.stdout)


def test_specs_as_dicts_text_and_paths(root):
    tutorial = json.loads((root / "examples" / "tutorial.json").read_text())
    # The tutorial's published figure after round 1: E_total = 0.291027924 (published order).
    ex = backprop.explain(tutorial, rounds=100, show=1, order="published")
    assert ex.trace["order"] == "published"
    assert ex.trace["milestones"][0]["loss"] == pytest.approx(0.291027924, abs=1e-9)
    same = backprop.explain(json.dumps(tutorial), rounds=100, show=1, order="published")
    assert same.trace == ex.trace
    adam = backprop.explain(root / "examples" / "adam.json", rounds=3, show=1)
    # One Adam step: m(w5)⁺ = (1 − 0.9) × ∂E/∂w5 (a hand derivation).
    state = adam.trace["rounds"][0]["layers"][1]["optimizer_state_after"]
    assert state["m"]["weights"][0][0] == pytest.approx(0.1 * W5_GRAD, abs=1e-9)
    toml = (root / "examples" / "softmax.toml").read_text()
    assert backprop.explain(toml, rounds=10).trace["network"]["loss"] == "cross_entropy"
    assert backprop.explain(str(root / "examples" / "softmax.toml"), rounds=10).trace["network"]["loss"] == "cross_entropy"


def test_the_page_displays_inline_and_stands_alone():
    ex = backprop.explain(rounds=10)
    shown = ex._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "sandbox=\"allow-scripts\"" in shown
    page = ex.html()
    assert page.startswith("<!doctype html>") and "0.082167041" in page
    # Nothing is fetched from another host: the page carries its scripts and fonts.
    assert "src=\"http" not in page and "href=\"http" not in page


def test_check_names_the_mistake():
    report = backprop.check("w5+ = 0.3589\nw5+ = 0.4411\n")
    assert [a["verdict"] for a in report["answers"]] == ["right", "wrong"]
    # w5 + η·∂E/∂w5 = 0.4 + 0.5 × 0.082167041 = 0.441083521: the update added.
    assert "added_update" in report["answers"][1]["mistakes"]
    assert report["right"] == 1 and report["wrong"] == 1


def test_an_exercise_and_its_check():
    ex = backprop.exercise(seed=3)
    assert ex == backprop.exercise(seed=3)
    assert "# spec:" in ex.answers
    # A template with blanks checks against the spec it carries: nothing to judge yet,
    # so one answer is added by hand from the solution's first value.
    first = next(line for line in ex.answers.splitlines() if line.endswith("= "))
    report = backprop.check(ex.answers.replace(first, first + "0", 1))
    assert len(report["answers"]) == 1
    page = backprop.exercise(seed=3, format="html")
    assert page._repr_html_().startswith("<iframe")
    adam = backprop.exercise(seed=3, optimizer="adam")
    assert "\nm(w5)+ = \n" in adam.answers and "The optimizer is Adam" in adam.statement
    with pytest.raises(ValueError, match="unknown optimizer `lbfgs`"):
        backprop.exercise(optimizer="lbfgs")


def test_bad_specs_raise_with_the_program_s_messages(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.json"):
        backprop.explain(str(tmp_path / "missing.json"))
    with pytest.raises(ValueError, match=r"^spec.json:1:\d+: missing field `layers`"):
        backprop.explain({"inputs": 2})
    with pytest.raises(ValueError, match="learning_rate: must be a finite number greater than 0"):
        spec = json.loads(pathlib.Path(__file__).parents[2].joinpath("examples", "tutorial.json").read_text())
        spec["learning_rate"] = -1
        backprop.explain(spec)
    with pytest.raises(ValueError, match="unknown update order `sideways`"):
        backprop.explain(order="sideways")
    with pytest.raises(TypeError):
        backprop.explain(42)
    with pytest.raises(ValueError, match="line 1: expected NAME = VALUE"):
        backprop.check("not an answer\n")
