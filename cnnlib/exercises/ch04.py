"""Checkers for the exercises of chapter 4 (backpropagating deltas).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :func:`cnnlib.conv2d_backward`, which the
test suite checks against finite differences.
"""

from __future__ import annotations

import numpy as np

from cnnlib.conv import conv2d_backward, conv2d_forward, rot180
from cnnlib.exercises.common import as_array, report

__all__ = [
    "EXERCISE_DELTA",
    "EXERCISE_KERNEL",
    "check_input_gradient_by_hand",
    "check_multichannel_delta",
    "check_rule_for_true_convolution",
    "check_mixup_is_hidden",
    "check_strided_delta",
]

#: Exercise 4.1: the kernel w^{l+1} and the deltas δ^{l+1} of a 3x3 layer.
EXERCISE_KERNEL = np.array([[1.0, 2.0], [3.0, 4.0]])
EXERCISE_DELTA = np.array([[1.0, 0.0], [-1.0, 2.0]])


def _input_gradient(delta, w, in_shape, stride=1, padding=0):
    """dC/da for one cross-correlation layer, from conv2d_backward."""
    x = np.zeros(in_shape)
    _, cache = conv2d_forward(x, w, stride=stride, padding=padding)
    return conv2d_backward(delta, cache)[0]


def check_input_gradient_by_hand(values) -> bool:
    """Exercise 4.1: dC/da^l (shape (3, 3)) for the layer z^{l+1} = a^l ⋆ w^{l+1}
    with ``EXERCISE_KERNEL`` and ``EXERCISE_DELTA``."""
    expected = _input_gradient(EXERCISE_DELTA[None, None], EXERCISE_KERNEL[None, None],
                               (1, 1, 3, 3))[0, 0]
    got = as_array(values, (3, 3))
    ok = got is not None and np.allclose(got, expected)
    hint = "Give a 3x3 array. "
    if got is not None and np.allclose(got, _input_gradient(
            EXERCISE_DELTA[None, None], rot180(EXERCISE_KERNEL)[None, None],
            (1, 1, 3, 3))[0, 0]):
        hint += ("Your numbers are those of the other convention: the forward pass "
                 "here is a cross-correlation. ")
    return report(
        ok, "Each corner got one product, each edge two and the centre four.",
        hint + "Position (p, q) feeds output (p - i, q - j) through w[i, j]; add "
        "delta[p - i, q - j] * w[i, j] over the (i, j) for which that output exists.")


def check_rule_for_true_convolution(choice: str) -> bool:
    """Exercise 4.2: which expression is δ^l for z^{l+1} = a^l ∗ w^{l+1} + b^{l+1}?

    (a) full_convolve(δ^{l+1}, w^{l+1}) ⊙ σ′(z^l)
    (b) full_convolve(δ^{l+1}, rot180(w^{l+1})) ⊙ σ′(z^l)
    (c) valid_correlate(δ^{l+1}, rot180(w^{l+1})) ⊙ σ′(z^l)
    (d) full_correlate(δ^{l+1}, rot180(w^{l+1})) ⊙ σ′(z^l)
    """
    ok = str(choice).strip().lower().strip("()") == "b"
    return report(
        ok, "(b), which equals full_correlate(delta, w): the backward pass uses the "
        "forward operation, in full mode, with the kernel rotated.",
        "Two of the options have the wrong mode: the result must be as large as "
        "layer l. Of the others, one is right for a forward cross-correlation.")


def check_mixup_is_hidden(w) -> bool:
    """Exercise 4.3: a 3x3 kernel, not all of whose entries are equal, for which
    the two conventions give the same delta (so a mix-up cannot be seen)."""
    got = as_array(w, (3, 3))
    if got is None:
        return report(False, "", "Give a 3x3 array of numbers.")
    if np.all(got == got.flat[0]):
        return report(False, "", "Make at least two entries different.")
    ok = np.array_equal(rot180(got), got)
    return report(
        ok, "rot180(w) = w, so turning the kernel changes nothing. Such kernels "
        "(and kernels of all ones) are why a test needs a random kernel.",
        "The two rules differ by one rotation of the kernel. When is rot180(w) = w?")


def check_strided_delta(func) -> bool:
    """Exercise 4.4: ``func(delta, w, in_shape)`` returns dC/da (shape ``in_shape``)
    for one channel and z = a ⋆ w with stride 2, no padding; ``delta`` has shape
    (OH, OW), ``w`` (KH, KW)."""
    rng = np.random.default_rng(4)
    for in_shape, k_shape in (((7, 7), (3, 3)), ((8, 9), (2, 3)), ((6, 5), (3, 2))):
        w = rng.normal(size=k_shape)
        oh = (in_shape[0] - k_shape[0]) // 2 + 1
        ow = (in_shape[1] - k_shape[1]) // 2 + 1
        delta = rng.normal(size=(oh, ow))
        expected = _input_gradient(delta[None, None], w[None, None],
                                   (1, 1) + in_shape, stride=2)[0, 0]
        try:
            got = as_array(func(delta.copy(), w.copy(), in_shape), in_shape)
        except Exception as err:  # the reader's code may raise anything
            return report(False, "", f"Your function raised {type(err).__name__}: "
                          f"{err}")
        if got is None or not np.allclose(got, expected):
            return report(
                False, "",
                f"Wrong for a {in_shape} layer and a {k_shape} kernel. Put s - 1 = 1 "
                "zero between neighbouring deltas, then apply the stride-1 rule; the "
                "last rows or columns of the layer may receive nothing.")
    return report(True, "Stride s in the forward pass becomes s - 1 zeros between "
                  "the deltas in the backward pass.", "")


def check_multichannel_delta(func) -> bool:
    """Exercise 4.5: ``func(delta, w)`` with ``delta`` of shape (F, OH, OW) and
    ``w`` of shape (F, C, KH, KW) returns dC/da of shape (C, OH+KH-1, OW+KW-1)."""
    rng = np.random.default_rng(5)
    f, c, kh, kw = 3, 2, 3, 2
    w = rng.normal(size=(f, c, kh, kw))
    delta = rng.normal(size=(f, 4, 5))
    in_shape = (c, 4 + kh - 1, 5 + kw - 1)
    expected = _input_gradient(delta[None], w, (1,) + in_shape)[0]
    try:
        got = as_array(func(delta.copy(), w.copy()), in_shape)
    except Exception as err:  # the reader's code may raise anything
        return report(False, "", f"Your function raised {type(err).__name__}: {err}")
    ok = got is not None and np.allclose(got, expected)
    return report(
        ok, "Channel c collects from every filter f through the slice w[f, c].",
        f"Expected shape {in_shape}. Each input channel c feeds every filter f "
        "through w[f, c]: sum the single-channel rule over f.")
