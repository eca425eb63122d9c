"""Checkers for the exercises of chapter 3 (the forward pass is a convolution).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :mod:`cnnlib`.
"""

from __future__ import annotations

import itertools

import numpy as np

from cnnlib.conv import (
    conv2d_forward,
    conv2d_output_shape,
    convolve2d,
    correlate2d,
    rot180,
)
from cnnlib.exercises.common import is_number, report

__all__ = [
    "EXERCISE_A",
    "EXERCISE_K",
    "check_output_size",
    "check_by_hand",
    "check_symmetric_kernel",
    "check_strided",
]

#: The input and kernel of Exercise 3.2.
EXERCISE_A = np.array([[2.0, 0.0, 1.0], [1.0, 3.0, 0.0], [0.0, 1.0, 2.0]])
EXERCISE_K = np.array([[1.0, 2.0], [0.0, -1.0]])


def check_output_size(output_size) -> bool:
    """Exercise 3.1: ``output_size(H, K, padding, stride, dilation)`` returns the
    number of output rows of a conv layer (input height H, kernel height K).

    Checked against ``conv2d_output_shape`` for H = 1..9, K = 1..4,
    padding = 0..2, stride = 1..3, dilation = 1..3, wherever the kernel fits."""
    for h, k, p, s, d in itertools.product(range(1, 10), range(1, 5), range(3),
                                           range(1, 4), range(1, 4)):
        if d * (k - 1) + 1 > h + 2 * p:
            continue  # the kernel does not fit: no output
        expected = conv2d_output_shape((h, h), (k, k), s, p, d)[0]
        try:
            got = output_size(h, k, p, s, d)
        except Exception as err:  # the reader's code: report, do not crash
            return report(False, "", f"output_size({h}, {k}, {p}, {s}, {d}) raised "
                          f"{type(err).__name__}: {err}")
        if not (is_number(got) and got == expected):
            return report(False, "",
                          f"output_size(H={h}, K={k}, padding={p}, stride={s}, "
                          f"dilation={d}) gave {got!r}. How many rows does the "
                          "dilated kernel span, and how many window positions "
                          "0, s, 2s, ... fit in the padded input?")
    return report(True, "floor((H + 2p - d(K - 1) - 1) / s) + 1, in every case.",
                  "")


def check_by_hand(full_convolution_11, valid_correlation_01) -> bool:
    """Exercise 3.2: for ``EXERCISE_A`` and ``EXERCISE_K``, the full convolution
    at [1, 1] and the valid cross-correlation at [0, 1]."""
    a, k = EXERCISE_A, EXERCISE_K
    want = (convolve2d(a, k, "full")[1, 1], correlate2d(a, k, "valid")[0, 1])
    got = (full_convolution_11, valid_correlation_01)
    if not all(is_number(v) for v in got):
        return report(False, "", "give two numbers.")
    bad = [name for name, g, w in zip(("full convolution [1, 1]",
                                       "valid cross-correlation [0, 1]"), got, want,
                                      strict=True) if abs(g - w) > 1e-9]
    hints = {
        "full convolution [1, 1]": "(a ∗ k)[1, 1] = sum over i, j of "
        "a[1 - i, 1 - j] k[i, j], with a = 0 outside its 3 x 3.",
        "valid cross-correlation [0, 1]": "(a ⋆ k)[0, 1] = sum over i, j of "
        "a[0 + i, 1 + j] k[i, j].",
    }
    return report(not bad, f"{want[0]:g} and {want[1]:g}.",
                  " ".join(f"The {b} is off: {hints[b]}" for b in bad))


def check_symmetric_kernel(k) -> bool:
    """Exercise 3.3: a 3 x 3 kernel with at least two different entries for
    which convolution and cross-correlation give the same result on every
    input."""
    try:
        k = np.asarray(k, dtype=np.float64)
    except (TypeError, ValueError):
        return report(False, "", "give a 3 x 3 array of numbers.")
    if k.shape != (3, 3):
        return report(False, "", f"the kernel should be 3 x 3, got shape {k.shape}.")
    if np.unique(k).size < 2:
        return report(False, "", "a constant kernel is too easy: use at least two "
                      "different values.")
    a = np.random.default_rng(5).standard_normal((6, 7))
    same = np.allclose(correlate2d(a, k), convolve2d(a, k))
    return report(same and np.array_equal(rot180(k), k),
                  "k equals rot180(k): k[i, j] = k[2 - i, 2 - j] for all i, j.",
                  "on a random input the two operations differ. Since "
                  "a ∗ k = a ⋆ rot180(k), what must rot180(k) be?")


def check_strided(strided) -> bool:
    """Exercise 3.5: ``strided(a, k, s)`` returns the valid cross-correlation of
    a 2-D ``a`` with a 2-D ``k`` at stride ``s`` (same as ``conv2d_forward``)."""
    rng = np.random.default_rng(11)
    for h, w, kh, kw, s in ((7, 7, 3, 3, 2), (8, 6, 2, 3, 3), (5, 9, 1, 2, 2),
                            (6, 6, 3, 3, 1)):
        a, k = rng.standard_normal((h, w)), rng.standard_normal((kh, kw))
        want = conv2d_forward(a[None, None], k[None, None], stride=s)[0][0, 0]
        try:
            got = np.asarray(strided(a.copy(), k.copy(), s), dtype=np.float64)
        except Exception as err:  # the reader's code: report, do not crash
            return report(False, "", f"strided raised {type(err).__name__}: {err}")
        if got.shape != want.shape:
            return report(False, "", f"for a {h} x {w} input, a {kh} x {kw} kernel "
                          f"and stride {s} the output is {want.shape}, got "
                          f"{got.shape}.")
        if not np.allclose(got, want):
            return report(False, "", "the shape is right but the values are not: "
                          "output [x, y] is the stride-1 output at [s x, s y].")
    return report(True, "A stride-s layer gives every s-th output of the "
                  "stride-1 layer (computed directly, it skips the others).", "")
