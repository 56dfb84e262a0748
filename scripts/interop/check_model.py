#!/usr/bin/env python3
"""Loads a backprop model file in Python and checks its predictions.

The model's tensors are read with the `safetensors` package, the architecture and the
input standardization from its metadata; the network is rebuilt as NumPy code or as
a PyTorch `nn.Sequential`, run on the inputs, and compared with the probabilities or
values `backprop predict` wrote for the same inputs.

usage: check_model.py MODEL INPUTS.csv PREDICTIONS.csv [--backend numpy|torch]
Exits 0 when every output agrees to 1e-5, 1 otherwise.
"""

import argparse
import csv
import json
import sys

import numpy as np
from safetensors import safe_open


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def inputs(path, info):
    header, rows = read_csv(path)
    names = info["feature_names"]
    if all(n in header for n in names):
        cols = [header.index(n) for n in names]
    else:
        cols = list(range(len(names)))
        rows = [header] + rows
    return np.array([[float(r[c]) for c in cols] for r in rows if r], dtype=np.float32)


def numpy_forward(path, info, x):
    acts = {
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0),
        "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
        "identity": lambda z: z,
        "softmax": lambda z: np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True),
    }
    with safe_open(path, "np") as f:
        for i, layer in enumerate(info["layers"]):
            w, b = f.get_tensor(f"layers.{i}.weight"), f.get_tensor(f"layers.{i}.bias")
            x = acts[layer["activation"]](x @ w.T + b)
    return x


def torch_forward(path, info, x):
    import torch
    from torch import nn
    from safetensors.torch import load_file

    tensors = load_file(path)
    modules = []
    acts = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01),
            "identity": nn.Identity, "softmax": lambda: nn.Softmax(dim=1)}
    for i, layer in enumerate(info["layers"]):
        linear = nn.Linear(layer["inputs"], layer["size"])
        linear.load_state_dict({"weight": tensors[f"layers.{i}.weight"], "bias": tensors[f"layers.{i}.bias"]})
        modules += [linear, acts[layer["activation"]]()]
    model = nn.Sequential(*modules).eval()
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("inputs")
    parser.add_argument("predictions")
    parser.add_argument("--backend", choices=["numpy", "torch"], default="numpy")
    args = parser.parse_args()

    with safe_open(args.model, "np") as f:
        info = json.loads(f.metadata()["backprop"])
    x = inputs(args.inputs, info)
    if info["standardization"]:
        x = (x - np.array(info["standardization"]["mean"], dtype=np.float32)) / np.array(
            info["standardization"]["std"], dtype=np.float32)
    forward = torch_forward if args.backend == "torch" else numpy_forward
    ours = forward(args.model, info, x)

    header, rows = read_csv(args.predictions)
    numeric = [i for i, h in enumerate(header) if h != "class"]
    theirs = np.array([[float(r[i]) for i in numeric] for r in rows], dtype=np.float64)
    worst = float(np.abs(ours - theirs).max())
    if info["task"] == "classification":
        names = info["class_names"]
        agree = all(names[int(np.argmax(o))] == r[0] for o, r in zip(ours, rows))
    else:
        agree = True
    print(f"{args.backend}: {len(rows)} predictions, largest difference {worst:.3e}, classes agree: {agree}")
    sys.exit(0 if worst <= 1e-5 and agree else 1)


if __name__ == "__main__":
    main()
