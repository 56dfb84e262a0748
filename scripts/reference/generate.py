#!/usr/bin/env python3
"""Independent reference test vectors for the backprop engine.

Builds a fixed set of small dense networks (deterministically, from a fixed
seed), and for each one computes with JAX in float64:

  * the batch loss,
  * the gradient of the loss with respect to every weight and bias, obtained
    by automatic differentiation only (``jax.grad``; no derivative is written
    out by hand anywhere in this file),
  * the parameters after one plain gradient-descent step.

The result is written as JSON to
``crates/backprop-explain/tests/data/reference_vectors.json``.  Each case's ``spec``
object is in the engine's spec-file format, so the Rust tests can parse it
with the engine's own spec parser and compare the results.

Self-checks run before anything is written: the loss and every gradient entry
are recomputed in 60-digit arithmetic (mpmath forward pass; gradient by central
differences with a 1e-25 step, which is not a derivative formula either), and
a network is redrawn when any float64 gradient entry is not accurate to
GRAD_RTOL relative (i.e. when cancellation makes an entry ill-conditioned, so
that two correct float64 engines could disagree at the 1e-12 level). The
tutorial network must reproduce the published numbers.

Usage: scripts/reference/regenerate   (or: python generate.py [OUTPUT])
"""

import json
import math
import os
import sys

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import mpmath as mp  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

jax.config.update("jax_enable_x64", True)

SEED = 20240611
NUM_CASES = 40

HIDDEN_ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
VALID_OUTPUTS = {
    "half_sse": ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"],
    "mse": ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"],
    "cross_entropy": ["softmax", "sigmoid"],
    "binary_cross_entropy": ["sigmoid", "softmax"],
}
LOSS_OUTPUT_COMBOS = [(loss, act) for loss, acts in VALID_OUTPUTS.items() for act in acts]

# Generation limits.
RELU_MARGIN = 1e-6  # no relu / leaky_relu pre-activation this close to 0
MAX_ABS_NET = 6.0  # keep every pre-activation away from saturation
LOSS_RTOL = 1e-14  # float64 loss vs 60-digit evaluation
GRAD_RTOL = 2e-14  # float64 gradient entry vs 60-digit evaluation, per entry

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUTPUT = os.path.join(REPO_ROOT, "crates", "backprop", "tests", "data", "reference_vectors.json")


# --------------------------------------------------------------------------
# Model, written with JAX primitives only; gradients come from jax.grad.
# --------------------------------------------------------------------------

def activate(name, x):
    if name == "sigmoid":
        return 1.0 / (1.0 + jnp.exp(-x))
    if name == "tanh":
        return jnp.tanh(x)
    if name == "relu":
        return jnp.maximum(x, 0.0)
    if name == "leaky_relu":
        return jnp.where(x > 0.0, x, 0.01 * x)
    if name == "identity":
        return x
    if name == "softmax":  # row-wise over the neurons of the layer
        e = jnp.exp(x)
        return e / jnp.sum(e, axis=1, keepdims=True)
    raise ValueError(f"unknown activation {name!r}")


def forward(params, activations, x):
    """params: list of (W, b); W has shape (size, fan_in), b is () or (size,)."""
    h = x
    nets = []
    for (w, b), act in zip(params, activations):
        net = h @ w.T + b
        nets.append(net)
        h = activate(act, net)
    return h, nets


def loss_fn(loss, out, t):
    batch, k = out.shape
    if loss == "half_sse":
        return jnp.sum(0.5 * (t - out) ** 2) / batch
    if loss == "mse":
        return jnp.sum((t - out) ** 2) / (batch * k)
    if loss == "cross_entropy":
        return jnp.sum(-t * jnp.log(out)) / batch
    if loss == "binary_cross_entropy":
        return jnp.sum(-(t * jnp.log(out) + (1.0 - t) * jnp.log(1.0 - out))) / (batch * k)
    raise ValueError(f"unknown loss {loss!r}")


def make_objective(activations, loss, x, t):
    def objective(params):
        out, _ = forward(params, activations, x)
        return loss_fn(loss, out, t)

    return objective


# --------------------------------------------------------------------------
# High-precision forward pass (mpmath), used only to check the JAX results.
# --------------------------------------------------------------------------

def mp_activate(name, row):
    if name == "sigmoid":
        return [1 / (1 + mp.exp(-v)) for v in row]
    if name == "tanh":
        return [mp.tanh(v) for v in row]
    if name == "relu":
        return [v if v > 0 else mp.mpf(0) for v in row]
    if name == "leaky_relu":
        return [v if v > 0 else v / 100 for v in row]
    if name == "identity":
        return list(row)
    if name == "softmax":
        e = [mp.exp(v) for v in row]
        total = mp.fsum(e)
        return [v / total for v in e]
    raise ValueError(name)


def mp_loss(spec, flat):
    """Loss of `spec` with its parameters replaced by the mpf vector `flat`
    (weights row-major then bias, layer by layer, as in `flatten`)."""
    layers, i = [], 0
    for layer in spec["layers"]:
        size, fan_in = len(layer["weights"]), len(layer["weights"][0])
        w = [flat[i + r * fan_in:i + (r + 1) * fan_in] for r in range(size)]
        i += size * fan_in
        if isinstance(layer["bias"], list):
            b = flat[i:i + size]
            i += size
        else:
            b = [flat[i]] * size
            i += 1
        layers.append((w, b, layer["activation"]))
    loss = spec["loss"]
    total = mp.mpf(0)
    for sample in spec["samples"]:
        h = [mp.mpf(v) for v in sample["input"]]
        for w, b, act in layers:
            h = mp_activate(act, [mp.fsum(wr[c] * h[c] for c in range(len(h))) + b[r] for r, wr in enumerate(w)])
        t = [mp.mpf(v) for v in sample["target"]]
        if loss == "half_sse":
            total += mp.fsum((tk - ok) ** 2 for tk, ok in zip(t, h)) / 2
        elif loss == "mse":
            total += mp.fsum((tk - ok) ** 2 for tk, ok in zip(t, h)) / len(h)
        elif loss == "cross_entropy":
            total += mp.fsum(-tk * mp.log(ok) for tk, ok in zip(t, h))
        else:
            total += mp.fsum(-(tk * mp.log(ok) + (1 - tk) * mp.log(1 - ok)) for tk, ok in zip(t, h)) / len(h)
    return total / len(spec["samples"])


def mp_gradient(spec, flat):
    """Central differences in 60-digit arithmetic (truncation ~1e-50)."""
    h = mp.mpf(10) ** -25
    grad = []
    for i in range(len(flat)):
        plus, minus = list(flat), list(flat)
        plus[i] += h
        minus[i] -= h
        grad.append((mp_loss(spec, plus) - mp_loss(spec, minus)) / (2 * h))
    return grad


# --------------------------------------------------------------------------
# Spec <-> arrays
# --------------------------------------------------------------------------

def spec_params(spec):
    return [
        (jnp.asarray(layer["weights"], dtype=jnp.float64), jnp.asarray(layer["bias"], dtype=jnp.float64))
        for layer in spec["layers"]
    ]


def spec_batch(spec):
    x = jnp.asarray([s["input"] for s in spec["samples"]], dtype=jnp.float64)
    t = jnp.asarray([s["target"] for s in spec["samples"]], dtype=jnp.float64)
    return x, t


def to_json_value(a):
    a = np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError("non-finite value")
    if a.ndim == 0:
        return float(a)
    return [to_json_value(v) for v in a]


def layer_record(w, b):
    return {"weights": to_json_value(w), "bias": to_json_value(b)}


def flatten(params):
    return np.concatenate([np.ravel(np.asarray(p)) for wb in params for p in wb])


def evaluate(spec):
    """Loss, gradients (jax.grad) and the parameters after one step."""
    params = spec_params(spec)
    x, t = spec_batch(spec)
    activations = [layer["activation"] for layer in spec["layers"]]
    objective = make_objective(activations, spec["loss"], x, t)

    loss, grads = jax.value_and_grad(objective)(params)
    lr = spec["learning_rate"]
    after = []
    for (w, b), (gw, gb) in zip(params, grads):
        new_w = w - lr * gw
        new_b = b - lr * gb if spec["train_bias"] else b
        after.append((new_w, new_b))
    return float(loss), grads, after, params


# --------------------------------------------------------------------------
# Self-checks
# --------------------------------------------------------------------------

def check_case(spec, loss, grads, params, name):
    """Compare with the high-precision evaluation. Returns False when a
    float64 gradient entry is not accurate to GRAD_RTOL (cancellation); the
    caller then draws a new network. Raises on anything worse."""
    with mp.workdps(60):
        flat = [mp.mpf(float(v)) for v in flatten(params)]
        exact_loss = mp_loss(spec, flat)
        if abs(loss - exact_loss) > LOSS_RTOL * abs(exact_loss):
            raise AssertionError(f"{name}: loss {loss!r} vs exact {mp.nstr(exact_loss, 20)}")
        exact_grad = mp_gradient(spec, flat)
        ok = True
        for g, e in zip(flatten(grads), exact_grad):
            err = abs(float(g) - e)
            if err > 1e-6 * max(1, abs(e)) + mp.mpf(10) ** -30:
                raise AssertionError(f"{name}: gradient {g!r} vs exact {mp.nstr(e, 20)}")
            if err > GRAD_RTOL * abs(e) + mp.mpf(10) ** -30:
                ok = False
        return ok


def acceptable_network(spec):
    """Forward-pass conditions on the drawn network (see module limits)."""
    params = spec_params(spec)
    x, _ = spec_batch(spec)
    activations = [layer["activation"] for layer in spec["layers"]]
    _, nets = forward(params, activations, x)
    for net, act in zip(nets, activations):
        net = np.asarray(net)
        if np.any(np.abs(net) > MAX_ABS_NET):
            return False
        if act in ("relu", "leaky_relu") and np.any(np.abs(net) < RELU_MARGIN):
            return False
    return True


def gradients_informative(case):
    """Every layer must get at least one nonzero weight gradient."""
    return all(np.any(np.asarray(layer["weights"]) != 0.0) for layer in case["grads"])


# --------------------------------------------------------------------------
# Random networks
# --------------------------------------------------------------------------

def draw_targets(rng, loss, out_act, batch, k):
    if loss == "cross_entropy":
        if rng.random() < 0.5:  # one-hot rows
            t = np.zeros((batch, k))
            t[np.arange(batch), rng.integers(0, k, size=batch)] = 1.0
        else:  # random distributions, each row summing to exactly 1.0
            t = rng.dirichlet(np.ones(k), size=batch)
            for row in t:
                row[-1] = 1.0 - math.fsum(row[:-1])
                while sum(float(v) for v in row) != 1.0:
                    row[-1] = np.nextafter(row[-1], 0.0 if sum(float(v) for v in row) > 1.0 else 1.0)
                assert row[-1] >= 0.0
        return t
    if loss == "binary_cross_entropy":
        t = rng.uniform(0.0, 1.0, size=(batch, k))
        if rng.random() < 0.5:  # some exact 0 / 1 targets
            mask = rng.random(size=(batch, k)) < 0.5
            t[mask] = np.round(t[mask])
        return t
    if out_act in ("sigmoid", "softmax"):
        return rng.uniform(0.0, 1.0, size=(batch, k))
    return rng.uniform(-1.0, 1.0, size=(batch, k))


def draw_spec(rng, index):
    loss, out_act = LOSS_OUTPUT_COMBOS[index % len(LOSS_OUTPUT_COMBOS)]
    n_layers = 1 + (index + index // len(LOSS_OUTPUT_COMBOS)) % 4
    inputs = int(rng.integers(1, 7))
    sizes = [int(rng.integers(1, 7)) for _ in range(n_layers - 1)]
    sizes.append(int(rng.integers(2, 7)) if out_act == "softmax" else int(rng.integers(1, 7)))
    activations = [str(rng.choice(HIDDEN_ACTIVATIONS)) for _ in range(n_layers - 1)] + [out_act]
    batch = int(rng.integers(1, 6))

    layers = []
    fan_in = inputs
    for size, act in zip(sizes, activations):
        w = rng.normal(0.0, 1.5 / math.sqrt(fan_in), size=(size, fan_in))
        if rng.random() < 0.5:
            bias = float(rng.normal(0.0, 0.5))
        else:
            bias = [float(v) for v in rng.normal(0.0, 0.5, size=size)]
        layers.append({"size": size, "activation": act, "weights": to_json_value(w), "bias": bias})
        fan_in = size

    x = rng.uniform(-1.0, 1.0, size=(batch, inputs))
    t = draw_targets(rng, loss, out_act, batch, sizes[-1])
    return {
        "inputs": inputs,
        "layers": layers,
        "loss": loss,
        "learning_rate": float(rng.uniform(0.01, 1.0)),
        "train_bias": bool(index % 2 == 0),
        "order": "textbook",
        "samples": [{"input": to_json_value(xi), "target": to_json_value(ti)} for xi, ti in zip(x, t)],
    }


def tutorial_spec():
    return {
        "inputs": 2,
        "layers": [
            {"size": 2, "activation": "sigmoid", "weights": [[0.15, 0.20], [0.25, 0.30]], "bias": 0.35},
            {"size": 2, "activation": "sigmoid", "weights": [[0.40, 0.45], [0.50, 0.55]], "bias": 0.60},
        ],
        "loss": "half_sse",
        "learning_rate": 0.5,
        "train_bias": False,
        "order": "textbook",
        "samples": [{"input": [0.05, 0.10], "target": [0.01, 0.99]}],
    }


def make_case(name, spec):
    loss, grads, after, params = evaluate(spec)
    if not check_case(spec, loss, grads, params, name):
        return None
    return {
        "name": name,
        "spec": spec,
        "loss": loss,
        "grads": [layer_record(gw, gb) for gw, gb in grads],
        "after": [layer_record(w, b) for w, b in after],
    }


def check_coverage(cases):
    specs = [c["spec"] for c in cases]
    combos = {(s["loss"], s["layers"][-1]["activation"]) for s in specs}
    assert combos == set(LOSS_OUTPUT_COMBOS), "loss/output activation combinations"
    hidden = {l["activation"] for s in specs for l in s["layers"][:-1]}
    assert hidden == set(HIDDEN_ACTIVATIONS), f"hidden activations {hidden}"
    assert {len(s["layers"]) for s in specs} == {1, 2, 3, 4}, "layer counts"
    assert {l["size"] for s in specs for l in s["layers"]} == set(range(1, 7)), "layer sizes"
    assert {len(s["samples"]) for s in specs} == set(range(1, 6)), "batch sizes"
    assert {s["train_bias"] for s in specs} == {True, False}, "train_bias"
    kinds = [{isinstance(l["bias"], float) for l in s["layers"]} for s in specs]
    assert any(k == {True} for k in kinds), "network with shared biases only"
    assert any(k == {False} for k in kinds), "network with per-neuron biases only"
    assert any(k == {True, False} for k in kinds), "network mixing shared and per-neuron biases"


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT

    tutorial = make_case("tutorial", tutorial_spec())
    assert tutorial is not None
    assert round(tutorial["loss"], 9) == 0.298371109, tutorial["loss"]
    assert round(tutorial["grads"][1]["weights"][0][0], 9) == 0.082167041, tutorial["grads"][1]

    rng = np.random.default_rng(SEED)
    cases = [tutorial]
    rejected = {"forward pass": 0, "conditioning": 0, "zero gradient": 0}
    for index in range(NUM_CASES):
        while True:
            spec = draw_spec(rng, index)
            if not acceptable_network(spec):
                rejected["forward pass"] += 1
                continue
            case = make_case(f"case-{index:03d}", spec)
            if case is None:
                rejected["conditioning"] += 1
                continue
            if not gradients_informative(case):
                rejected["zero gradient"] += 1
                continue
            break
        cases.append(case)
    check_coverage(cases[1:])

    header = {"generator": f"scripts/reference/generate.py (JAX {jax.__version__}, float64)"}
    body = ",\n".join("  " + json.dumps(c, allow_nan=False, separators=(",", ":")) for c in cases)
    text = "{\n" + f' "generator": {json.dumps(header["generator"])},\n' + ' "cases": [\n' + body + "\n ]\n}\n"
    json.loads(text)  # well-formed

    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, output)
    print(f"wrote {len(cases)} cases to {os.path.relpath(output)}; networks redrawn: {rejected}")


if __name__ == "__main__":
    main()
