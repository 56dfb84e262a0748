#!/usr/bin/env python3
"""Reference vectors for the optimizers the explanation shows, from torch.optim.

For each optimizer (sgd, momentum, nesterov, adam, adamw, rprop) it draws 8 small
dense networks (deterministically, from a fixed seed) and trains each for 3 rounds
with PyTorch in float64: full batch, gradients by autograd, then one
``optimizer.step()`` (the textbook order: every gradient first, then every update).
After each round it records the loss of that round's forward pass, every parameter,
and every state tensor the optimizer keeps, under the names the engine's trace uses
(``m``/``v`` for ``exp_avg``/``exp_avg_sq``, ``momentum_buffer``, ``delta``/``prev_grad``
for Rprop's ``step_size``/``prev``).

Each case's ``spec`` is in the engine's spec format, with its ``optimizer`` object,
so the Rust tests parse it with the engine's own parser. A network is redrawn when a
gradient entry comes near 0 in any round (RPROP's choice of step would then hang on
the last bit), or a loss is not finite.

Before anything is written, one Adam step of the tutorial's network is checked
against a hand derivation: with m = v = 0 and t = 1 the bias corrections give
m̂ = g and √v̂ = |g|, so w5⁺ = 0.4 − 0.5 × g / (g + 1e-8) with the tutorial's
g = ∂E/∂w5 = 0.0821670406.

Usage: scripts/reference/regenerate-optimizers   (or: python optimizers.py [OUTPUT])
"""

import json
import math
import os
import random
import sys

import torch

torch.set_default_dtype(torch.float64)

SEED = 20261130
CASES_PER_OPTIMIZER = 8
ROUNDS = 3
MIN_GRAD = 1e-7

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUTPUT = os.path.join(
    REPO_ROOT, "crates", "backprop-explain", "tests", "data", "optimizer_vectors.json"
)

HIDDEN = ["sigmoid", "tanh", "identity"]
OUTPUTS = {"half_sse": ["sigmoid", "identity", "tanh"], "mse": ["sigmoid", "identity"],
           "cross_entropy": ["softmax"]}
STATE_NAMES = {"exp_avg": "m", "exp_avg_sq": "v", "momentum_buffer": "momentum_buffer",
               "step_size": "delta", "prev": "prev_grad"}


def activate(name, x):
    if name == "sigmoid":
        return torch.sigmoid(x)
    if name == "tanh":
        return torch.tanh(x)
    if name == "identity":
        return x
    if name == "softmax":
        return torch.softmax(x, dim=1)
    raise ValueError(name)


def loss_fn(loss, out, t):
    batch, k = out.shape
    if loss == "half_sse":
        return torch.sum(0.5 * (t - out) ** 2) / batch
    if loss == "mse":
        return torch.sum((t - out) ** 2) / (batch * k)
    if loss == "cross_entropy":
        return torch.sum(-t * torch.log(out)) / batch
    raise ValueError(loss)


def make_optimizer(spec, params):
    o, lr = spec["optimizer"], spec["learning_rate"]
    kind = o["kind"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=o["momentum"], nesterov=kind == "nesterov")
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"],
                                 weight_decay=o["weight_decay"])
    if kind == "rprop":
        return torch.optim.Rprop(params, lr=o["initial_step"], etas=(o["eta_minus"], o["eta_plus"]),
                                 step_sizes=(o["step_min"], o["step_max"]))
    raise ValueError(kind)


def as_json(t, shared=False):
    v = t.detach().tolist()
    return v


def train(spec):
    """Rounds of `spec` with torch: per round the loss, the parameters after it and the
    optimizer's state after it; None when a gradient comes near 0 or a value is not finite."""
    params = []
    for layer in spec["layers"]:
        w = torch.tensor(layer["weights"], requires_grad=True)
        b = torch.tensor(layer["bias"], requires_grad=True)
        params.append((w, b))
    flat = [p for pair in params for p in pair]
    opt = make_optimizer(spec, flat)
    x = torch.tensor([s["input"] for s in spec["samples"]])
    t = torch.tensor([s["target"] for s in spec["samples"]])
    acts = [layer["activation"] for layer in spec["layers"]]
    rounds = []
    for _ in range(ROUNDS):
        opt.zero_grad()
        h = x
        for (w, b), act in zip(params, acts):
            h = activate(act, h @ w.T + b)
        loss = loss_fn(spec["loss"], h, t)
        loss.backward()
        for p in flat:
            if torch.any(torch.abs(p.grad) < MIN_GRAD):
                return None
        opt.step()
        layers = []
        for w, b in params:
            state = {}
            for name, value in opt.state[w].items():
                if name in STATE_NAMES:
                    state[STATE_NAMES[name]] = {"weights": as_json(value),
                                                "bias": as_json(opt.state[b][name])}
            layers.append({"weights": as_json(w), "bias": as_json(b), "state": state})
        values = [loss.item()] + [v for p in flat for v in p.detach().flatten().tolist()]
        if not all(math.isfinite(v) for v in values):
            return None
        rounds.append({"loss": loss.item(), "layers": layers})
    return rounds


def settings(kind, rng):
    r = lambda lo, hi: round(rng.uniform(lo, hi), 3)
    if kind == "sgd":
        return {"kind": "sgd"}
    if kind in ("momentum", "nesterov"):
        return {"kind": kind, "momentum": r(0.1, 0.95)}
    if kind == "adam":
        return {"kind": "adam", "beta1": r(0.5, 0.95), "beta2": r(0.9, 0.999), "epsilon": 1e-8}
    if kind == "adamw":
        return {"kind": "adamw", "beta1": r(0.5, 0.95), "beta2": r(0.9, 0.999), "epsilon": 1e-8,
                "weight_decay": r(0.001, 0.1)}
    return {"kind": "rprop", "eta_minus": r(0.3, 0.7), "eta_plus": r(1.1, 1.5), "step_min": 1e-6,
            "step_max": r(1.0, 50.0), "initial_step": r(0.001, 0.1)}


def draw(kind, rng):
    inputs = rng.randint(1, 3)
    depth = rng.randint(1, 3)
    loss = rng.choice(sorted(OUTPUTS))
    sizes = [rng.randint(1, 3) for _ in range(depth)]
    if loss == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    layers, fan_in = [], inputs
    for i, size in enumerate(sizes):
        act = rng.choice(OUTPUTS[loss]) if i == depth - 1 else rng.choice(HIDDEN)
        weights = [[round(rng.uniform(-1, 1), 3) for _ in range(fan_in)] for _ in range(size)]
        if rng.random() < 0.5:
            bias = round(rng.uniform(-0.5, 0.5), 3)
        else:
            bias = [round(rng.uniform(-0.5, 0.5), 3) for _ in range(size)]
        layers.append({"size": size, "activation": act, "weights": weights, "bias": bias})
        fan_in = size
    samples = []
    for _ in range(rng.randint(1, 3)):
        x = [round(rng.uniform(-2, 2), 3) for _ in range(inputs)]
        if loss == "cross_entropy":
            hot = rng.randrange(sizes[-1])
            y = [1.0 if j == hot else 0.0 for j in range(sizes[-1])]
        else:
            y = [round(rng.uniform(0.05, 0.95), 3) for _ in range(sizes[-1])]
        samples.append({"input": x, "target": y})
    lr = round(rng.uniform(0.05, 0.5), 3)
    return {"inputs": inputs, "layers": layers, "loss": loss, "learning_rate": lr,
            "optimizer": settings(kind, rng), "train_bias": True, "order": "textbook",
            "samples": samples}


def check_hand_derivation():
    """One Adam step of the tutorial, derived by hand (see the module's docstring)."""
    spec = {
        "inputs": 2,
        "layers": [
            {"size": 2, "activation": "sigmoid", "weights": [[0.15, 0.20], [0.25, 0.30]], "bias": 0.35},
            {"size": 2, "activation": "sigmoid", "weights": [[0.40, 0.45], [0.50, 0.55]], "bias": 0.60},
        ],
        "loss": "half_sse", "learning_rate": 0.5,
        "optimizer": {"kind": "adam", "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
        "samples": [{"input": [0.05, 0.10], "target": [0.01, 0.99]}],
    }
    global ROUNDS
    rounds, ROUNDS = ROUNDS, 1
    try:
        first = train(spec)[0]
    finally:
        ROUNDS = rounds
    g = 0.0821670406
    w5 = 0.4 - 0.5 * g / (g + 1e-8)
    got = first["layers"][1]["weights"][0][0]
    assert abs(got - w5) < 1e-9, (got, w5)
    # m = (1 − β₁)·g and v = (1 − β₂)·g².
    m = first["layers"][1]["state"]["m"]["weights"][0][0]
    v = first["layers"][1]["state"]["v"]["weights"][0][0]
    assert abs(m - 0.1 * g) < 1e-11 and abs(v - 0.001 * g * g) < 1e-13, (m, v)
    assert abs(first["loss"] - 0.298371109) < 1e-9, first["loss"]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    check_hand_derivation()
    rng = random.Random(SEED)
    cases = []
    for kind in ["sgd", "momentum", "nesterov", "adam", "adamw", "rprop"]:
        found = 0
        while found < CASES_PER_OPTIMIZER:
            spec = draw(kind, rng)
            rounds = train(spec)
            if rounds is None:
                continue
            cases.append({"optimizer": kind, "spec": spec, "rounds": rounds})
            found += 1
    about = ("torch.optim " + torch.__version__ + ", float64, " + str(ROUNDS) +
             " rounds of full-batch training per case; generated by scripts/reference/optimizers.py")
    with open(out, "w") as f:
        json.dump({"about": about, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
