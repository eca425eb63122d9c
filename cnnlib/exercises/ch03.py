"""Checkers for the exercises of chapter 3 (the forward pass is a convolution).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :mod:`cnnlib`.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from cnnlib.conv import (
    conv2d_forward,
    conv2d_output_shape,
    convolve2d,
    correlate2d,
    rot180,
)
from cnnlib.exercises import common as ex

__all__ = [
    "EXERCISE_A",
    "EXERCISE_K",
    "answer_keys",
    "check_output_size",
    "check_by_hand",
    "check_symmetric_kernel",
    "check_strided",
]

#: The input a and the kernel w of Exercise 3.2.
EXERCISE_A = np.array([[2.0, 0.0, 1.0], [1.0, 3.0, 0.0], [0.0, 1.0, 2.0]])
EXERCISE_K = np.array([[1.0, 2.0], [0.0, -1.0]])

_HERE = __name__ + "."


@functools.cache
def answer_keys() -> tuple[ex.AnswerKey, ...]:
    """The answer keys of chapter 3's exercises whose answer can be typed."""
    a, k = EXERCISE_A, EXERCISE_K
    full = convolve2d(a, k, "full")
    valid = correlate2d(a, k, "valid")
    right = f"{full[1, 1]:g} and {valid[0, 1]:g}."
    return (
        ex.AnswerKey(
            "3.2", _HERE + "check_by_hand", "full_convolution_11", "number",
            full[1, 1], right,
            "conv_full(a, w)[1, 1] = sum over i, j of a[1 - i, 1 - j] w[i, j], "
            "with a = 0 outside its 3 x 3.",
            (ex.Mistake(correlate2d(a, k, "full")[1, 1],
                        "that is the full cross-correlation at [1, 1]; the "
                        "convolution flips the kernel."),
             ex.Mistake(convolve2d(a, k, "valid")[1, 1],
                        "that is the valid convolution at [1, 1]; the full one "
                        "first pads a with K - 1 = 1 row and column of zeros.")),
            atol=1e-9, label="The full convolution at [1, 1]"),
        ex.AnswerKey(
            "3.2", _HERE + "check_by_hand", "valid_correlation_01", "number",
            valid[0, 1], right,
            "corr_valid(a, w)[0, 1] = sum over i, j of a[0 + i, 1 + j] w[i, j].",
            (ex.Mistake(convolve2d(a, k, "valid")[0, 1],
                        "that is the valid convolution at [0, 1]; a "
                        "cross-correlation does not flip the kernel."),
             ex.Mistake(correlate2d(a, k, "full")[0, 1],
                        "that is the full cross-correlation at [0, 1]; in valid "
                        "mode [0, 1] is the window at row 0, column 1 of a.")),
            atol=1e-9, label="The valid cross-correlation at [0, 1]"),
    )


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
        got, why = ex.call_reader(output_size, h, k, p, s, d,
                                  name=f"output_size({h}, {k}, {p}, {s}, {d})")
        if why is not None:
            return ex.report(False, "", why)
        n, why = ex.read_count(got)
        if n != expected:
            known = {(h + 2 * p - k) // s + 1: "That ignores the dilation: the "
                     "kernel spans d(K - 1) + 1 rows.",
                     (h - d * (k - 1) - 1) // s + 1: "That forgets the padding: "
                     "the windows slide over H + 2p rows.",
                     (h + 2 * p - d * (k - 1) - 1) // s: "That misses the first "
                     "window, at row 0: add 1."}
            return ex.report(False, "",
                             f"output_size(H={h}, K={k}, padding={p}, stride={s}, "
                             f"dilation={d}) gave {got!r:.40}. " + (
                                 why or known.get(n) or
                                 "How many rows does the dilated kernel span, and "
                                 "how many window positions 0, s, 2s, ... fit in "
                                 "the padded input?"))
    return ex.report(True, "floor((H + 2p - d(K - 1) - 1) / s) + 1, in every case.",
                     "")


def check_by_hand(full_convolution_11, valid_correlation_01) -> bool:
    """Exercise 3.2: for a = ``EXERCISE_A`` and the kernel w = ``EXERCISE_K``, the
    full convolution conv_full(a, w)[1, 1] and the valid cross-correlation
    corr_valid(a, w)[0, 1] = Σ_i Σ_j a[i, 1 + j] w[i, j]."""
    return ex.check_keys(answer_keys(), "check_by_hand",
                         [full_convolution_11, valid_correlation_01])


def check_symmetric_kernel(k) -> bool:
    """Exercise 3.3: a 3 x 3 kernel with at least two different entries for
    which convolution and cross-correlation give the same result on every
    input."""
    k, why = ex.read_array(k, (3, 3))
    if why is not None:
        return ex.report(False, "", why + " Give a 3 x 3 kernel.")
    if np.unique(k).size < 2:
        return ex.report(False, "", "a constant kernel is too easy: use at least two "
                         "different values.")
    same = np.array_equal(rot180(k), k)
    return ex.report(same, "w equals rot180(w): w[i, j] = w[2 - i, 2 - j] for all i, j.",
                     "on a random input the two operations differ. Since "
                     "conv(a, w) = corr(a, rot180(w)), what must rot180(w) be?")


def check_strided(strided) -> bool:
    """Exercise 3.5: ``strided(a, k, s)`` returns the valid cross-correlation of
    a 2-D ``a`` with a 2-D ``k`` at stride ``s`` (same as ``conv2d_forward``)."""

    def cases():
        rng = np.random.default_rng(11)
        for h, w, kh, kw, s in ((7, 7, 3, 3, 2), (8, 6, 2, 3, 3), (5, 9, 1, 2, 2),
                                (6, 6, 3, 3, 1)):
            a, k = rng.standard_normal((h, w)), rng.standard_normal((kh, kw))
            yield ex.Case(
                f"For a {h} x {w} input, a {kh} x {kw} kernel and stride {s}",
                (a.copy(), k.copy(), s),
                conv2d_forward(a[None, None], k[None, None], stride=s)[0][0, 0],
                (ex.Mistake(conv2d_forward(a[None, None], rot180(k)[None, None],
                                           stride=s)[0][0, 0],
                            "this is the true convolution (the kernel flipped); "
                            "conv2d_forward is a cross-correlation."),))

    return ex.check_cases(
        strided, cases(), "A stride-s layer gives every s-th output of the "
        "stride-1 layer (computed directly, it skips the others).",
        hint="Output [x, y] is the stride-1 output at [s x, s y].",
        shape_hint="How many window positions 0, s, 2s, ... fit?", name="strided")
