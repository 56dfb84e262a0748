"""Test accuracy of backprop and PyTorch, same architecture, optimizer, epochs and split.

backprop trains first and writes its split (--save-split, as read); PyTorch then trains
an equivalent nn.Sequential on exactly those samples, standardized the same way, with the same initializer family,
optimizer, learning rate, batch size and epochs, shuffling every epoch.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "backprop")

RUNS = {
    "iris": dict(dataset="iris", layers=[4, 16, 3], activation="tanh", optimizer="adam", lr=0.01, epochs=100, batch=8),
    "digits": dict(dataset="digits", layers=[64, 64, 10], activation="relu", optimizer="adam", lr=0.001, epochs=60, batch=32),
    "fashion": dict(dataset="fashion-mnist", layers=[784, 256, 10], activation="relu", optimizer="adam", lr=0.001, epochs=10, batch=64, cosine=True),
    "fashion2": dict(dataset="fashion-mnist", layers=[784, 256, 128, 10], activation="relu", optimizer="adam", lr=0.001, epochs=10, batch=64, cosine=True),
}


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    x = np.array([[float(v) for v in r[:-1]] for r in rows], dtype=np.float32)
    y = [r[-1] for r in rows]
    return x, y


def ours(run, split_dir, seed):
    model = os.path.join(split_dir, "model.safetensors")
    cmd = [BIN, "train", "--dataset", run["dataset"], "--layers", ",".join(map(str, run["layers"])),
           "--activation", run["activation"], "--optimizer", run["optimizer"], "--lr", str(run["lr"]),
           "--epochs", str(run["epochs"]), "--batch-size", str(run["batch"]), "--seed", str(seed),
           "--quiet", "--out", model, "--save-split", split_dir]
    if run.get("cosine"):
        cmd += ["--schedule", "cosine"]
    subprocess.run(cmd, check=True)
    out = subprocess.run([BIN, "evaluate", "--model", model, "--dataset", run["dataset"], "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["accuracy"]


def pytorch(run, split_dir, seed):
    torch.manual_seed(seed)
    xtr, ytr = read(os.path.join(split_dir, "train.csv"))
    xte, yte = read(os.path.join(split_dir, "test.csv"))
    # The split is written as read; standardize as backprop does, with the training
    # part's mean and population deviation (1 for a constant column).
    mean, std = xtr.mean(axis=0), xtr.std(axis=0)
    std[~(std > 0)] = 1.0
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    classes = sorted(set(ytr))
    index = {c: i for i, c in enumerate(classes)}
    ytr = torch.tensor([index[c] for c in ytr])
    yte = torch.tensor([index[c] for c in yte])
    xtr, xte = torch.from_numpy(xtr), torch.from_numpy(xte)
    act = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[run["activation"]]
    layers = []
    sizes = run["layers"]
    for i in range(len(sizes) - 1):
        linear = nn.Linear(sizes[i], sizes[i + 1])
        # backprop's defaults: He uniform for ReLU layers, Glorot uniform otherwise; zero biases.
        if run["activation"] == "relu":
            nn.init.kaiming_uniform_(linear.weight, a=0, nonlinearity="relu")
        else:
            nn.init.xavier_uniform_(linear.weight)
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(act())
    model = nn.Sequential(*layers)
    opt = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}[run["optimizer"]](model.parameters(), lr=run["lr"])
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=run["epochs"]) if run.get("cosine") else None
    loss_fn = nn.CrossEntropyLoss()
    n = len(xtr)
    for _ in range(run["epochs"]):
        order = torch.randperm(n)
        for b in range(0, n, run["batch"]):
            idx = order[b:b + run["batch"]]
            opt.zero_grad()
            loss_fn(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
        if schedule:
            schedule.step()
    with torch.no_grad():
        return (model(xte).argmax(1) == yte).float().mean().item()


def main():
    args = sys.argv[1:]
    count = 3
    if args[:1] == ["--seeds"]:
        count, args = int(args[1]), args[2:]
    names = args or list(RUNS)
    seeds = list(range(1, count + 1))
    print(f"seeds {seeds}: the mean test accuracy, and the lowest and highest")
    print(f"{'network':34} {'backprop':>22} {'PyTorch':>22} {'difference':>11}")
    for name in names:
        run = RUNS[name]
        a, b = [], []
        for seed in seeds:
            # Each seed draws its own split, initial weights and shuffles, for both.
            with tempfile.TemporaryDirectory() as tmp:
                a.append(ours(run, tmp, seed))
                b.append(pytorch(run, tmp, seed))
        label = f"{run['dataset']} {'-'.join(map(str, run['layers']))} {run['activation']}"
        cell = lambda v: f"{100 * np.mean(v):6.2f}% ({100 * min(v):.2f}-{100 * max(v):.2f})"
        print(f"{label:34} {cell(a):>22} {cell(b):>22} {100 * (np.mean(a) - np.mean(b)):+10.2f}", flush=True)


if __name__ == "__main__":
    main()
