"""Checkers for the exercises of chapter 2 (cut the connections, share the weights).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :mod:`cnnlib` where they can.
"""

from __future__ import annotations

import numpy as np

from cnnlib.conv import conv2d_as_dense, conv2d_output_shape
from cnnlib.exercises.common import is_int, report

__all__ = [
    "check_parameter_counts",
    "check_kernel_entry",
    "check_nonzeros",
    "check_padded_nonzeros",
]


def check_parameter_counts(dense, local, shared) -> bool:
    """Exercise 2.1: the number of weights (biases not counted) of a layer from
    a 32 x 32 RGB image (3 channels) to 16 channels with 5 x 5 kernels, stride
    1, no padding, when it is dense, locally connected, and shared."""
    c, h, w, f, k = 3, 32, 32, 16, 5
    oh, ow = conv2d_output_shape((h, w), (k, k))
    n_in, n_out = c * h * w, f * oh * ow
    expected = (n_in * n_out, n_out * c * k * k, f * c * k * k)
    got = (dense, local, shared)
    if not all(is_int(v) for v in got):
        return report(False, "", "give three integers: dense, local, shared.")
    wrong = [name for name, g, e in zip(("dense", "local", "shared"), got, expected,
                                        strict=True) if g != e]
    hints = {
        "dense": "dense: every output neuron is connected to every input value "
                 f"(how many outputs does a valid 5 x 5 window give on {h} x {w}?).",
        "local": "local: each output neuron keeps one window, which spans all "
                 "input channels.",
        "shared": "shared: each output channel has one kernel per input channel.",
    }
    return report(not wrong,
                  f"dense {expected[0]:,}, locally connected {expected[1]:,}, "
                  f"shared {expected[2]:,}.",
                  " ".join(hints[n] for n in wrong))


def check_kernel_entry(kernel_entry) -> bool:
    """Exercise 2.2: ``kernel_entry(r, c)`` returns the kernel entry ``(i, j)``
    that sits at row ``r`` (output z[r // 3, r % 3]) and column ``c`` (input
    a[c // 4, c % 4]) of the matrix of a valid 2 x 2 cross-correlation on a
    4 x 4 image, or None where the connection is cut."""
    k = np.array([[1.0, 2.0], [3.0, 4.0]])  # distinct entries name the taps
    m = conv2d_as_dense(k[None, None], (1, 4, 4))
    for r in range(9):
        for c in range(16):
            want = None if m[r, c] == 0 else tuple(
                int(v) for v in np.argwhere(k == m[r, c])[0])
            try:
                got = kernel_entry(r, c)
            except Exception as err:  # the reader's code: report, do not crash
                return report(False, "", f"kernel_entry({r}, {c}) raised "
                              f"{type(err).__name__}: {err}")
            if got is not None:
                try:
                    got = tuple(int(v) for v in got)
                except (TypeError, ValueError):
                    got = "not a pair"
            if got != want:
                x, y, xp, yp = r // 3, r % 3, c // 4, c % 4
                return report(False, "",
                              f"row {r} is z[{x},{y}] and column {c} is "
                              f"a[{xp},{yp}]; kernel_entry gives {got!r}. Output "
                              "z[x, y] reads a[x+i, y+j] through k[i, j], for "
                              "i, j in 0..1.")
    return report(True, "Entry (r, c) is k[x'-x, y'-y] inside the window, 0 "
                  "outside: it depends only on the offset between output and "
                  "input, which is what makes the matrix (block) Toeplitz.", "")


def check_nonzeros(n) -> bool:
    """Exercise 2.3: the number of nonzero entries of ``conv2d_as_dense(w,
    (3, 8, 8))`` for a kernel bank ``w`` of shape (4, 3, 3, 3) with no zero
    entries (stride 1, no padding)."""
    w = np.random.default_rng(3).uniform(0.5, 1.5, (4, 3, 3, 3))
    expected = int(np.count_nonzero(conv2d_as_dense(w, (3, 8, 8))))
    ok = is_int(n) and n == expected
    return report(ok, f"{expected}: each of the F x OH x OW rows holds one "
                  "entry per kernel weight, C x KH x KW of them.",
                  "count the rows of the matrix (output values) and the nonzeros "
                  "in one row (how many input values one output reads).")


def check_padded_nonzeros(n) -> bool:
    """Exercise 2.4: the number of nonzero entries of the matrix of a 2 x 2
    kernel (no zero entries) on a 4 x 4 image with padding 1, stride 1."""
    k = np.array([[1.0, -1.0], [2.0, 0.5]])
    expected = int(np.count_nonzero(conv2d_as_dense(k[None, None], (1, 4, 4),
                                                    padding=1)))
    ok = is_int(n) and n == expected
    return report(ok, f"{expected}: the output is 5 x 5, but taps that land on "
                  "the padding read a zero and have no column in the matrix.",
                  "the output grows to 5 x 5, but a tap that lands on a padded "
                  "zero has no input column. Count, for each of the 4 taps, the "
                  "outputs whose tap lands inside the image.")
