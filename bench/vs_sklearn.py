"""backprop.MLPClassifier against sklearn.neural_network.MLPClassifier.

Each workload trains both on the same standardized training samples with the same
hidden layers, activation, Adam with the same learning rate, batch size and number of
epochs (scikit-learn with no L2 penalty and no early stop, so that it runs every epoch),
then scores both on the same held-out samples. Times are the wall time of `fit` alone,
the median of the repeats (--repeat, default 3), each seed in turn.
"""

import argparse
import gzip
import os
import platform
import statistics
import subprocess
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLP

import backprop

FASHION = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion(n_train):
    find = lambda stem: next(os.path.join(FASHION, f) for f in os.listdir(FASHION) if f.startswith(stem))
    X = idx(find("train-images")).reshape(-1, 784).astype(np.float32)[:n_train]
    y = idx(find("train-labels"))[:n_train]
    Xt = idx(find("t10k-images")).reshape(-1, 784).astype(np.float32)
    yt = idx(find("t10k-labels"))
    return X, y, Xt, yt


def digits():
    X, y = backprop.load_dataset("digits")
    order = np.random.default_rng(0).permutation(len(X))
    cut = int(0.8 * len(X))
    return X[order[:cut]], y[order[:cut]], X[order[cut:]], y[order[cut:]]


def standardize(X, Xt):
    mean, std = X.mean(axis=0), X.std(axis=0)
    std[std == 0] = 1
    return (X - mean) / std, (Xt - mean) / std


WORKLOADS = {
    "digits 64-64-10, batch 32, 60 epochs": (digits, [64], 32, 60),
    "Fashion-MNIST (20,000) 784-256-10, batch 64, 5 epochs": (lambda: fashion(20_000), [256], 64, 5),
    "Fashion-MNIST (20,000) 784-256-128-10, batch 64, 5 epochs": (lambda: fashion(20_000), [256, 128], 64, 5),
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((l.split(":", 1)[1].strip() for l in cpu.splitlines() if l.startswith("Model name")), platform.processor())
    print(f"CPU: {model}, {os.cpu_count()} logical CPUs")
    print(f"| workload | backprop accuracy | backprop fit (s) | scikit-learn accuracy | scikit-learn fit (s) | × faster |")
    print("|---|---|---|---|---|---|")
    warnings.simplefilter("ignore", ConvergenceWarning)
    for name, (load, hidden, batch, epochs) in WORKLOADS.items():
        X, y, Xt, yt = load()
        Xs, Xts = standardize(X, Xt)
        ours, theirs = [], []
        for seed in range(1, args.repeat + 1):
            net = backprop.MLPClassifier(hidden=hidden, activation="relu", optimizer="adam", learning_rate=1e-3,
                                         epochs=epochs, batch_size=batch, seed=seed, standardize=False)
            start = time.perf_counter()
            net.fit(Xs, y)
            ours.append((time.perf_counter() - start, net.score(Xts, yt)))
            sk = SkMLP(hidden_layer_sizes=tuple(hidden), activation="relu", solver="adam", learning_rate_init=1e-3,
                       batch_size=batch, max_iter=epochs, alpha=0.0, tol=0.0, n_iter_no_change=epochs + 1,
                       shuffle=True, random_state=seed)
            start = time.perf_counter()
            sk.fit(Xs, y)
            theirs.append((time.perf_counter() - start, sk.score(Xts, yt)))
        t_ours = statistics.median(t for t, _ in ours)
        t_theirs = statistics.median(t for t, _ in theirs)
        a_ours = statistics.median(a for _, a in ours)
        a_theirs = statistics.median(a for _, a in theirs)
        print(f"| {name} | {a_ours:.4f} | {t_ours:.2f} | {a_theirs:.4f} | {t_theirs:.2f} | {t_theirs / t_ours:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
