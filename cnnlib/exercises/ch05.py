"""Checkers for the exercises of chapter 5 (gradients of the weights and biases).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :func:`cnnlib.conv2d_backward`, which the
test suite checks against finite differences.
"""

from __future__ import annotations

import numpy as np

from cnnlib.conv import conv2d_as_dense, conv2d_backward, conv2d_forward
from cnnlib.exercises.common import as_array, report

__all__ = [
    "EXERCISE_ACTIVATIONS",
    "EXERCISE_DELTA",
    "check_batch_weight_gradient",
    "check_slip_shape",
    "check_strided_weight_gradient",
    "check_tied_counts",
    "check_weight_gradient_by_hand",
]

#: Exercise 5.1: the activations a^{l-1} (3x3) and the deltas δ^l (2x2).
EXERCISE_ACTIVATIONS = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0], [3.0, 1.0, 0.0]])
EXERCISE_DELTA = np.array([[1.0, 0.0], [-1.0, 2.0]])


def _grads(x, delta, k_shape, stride=1, padding=0):
    """(dw, db) of a cross-correlation layer, from conv2d_backward."""
    f, c = delta.shape[1], x.shape[1]
    w = np.zeros((f, c) + tuple(k_shape))
    _, cache = conv2d_forward(x, w, np.zeros(f), stride=stride, padding=padding)
    _, dw, db = conv2d_backward(delta, cache)
    return dw, db


def check_weight_gradient_by_hand(dw, db) -> bool:
    """Exercise 5.1: dC/dw^l (shape (2, 2)) and dC/db^l (a number) for the layer
    z^l = a^{l-1} ⋆ w^l + b^l with ``EXERCISE_ACTIVATIONS`` and ``EXERCISE_DELTA``."""
    exp_dw, exp_db = _grads(EXERCISE_ACTIVATIONS[None, None], EXERCISE_DELTA[None, None],
                            (2, 2))
    got = as_array(dw, (2, 2))
    try:
        got_db = float(db)
    except (TypeError, ValueError):
        got_db = None
    ok_w = got is not None and np.allclose(got, exp_dw[0, 0])
    ok_b = got_db is not None and np.isclose(got_db, exp_db[0])
    if ok_w and ok_b:
        return report(True, "Each weight collected four products, one per output.",
                      "")
    hint = []
    if not ok_w:
        hint.append("dC/dw[i, j] adds delta[x, y] * a[x + i, y + j] over the four "
                    "outputs (x, y); give a 2x2 array.")
    if not ok_b:
        hint.append("The bias is added at every output, with slope 1 each time.")
    return report(False, "", " ".join(hint))


def check_tied_counts(no_padding, padding_one) -> bool:
    """Exercise 5.2: how many entries of the dense matrix of a 3x3 kernel on an
    8x8 input hold w[0, 0], without padding and with padding 1?"""
    w = np.zeros((1, 1, 3, 3))
    w[0, 0, 0, 0] = 1.0
    expected = (int(np.count_nonzero(conv2d_as_dense(w, (1, 8, 8)))),
                int(np.count_nonzero(conv2d_as_dense(w, (1, 8, 8), padding=1))))
    ok = (no_padding, padding_one) == expected
    return report(
        ok, "One entry per output at which the weight meets a real input; with "
        "padding, some of its products are with the padding's zeros, which are not "
        "inputs and have no matrix column.",
        "Count the outputs first. With padding 1 there are more outputs, but at some "
        "of them w[0, 0] lies on a padding zero.")


def check_strided_weight_gradient(func) -> bool:
    """Exercise 5.3: ``func(a, delta, k_shape)`` returns dC/dw (shape ``k_shape``)
    for one channel and z = a ⋆ w with stride 2, no padding."""
    rng = np.random.default_rng(53)
    for in_shape, k_shape in (((7, 7), (3, 3)), ((8, 9), (2, 3)), ((6, 5), (3, 2))):
        a = rng.normal(size=in_shape)
        oh = (in_shape[0] - k_shape[0]) // 2 + 1
        ow = (in_shape[1] - k_shape[1]) // 2 + 1
        delta = rng.normal(size=(oh, ow))
        expected = _grads(a[None, None], delta[None, None], k_shape, stride=2)[0][0, 0]
        try:
            got = as_array(func(a.copy(), delta.copy(), k_shape), tuple(k_shape))
        except Exception as err:  # the reader's code may raise anything
            return report(False, "", f"Your function raised {type(err).__name__}: "
                          f"{err}")
        if got is None or not np.allclose(got, expected):
            return report(
                False, "",
                f"Wrong for a {in_shape} input and a {k_shape} kernel. With stride 2, "
                "w[i, j] met a[2x + i, 2y + j] at output (x, y).")
    return report(True, "The stride shows up as a step of 2 in the activation "
                  "index: a strided window, not a dilated kernel.", "")


def check_slip_shape(shape) -> bool:
    """Exercise 5.4: the shape of the valid convolution δ^l ∗ rot180(a^l) for a
    layer with an 8x8 input a^{l-1} and a 3x3 kernel (the seed's slip)."""
    try:
        got = tuple(int(v) for v in shape)
    except (TypeError, ValueError):
        got = None
    ok = got == (1, 1)
    return report(
        ok, "A 1x1 result cannot be the gradient of a 3x3 kernel: the activations "
        "must be those of layer l - 1, which are 8x8.",
        "Both delta^l and a^l have the shape of the layer's output. What does a "
        "valid convolution of two grids of one shape give?")


def check_batch_weight_gradient(func) -> bool:
    """Exercise 5.5: ``func(x, delta, k_shape, padding)`` with ``x`` of shape
    (N, C, H, W) and ``delta`` of shape (N, F, OH, OW) returns ``(dw, db)`` of
    shapes (F, C, KH, KW) and (F,), for stride 1."""
    rng = np.random.default_rng(55)
    x = rng.normal(size=(3, 2, 6, 5))
    k_shape, padding = (3, 2), 1
    delta = rng.normal(size=(3, 4, 6, 6))
    exp_dw, exp_db = _grads(x, delta, k_shape, padding=padding)
    try:
        dw, db = func(x.copy(), delta.copy(), k_shape, padding)
    except Exception as err:  # the reader's code may raise anything
        return report(False, "", f"Your function raised {type(err).__name__}: {err}")
    got_w, got_b = as_array(dw, exp_dw.shape), as_array(db, exp_db.shape)
    ok = (got_w is not None and got_b is not None and np.allclose(got_w, exp_dw)
          and np.allclose(got_b, exp_db))
    return report(
        ok, "The sum over the batch is one more sum over positions: every image "
        "used the same weights.",
        f"Expected shapes {exp_dw.shape} and {exp_db.shape}. Pad x first, then "
        "sum delta[n, f, x, y] * x_pad[n, c, x + i, y + j] over n, x and y.")
