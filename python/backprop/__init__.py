"""Backpropagation that shows its work.

The same engine as the ``backprop`` program, from Python:

- :func:`explain` runs a network and records every forward value, error, chain-rule
  factor, gradient and update; in Jupyter the result displays as the interactive page.
- :func:`check` judges a learner's own numbers and names the mistake behind a wrong
  one; :func:`exercise` makes a new network to practise on.
- :class:`MLPClassifier` and :class:`MLPRegressor` train multilayer perceptrons with
  scikit-learn's conventions (``fit``, ``predict``, ``predict_proba``, ``score``); their
  model files are the ones ``backprop train`` writes and ``backprop predict`` reads.

Bad input raises ``ValueError``, ``TypeError`` or ``FileNotFoundError`` with the
program's one-line messages.
"""

from __future__ import annotations

import html as _html
import inspect
import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from . import _native

__all__ = [
    "Exercise",
    "Explanation",
    "MLPClassifier",
    "MLPRegressor",
    "Markdown",
    "check",
    "exercise",
    "explain",
    "load",
    "load_dataset",
    "simd",
]

__version__ = "0.1.0"

def _iframe(page: str, title: str) -> str:
    """A self-contained page as notebook output: an iframe whose ``srcdoc`` holds it,
    its scripts allowed and nothing else."""
    return (
        f'<iframe srcdoc="{_html.escape(page, quote=True)}" title="{title}" sandbox="allow-scripts" '
        'style="width: 100%; height: 760px; border: 1px solid #ddd; border-radius: 8px"></iframe>'
    )


class Markdown(str):
    """Markdown text that Jupyter displays rendered."""

    def _repr_markdown_(self) -> str:
        return str(self)


def _looks_like_text(s: str) -> bool:
    """Whether ``s`` is a spec's text rather than a file's name."""
    return "\n" in s or s.lstrip().startswith("{") or ("=" in s and not os.path.exists(s))


def _spec(spec: Any) -> tuple[str | None, str]:
    """A spec given as a dict, JSON or TOML text, or a path: its text and a name whose
    extension tells the engine which format it is."""
    if spec is None:
        return None, "tutorial"
    if isinstance(spec, dict):
        return json.dumps(spec), "spec.json"
    if isinstance(spec, os.PathLike):
        spec = os.fspath(spec)
    if isinstance(spec, bytes):
        raise TypeError("spec must be a dict, JSON or TOML text, or a path, not bytes")
    if isinstance(spec, str):
        if _looks_like_text(spec):
            kind = "json" if spec.lstrip().startswith("{") else "toml"
            return spec, f"spec.{kind}"
        return _native.read_text(spec, "spec"), spec
    raise TypeError(f"spec must be a dict, JSON or TOML text, or a path, not {type(spec).__name__}")


class Explanation:
    """A recorded explanation: the JSON trace, text, Markdown and the page.

    In Jupyter it displays as the self-contained interactive page (every number
    clickable to its derivation), working offline.
    """

    def __init__(self, native: Any, lang: str = "en") -> None:
        self._native = native
        self.lang = lang
        self._trace: dict | None = None

    @property
    def trace(self) -> dict:
        """The JSON trace as Python dicts and lists: the schema of ``--format json``."""
        if self._trace is None:
            self._trace = json.loads(self._native.trace_json())
        return self._trace

    def text(self, lang: str | None = None) -> str:
        """The explanation as terminal text, in ``lang`` (``en``, ``zh`` or ``es``)."""
        return self._native.text(lang or self.lang)

    def markdown(self, lang: str | None = None) -> Markdown:
        """The explanation as Markdown with LaTeX; Jupyter displays it rendered."""
        return Markdown(self._native.markdown(lang or self.lang))

    def html(self, lang: str | None = None, view: str = "explain") -> str:
        """The self-contained page, opening on ``view`` (``explain`` or ``practice``)."""
        return self._native.html(lang or self.lang, view)

    def _repr_html_(self) -> str:
        return _iframe(self.html(), "backprop")

    def __repr__(self) -> str:
        rounds = self.trace["rounds_run"]
        return f"<backprop.Explanation: {rounds} rounds, {len(self.trace['rounds'])} shown>"


def explain(
    spec: dict | str | os.PathLike | None = None,
    rounds: int = 10_000,
    show: int = 1,
    order: str | None = None,
    lang: str = "en",
) -> Explanation:
    """Runs a network and records it, as ``backprop explain`` does.

    ``spec`` is a dict in the spec format, JSON or TOML text, or a path to a spec file;
    without one, the tutorial's network. ``rounds`` rounds are run, the first ``show``
    recorded in full; ``order`` is ``textbook`` or ``published`` (the spec's when None).
    The GIL is released while the engine runs.
    """
    text, name = _spec(spec)
    return Explanation(_native.explain(text, name, int(rounds), int(show), order), lang)


def check(answers: str | os.PathLike, spec: dict | str | os.PathLike | None = None, lang: str = "en") -> dict:
    """Checks a learner's answers (``NAME = VALUE`` lines, or a path to such a file)
    against ``spec``'s network; without one, the spec an exercise's template carries,
    else the tutorial. Returns the JSON of ``backprop check --format json``: each
    answer's verdict (``right``, ``rounding``, ``wrong``, ``unknown_name``), the mistakes
    that give a wrong number, and a message."""
    if isinstance(answers, os.PathLike) or (isinstance(answers, str) and "=" not in answers and os.path.exists(answers)):
        answers = _native.read_text(os.fspath(answers), "answers")
    if not isinstance(answers, str):
        raise TypeError(f"answers must be text or a path, not {type(answers).__name__}")
    text, name = _spec(spec)
    return json.loads(_native.check(answers, text, name, lang))


@dataclass(frozen=True)
class Exercise:
    """A new network to work through by hand: the statement, the answers template that
    :func:`check` reads (it carries the network), and the solution."""

    statement: str
    answers: str
    solution: str
    format: str

    def _repr_html_(self) -> str | None:
        if self.format != "html":
            return None
        return _iframe(self.statement, "backprop exercise")

    def _repr_markdown_(self) -> str | None:
        return self.statement if self.format == "markdown" else None


def exercise(
    layers: Sequence[int] = (2, 2, 2),
    activation: str = "sigmoid",
    loss: str = "half_sse",
    seed: int = 0,
    digits: int = 2,
    lang: str = "en",
    format: str = "text",
    optimizer: str | None = None,
) -> Exercise:
    """A new exercise, as ``backprop exercise`` makes it: ``layers`` is the number of
    inputs then each layer's size; numbers have ``digits`` decimals; the same seed
    gives the same exercise. ``format`` is ``text``, ``markdown`` or ``html`` (the page,
    opening on its Practice mode). ``optimizer`` (``momentum``, ``adam``, …, with its
    default settings) updates the weights instead of plain gradient descent, and its
    state is asked for too."""
    statement, answers, solution = _native.exercise(
        [int(n) for n in layers], activation, loss, int(seed), int(digits), lang, format, optimizer
    )
    return Exercise(statement, answers, solution, format)


def simd(name: str | None = None) -> str:
    """The instruction set the kernels use (``scalar``, ``avx2`` or ``avx512``). With a
    name, pins it first (``auto``: the widest this CPU has): the same seed then gives
    bit-identical weights on any machine that supports the set. ``BACKPROP_SIMD`` sets
    it on import."""
    return _native.simd(name)


def load_dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A dataset shipped with backprop (``digits``, ``iris``, ``xor``): its features as a
    float32 array and its targets (class names as strings, or float32 values)."""
    features, rows, cols, _names, labels, classes, values = _native.dataset(name)
    X = np.frombuffer(features, dtype="<f4").reshape(rows, cols).copy()
    if labels is not None:
        return X, np.asarray(classes, dtype=object)[np.asarray(labels)]
    return X, np.frombuffer(values, dtype="<f4").reshape(rows, -1).copy()


def _features(X: Any, what: str = "X") -> np.ndarray:
    """``X`` as a C-contiguous 2-D float32 array, or a TypeError/ValueError."""
    try:
        a = np.asarray(X)
    except Exception as e:  # ragged lists and the like
        raise ValueError(f"{what} cannot be read as an array: {e}") from None
    if a.dtype == object or a.dtype.kind not in "biuf":
        raise TypeError(f"{what} must hold numbers, not {a.dtype}")
    if a.ndim == 1:
        raise ValueError(f"{what} must be 2-D (samples × features); reshape a single feature with X.reshape(-1, 1)")
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"{what} must be 2-D with at least one sample and one feature, got shape {a.shape}")
    return np.ascontiguousarray(a, dtype="<f4")


def _objects(values: Iterable[Any]) -> np.ndarray:
    """A 1-D object array of ``values``, each kept whole (a tuple stays one label)."""
    values = list(values)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def _labels(y: Any) -> list[Any]:
    """The labels of ``y``, one per sample."""
    if isinstance(y, np.ndarray):
        return list(y.ravel())
    return list(y)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(float(v)) if isinstance(v, float) else str(int(v))


class _Estimator:
    """What both estimators share: the settings, the training call, saving."""

    _task = ""

    def __init__(
        self,
        hidden: Iterable[int] = (32,),
        activation: str = "relu",
        optimizer: str = "adam",
        learning_rate: float | None = None,
        epochs: int = 60,
        batch_size: int | str = 32,
        seed: int = 0,
        momentum: float = 0.9,
        weight_decay: float = 0.0,
        standardize: bool = True,
        validation_fraction: float = 0.0,
        patience: int | None = None,
        progress: Callable[[dict], Any] | None = None,
        tqdm: bool = False,
    ) -> None:
        self.hidden = list(hidden)
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.seed = seed
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.standardize = standardize
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.progress = progress
        self.tqdm = tqdm
        self.history: list[dict] = []
        self._model: Any = None

    def get_params(self, deep: bool = True) -> dict:
        """The settings, as scikit-learn's ``get_params``."""
        names = [n for n in inspect.signature(_Estimator.__init__).parameters if n != "self"]
        return {n: getattr(self, n) for n in names}

    def set_params(self, **params: Any) -> "_Estimator":
        """Changes settings, as scikit-learn's ``set_params``."""
        for k, v in params.items():
            if k not in self.get_params():
                raise ValueError(f"unknown setting `{k}`; expected one of {', '.join(self.get_params())}")
            setattr(self, k, v)
        return self

    def _config(self, inputs: int, outputs: int) -> str:
        data = {"validation": float(self.validation_fraction), "test": 0.0, "standardize": bool(self.standardize)}
        model = {"layers": [inputs, *[int(h) for h in self.hidden], outputs], "activation": self.activation}
        training: dict[str, Any] = {"epochs": int(self.epochs), "seed": int(self.seed)}
        training["batch_size"] = self.batch_size if self.batch_size == "full" else int(self.batch_size)
        if self.patience is not None:
            training["patience"] = int(self.patience)
        optimizer: dict[str, Any] = {"kind": self.optimizer, "momentum": float(self.momentum),
                                     "weight_decay": float(self.weight_decay)}
        lines = []
        for table, values in [("data", data), ("model", model), ("training", training), ("training.optimizer", optimizer)]:
            lines.append(f"[{table}]")
            lines.extend(f"{k} = {_toml_value(v)}" for k, v in values.items())
        return "\n".join(lines) + "\n"

    def _callback(self) -> tuple[Callable[[str], None] | None, Any]:
        """What the engine calls after each epoch (None when nothing listens), and the
        tqdm bar it moves, to close after the fit."""
        bar = None
        if self.tqdm:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                raise ImportError("tqdm=True needs the tqdm package: pip install tqdm") from None
            bar = tqdm(total=int(self.epochs), unit="epoch")
        user = self.progress
        if bar is None and user is None:
            return None, None

        def report(record_json: str) -> None:
            record = json.loads(record_json)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{record['train_loss']:.4f}")
            if user is not None:
                user(record)

        return report, bar

    def _fit(
        self, X: Any, labels: list[int] | None, classes: list[str], targets: np.ndarray | None,
        feature_names: Sequence[str] | None,
    ) -> None:
        # A DataFrame's columns name the features, as in scikit-learn.
        if feature_names is None and hasattr(X, "columns"):
            feature_names = [str(c) for c in X.columns]
        X = _features(X)
        names = [str(n) for n in feature_names] if feature_names is not None else []
        if names and len(names) != X.shape[1]:
            raise ValueError(f"feature_names has {len(names)} names for {X.shape[1]} features")
        callback, bar = self._callback()
        try:
            self._model = _native.fit(
                X.tobytes(), X.shape[0], X.shape[1], names, labels, classes,
                None if targets is None else targets.tobytes(),
                [] if targets is None else [f"y{j}" for j in range(targets.shape[1])],
                self._config(X.shape[1], len(classes) if labels is not None else targets.shape[1]),
                None if self.learning_rate is None else float(self.learning_rate),
                callback,
            )
        finally:
            if bar is not None:
                bar.close()
        self.history = json.loads(self._model.history_json())
        self.n_features_in_ = X.shape[1]

    def _outputs(self, X: Any) -> np.ndarray:
        if self._model is None:
            raise ValueError(f"this {type(self).__name__} is not fitted yet: call fit first")
        X = _features(X)
        out = self._model.predict(X.tobytes(), X.shape[0], X.shape[1])
        return np.frombuffer(out, dtype="<f4").reshape(X.shape[0], -1).copy()

    @property
    def info(self) -> dict:
        """The model file's description: layers, task, names, standardization, settings
        and final metrics."""
        if self._model is None:
            raise ValueError(f"this {type(self).__name__} is not fitted yet: call fit first")
        return json.loads(self._model.info_json())

    def save(self, path: str | os.PathLike) -> None:
        """Writes the model file (safetensors) that ``backprop predict --model`` reads."""
        if self._model is None:
            raise ValueError(f"this {type(self).__name__} is not fitted yet: call fit first")
        self._model.save(os.fspath(path))


def _class_value(name: str) -> Any:
    """A class name from a model file as the value it most likely was: an int when it
    reads as one, else the string."""
    try:
        return int(name)
    except ValueError:
        return name


class MLPClassifier(_Estimator):
    """A multilayer perceptron for classes, with scikit-learn's conventions: softmax
    outputs trained on cross-entropy; labels of any hashable type (``classes_`` keeps
    them in sorted order when they sort, else in order of appearance)."""

    _task = "classification"

    def fit(self, X: Any, y: Any, feature_names: Sequence[str] | None = None) -> "MLPClassifier":
        """Trains on ``X`` (samples × features, float32 or float64) and labels ``y``.
        ``feature_names`` (or a DataFrame's columns) name the features in the model file,
        as ``backprop predict`` expects them in a CSV header."""
        labels = _labels(y)
        try:
            classes = sorted(set(labels))
        except TypeError:
            classes = list(dict.fromkeys(labels))
        index = {c: i for i, c in enumerate(classes)}
        if len(classes) < 2:
            raise ValueError(f"y needs at least 2 classes, got {len(classes)}")
        self.classes_ = _objects(classes)
        self._fit(X, [index[c] for c in labels], [str(c) for c in classes], None, feature_names)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Each class's probability per sample, in the order of ``classes_``."""
        return self._outputs(X)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class per sample."""
        outputs = self._outputs(X)
        return self.classes_[np.argmax(outputs, axis=1)]

    def score(self, X: Any, y: Any) -> float:
        """Accuracy on ``X`` and ``y``."""
        truth = _labels(y)
        predicted = self.predict(X)
        if len(truth) != len(predicted):
            raise ValueError(f"X has {len(predicted)} samples but y has {len(truth)}")
        return float(np.mean([p == t for p, t in zip(predicted, truth)]))


class MLPRegressor(_Estimator):
    """A multilayer perceptron for real values, with scikit-learn's conventions:
    identity outputs trained on the mean squared error; ``y`` 1-D or 2-D."""

    _task = "regression"

    def fit(self, X: Any, y: Any, feature_names: Sequence[str] | None = None) -> "MLPRegressor":
        """Trains on ``X`` (samples × features) and values ``y`` (one or more per sample);
        ``feature_names`` as for :meth:`MLPClassifier.fit`."""
        t = np.asarray(y)
        if t.dtype == object or t.dtype.kind not in "biuf":
            raise TypeError(f"y must hold numbers, not {t.dtype}")
        self._flat = t.ndim == 1
        t = np.ascontiguousarray(t.reshape(len(t), -1), dtype="<f4")
        self._fit(X, None, [], t, feature_names)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The predicted values per sample (1-D when ``y`` was)."""
        out = self._outputs(X)
        return out[:, 0] if getattr(self, "_flat", False) and out.shape[1] == 1 else out

    def score(self, X: Any, y: Any) -> float:
        """The coefficient of determination R² on ``X`` and ``y``, as scikit-learn's."""
        t = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        p = np.asarray(self.predict(X), dtype=np.float64).reshape(len(t), -1)
        residual = ((t - p) ** 2).sum()
        total = ((t - t.mean(axis=0)) ** 2).sum()
        return float(1.0 - residual / total) if total > 0 else 0.0


def load(path: str | os.PathLike) -> MLPClassifier | MLPRegressor:
    """Reads a model file written by ``backprop train --out`` or by ``save``."""
    native = _native.load(os.fspath(path))
    info = json.loads(native.info_json())
    layers = info["layers"]
    hidden = [layer["size"] for layer in layers[:-1]]
    activation = layers[0]["activation"] if len(layers) > 1 else "relu"
    est: MLPClassifier | MLPRegressor
    if info["task"] == "classification":
        est = MLPClassifier(hidden=hidden, activation=activation)
        est.classes_ = _objects(_class_value(c) for c in info["class_names"])
    else:
        est = MLPRegressor(hidden=hidden, activation=activation)
    est._model = native
    est.n_features_in_ = len(info.get("feature_names", []))
    return est
