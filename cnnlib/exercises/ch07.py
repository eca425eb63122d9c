"""Checkers for the exercises of chapter 7 (stride, padding, dilation, channels,
pooling and the transposed convolution).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :func:`cnnlib.conv2d_backward` and the
pooling layers, which the test suite checks against finite differences and
PyTorch.
"""

from __future__ import annotations

import textwrap

import numpy as np

from cnnlib.conv import conv2d_backward, conv2d_forward, conv2d_output_shape
from cnnlib.pool import (
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
)

__all__ = [
    "EXERCISE_DELTA",
    "EXERCISE_KERNEL",
    "check_avg_pool_kernel",
    "check_dilated_input_gradient",
    "check_max_pool_backward",
    "check_output_padding",
    "check_strided_by_hand",
    "check_transpose_backward",
]

#: Exercise 7.1: a 2x2 kernel and the deltas of a stride-2 layer on a 5x5 input.
EXERCISE_KERNEL = np.array([[1.0, 2.0], [3.0, 4.0]])
EXERCISE_DELTA = np.array([[1.0, -1.0], [2.0, 0.5]])


def _report(ok: bool, right: str, wrong: str) -> bool:
    print(textwrap.fill(("Right. " + right) if ok else ("Not yet. " + wrong), 76))
    return ok


def _as_array(values, shape):
    try:
        got = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return got if got.shape == shape else None


def _dx(delta, w, in_shape, stride=1, padding=0, dilation=1):
    _, cache = conv2d_forward(np.zeros(in_shape), w, stride=stride, padding=padding,
                              dilation=dilation)
    return conv2d_backward(delta, cache)[0]


def _call(fn, *args):
    try:
        return np.asarray(fn(*args), dtype=np.float64)
    except Exception as exc:  # the reader's code may fail in any way
        print(f"Your function raised {type(exc).__name__}: {exc}")
        return None


def check_strided_by_hand(values) -> bool:
    """Exercise 7.1: dC/da (shape (5, 5)) of a stride-2 cross-correlation layer
    with ``EXERCISE_KERNEL`` on a 5x5 input, for the deltas ``EXERCISE_DELTA``."""
    expected = _dx(EXERCISE_DELTA[None, None], EXERCISE_KERNEL[None, None],
                   (1, 1, 5, 5), stride=2)[0, 0]
    got = _as_array(values, (5, 5))
    ok = got is not None and np.allclose(got, expected)
    hint = "Give a 5x5 array. " if got is None else ""
    if got is not None and not (np.allclose(got[4], 0) and np.allclose(got[:, 4], 0)):
        hint += "Row 4 and column 4 were never read by a window: their gradient is 0. "
    return _report(
        ok, "The windows do not overlap, so each delta stamps one scaled copy of "
        "the kernel, and row 4 and column 4 stay zero.",
        hint + "Delta[x, y] adds delta[x, y] * w[i, j] to position (2x + i, 2y + j).")


def check_output_padding(n_out, rho) -> bool:
    """Exercise 7.2: for H = 11, K = 3, p = 1, s = 3, the output size of the conv
    layer and the output_padding that makes conv_transpose2d return 11 rows."""
    expected = conv2d_output_shape((11, 11), (3, 3), 3, 1, 1)[0]
    expected_rho = (11 + 2 * 1 - (3 - 1) - 1) % 3
    ok = n_out == expected and rho == expected_rho
    hint = ""
    if n_out != expected:
        hint += "Count the windows with the size formula of chapter 3. "
    if rho != expected_rho:
        hint += ("output_padding is the number of padded rows below the last window: "
                 "(H + 2p - d(K - 1) - 1) mod s. ")
    return _report(ok, "(O - 1) s - 2p + d(K - 1) + output_padding + 1 gives back 11.",
                   hint)


def check_dilated_input_gradient(fn) -> bool:
    """Exercise 7.3: ``fn(delta, w, in_shape, d)`` returns dC/da for one channel,
    stride 1, no padding and dilation ``d``."""
    rng = np.random.default_rng(73)
    for (h, wd), (kh, kw), d in [((7, 8), (3, 2), 2), ((9, 9), (2, 3), 3),
                                 ((6, 6), (3, 3), 1)]:
        w = rng.normal(size=(kh, kw))
        oh, ow = conv2d_output_shape((h, wd), (kh, kw), 1, 0, d)
        delta = rng.normal(size=(oh, ow))
        expected = _dx(delta[None, None], w[None, None], (1, 1, h, wd),
                       dilation=d)[0, 0]
        got = _call(fn, delta, w, (h, wd), d)
        if got is None or got.shape != expected.shape or not np.allclose(got, expected):
            return _report(False, "", (
                f"For a {h}x{wd} input, a {kh}x{kw} kernel and d = {d} the numbers "
                "differ. Put d - 1 zeros between the kernel's entries, then take the "
                "full convolution of the deltas with that kernel."))
    return _report(True, "The holes of the kernel carry over to the backward pass.", "")


def check_max_pool_backward(fn) -> bool:
    """Exercise 7.4: ``fn(delta, a, k)`` returns dC/da of k x k max pooling with
    stride k (one channel), ties going to the first maximum in reading order."""
    rng = np.random.default_rng(74)
    cases = [(rng.integers(0, 3, size=(4, 6)).astype(float), 2),   # many ties
             (rng.normal(size=(6, 6)), 3), (rng.normal(size=(5, 7)), 2)]
    for a, k in cases:
        y, cache = max_pool2d_forward(a[None, None], k)
        delta = rng.normal(size=y.shape[2:])
        expected = max_pool2d_backward(delta[None, None], cache)[0, 0]
        got = _call(fn, delta, a, k)
        if got is None or got.shape != expected.shape or not np.allclose(got, expected):
            hint = ("Each delta goes to one position of its window, the maximum; all "
                    "others get 0. ")
            if got is not None and got.shape == expected.shape:
                hint += ("With ties, choose the first maximum in reading order, as "
                         "np.argmax does. Rows or columns no window covers get 0.")
            return _report(False, "", hint)
    return _report(True, "Each delta went to the position that won its window.", "")


def check_transpose_backward(choice: str) -> bool:
    """Exercise 7.5: the input gradient of a ``conv_transpose2d`` layer with
    kernel w, stride s, padding p, dilation d is

    (a) conv2d_forward with the same w, s, p, d;
    (b) conv_transpose2d with rot180(w);
    (c) conv2d_forward with rot180(w) and stride 1;
    (d) conv_transpose2d with w swapped in its first two axes.
    """
    ok = str(choice).strip().lower().strip("()") == "a"
    return _report(
        ok, "The transpose of the transpose is the matrix itself: M.",
        "conv_transpose2d multiplies by the transpose of the conv layer's matrix M. "
        "What does its backward pass multiply by?")


def check_avg_pool_kernel(w) -> bool:
    """Exercise 7.6: a kernel of shape (3, 3, 2, 2) for which a conv layer with
    stride 2 computes 2x2 average pooling of a 3-channel input."""
    got = _as_array(w, (3, 3, 2, 2))
    if got is None:
        return _report(False, "",
                       "Give an array of shape (F, C, KH, KW) = (3, 3, 2, 2).")
    x = np.random.default_rng(76).normal(size=(2, 3, 6, 4))
    ok = np.allclose(conv2d_forward(x, got, stride=2)[0], avg_pool2d_forward(x, 2)[0])
    return _report(
        ok, "Average pooling is a conv layer with fixed, shared weights 1/4 that "
        "never mixes channels.",
        "Output channel f must average only input channel f: what should w[f, c] "
        "be when c != f, and what when c == f?")
