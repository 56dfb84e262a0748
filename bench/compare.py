"""Runs backprop and its peers side by side and prints one Markdown table.

Each measurement is a fresh process timed from inside (start-up, data loading, JIT
compilation and a warm-up excluded). Rounds interleave the implementations, and the
table shows the median and the spread (min–max) over the rounds. Peak memory is the
process's own peak resident set size (VmHWM), reported by each process.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# The timing program (crates/backprop-bench); bench/setup builds it.
BIN = ROOT / "target" / "release" / "backprop-bench"
PEERS = ROOT / "bench" / "peers.py"
PY = sys.executable
WORK = ROOT / "target" / "bench-compare"

MNIST = dict(samples=60_000, width=784, classes=10)

# id, title, command arguments, implementations, the metric, extra settings.
WORKLOADS = [
    dict(id="matmul1", title="f32 matmul 2048³, 1 thread", kind="matmul", threads=1,
         impls=["backprop", "numpy", "torch", "jax"], metric="gflops"),
    dict(id="matmul2", title="f32 matmul 2048³, 2 threads", kind="matmul", threads=2,
         impls=["backprop", "numpy", "torch", "jax"], metric="gflops"),
    dict(id="tutorial", title="tutorial 2-2-2, 10,000 rounds, f64", kind="tutorial",
         impls=["backprop", "python", "numpy", "jax", "torch"], metric="steps_per_second"),
    dict(id="mlp128", title="784-128-10, batch 64", kind="train", data="mnist",
         layers=[784, 128, 10], batch=64, impls=["backprop", "numpy", "jax", "torch"]),
    dict(id="mlp512b64", title="784-512-512-10, batch 64", kind="train", data="mnist",
         layers=[784, 512, 512, 10], batch=64, impls=["backprop", "numpy", "jax", "torch"]),
    dict(id="mlp512", title="784-512-512-10, batch 128", kind="train", data="mnist",
         layers=[784, 512, 512, 10], batch=128, impls=["backprop", "numpy", "jax", "torch"]),
    dict(id="online", title="4-16-3 tanh, online SGD (batch 1)", kind="train", data="iris",
         layers=[4, 16, 3], batch=1, activation="tanh",
         epochs=dict(backprop=400, python=20, numpy=20, jax=20, torch=10),
         impls=["backprop", "python", "numpy", "jax", "torch"], metric="steps_per_second"),
    dict(id="memory", title="784-256-10, batch 64: peak memory", kind="train", data="mnist",
         layers=[784, 256, 10], batch=64, impls=["backprop", "numpy", "jax", "torch"],
         metric="rss_mb"),
]
SWEEP_WIDTHS = [64, 128, 256, 512, 1024, 2048]
SWEEP_SAMPLES = 20_000


def make_data():
    """Seeded data every implementation reads: uniform features, uniform classes."""
    data = WORK / "data"
    data.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2024)
    sets = {
        "mnist": (rng.random((MNIST["samples"], MNIST["width"]), dtype=np.float32),
                  rng.integers(0, MNIST["classes"], MNIST["samples"])),
        "iris": (rng.standard_normal((150, 4)).astype(np.float32), rng.integers(0, 3, 150)),
    }
    sets["sweep"] = (sets["mnist"][0][:SWEEP_SAMPLES], sets["mnist"][1][:SWEEP_SAMPLES])
    for name, (x, y) in sets.items():
        x.tofile(data / f"{name}.x.f32")
        y.astype(np.uint8).tofile(data / f"{name}.y.u8")
    return data


def env_for(threads):
    env = dict(os.environ)
    for var in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BACKPROP_THREADS"]:
        env[var] = str(threads)
    env["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
                        if threads == 1 else "")
    env["JAX_PLATFORMS"] = "cpu"
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    return env


def command(impl, w, data, threads):
    kind = w["kind"]
    if impl == "backprop":
        cmd = [str(BIN), kind]
    else:
        cmd = [PY, str(PEERS), impl, kind]
    cmd += ["--threads", str(threads)]
    if kind == "train":
        epochs = w.get("epochs", {}).get(impl, 1) if isinstance(w.get("epochs"), dict) else 1
        cmd += ["--layers", ",".join(map(str, w["layers"])), "--batch", str(w["batch"]),
                "--lr", "0.1", "--epochs", str(epochs), "--activation", w.get("activation", "relu"),
                "--data", str(data / w["data"])]
    return cmd


def run(cmd, threads):
    """Runs one measurement; returns its JSON with the peak RSS in MB added."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # One thread means one core for everyone: some peers start a thread per core
        # whatever their settings say.
        pin = (lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if threads == 1 else None
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env_for(threads), preexec_fn=pin)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode()
        if p.returncode != 0:
            sys.stderr.write(f"failed ({p.returncode}): {' '.join(cmd)}\n{err.read().decode()[-2000:]}\n")
            return None
    result = json.loads(text.strip().splitlines()[-1])
    # The process's own peak: ru_maxrss would also count the pages this script's fork
    # held before exec.
    result["rss_mb"] = result.get("peak_rss_mb") or usage.ru_maxrss / 1024
    if "samples_per_second" in result and "batch" in result:
        result["steps_per_second"] = result["samples_per_second"] / result["batch"]
    return result


def metric_of(w):
    return w.get("metric", "samples_per_second")


def summarize(values):
    values = sorted(values)
    return dict(median=statistics.median(values), low=values[0], high=values[-1], n=len(values))


def fmt(x):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e4:
        return f"{x / 1e3:.1f} k"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.3g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", help="comma-separated workload ids")
    ap.add_argument("--no-sweep", action="store_true")
    ap.add_argument("--out", default=str(WORK / "results.json"))
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else None
    workloads = [w for w in WORKLOADS if not only or w["id"] in only]
    data = make_data()
    results = {w["id"]: {i: [] for i in w["impls"]} for w in workloads}
    sweep = {h: {i: [] for i in ["backprop", "numpy", "jax", "torch"]} for h in SWEEP_WIDTHS}
    checks = {}
    started = time.time()
    for r in range(a.rounds):
        for w in workloads:
            threads = w.get("threads", 2)
            impls = w["impls"][r % len(w["impls"]):] + w["impls"][: r % len(w["impls"])]
            for impl in impls:
                res = run(command(impl, w, data, threads), threads)
                if res:
                    results[w["id"]][impl].append(res)
                    print(f"round {r + 1}: {w['id']:10} {impl:8} {metric_of(w)} = "
                          f"{fmt(res[metric_of(w)])}", file=sys.stderr)
        if not a.no_sweep and (not only or "sweep" in only):
            for h in SWEEP_WIDTHS:
                w = dict(kind="train", layers=[784, h, 10], batch=128, data="sweep")
                for impl in sweep[h]:
                    res = run(command(impl, w, data, 2), 2)
                    if res:
                        sweep[h][impl].append(res)
                print(f"round {r + 1}: sweep {h} done", file=sys.stderr)
    # One thread and two give the same weights (checked on 784-128-10).
    if not only or "mlp128" in only:
        w = next(w for w in WORKLOADS if w["id"] == "mlp128")
        prints = [run(command("backprop", w, data, t), t)["weights_fnv1a"] for t in (1, 2)]
        checks["same_weights_1_and_2_threads"] = prints[0] == prints[1]
    report = dict(machine=machine(), results=results, sweep=sweep, checks=checks,
                  rounds=a.rounds, seconds=time.time() - started)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(report, indent=1))
    print_table(report, workloads)
    print(f"\nraw results: {a.out}")


def machine():
    cpu = "unknown"
    flags = set()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name") and cpu == "unknown":
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    simd = [f for f in ["avx2", "fma", "avx512f"] if f in flags]
    versions = {}
    for mod in ["numpy", "torch", "jax"]:
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:
            versions[mod] = "missing"
    return dict(cpu=cpu, cores=os.cpu_count(), simd=simd, python=platform.python_version(),
                load=os.getloadavg(), **versions)


def print_table(report, workloads):
    m = report["machine"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {' '.join(m['simd'])}; "
          f"load average at the end {m['load'][0]:.1f}; NumPy {m['numpy']}, PyTorch {m['torch']}, "
          f"JAX {m['jax']}; medians of {report['rounds']} rounds.\n")
    res = report["results"]
    peak = max((summarize([r["gflops"] for r in runs])["median"]
                for runs in res.get("matmul2", {}).values() if runs), default=None)
    print("| workload | implementation | median | spread (min–max) | × fastest peer | GFLOP/s | % of peak |")
    print("|---|---|---|---|---|---|---|")
    targets = []
    for w in workloads:
        metric = metric_of(w)
        unit = {"gflops": "GFLOP/s", "steps_per_second": "steps/s",
                "samples_per_second": "samples/s", "rss_mb": "MB"}[metric]
        lower_is_better = metric == "rss_mb"
        stats = {i: summarize([r[metric] for r in runs]) for i, runs in res[w["id"]].items() if runs}
        peers = {i: s for i, s in stats.items() if i != "backprop"}
        best_peer = (min if lower_is_better else max)(peers.items(), key=lambda kv: kv[1]["median"],
                                                        default=(None, None))
        for impl, s in stats.items():
            ratio = ""
            if best_peer[1] and impl == "backprop":
                r = s["median"] / best_peer[1]["median"]
                ratio = f"**{1 / r:.2f}× less**" if lower_is_better else f"**{r:.2f}×**"
            elif best_peer[1]:
                r = s["median"] / best_peer[1]["median"]
                ratio = f"{1 / r:.2f}× less" if lower_is_better else f"{r:.2f}×"
            gflops = pct = ""
            runs = res[w["id"]][impl]
            if metric != "rss_mb" and "gflops" in runs[0]:
                g = statistics.median(r["gflops"] for r in runs)
                gflops = f"{g:.1f}" if g >= 1 else f"{g:.3f}"
                if peak:
                    pct = f"{100 * g / peak:.0f}%" if g >= 1 else f"{100 * g / peak:.2f}%"
            name = f"**{impl}**" if impl == "backprop" else impl
            print(f"| {w['title']} | {name} | {fmt(s['median'])} {unit} | "
                  f"{fmt(s['low'])}–{fmt(s['high'])} | {ratio} | {gflops} | {pct} |")
        targets += check_targets(w, stats, best_peer, res, peak)
    if report["sweep"] and any(v for row in report["sweep"].values() for v in row.values()):
        print_sweep(report["sweep"], peak)
    print("\nTargets:\n")
    if "same_weights_1_and_2_threads" in report["checks"]:
        ok = report["checks"]["same_weights_1_and_2_threads"]
        targets.append((ok, "784-128-10 trains to bit-identical weights with 1 and 2 threads"))
    for ok, text in targets:
        print(f"- {'met' if ok else 'NOT met'}: {text}")


def check_targets(w, stats, best_peer, res, peak):
    out = []
    ours = stats.get("backprop")
    if not ours or not best_peer[1]:
        return out
    name, peer = best_peer
    if w["id"] == "memory":
        bound = memory_bound(w)
        rss = ours["median"]
        torch_rss = stats.get("torch", {}).get("median")
        if torch_rss:
            out.append((rss < torch_rss, f"peak memory {rss:.0f} MB below PyTorch's {torch_rss:.0f} MB"))
        fixed = fixed_mb(res)
        out.append((rss <= 1.3 * bound + fixed,
                    f"peak memory {rss:.0f} MB ≤ 1.3 × {bound:.0f} MB (data, parameters, optimizer "
                    f"state, one batch's activations) + {fixed:.0f} MB (the same program's own "
                    f"footprint on the tutorial)"))
        return out
    ratio = ours["median"] / peer["median"]
    out.append((ratio > 1, f"{w['title']}: {ratio:.2f}× the fastest peer ({name})"))
    if w["id"] == "mlp128":
        out.append((ratio >= 1.3, f"{w['title']}: ≥ 1.3× the fastest peer ({ratio:.2f}×)"))
    if w["id"] == "mlp512" and peak:
        g = statistics.median(r["gflops"] for r in res["mlp512"]["backprop"])
        out.append((g >= 0.7 * peak, f"{w['title']}: {g:.0f} GFLOP/s = {100 * g / peak:.0f}% of the "
                                     f"2-thread matmul peak {peak:.0f} GFLOP/s (target ≥ 70%)"))
    if w["id"] == "tutorial" and "python" in stats:
        r = ours["median"] / stats["python"]["median"]
        out.append((r >= 20, f"{w['title']}: {r:.1f}× pure Python (target ≥ 20×)"))
    if w["id"] == "online" and "numpy" in stats:
        r = ours["median"] / stats["numpy"]["median"]
        out.append((r >= 100, f"{w['title']}: {r:.0f}× NumPy (target ≥ 100×)"))
    return out


def memory_bound(w):
    """Data as f32 + parameters + SGD's state (none) + one batch's activations, in MB."""
    layers, batch = w["layers"], w["batch"]
    data = MNIST["samples"] * (MNIST["width"] * 4 + 8)
    params = sum((i + 1) * o for i, o in zip(layers, layers[1:])) * 4
    activations = batch * (layers[0] + sum(layers[1:])) * 4
    return (data + params + activations) / 2 ** 20


def fixed_mb(res):
    runs = res.get("tutorial", {}).get("backprop", [])
    return statistics.median(r["rss_mb"] for r in runs) if runs else 8.0


def print_sweep(sweep, peak):
    print("\nHidden-width sweep: 784-H-10, ReLU, batch 128, 20,000 samples, 2 threads; "
          "median samples/s (GFLOP/s).\n")
    impls = ["backprop", "numpy", "jax", "torch"]
    print("| H | " + " | ".join(impls) + " | backprop ÷ best peer |")
    print("|---|" + "---|" * (len(impls) + 1))
    for h, row in sweep.items():
        cells, meds = [], {}
        for impl in impls:
            runs = row.get(impl) or []
            if not runs:
                cells.append("–")
                continue
            s = statistics.median(r["samples_per_second"] for r in runs)
            g = statistics.median(r["gflops"] for r in runs)
            meds[impl] = s
            cells.append(f"{fmt(s)} ({g:.0f})")
        peers = [v for k, v in meds.items() if k != "backprop"]
        ratio = f"{meds['backprop'] / max(peers):.2f}×" if "backprop" in meds and peers else ""
        print(f"| {h} | " + " | ".join(cells) + f" | {ratio} |")


if __name__ == "__main__":
    main()
