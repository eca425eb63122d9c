"""How fast is cnnlib? Speed and memory, measured beside their reference points.

Run from the repository root (``make bench`` does, with the environment below):

    .venv/bin/python benchmarks/bench.py            # everything but the make targets
    .venv/bin/python benchmarks/bench.py --make     # also time `make book` / `make test`
    .venv/bin/python benchmarks/bench.py --only conv memory

Sections (each is stored in benchmarks/results.json with its own date; a run
that skips a section keeps the stored one):

conv      conv2d_forward + conv2d_backward (float64) against PyTorch CPU
          (torch.nn.functional.conv2d + autograd backward, float64, the same
          number of threads as NumPy's BLAS). Rounds alternate the two, so a
          burst of load on the machine hits both; the ratio is the median of the
          per-round ratios. Plus the naive loops on a smaller batch.
memory    tracemalloc peak of one forward + backward step.
viz       update() + fig.canvas.draw() of every Drawing found in cnnlib.viz.
notebook  execution time of book/06-training-a-cnn.ipynb (if it exists).
make      wall time of a clean book build and of the whole test suite (--make).

Some machines set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE to pin OpenBLAS to one
kernel; the comparison would then measure a setting, not the code. ``make bench``
runs this script with both removed from its environment (``env -u ...``, before
NumPy loads OpenBLAS); run by hand, the report records whatever was set.

This is a measurement, never a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from results_file import finish, load  # benchmarks/, beside this script

import cnnlib
from cnnlib import (
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    conv2d_output_shape,
)

ROOT = Path(__file__).resolve().parent.parent
#: Set on some machines to pin OpenBLAS; ``make bench`` unsets them (see above).
_OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

TARGETS = {
    "conv_ratio": 1.5,  # cnnlib / PyTorch, base configuration
    "memory_ratio": 2.0,  # peak / bytes the step must hold
    "viz_median_ms": 30.0,
    "notebook_s": 30.0,
}

# (name, N, C, F, H, W, KH, KW, stride, padding, dilation)
CONV_CONFIGS = [
    ("base: 3x3, s1, p1", 64, 8, 16, 28, 28, 3, 3, 1, 1, 1),
    ("strided: 3x3, s2, p1", 64, 8, 16, 28, 28, 3, 3, 2, 1, 1),
    ("dilated: 3x3, d2, p2", 64, 8, 16, 28, 28, 3, 3, 1, 2, 2),
]
NAIVE_N = 1  # the naive loops run on one image of the base configuration


# --------------------------------------------------------------------------------------
# Machine
# --------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _blas_info() -> list[dict]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"note": "threadpoolctl not installed"}]
    keep = ("user_api", "internal_api", "version", "num_threads", "architecture",
            "threading_layer", "filepath")
    info = []
    for pool in threadpool_info():
        entry = {k: pool.get(k) for k in keep if pool.get(k) is not None}
        entry["filepath"] = Path(entry.get("filepath", "")).name
        info.append(entry)
    return info


def _numpy_blas_threads() -> int:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1
    for pool in threadpool_info():
        if pool.get("user_api") == "blas" and "numpy" in pool.get("filepath", ""):
            return int(pool["num_threads"])
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            return int(pool["num_threads"])
    return os.cpu_count() or 1


def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def machine(torch) -> dict:
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "load_average_at_start": [round(v, 2) for v in os.getloadavg()],
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cnnlib": cnnlib.__version__,
        "torch": torch.__version__ if torch else None,
        "torch_threads": torch.get_num_threads() if torch else None,
        "numpy_blas_threads": _numpy_blas_threads(),
        "thread_pools": _blas_info(),
        "openblas_env": {k: os.environ.get(k) for k in _OPENBLAS_VARS},
    }


# --------------------------------------------------------------------------------------
# Conv timing
# --------------------------------------------------------------------------------------


def _conv_inputs(cfg, n=None, seed=0):
    _, n0, c, f, h, w, kh, kw, s, p, d = cfg
    n = n0 if n is None else n
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c, h, w))
    wt = rng.normal(size=(f, c, kh, kw))
    b = rng.normal(size=f)
    oh, ow = conv2d_output_shape((h, w), (kh, kw), s, p, d)
    dy = rng.normal(size=(n, f, oh, ow))
    return x, wt, b, dy, dict(stride=s, padding=p, dilation=d)


def _ours_step(x, w, b, dy, kw):
    y, cache = conv2d_forward(x, w, b, **kw)
    return y, conv2d_backward(dy, cache)


def _torch_step_factory(torch, x, w, b, dy, kw):
    fn = torch.nn.functional
    xt = torch.from_numpy(x).requires_grad_(True)
    wt = torch.from_numpy(w).requires_grad_(True)
    bt = torch.from_numpy(b).requires_grad_(True)
    dyt = torch.from_numpy(dy)

    def step():
        xt.grad = wt.grad = bt.grad = None
        yt = fn.conv2d(xt, wt, bt, **kw)
        yt.backward(dyt)
        return yt, (xt.grad, wt.grad, bt.grad)

    return step


def _time_once(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _time_once_cpu(fn) -> tuple[float, float]:
    """Wall time and CPU time of the calling thread (the whole work when both
    libraries run on one thread; other programs on the machine do not add to it)."""
    c0, t0 = time.thread_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.thread_time() - c0


def _time_pair(ours, ref, rounds):
    """Alternate the two steps for ``rounds`` rounds; return both time lists."""
    for _ in range(3):  # warm up caches, allocators, thread pools
        ours()
        if ref:
            ref()
    t_ours, t_ref, c_ours, c_ref = [], [], [], []
    for r in range(rounds):
        gc.collect()
        pair = (ours, ref) if r % 2 == 0 else (ref, ours)
        times = {fn: _time_once_cpu(fn) for fn in pair if fn is not None}
        t_ours.append(times[ours][0])
        c_ours.append(times[ours][1])
        if ref:
            t_ref.append(times[ref][0])
            c_ref.append(times[ref][1])
    return t_ours, t_ref, c_ours, c_ref


def _threads(torch, n):
    """Context: NumPy's BLAS and PyTorch both limited to ``n`` threads."""
    import contextlib

    from threadpoolctl import threadpool_limits

    @contextlib.contextmanager
    def limit():
        before = torch.get_num_threads() if torch else None
        with threadpool_limits(limits=n, user_api="blas"):
            if torch:
                torch.set_num_threads(n)
            try:
                yield
            finally:
                if torch:
                    torch.set_num_threads(before)

    return limit()


def bench_conv(torch, rounds: int) -> dict:
    rows = []
    all_threads = _numpy_blas_threads()
    plan = [(cfg, all_threads) for cfg in CONV_CONFIGS]
    if all_threads > 1:
        plan.append((CONV_CONFIGS[0], 1))
    for cfg, n_threads in plan:
        x, w, b, dy, kw = _conv_inputs(cfg)
        ours = functools.partial(_ours_step, x, w, b, dy, kw)
        ref = _torch_step_factory(torch, x, w, b, dy, kw) if torch else None
        if ref is not None:  # same numbers first, then time
            y0, (dx0, dw0, db0) = ours()
            y1, (dx1, dw1, db1) = ref()
            for a, t in ((y0, y1), (dx0, dx1), (dw0, dw1), (db0, db1)):
                assert np.allclose(a, t.detach().numpy(), rtol=1e-9, atol=1e-9)
        with _threads(torch, n_threads):
            t_ours, t_ref, c_ours, c_ref = _time_pair(ours, ref, rounds)
        name, n, c, f, h, wd, kh, kwd, s, p, d = cfg
        row = {
            "config": name if n_threads == all_threads else f"{name}, 1 thread",
            "shape": f"N={n}, C={c}->F={f}, {h}x{wd}, kernel {kh}x{kwd}, "
                     f"stride {s}, padding {p}, dilation {d}",
            "threads": n_threads,
            "rounds": rounds,
            "cnnlib_ms_median": 1e3 * statistics.median(t_ours),
            "cnnlib_ms_min": 1e3 * min(t_ours),
        }
        if ref:
            ratios = [a / b for a, b in zip(t_ours, t_ref, strict=True)]
            row.update(
                torch_ms_median=1e3 * statistics.median(t_ref),
                torch_ms_min=1e3 * min(t_ref),
                ratio=statistics.median(ratios),
                ratio_of_mins=min(t_ours) / min(t_ref),
            )
            if n_threads == 1:
                row.update(
                    cnnlib_cpu_ms_median=1e3 * statistics.median(c_ours),
                    torch_cpu_ms_median=1e3 * statistics.median(c_ref),
                    ratio_cpu=statistics.median(
                        [a / b for a, b in zip(c_ours, c_ref, strict=True)]),
                )
        else:
            row["torch"] = "torch not installed"
        rows.append(row)
    return {"rows": rows, "note": (
        "one step = forward + backward (dx, dw, db), float64. Rounds alternate "
        "cnnlib and PyTorch. ratio = median over rounds of cnnlib time / PyTorch "
        "time in the same round; ratio_of_mins = best cnnlib time / best PyTorch "
        "time. On a shared machine the best times are the least disturbed; the "
        "target is checked against the larger of the two ratios. One-thread rows "
        "also give ratio_cpu, from the CPU time of the calling thread, which "
        "other programs on the machine do not inflate.")}


def bench_naive(rounds: int) -> dict:
    """Naive loops on NAIVE_N image(s) of the base configuration, against the
    vectorised pair on the same input and on the full batch."""
    cfg = CONV_CONFIGS[0]
    x, w, b, dy, kw = _conv_inputs(cfg, n=NAIVE_N)

    def naive():
        y, cache = conv2d_forward_naive(x, w, b, **kw)
        return conv2d_backward_naive(dy, cache)

    t_naive = _time_once(naive)  # seconds each; one run is plenty
    fast_small = min(_time_once(lambda: _ours_step(x, w, b, dy, kw))
                     for _ in range(max(rounds, 5)))
    xb, wb, bb, dyb, _ = _conv_inputs(cfg)
    fast_full = statistics.median(_time_once(lambda: _ours_step(xb, wb, bb, dyb, kw))
                                  for _ in range(max(rounds // 2, 5)))
    n_full = cfg[1]
    return {
        "config": cfg[0],
        "naive_n": NAIVE_N,
        "naive_s": t_naive,
        "vectorised_same_input_ms": 1e3 * fast_small,
        "speedup_same_input": t_naive / fast_small,
        "naive_full_batch_s_extrapolated": t_naive * n_full / NAIVE_N,
        "vectorised_full_batch_ms": 1e3 * fast_full,
        "speedup_full_batch_extrapolated": t_naive * n_full / NAIVE_N / fast_full,
        "note": f"the naive loops ran on N={NAIVE_N}; their time is linear in N "
                f"(the outer loop), so N={n_full} is extrapolated as "
                f"{n_full // NAIVE_N} times that",
    }


# --------------------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------------------


def bench_memory() -> dict:
    cfg = CONV_CONFIGS[0]
    x, w, b, dy, kw = _conv_inputs(cfg)
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    y, cache = conv2d_forward(x, w, b, **kw)
    dx, dw, db = conv2d_backward(dy, cache)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak -= base
    held = {
        "y": y.nbytes, "dx": dx.nbytes, "dw": dw.nbytes, "db": db.nbytes,
        "cols (im2col, kept for backward)": cache.cols.nbytes,
    }
    inputs = {"x": x.nbytes, "w": w.nbytes, "b": b.nbytes, "dy": dy.nbytes}
    required = sum(held.values())
    arrays = required - cache.cols.nbytes + sum(inputs.values())
    return {
        "config": cfg[0],
        "peak_bytes": int(peak),
        "held_bytes": {k: int(v) for k, v in held.items()},
        "required_bytes": int(required),
        "ratio": peak / required,
        "input_bytes": {k: int(v) for k, v in inputs.items()},
        "strict_budget_bytes": int(2 * arrays + cache.cols.nbytes),
        "peak_with_inputs_bytes": int(peak + sum(inputs.values())),
        "note": "peak = tracemalloc peak of the new allocations of one forward + "
                "backward step (inputs x, w, b, dy existed before). required = the "
                "arrays the step must create and keep: y, dx, dw, db and the im2col "
                "matrix cols held in the cache. Target: peak <= 2 x required. "
                "strict_budget = 2 x (inputs + outputs) + cols, compared with "
                "peak_with_inputs.",
    }


# --------------------------------------------------------------------------------------
# Drawings
# --------------------------------------------------------------------------------------


def bench_viz(max_frames: int) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cnnlib.viz import all_drawings

    rows = []
    for cls in all_drawings():
        name = f"{cls.__module__}.{cls.__name__}"
        drawing = cls.example()
        frames = drawing.frames()
        if len(frames) > max_frames:  # spread over the whole range
            idx = np.linspace(0, len(frames) - 1, max_frames).round().astype(int)
            frames = [frames[i] for i in idx]
        drawing.fig.canvas.draw()  # first draw builds caches: not a slider step
        times, cpu = [], []
        for frame in frames:
            c0, t0 = time.thread_time(), time.perf_counter()
            drawing.update(**frame)
            drawing.fig.canvas.draw()
            times.append(time.perf_counter() - t0)
            cpu.append(time.thread_time() - c0)
        rows.append({
            "drawing": name,
            "frames": len(frames),
            "median_ms": 1e3 * statistics.median(times),
            "max_ms": 1e3 * max(times),
            "cpu_median_ms": 1e3 * statistics.median(cpu),
        })
        plt.close(drawing.fig)
    return {"rows": rows, "note": (
        "one slider step = drawing.update(**frame) + fig.canvas.draw() (Agg), "
        "wall time; cpu_median_ms is the CPU time of the same steps")}


# --------------------------------------------------------------------------------------
# Notebook and make targets
# --------------------------------------------------------------------------------------


def bench_notebook(path: Path) -> dict:
    if not path.exists():
        return {"notebook": str(path.relative_to(ROOT)), "skipped": "does not exist"}
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        client = NotebookClient(nb, timeout=900, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        total = time.perf_counter() - t0
        del tmp
    return {"notebook": str(path.relative_to(ROOT)), "seconds": total,
            "note": "nbclient, fresh python3 kernel, kernel start included"}


def _timed_command(cmd: list[str], cwd: Path) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return {"command": " ".join(cmd), "seconds": time.perf_counter() - t0,
            "returncode": proc.returncode,
            "tail": (proc.stdout + proc.stderr).strip().splitlines()[-3:]}


def bench_make() -> dict:
    venv = ROOT / ".venv" / "bin"
    out = Path(tempfile.mkdtemp(prefix="cnnlib-bench-book-"))
    try:
        book = _timed_command([str(venv / "jupyter-book"), "build", ".", "-W", "-n",
                               "--keep-going", "--path-output", str(out)], ROOT)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    book["note"] = ("the command of `make book`, built into a fresh temporary "
                    "folder (a clean build; the shared _build is left alone)")
    test = _timed_command([str(venv / "pytest"), "-q", "-p", "no:cacheprovider"], ROOT)
    test["note"] = "the command of `make test`"
    return {"make_book": book, "make_test": test}


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def _fmt_bytes(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def report(results: dict) -> str:
    lines = []
    m = results.get("machine", {})
    lines.append(f"cnnlib {m.get('cnnlib')} on {m.get('cpu')} ({m.get('cores')} cores), "
                 f"numpy {m.get('numpy')}, torch {m.get('torch') or 'not installed'}, "
                 f"threads: numpy BLAS {m.get('numpy_blas_threads')}, "
                 f"torch {m.get('torch_threads')}; {m.get('date')}")
    lines.append(f"load average (1 min) {m.get('load_average_at_start', ['?'])[0]} at "
                 f"the start, {m.get('load_average_at_end', ['?'])[0]} at the end")
    pinned = {k: v for k, v in (m.get("openblas_env") or {}).items() if v}
    if pinned:
        lines.append(f"OpenBLAS pinned by the environment: {pinned} "
                     "(`make bench` runs without it)")
    conv = results.get("conv")
    mem = results.get("memory", {})
    if conv:
        lines.append("")
        hdr = (f"{'configuration':32s} {'cnnlib ms':>10s} {'torch ms':>10s} "
               f"{'ratio':>6s} {'best':>6s} {'peak memory':>12s}")
        lines += [hdr, "-" * len(hdr)]
        for i, row in enumerate(conv["rows"]):
            peak = _fmt_bytes(mem["peak_bytes"]) if i == 0 and mem else ""
            if "ratio" in row:
                lines.append(f"{row['config']:32s} {row['cnnlib_ms_median']:10.1f} "
                             f"{row['torch_ms_median']:10.1f} {row['ratio']:6.2f} "
                             f"{row['ratio_of_mins']:6.2f} {peak:>12s}")
            else:
                lines.append(f"{row['config']:32s} {row['cnnlib_ms_median']:10.1f} "
                             f"{'torch not installed':>24s} {peak:>12s}")
        for row in conv["rows"]:
            if "ratio_cpu" in row:
                lines.append(f"{row['config']}: CPU time "
                             f"{row['cnnlib_cpu_ms_median']:.1f}"
                             f" ms vs {row['torch_cpu_ms_median']:.1f} ms, ratio "
                             f"{row['ratio_cpu']:.2f}")
        lines.append("(median times; ratio = median of per-round cnnlib/torch ratios, "
                     "best = ratio of the best times; target for the base rows <= "
                     f"{TARGETS['conv_ratio']})")
    naive = results.get("naive")
    if naive:
        lines.append("")
        lines.append(f"naive loops, N={naive['naive_n']}: {naive['naive_s']:.2f} s vs "
                     f"{naive['vectorised_same_input_ms']:.2f} ms vectorised "
                     f"(x{naive['speedup_same_input']:.0f}); N=64 extrapolated "
                     f"{naive['naive_full_batch_s_extrapolated']:.0f} s vs "
                     f"{naive['vectorised_full_batch_ms']:.1f} ms "
                     f"(x{naive['speedup_full_batch_extrapolated']:.0f})")
    if mem:
        lines.append(f"memory: peak {_fmt_bytes(mem['peak_bytes'])} = "
                     f"{mem['ratio']:.2f} x the {_fmt_bytes(mem['required_bytes'])} "
                     f"the step must hold (target <= {TARGETS['memory_ratio']})")
    viz = results.get("viz")
    if viz:
        lines.append("")
        lines.append(f"{'drawing':48s} {'frames':>6s} {'median ms':>10s} "
                     f"{'max ms':>8s} {'cpu ms':>7s}")
        for row in viz["rows"]:
            if "skipped" in row:
                lines.append(f"{row['drawing']:48s} skipped: {row['skipped']}")
            else:
                lines.append(f"{row['drawing']:48s} {row['frames']:6d} "
                             f"{row['median_ms']:10.1f} {row['max_ms']:8.1f} "
                             f"{row.get('cpu_median_ms', float('nan')):7.1f}")
    nb = results.get("notebook")
    if nb:
        lines.append("")
        if "seconds" in nb:
            lines.append(f"{nb['notebook']}: {nb['seconds']:.1f} s "
                         f"(target <= {TARGETS['notebook_s']:.0f} s)")
        else:
            lines.append(f"{nb['notebook']}: {nb['skipped']}")
    mk = results.get("make")
    if mk:
        for key in ("make_book", "make_test"):
            r = mk[key]
            lines.append(f"{key.replace('_', ' ')}: {r['seconds']:.0f} s "
                         f"(exit code {r['returncode']})")
    return "\n".join(lines)


SECTIONS = ("conv", "memory", "viz", "notebook", "make")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS,
                        help="run only these sections (others keep stored results)")
    parser.add_argument("--make", action="store_true",
                        help="also time a clean book build and the test suite (slow)")
    parser.add_argument("--rounds", type=int, default=30,
                        help="timing rounds per conv configuration")
    parser.add_argument("--max-frames", type=int, default=30,
                        help="slider steps timed per drawing")
    parser.add_argument("--no-save", action="store_true",
                        help="print only; leave benchmarks/results.json alone")
    args = parser.parse_args(argv)
    sections = set(args.only or [s for s in SECTIONS if s != "make" or args.make])

    torch = _torch()
    if torch is not None:
        torch.set_num_threads(_numpy_blas_threads())
    results = load()
    results["machine"] = machine(torch)
    results["targets"] = TARGETS

    def stamp(d):
        d["measured_at"] = results["machine"]["date"]
        return d

    if "conv" in sections:
        results["conv"] = stamp(bench_conv(torch, args.rounds))
        results["naive"] = stamp(bench_naive(args.rounds))
    if "memory" in sections:
        results["memory"] = stamp(bench_memory())
    if "viz" in sections:
        results["viz"] = stamp(bench_viz(args.max_frames))
    if "notebook" in sections:
        results["notebook"] = stamp(bench_notebook(ROOT / "book" /
                                                   "06-training-a-cnn.ipynb"))
    if "make" in sections:
        results["make"] = stamp(bench_make())

    results["machine"]["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]
    return finish(report(results), results, args.no_save)


if __name__ == "__main__":
    raise SystemExit(main())
