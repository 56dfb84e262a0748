"""Training with scikit-learn's conventions, on the shipped digits data, against the
program: the same split, settings and seed give the program's accuracy, and model files
go both ways."""

import csv
import pathlib

import backprop
import numpy as np
import pytest

from conftest import run

SETTINGS = ["--layers", "64,32,10", "--optimizer", "adam", "--epochs", "15", "--batch-size", "32", "--seed", "1"]


def read_split(path: pathlib.Path):
    """A CSV that `train --save-split` wrote: features, then the class column."""
    with path.open() as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    X = np.array([[float(v) for v in r[:-1]] for r in body], dtype=np.float64)
    y = np.array([int(r[-1]) for r in body])
    return header[:-1], X, y


@pytest.fixture(scope="module")
def cli_run(program, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    run(program, "train", "--dataset", "digits", *SETTINGS, "--save-split", str(out / "split"),
        "--out", str(out / "cli.safetensors"), "--quiet")
    return out


def test_digits_reach_the_program_s_accuracy(cli_run):
    _, X, y = read_split(cli_run / "split" / "train.csv")
    _, Xt, yt = read_split(cli_run / "split" / "test.csv")
    cli = backprop.load(cli_run / "cli.safetensors")
    cli_accuracy = cli.info["metrics"]["test"]["accuracy"] if "test" in cli.info["metrics"] else None
    if cli_accuracy is None:
        cli_accuracy = cli.score(Xt, yt)
    # The same samples (train.csv is the program's training part), network, optimizer,
    # batches and seed; float64 input is accepted and read as float32.
    net = backprop.MLPClassifier(hidden=[32], activation="relu", optimizer="adam", epochs=15, batch_size=32, seed=1)
    net.fit(X, y)
    assert len(net.history) == 15 and net.history[-1]["epoch"] == 15
    assert net.score(Xt, yt) == pytest.approx(cli_accuracy, abs=0.01)
    assert net.score(Xt, yt) > 0.9
    proba = net.predict_proba(Xt.astype(np.float32))
    assert proba.shape == (len(yt), 10) and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    assert list(net.classes_) == list(range(10))


def test_model_files_go_both_ways(cli_run, program, tmp_path):
    names, Xt, yt = read_split(cli_run / "split" / "test.csv")
    # The program's model in Python: the same probabilities as `backprop predict`.
    cli = backprop.load(cli_run / "cli.safetensors")
    done = run(program, "predict", "--model", str(cli_run / "cli.safetensors"), "--data", str(cli_run / "split" / "test.csv"))
    rows = list(csv.reader(done.stdout.splitlines()))
    expected = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    assert np.allclose(cli.predict_proba(Xt), expected, atol=1e-6)
    assert [str(c) for c in cli.predict(Xt)] == [r[0] for r in rows[1:]]
    # A model saved from Python, read by the program.
    _, X, y = read_split(cli_run / "split" / "train.csv")
    # Named features, so that the program matches the CSV's header to them.
    net = backprop.MLPClassifier(hidden=[16], epochs=3, seed=2).fit(X, y, feature_names=names)
    net.save(tmp_path / "py.safetensors")
    done = run(program, "predict", "--model", str(tmp_path / "py.safetensors"), "--data", str(cli_run / "split" / "test.csv"))
    rows = list(csv.reader(done.stdout.splitlines()))
    got = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    assert np.allclose(net.predict_proba(Xt), got, atol=1e-6)
    again = backprop.load(tmp_path / "py.safetensors")
    assert np.array_equal(again.predict(Xt), net.predict(Xt))


def test_labels_of_any_hashable_type_and_regression():
    X, y = backprop.load_dataset("iris")
    # Labels as tuples: any hashable value is a class.
    kinds = {c: ("iris", i) for i, c in enumerate(sorted(set(y)))}
    words = np.empty(len(y), dtype=object)
    words[:] = [kinds[c] for c in y]
    net = backprop.MLPClassifier(hidden=[8], epochs=100, learning_rate=0.01, seed=0).fit(X, words)
    assert set(net.predict(X)) <= set(kinds.values())
    assert net.score(X, words) > 0.8
    # A regression: y = 2·x₀ − x₁ on a grid, 1-D in and out.
    g = np.linspace(-1, 1, 21)
    Xr = np.array([[a, b] for a in g for b in g])
    yr = 2 * Xr[:, 0] - Xr[:, 1]
    reg = backprop.MLPRegressor(hidden=[16], activation="tanh", epochs=200, seed=0, learning_rate=0.01).fit(Xr, yr)
    assert reg.predict(Xr).shape == (len(yr),)
    assert reg.score(Xr, yr) > 0.95


def test_progress_reaches_the_callback_each_epoch():
    X, y = backprop.load_dataset("iris")
    seen = []
    backprop.MLPClassifier(hidden=[4], epochs=4, progress=seen.append).fit(X, y)
    assert [r["epoch"] for r in seen] == [1, 2, 3, 4]

    def fail(record):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        backprop.MLPClassifier(hidden=[4], epochs=4, progress=fail).fit(X, y)


def test_bad_training_input_raises():
    X, y = backprop.load_dataset("iris")
    with pytest.raises(TypeError):
        backprop.MLPClassifier().fit([["a", "b"], ["c", "d"]], [0, 1])
    with pytest.raises(ValueError, match="2-D"):
        backprop.MLPClassifier().fit(np.zeros(5), [0, 1, 0, 1, 0])
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="row 3, column 1 is NaN"):
        backprop.MLPClassifier().fit(bad, y)
    with pytest.raises(ValueError, match="at least 2 classes"):
        backprop.MLPClassifier().fit(X, ["a"] * len(X))
    with pytest.raises(ValueError, match="unknown"):
        backprop.MLPClassifier(optimizer="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="not fitted"):
        backprop.MLPClassifier().predict(X)
    net = backprop.MLPClassifier(hidden=[4], epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but the model was trained on 4"):
        net.predict(X[:, :3])
    with pytest.raises(FileNotFoundError):
        backprop.load("no-such-model.safetensors")


def test_the_instruction_set_can_be_pinned():
    X, y = backprop.load_dataset("digits")
    assert backprop.simd() in ("avx2", "avx512")
    widest = backprop.simd()
    fit = lambda: backprop.MLPClassifier(hidden=[128], epochs=2, seed=4).fit(X, y).predict_proba(X)
    automatic = fit()
    try:
        # The widest set pinned gives the automatic choice's bits; plain code agrees to rounding.
        assert backprop.simd(widest) == widest
        assert np.array_equal(fit(), automatic)
        assert backprop.simd("scalar") == "scalar"
        assert np.allclose(fit(), automatic, atol=1e-4)
        with pytest.raises(ValueError, match="unknown instruction set `neon`"):
            backprop.simd("neon")
    finally:
        backprop.simd("auto")
