"""Every line of code on the cheat sheet (book/cheatsheet.md), run on random data.

The page's tables hold one line of code per rule and convention. This module
reads them from the page, runs each line in a namespace holding the page's
names (``a``, ``w``, ``dz``, ``s``, ``p``, ``d``, ...), and compares what the
line assigns with a reference: ``conv2d_backward``, the pooling backward
passes, or central differences of a probe cost ``C = sum(G * y)``. A row on the
page without a case here, or a case here without a row, fails the suite, so the
sheet and its checks cannot drift apart.
"""

import re
from pathlib import Path

import numpy as np
import pytest

import cnnlib
import cnnlib.rules
from cnnlib import (
    avg_pool2d_forward,
    conv2d_backward,
    conv2d_forward,
    conv_transpose2d,
    max_pool2d_forward,
    numerical_gradient,
    relative_error,
    rot180,
    sigmoid,
    softmax_cross_entropy,
)

PAGE = Path(__file__).resolve().parents[1] / "book" / "cheatsheet.md"
CODE = re.compile(r"`([^`]+)`")


def _cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def page_rows():
    """(setting, gradient, convention, code) for every code line in a table.

    The convention of a column comes from its header: "cross-correlation",
    "true-convolution" or "both conventions".
    """
    rows, header = [], None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = cells
            continue
        if set(line) <= set("|- "):
            continue
        assert len(cells) == len(header), f"cells do not match the header: {line}"
        for title, cell in zip(header, cells, strict=True):
            conv = ("corr" if title.startswith("cross-correlation") else
                    "conv" if title.startswith("true-convolution") else
                    "both" if title.startswith("both") else None)
            if conv is None:
                continue
            codes = CODE.findall(cell)
            assert len(codes) == 1, f"one line of code per cell: {line}"
            rows.append((cells[0], cells[1], conv, codes[0]))
    return rows


def names_line():
    """The page's definition of ``rh, rw`` (outside the tables)."""
    lines = [c for c in CODE.findall(PAGE.read_text(encoding="utf-8"))
             if c.startswith("rh, rw = ")]
    assert len(lines) == 1
    return lines[0]


def base_namespace():
    ns = {"np": np}
    ns.update({n: getattr(cnnlib, n) for n in dir(cnnlib) if not n.startswith("_")})
    ns.update({n: getattr(cnnlib.rules, n) for n in cnnlib.rules.__all__})
    return ns


def fd(f, v):
    return numerical_gradient(f, v.copy())


# ---- one channel: the layer, its references, both conventions -------------------


def one_channel(conv, shape, kernel, s=1, p=0, d=1, seed=0):
    """Namespace and references for z = corr(a, w), or z = conv(a, w), which is
    corr(a, rot180(w))."""
    rng = np.random.default_rng(seed)
    a, w = rng.normal(size=shape), rng.normal(size=kernel)
    k_eff = rot180(w) if conv == "conv" else w
    opts = {"stride": s, "padding": p, "dilation": d}

    def z_of(a_, w_):
        return conv2d_forward(a_[None, None], w_[None, None], np.zeros(1), **opts)[0]

    z, cache = conv2d_forward(a[None, None], k_eff[None, None], np.zeros(1), **opts)
    dz = rng.normal(size=z.shape[2:])
    dx, dw, db = conv2d_backward(dz[None, None], cache)
    gw = rot180(dw[0, 0]) if conv == "conv" else dw[0, 0]
    ref = {"g": dx[0, 0], "gw": gw, "gb": db[0]}
    # finite differences of C = sum(dz * z) as a second, independent judge
    orient = rot180 if conv == "conv" else (lambda v: v)
    fd_g = fd(lambda v: np.sum(dz * z_of(v, k_eff)), a)
    fd_w = fd(lambda v: np.sum(dz * z_of(a, orient(v))), w)
    assert relative_error(ref["g"], fd_g) < 1e-8
    assert relative_error(ref["gw"], fd_w) < 1e-8
    H, W = shape
    KH, KW = kernel
    ns = dict(a=a, w=w, dz=dz, s=s, p=p, d=d, H=H, W=W, KH=KH, KW=KW)
    return ns, ref


ONE_CHANNEL = {   # setting -> settings to run its lines with
    "stride 1": [dict(shape=(6, 7), kernel=(3, 2))],
    "padding": [dict(shape=(6, 7), kernel=(3, 2), p=1),
                dict(shape=(5, 6), kernel=(2, 3), p=2)],
    "stride": [dict(shape=(10, 9), kernel=(3, 2), s=2),
               dict(shape=(12, 10), kernel=(2, 3), s=3)],
    "dilation": [dict(shape=(8, 9), kernel=(3, 2), d=2),
                 dict(shape=(9, 9), kernel=(2, 3), d=3)],
    "all three": [dict(shape=(11, 10), kernel=(3, 2), s=2, p=1, d=2),
                  dict(shape=(10, 12), kernel=(2, 3), s=3, p=2, d=1),
                  dict(shape=(7, 6), kernel=(3, 2))],
}


# ---- batches, transposed convolution, pooling, dense and loss ----------------------


def batch_case(conv, n, c, f, shape, kernel, s=1, p=0, d=1, seed=1):
    rng = np.random.default_rng(seed)
    x, wk = rng.normal(size=(n, c, *shape)), rng.normal(size=(f, c, *kernel))
    k_eff = rot180(wk) if conv == "conv" else wk
    z, cache = conv2d_forward(x, k_eff, np.zeros(f), stride=s, padding=p, dilation=d)
    dZ = rng.normal(size=z.shape)
    dx, dw, db = conv2d_backward(dZ, cache)
    ns = dict(x=x, wk=wk, dZ=dZ, s=s, p=p, d=d, C=c, F=f, N=n,
              H=shape[0], W=shape[1], KH=kernel[0], KW=kernel[1])
    ref = {"gx": dx, "gwk": rot180(dw) if conv == "conv" else dw, "gb": db}
    if n == 1:
        ref["g"] = dx[0]
    return ns, ref


def transposed_case(conv, seed=2):
    rng = np.random.default_rng(seed)
    s, p, d, op = 2, 1, 1, 1
    wk = rng.normal(size=(3, 2, 3, 2))                 # (F, C, KH, KW) of the conv
    u = rng.normal(size=(1, 3, 4, 4))                  # F channels in
    orient = rot180 if conv == "conv" else (lambda v: v)

    def y_of(u_, w_):
        return conv_transpose2d(u_, orient(w_), s, p, d, output_padding=op)

    gy = rng.normal(size=y_of(u, wk).shape)
    ref = {"gu": fd(lambda v: np.sum(gy * y_of(v, wk)), u),
           "gwk": fd(lambda v: np.sum(gy * y_of(u, v)), wk)}
    ns = dict(u=u, gy=gy, wk=wk, s=s, p=p, d=d, KH=3, KW=2)
    return ns, ref


def first_max_rule(x, dZ, k, stride):
    """Max-pool backward written out: each delta to its window's first maximum."""
    g = np.zeros_like(x)
    n_, c_, oh, ow = dZ.shape
    for n, c, i, j in np.ndindex(n_, c_, oh, ow):
        win = x[n, c, i * stride:i * stride + k, j * stride:j * stride + k]
        r, t = divmod(int(np.argmax(win)), k)        # first in reading order
        g[n, c, i * stride + r, j * stride + t] += dZ[n, c, i, j]
    return g


def pool_case(kind, seed=3):
    rng = np.random.default_rng(seed)
    if kind in ("max pool", "average pool"):       # k x k windows, stride k
        forward = max_pool2d_forward if kind == "max pool" else avg_pool2d_forward
        k, a = 2, rng.normal(size=(6, 8))            # no ties
        z = forward(a[None, None], k)[0][0, 0]
        dz = rng.normal(size=z.shape)
        g = fd(lambda v: np.sum(dz * forward(v[None, None], k)[0][0, 0]), a)
        return dict(a=a, z=z, dz=dz, k=k), {"g": g}
    k, stride = 3, 2                                 # overlapping windows
    if kind == "max pool, ties":
        x = rng.integers(0, 3, size=(2, 2, 7, 9)).astype(float)
        dZ = rng.normal(size=max_pool2d_forward(x, k, stride)[0].shape)
        _, cache = max_pool2d_forward(x, k, stride)
        return dict(dZ=dZ, cache=cache), {"gx": first_max_rule(x, dZ, k, stride)}
    x = rng.normal(size=(2, 2, 7, 9))
    z, cache = avg_pool2d_forward(x, k, stride)
    dZ = rng.normal(size=z.shape)
    gx = fd(lambda v: np.sum(dZ * avg_pool2d_forward(v, k, stride)[0]), x)
    return dict(dZ=dZ, cache=cache), {"gx": gx}


def dense_case(gradient, seed=4):
    rng = np.random.default_rng(seed)
    z, g = rng.normal(size=7), rng.normal(size=7)
    w_next, delta_next = rng.normal(size=(4, 7)), rng.normal(size=4)
    a_prev, delta = rng.normal(size=5), rng.normal(size=3)
    w_l, b_l = rng.normal(size=(3, 5)), rng.normal(size=3)
    ns = dict(z=z, g=g, w_next=w_next, delta_next=delta_next, a_prev=a_prev,
              delta=delta)
    refs = {
        "activation": {"delta": fd(lambda v: np.sum(g * sigmoid(v)), z)},
        "delta": {"delta": fd(lambda v: np.sum(delta_next * (w_next @ sigmoid(v))), z)},
        "weight": {"gw": fd(lambda v: np.sum(delta * (v @ a_prev + b_l)), w_l)},
        "bias": {"gb": fd(lambda v: np.sum(delta * (w_l @ a_prev + v)), b_l)},
    }
    return ns, refs[gradient]


def softmax_case(seed=5):
    rng = np.random.default_rng(seed)
    n, k = 4, 5
    zL, labels = rng.normal(size=(n, k)), rng.integers(0, k, size=n)
    Y = np.eye(k)[labels]
    loss_grad = fd(lambda v: softmax_cross_entropy(v, labels)[0], zL)
    assert relative_error(softmax_cross_entropy(zL, labels)[1], loss_grad) < 1e-8
    return dict(zL=zL, Y=Y, N=n), {"delta_L": loss_grad}


def cases(setting, gradient, conv):
    """Every (namespace, reference) a line of this row must pass."""
    if setting in ONE_CHANNEL:
        return [one_channel(conv, **kw) for kw in ONE_CHANNEL[setting]]
    if setting == "channels":
        return [batch_case(conv, 1, 3, 2, (6, 7), (3, 2))]
    if setting == "batch, any setting":
        return [batch_case(conv, 2, 2, 3, (9, 8), (3, 2), s=2, p=1, d=2),
                batch_case(conv, 2, 3, 2, (10, 9), (2, 3), s=3, p=0, d=1)]
    if setting == "transposed convolution":
        return [transposed_case(conv)]
    if setting.startswith(("max pool", "average pool")):
        return [pool_case(setting)]
    if setting == "activation":
        return [dense_case("activation")]
    if setting == "dense layer":
        return [dense_case(gradient)]
    if setting == "softmax and cross-entropy":
        return [softmax_case()]
    raise KeyError(f"no check for the row {setting!r}, {gradient!r}")


ROWS = page_rows()


def test_the_page_has_the_rows_this_module_checks():
    keys = {(s, g) for s, g, _, _ in ROWS}
    assert len(ROWS) == len({(s, g, c) for s, g, c, _ in ROWS}), "a row twice"
    expected_one = {(s, g) for s in ONE_CHANNEL for g in ("input", "weight")}
    expected_one.add(("stride 1", "bias"))
    expected_rest = {
        ("channels", "input"), ("channels", "weight"),
        ("batch, any setting", "input"), ("batch, any setting", "weight"),
        ("batch, any setting", "bias"),
        ("transposed convolution", "input"), ("transposed convolution", "weight"),
        ("max pool", "input"), ("max pool, ties", "input"),
        ("average pool", "input"), ("average pool, any stride", "input"),
        ("activation", "delta"), ("dense layer", "delta"), ("dense layer", "weight"),
        ("dense layer", "bias"), ("softmax and cross-entropy", "delta"),
    }
    assert keys == expected_one | expected_rest
    # every convolution row gives both conventions, every other row one line
    layers = ("channels", "batch, any setting", "transposed convolution")
    for s, g in keys:
        both = s in ONE_CHANNEL or s in layers
        want = {"corr", "conv"} if both else {"both"}
        assert {c for s2, g2, c, _ in ROWS if (s2, g2) == (s, g)} == want, (s, g)


def test_every_code_line_on_the_page_is_checked():
    text = PAGE.read_text(encoding="utf-8")
    statements = [c for c in CODE.findall(text) if re.match(r"^\w+(, \w+)* = ", c)]
    tested = {code for *_, code in ROWS} | {names_line()}
    assert set(statements) <= tested


@pytest.mark.parametrize("setting, gradient, conv, code", ROWS,
                         ids=[f"{s}|{g}|{c}" for s, g, c, _ in ROWS])
def test_cheatsheet_line_computes_the_gradient(setting, gradient, conv, code):
    target = code.split(" = ", 1)[0].strip()
    for extra, ref in cases(setting, gradient, conv):
        ns = base_namespace()
        ns.update(extra)
        if {"H", "KH", "s", "p", "d"} <= ns.keys():
            exec(names_line(), ns)                   # rh, rw as the page defines them
        exec(code, ns)
        got = np.asarray(ns[target], dtype=float)
        want = np.asarray(ref[target], dtype=float)
        assert got.shape == want.shape, f"{code}: shape {got.shape} != {want.shape}"
        assert relative_error(got, want) < 1e-8, code
