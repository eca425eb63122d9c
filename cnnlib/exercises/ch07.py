"""Checkers for the exercises of chapters 7 (stride, padding and dilation) and 8
(channels, pooling and the transposed convolution).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :func:`cnnlib.conv2d_backward` and the
pooling layers, which the test suite checks against finite differences and
PyTorch.
"""

from __future__ import annotations

import functools

import numpy as np

from cnnlib.conv import conv2d_backward, conv2d_forward, conv2d_output_shape, rot180
from cnnlib.exercises import common as ex
from cnnlib.pool import (
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
)

__all__ = [
    "EXERCISE_DELTA",
    "EXERCISE_KERNEL",
    "answer_keys",
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

_HERE = __name__ + "."


def _dx(delta, w, in_shape, stride=1, padding=0, dilation=1):
    _, cache = conv2d_forward(np.zeros(in_shape), w, stride=stride, padding=padding,
                              dilation=dilation)
    return conv2d_backward(delta, cache)[0]


def _avg_pool_kernel(channels: int, k: int) -> np.ndarray:
    """The kernel w of shape (C, C, k, k) for which conv2d_forward with stride k
    equals avg_pool2d_forward, solved by least squares from the two functions
    (conv2d_forward is linear in w)."""
    x = np.random.default_rng(76).normal(size=(2, channels, 2 * k, 3 * k))
    target = avg_pool2d_forward(x, k)[0].ravel()
    shape = (channels, channels, k, k)
    basis = np.eye(int(np.prod(shape)))
    columns = [conv2d_forward(x, e.reshape(shape), stride=k)[0].ravel() for e in basis]
    w, *_ = np.linalg.lstsq(np.stack(columns, axis=1), target, rcond=None)
    return np.round(w.reshape(shape), 12) + 0.0  # no -0.0 and 1e-17 in the key


@functools.cache
def answer_keys() -> tuple[ex.AnswerKey, ...]:
    """The answer keys of the exercises of chapters 7 and 8 whose answer can be
    typed, in exercise order."""
    d, k = EXERCISE_DELTA[None, None], EXERCISE_KERNEL[None, None]
    dx = _dx(d, k, (1, 1, 5, 5), stride=2)[0, 0]
    # the stride-1 rule on deltas without zeros between them: a 3x3 input's dx
    no_zeros = np.zeros((5, 5))
    no_zeros[:3, :3] = _dx(d, k, (1, 1, 3, 3))[0, 0]
    h, kk, p, s = 11, 3, 1, 3
    n_out = conv2d_output_shape((h, h), (kk, kk), s, p, 1)[0]
    rho = (h + 2 * p - (kk - 1) - 1) % s
    right_83 = "(O - 1) s - 2P + d(K - 1) + output_padding + 1 gives back 11."
    avg = _avg_pool_kernel(3, 2)
    mix = ("this mixes channels: output channel f must average only input "
           "channel f, so w[f, c] = 0 for c != f.")
    return (
        ex.AnswerKey(
            "7.1", _HERE + "check_strided_by_hand", "values", "array", dx,
            "The windows do not overlap, so each delta stamps one scaled copy of "
            "the kernel, and row 4 and column 4 stay zero.",
            "Delta[x, y] adds delta[x, y] * w[i, j] to position (2x + i, 2y + j); "
            "row 4 and column 4 were never read by a window, so their gradient "
            "is 0.",
            (ex.Mistake(_dx(d, rot180(EXERCISE_KERNEL)[None, None], (1, 1, 5, 5),
                            stride=2)[0, 0],
                        ex.OTHER_CONVENTION),
             ex.Mistake(no_zeros, "the zero insertion is missing: with stride 2 the "
                        "deltas sit 2 apart, so put one zero between neighbouring "
                        "deltas before the stride-1 rule."),
             ex.Mistake(dx.T, ex.TRANSPOSED)),
            atol=1e-9),
        ex.AnswerKey(
            "8.2", _HERE + "check_avg_pool_kernel", "w", "array", avg,
            "Average pooling is a conv layer with fixed, shared weights 1/4 that "
            "never mixes channels.",
            "Output channel f must average only input channel f: what should "
            "w[f, c] be when c != f, and what when c == f?",
            (ex.Mistake(np.full(avg.shape, 1 / 4), mix),
             ex.Mistake(np.full(avg.shape, 1 / 12), "this averages over the "
                        "channels too; output channel f must average only input "
                        "channel f."),
             ex.Mistake(avg * 4, "this sums each window; the average divides by "
                        "2 x 2 = 4.")),
            atol=1e-9),
        ex.AnswerKey(
            "8.3", _HERE + "check_output_padding", "n_out", "count", n_out,
            right_83, "Count the windows with the size formula of chapter 3.",
            (ex.Mistake(conv2d_output_shape((h, h), (kk, kk), s, 0, 1)[0],
                        "that forgets the padding: the windows slide over H + 2P "
                        "rows."),
             ex.Mistake(conv2d_output_shape((h, h), (kk, kk), 1, p, 1)[0],
                        "that is the count for stride 1.")), label="O"),
        ex.AnswerKey(
            "8.3", _HERE + "check_output_padding", "rho", "count", rho,
            right_83, "output_padding is the number of padded rows below the "
            "last window: (H + 2P - d(K - 1) - 1) mod s.",
            (ex.Mistake((h - (kk - 1) - 1) % s, "that forgets the padding 2P in "
                        "(H + 2P - d(K - 1) - 1) mod s."),), label="output_padding"),
        ex.AnswerKey(
            "8.4", _HERE + "check_transpose_backward", "choice", "option", "a",
            "The transpose of the transpose is the matrix itself: M.",
            "conv_transpose2d multiplies by the transpose of the conv layer's "
            "matrix M. What does its backward pass multiply by?",
            (ex.Mistake("b", "(b) is a transposed convolution again: it multiplies "
                        "by the transpose of a conv layer's matrix, not by the "
                        "transpose of M^T."),
             ex.Mistake("c", "(c) uses stride 1 whatever s is; the backward pass "
                        "of a layer depends on its stride, padding and dilation."),
             ex.Mistake("d", "(d) is a transposed convolution again: swapping the "
                        "channel axes of w does not turn M^T into its transpose.")),
            options=("a", "b", "c", "d")),
    )


def check_strided_by_hand(values) -> bool:
    """Exercise 7.1: dC/da (shape (5, 5)) of a stride-2 cross-correlation layer
    with ``EXERCISE_KERNEL`` on a 5x5 input, for the deltas ``EXERCISE_DELTA``."""
    return ex.check_keys(answer_keys(), "check_strided_by_hand", [values])


def check_output_padding(n_out, rho) -> bool:
    """Exercise 8.3: for H = 11, K = 3, P = 1, s = 3, the output size of the conv
    layer and the output_padding that makes conv_transpose2d return 11 rows."""
    return ex.check_keys(answer_keys(), "check_output_padding", [n_out, rho])


def check_dilated_input_gradient(fn) -> bool:
    """Exercise 7.2: ``fn(delta, w, in_shape, d)`` returns dC/da for one channel,
    stride 1, no padding and dilation ``d``."""

    def cases():
        rng = np.random.default_rng(73)
        for (h, wd), (kh, kw), d in [((7, 8), (3, 2), 2), ((9, 9), (2, 3), 3),
                                     ((6, 6), (3, 3), 1)]:
            w = rng.normal(size=(kh, kw))
            delta = rng.normal(size=conv2d_output_shape((h, wd), (kh, kw), 1, 0, d))
            yield ex.Case(
                f"For a {h}x{wd} input, a {kh}x{kw} kernel and d = {d}",
                (delta, w, (h, wd), d),
                _dx(delta[None, None], w[None, None], (1, 1, h, wd),
                    dilation=d)[0, 0],
                (ex.Mistake(_dx(delta[None, None], rot180(w)[None, None],
                                (1, 1, h, wd), dilation=d)[0, 0],
                            ex.OTHER_CONVENTION),))

    return ex.check_cases(
        fn, cases(), "The holes of the kernel carry over to the backward pass.",
        hint="Put d - 1 zeros between the kernel's entries, then take the full "
        "convolution of the deltas with that kernel.",
        shape_hint="dC/da has the input's shape, in_shape.")


def _ties(delta, a, k, split: bool) -> np.ndarray:
    """The max-pool input gradient of a reader who gives each window's delta to
    every tied maximum (``split=False``) or shares it among them (``split``)."""
    out = np.zeros_like(a)
    for x in range(delta.shape[0]):
        for y in range(delta.shape[1]):
            window = a[x * k:(x + 1) * k, y * k:(y + 1) * k]
            winners = window == window.max()
            share = delta[x, y] / (winners.sum() if split else 1)
            out[x * k:(x + 1) * k, y * k:(y + 1) * k] += share * winners
    return out


def check_max_pool_backward(fn) -> bool:
    """Exercise 8.1: ``fn(delta, a, k)`` returns dC/da of k x k max pooling with
    stride k (one channel), ties going to the first maximum in reading order."""

    def cases():
        rng = np.random.default_rng(74)
        for a, k in [(rng.integers(0, 3, size=(4, 6)).astype(float), 2),  # ties
                     (rng.normal(size=(6, 6)), 3), (rng.normal(size=(5, 7)), 2)]:
            y, cache = max_pool2d_forward(a[None, None], k)
            delta = rng.normal(size=y.shape[2:])
            yield ex.Case(
                f"For a {a.shape[0]}x{a.shape[1]} input and k = {k}",
                (delta, a, k), max_pool2d_backward(delta[None, None], cache)[0, 0],
                (ex.Mistake(_ties(delta, a, k, split=False), "with ties, the "
                            "delta went to every maximum of the window; it goes "
                            "to one, the first in reading order, as np.argmax "
                            "chooses."),
                 ex.Mistake(_ties(delta, a, k, split=True), "with ties, the delta "
                            "was shared among the maxima; it goes whole to one, "
                            "the first in reading order, as np.argmax chooses.")))

    return ex.check_cases(
        fn, cases(), "Each delta went to the position that won its window.",
        hint="Each delta goes to one position of its window, the maximum; all "
        "others get 0. With ties, choose the first maximum in reading order, as "
        "np.argmax does.",
        shape_hint="dC/da has the shape of a; rows or columns no window covers "
        "get 0.")


def check_transpose_backward(choice: str) -> bool:
    """Exercise 8.4: the input gradient of a ``conv_transpose2d`` layer with
    kernel w, stride s, padding P, dilation d is

    (a) conv2d_forward with the same w, s, P, d;
    (b) conv_transpose2d with rot180(w);
    (c) conv2d_forward with rot180(w) and stride 1;
    (d) conv_transpose2d with w swapped in its first two axes.
    """
    return ex.check_keys(answer_keys(), "check_transpose_backward", [choice])


def check_avg_pool_kernel(w) -> bool:
    """Exercise 8.2: a kernel of shape (3, 3, 2, 2) for which a conv layer with
    stride 2 computes 2x2 average pooling of a 3-channel input."""
    return ex.check_keys(answer_keys(), "check_avg_pool_kernel", [w])
