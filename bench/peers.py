"""The peers of bench/compare: each workload written plainly in pure Python, NumPy,
JAX (jit) and PyTorch (eager), the way a user of each would write it.

usage: peers.py IMPL WORKLOAD [options]   (prints one JSON object)

Set the thread count through the environment before starting (bench/compare does):
OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, XLA_FLAGS, and --threads for PyTorch.
Only the workload's loop is timed: imports, data loading, compilation and a warm-up
are not.
"""

import argparse
import json
import math
import random
import time

import numpy as np

# The tutorial's network (Matt Mazur, "A Step by Step Backpropagation Example").
TUTORIAL = dict(
    w1=[[0.15, 0.20], [0.25, 0.30]], b1=0.35,
    w2=[[0.40, 0.45], [0.50, 0.55]], b2=0.60,
    x=[0.05, 0.10], t=[0.01, 0.99], lr=0.5,
)


def load(prefix, width):
    x = np.fromfile(prefix + ".x.f32", dtype="<f4").reshape(-1, width)
    y = np.fromfile(prefix + ".y.u8", dtype=np.uint8).astype(np.int64)
    return x, y


def peak_rss_mb():
    """The process's peak resident memory (VmHWM), in MiB."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None


def report(**kw):
    print(json.dumps(dict(kw, peak_rss_mb=peak_rss_mb())))


# ---------------------------------------------------------------- matmul


def matmul(impl, a, repeat):
    if impl == "numpy":
        f = lambda: a @ a
    elif impl == "torch":
        import torch
        t = torch.from_numpy(a)
        f = lambda: torch.mm(t, t)
    elif impl == "jax":
        import jax
        import jax.numpy as jnp
        t = jnp.asarray(a)
        g = jax.jit(lambda x: x @ x)
        f = lambda: g(t).block_until_ready()
    f()
    times = []
    for _ in range(repeat):
        s = time.perf_counter()
        f()
        times.append(time.perf_counter() - s)
    times.sort()
    return times[len(times) // 2]


# ---------------------------------------------------------------- tutorial (f64)


def tutorial_python(rounds):
    T = TUTORIAL
    (w1, w2), (w3, w4) = T["w1"]
    (w5, w6), (w7, w8) = T["w2"]
    b1, b2, (i1, i2), (t1, t2), lr = T["b1"], T["b2"], T["x"], T["t"], T["lr"]
    exp = math.exp
    e = 0.0
    for _ in range(rounds):
        h1 = 1.0 / (1.0 + exp(-(w1 * i1 + w2 * i2 + b1)))
        h2 = 1.0 / (1.0 + exp(-(w3 * i1 + w4 * i2 + b1)))
        o1 = 1.0 / (1.0 + exp(-(w5 * h1 + w6 * h2 + b2)))
        o2 = 1.0 / (1.0 + exp(-(w7 * h1 + w8 * h2 + b2)))
        e = 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2
        d1 = (o1 - t1) * o1 * (1.0 - o1)
        d2 = (o2 - t2) * o2 * (1.0 - o2)
        dh1 = (d1 * w5 + d2 * w7) * h1 * (1.0 - h1)
        dh2 = (d1 * w6 + d2 * w8) * h2 * (1.0 - h2)
        w5, w6, w7, w8 = w5 - lr * d1 * h1, w6 - lr * d1 * h2, w7 - lr * d2 * h1, w8 - lr * d2 * h2
        w1, w2, w3, w4 = w1 - lr * dh1 * i1, w2 - lr * dh1 * i2, w3 - lr * dh2 * i1, w4 - lr * dh2 * i2
    return e


def tutorial_numpy(rounds):
    T = TUTORIAL
    w1, w2 = np.array(T["w1"]), np.array(T["w2"])
    x, t = np.array([T["x"]]), np.array([T["t"]])
    b1, b2, lr = T["b1"], T["b2"], T["lr"]
    e = 0.0
    for _ in range(rounds):
        h = 1.0 / (1.0 + np.exp(-(x @ w1.T + b1)))
        o = 1.0 / (1.0 + np.exp(-(h @ w2.T + b2)))
        e = 0.5 * np.sum((t - o) ** 2)
        d2 = (o - t) * o * (1.0 - o)
        d1 = (d2 @ w2) * h * (1.0 - h)
        w2 -= lr * (d2.T @ h)
        w1 -= lr * (d1.T @ x)
    return float(e)


def tutorial_jax(rounds):
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    T = TUTORIAL
    x, t = jnp.array([T["x"]]), jnp.array([T["t"]])
    b1, b2, lr = T["b1"], T["b2"], T["lr"]

    def loss(p):
        h = jax.nn.sigmoid(x @ p[0].T + b1)
        o = jax.nn.sigmoid(h @ p[1].T + b2)
        return 0.5 * jnp.sum((t - o) ** 2)

    @jax.jit
    def step(p):
        e, g = jax.value_and_grad(loss)(p)
        return (p[0] - lr * g[0], p[1] - lr * g[1]), e

    def run(n):
        p = (jnp.array(T["w1"]), jnp.array(T["w2"]))
        e = None
        for _ in range(n):
            p, e = step(p)
        return float(e)

    run(2)  # compile
    s = time.perf_counter()
    e = run(rounds)
    return time.perf_counter() - s, e


def tutorial_torch(rounds):
    import torch
    T = TUTORIAL
    w1 = torch.tensor(T["w1"], dtype=torch.float64, requires_grad=True)
    w2 = torch.tensor(T["w2"], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([T["x"]], dtype=torch.float64)
    t = torch.tensor([T["t"]], dtype=torch.float64)
    opt = torch.optim.SGD([w1, w2], lr=T["lr"])
    e = None
    for _ in range(rounds):
        h = torch.sigmoid(x @ w1.T + T["b1"])
        o = torch.sigmoid(h @ w2.T + T["b2"])
        e = 0.5 * ((t - o) ** 2).sum()
        opt.zero_grad()
        e.backward()
        opt.step()
    return float(e)


# ---------------------------------------------------------------- training (f32)


def init(layers, rng):
    """He-uniform weights (rows = neurons, as PyTorch stores them), zero biases."""
    params = []
    for fan_in, fan_out in zip(layers, layers[1:]):
        bound = math.sqrt(6.0 / fan_in)
        w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
        params.append((w, np.zeros(fan_out, np.float32)))
    return params


def train_numpy(x, y, a):
    rng = np.random.default_rng(a.seed)
    params = init(a.layers, rng)
    lr = np.float32(a.lr)
    act = np.tanh if a.activation == "tanh" else (lambda z: np.maximum(z, 0, out=z))
    n = len(x)

    def step(xb, yb):
        outs = [xb]
        h = xb
        for w, b in params[:-1]:
            h = act(h @ w.T + b)
            outs.append(h)
        z = h @ params[-1][0].T + params[-1][1]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        rows = np.arange(len(yb))
        loss = -np.log(p[rows, yb]).mean()
        d = p
        d[rows, yb] -= 1
        d /= len(yb)
        for l in range(len(params) - 1, -1, -1):
            w, b = params[l]
            gw = d.T @ outs[l]
            gb = d.sum(axis=0)
            if l > 0:
                d = d @ w
                d *= (1 - outs[l] ** 2) if a.activation == "tanh" else (outs[l] > 0)
            w -= lr * gw
            b -= lr * gb
        return loss

    def epochs(count):
        total = 0.0
        for _ in range(count):
            order = rng.permutation(n)
            for i in range(0, n, a.batch):
                idx = order[i:i + a.batch]
                total += step(x[idx], y[idx])
        return total

    epochs_warm(lambda: step(x[: a.batch], y[: a.batch]))
    s = time.perf_counter()
    total = epochs(a.epochs)
    return time.perf_counter() - s, float(total) / (a.epochs * math.ceil(n / a.batch))


def train_jax(x, y, a):
    import jax
    import jax.numpy as jnp
    rng = np.random.default_rng(a.seed)
    params = [(jnp.asarray(w), jnp.asarray(b)) for w, b in init(a.layers, rng)]
    act = jnp.tanh if a.activation == "tanh" else jax.nn.relu

    def loss_fn(p, xb, yb):
        h = xb
        for w, b in p[:-1]:
            h = act(h @ w.T + b)
        z = h @ p[-1][0].T + p[-1][1]
        logp = jax.nn.log_softmax(z)
        return -jnp.mean(jnp.take_along_axis(logp, yb[:, None], axis=1))

    @jax.jit
    def step(p, xb, yb):
        loss, g = jax.value_and_grad(loss_fn)(p, xb, yb)
        return jax.tree.map(lambda q, gq: q - a.lr * gq, p, g), loss

    n = len(x)
    # Compile for the full batch and for the last, shorter one.
    for size in {a.batch, n % a.batch or a.batch}:
        jax.block_until_ready(step(params, x[:size], y[:size].astype(np.int32)))
    y32 = y.astype(np.int32)
    s = time.perf_counter()
    losses = []
    for _ in range(a.epochs):
        order = rng.permutation(n)
        for i in range(0, n, a.batch):
            idx = order[i:i + a.batch]
            params, loss = step(params, x[idx], y32[idx])
            losses.append(loss)
    jax.block_until_ready(params)
    seconds = time.perf_counter() - s
    return seconds, float(jnp.mean(jnp.stack(losses)))


def train_torch(x, y, a):
    import torch
    torch.manual_seed(a.seed)
    mods = []
    for l, (fan_in, fan_out) in enumerate(zip(a.layers, a.layers[1:])):
        mods.append(torch.nn.Linear(fan_in, fan_out))
        if l + 2 < len(a.layers):
            mods.append(torch.nn.Tanh() if a.activation == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*mods)
    opt = torch.optim.SGD(model.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    n = len(x)
    g = torch.Generator().manual_seed(a.seed)

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()

    epochs_warm(lambda: step(xt[: a.batch], yt[: a.batch]))
    s = time.perf_counter()
    total = 0.0
    for _ in range(a.epochs):
        order = torch.randperm(n, generator=g)
        for i in range(0, n, a.batch):
            idx = order[i:i + a.batch]
            total += step(xt[idx], yt[idx])
    return time.perf_counter() - s, float(total) / (a.epochs * math.ceil(n / a.batch))


def train_python(x, y, a):
    """Lists and loops; only sensible for tiny networks trained one sample at a time."""
    if a.batch != 1 or len(a.layers) != 3 or a.activation != "tanh":
        raise SystemExit("pure Python trains 3-layer tanh networks online only")
    rng = random.Random(a.seed)
    (w1, b1), (w2, b2) = [([list(map(float, r)) for r in w], list(map(float, b)))
                          for w, b in init(a.layers, np.random.default_rng(a.seed))]
    xs, ys, lr, tanh, exp, log = x.tolist(), y.tolist(), a.lr, math.tanh, math.exp, math.log
    hidden, classes = range(len(b1)), range(len(b2))

    def step(xi, yi):
        h = [tanh(sum(wj * xj for wj, xj in zip(w1[j], xi)) + b1[j]) for j in hidden]
        z = [sum(wk * hk for wk, hk in zip(w2[k], h)) + b2[k] for k in classes]
        m = max(z)
        e = [exp(v - m) for v in z]
        s = sum(e)
        p = [v / s for v in e]
        d = p[:]
        d[yi] -= 1.0
        dh = [sum(d[k] * w2[k][j] for k in classes) * (1.0 - h[j] * h[j]) for j in hidden]
        for k in classes:
            row, dk = w2[k], lr * d[k]
            for j in hidden:
                row[j] -= dk * h[j]
            b2[k] -= dk
        for j in hidden:
            row, dj = w1[j], lr * dh[j]
            for i in range(len(xi)):
                row[i] -= dj * xi[i]
            b1[j] -= dj
        return -log(p[yi])

    n = len(xs)
    s = time.perf_counter()
    total = 0.0
    for _ in range(a.epochs):
        order = list(range(n))
        rng.shuffle(order)
        for i in order:
            total += step(xs[i], ys[i])
    return time.perf_counter() - s, total / (a.epochs * n)


def epochs_warm(step):
    for _ in range(3):
        step()


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser()
    p.add_argument("impl", choices=["python", "numpy", "jax", "torch"])
    p.add_argument("workload", choices=["matmul", "tutorial", "train"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--size", type=int, default=2048)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--rounds", type=int, default=10_000)
    p.add_argument("--layers", type=lambda s: [int(v) for v in s.split(",")], default=[784, 128, 10])
    p.add_argument("--activation", default="relu")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--data", required=False)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    if a.impl == "torch":
        import torch
        torch.set_num_threads(a.threads)
    common = dict(impl=a.impl, workload=a.workload, threads=a.threads)
    if a.workload == "matmul":
        m = np.random.default_rng(a.seed).standard_normal((a.size, a.size)).astype(np.float32)
        seconds = matmul(a.impl, m, a.repeat)
        report(**common, size=a.size, seconds=seconds, gflops=2 * a.size ** 3 / seconds / 1e9)
    elif a.workload == "tutorial":
        if a.impl == "jax":
            seconds, e = tutorial_jax(a.rounds)
        else:
            f = globals()["tutorial_" + a.impl]
            f(10)
            s = time.perf_counter()
            e = f(a.rounds)
            seconds = time.perf_counter() - s
        report(**common, rounds=a.rounds, seconds=seconds, steps_per_second=a.rounds / seconds, loss=e)
    else:
        x, y = load(a.data, a.layers[0])
        seconds, loss = globals()["train_" + a.impl](x, y, a)
        samples = len(x) * a.epochs
        weights = sum(i * o for i, o in zip(a.layers, a.layers[1:]))
        report(**common, layers=a.layers, batch=a.batch, samples=samples, seconds=seconds,
               samples_per_second=samples / seconds,
               gflops=6 * weights * samples / seconds / 1e9, loss=loss)


if __name__ == "__main__":
    main()
