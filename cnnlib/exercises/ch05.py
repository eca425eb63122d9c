"""Checkers for the exercises of chapter 5 (gradients of the weights and biases).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :func:`cnnlib.conv2d_backward`, which the
test suite checks against finite differences.
"""

from __future__ import annotations

import functools

import numpy as np

from cnnlib.conv import (
    conv2d_as_dense,
    conv2d_backward,
    conv2d_forward,
    conv2d_output_shape,
    convolve2d,
    rot180,
)
from cnnlib.exercises import common as ex

__all__ = [
    "EXERCISE_ACTIVATIONS",
    "EXERCISE_DELTA",
    "answer_keys",
    "check_batch_weight_gradient",
    "check_slip_shape",
    "check_strided_weight_gradient",
    "check_tied_counts",
    "check_weight_gradient_by_hand",
]

#: Exercise 5.1: the activations a^l (3x3) and the deltas δ^{l+1} (2x2).
EXERCISE_ACTIVATIONS = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0], [3.0, 1.0, 0.0]])
EXERCISE_DELTA = np.array([[1.0, 0.0], [-1.0, 2.0]])

_HERE = __name__ + "."


def _grads(x, delta, k_shape, stride=1, padding=0):
    """(dw, db) of a cross-correlation layer, from conv2d_backward."""
    f, c = delta.shape[1], x.shape[1]
    w = np.zeros((f, c) + tuple(k_shape))
    _, cache = conv2d_forward(x, w, np.zeros(f), stride=stride, padding=padding)
    _, dw, db = conv2d_backward(delta, cache)
    return dw, db


@functools.cache
def answer_keys() -> tuple[ex.AnswerKey, ...]:
    """The answer keys of chapter 5's exercises whose answer can be typed."""
    a, d = EXERCISE_ACTIVATIONS, EXERCISE_DELTA
    dw, db = _grads(a[None, None], d[None, None], (2, 2))
    dw, db = dw[0, 0], db[0]
    right_51 = "Each weight collected four products, one per output."
    # Exercise 5.2: copies of w[0, 0] in the matrix of a 3x3 kernel on 8x8
    w00 = np.zeros((1, 1, 3, 3))
    w00[0, 0, 0, 0] = 1.0
    copies = (int(np.count_nonzero(conv2d_as_dense(w00, (1, 8, 8)))),
              int(np.count_nonzero(conv2d_as_dense(w00, (1, 8, 8), padding=1))))
    outputs_padded = int(np.prod(conv2d_output_shape((8, 8), (3, 3), padding=1)))
    right_52 = ("One entry per output at which the weight meets a real input; "
                "with padding, some of its products are with the padding's zeros, "
                "which are not inputs and have no matrix column.")
    # Exercise 5.4: the seed's slip, conv_valid(δ^{l+1}, rot180(a^{l+1})),
    # both grids 6x6
    out = np.ones(conv2d_output_shape((8, 8), (3, 3)))
    slip = convolve2d(out, rot180(out), "valid").shape
    return (
        ex.AnswerKey(
            "5.1", _HERE + "check_weight_gradient_by_hand", "dw", "array", dw,
            right_51,
            "dC/dw[i, j] adds delta[x, y] * a[x + i, y + j] over the four outputs "
            "(x, y).",
            (ex.Mistake(convolve2d(a, d, "valid"),
                        "this is the true convolution of a with delta; the layer is "
                        "a cross-correlation, so correlate: dC/dw[i, j] adds "
                        "delta[x, y] * a[x + i, y + j]."),
             ex.Mistake(rot180(dw), ex.CONVOLVING_LAYER),
             ex.Mistake(dw.T, ex.TRANSPOSED),
             ex.Mistake(dw / d.size, "this is the mean over the four outputs; the "
                        "gradient is their sum.")),
            atol=1e-9, label="dC/dw"),
        ex.AnswerKey(
            "5.1", _HERE + "check_weight_gradient_by_hand", "db", "number", db,
            right_51, "The bias is added at every output, with slope 1 each time.",
            (ex.Mistake(db / d.size, "this is the mean of the deltas; the bias "
                        "gradient is their sum."),),
            atol=1e-9, label="dC/db"),
        ex.AnswerKey(
            "5.2", _HERE + "check_tied_counts", "no_padding", "count", copies[0],
            right_52, "Count the outputs: w[0, 0] meets a real input at each.",
            (ex.Mistake(64, "that is the number of inputs; w[0, 0] appears once per "
                        "output."),
             ex.Mistake(9, "that is the number of kernel entries; count the copies "
                        "of w[0, 0], one per output.")), label="Without padding"),
        ex.AnswerKey(
            "5.2", _HERE + "check_tied_counts", "padding_one", "count", copies[1],
            right_52, "With padding 1 there are more outputs, but at some of them "
            "w[0, 0] lies on a padding zero.",
            (ex.Mistake(outputs_padded, "this counts every output, but where w[0, 0] "
                        "lies on a padding zero it has no column in the matrix."),
             ex.Mistake(copies[0], "that is the count without padding; padding 1 "
                        "gives more outputs.")), label="With padding 1"),
        ex.AnswerKey(
            "5.4", _HERE + "check_slip_shape", "shape", "shape", slip,
            "A 1x1 result cannot be the gradient of a 3x3 kernel: the activations "
            "must be the layer's input a^l, which is 8x8.",
            "Both delta^{l+1} and a^{l+1} have the shape of the layer's output. "
            "What does a valid convolution of two grids of one shape give?",
            (ex.Mistake((3, 3), "(3, 3) is the shape the weight gradient needs, but "
                        "the printed formula does not give it: delta^{l+1} and "
                        "a^{l+1} both have the output's shape."),
             ex.Mistake(out.shape, f"{out.shape} is the shape of delta^{{l+1}} and "
                        "a^{l+1} themselves; a valid convolution of the two is "
                        "smaller."))),
    )


def check_weight_gradient_by_hand(dw, db) -> bool:
    """Exercise 5.1: ∂C/∂w^{l+1} (shape (2, 2)) and ∂C/∂b^{l+1} (a number) for the
    layer z^{l+1} = corr_valid(a^l, w^{l+1}) + b^{l+1} with ``EXERCISE_ACTIVATIONS``
    (a^l) and ``EXERCISE_DELTA`` (δ^{l+1}): ∂C/∂w^{l+1} = corr_valid(a^l, δ^{l+1})
    and ∂C/∂b^{l+1} = Σ_x Σ_y δ^{l+1}[x, y]."""
    return ex.check_keys(answer_keys(), "check_weight_gradient_by_hand", [dw, db])


def check_tied_counts(no_padding, padding_one) -> bool:
    """Exercise 5.2: how many entries of the dense matrix of a 3x3 kernel on an
    8x8 input hold w[0, 0], without padding and with padding 1?"""
    return ex.check_keys(answer_keys(), "check_tied_counts", [no_padding, padding_one])


def check_strided_weight_gradient(func) -> bool:
    """Exercise 5.3: ``func(a, delta, k_shape)`` returns ∂C/∂w^{l+1} (shape
    ``k_shape``) for one channel and the cross-correlation layer
    z^{l+1}[x, y] = Σ_i Σ_j a^l[2x + i, 2y + j] w^{l+1}[i, j] (stride 2, no
    padding): ∂C/∂w^{l+1}[i, j] = Σ_x Σ_y δ^{l+1}[x, y] a^l[2x + i, 2y + j]."""

    def cases():
        rng = np.random.default_rng(53)
        for in_shape, k_shape in ex.STRIDE2_SHAPES:
            a = rng.normal(size=in_shape)
            delta = rng.normal(size=conv2d_output_shape(in_shape, k_shape, stride=2))
            dw = _grads(a[None, None], delta[None, None], k_shape, stride=2)[0][0, 0]
            yield ex.Case(f"For a {in_shape} input and a {k_shape} kernel",
                          (a.copy(), delta.copy(), k_shape), dw,
                          (ex.Mistake(rot180(dw), ex.CONVOLVING_LAYER),))

    return ex.check_cases(
        func, cases(), "The stride shows up as a step of 2 in the activation "
        "index: a strided window, not a dilated kernel.",
        hint="With stride 2, w[i, j] met a[2x + i, 2y + j] at output (x, y).",
        shape_hint="dC/dw has the kernel's shape, k_shape.")


def check_slip_shape(shape) -> bool:
    """Exercise 5.4: the shape of the valid convolution
    conv_valid(δ^{l+1}, rot180(a^{l+1})) for a layer l+1 with an 8x8 input a^l
    and a 3x3 kernel (the seed's slip: a^{l+1} where a^l belongs)."""
    return ex.check_keys(answer_keys(), "check_slip_shape", [shape])


def check_batch_weight_gradient(func) -> bool:
    """Exercise 5.5: ``func(x, delta, k_shape, padding)`` with ``x`` (a^l) of shape
    (N, C, H, W) and ``delta`` (δ^{l+1}) of shape (N, F, OH, OW) returns
    ``(dw, db)`` of shapes (F, C, KH, KW) and (F,), for stride 1 (ch5-dw-batch)::

        ∂C/∂w^{l+1}[f, c, i, j] = Σ_n Σ_x Σ_y δ^{l+1}[n, f, x, y] a_P^l[n, c, x+i, y+j]
        ∂C/∂b^{l+1}[f] = Σ_n Σ_x Σ_y δ^{l+1}[n, f, x, y]"""
    rng = np.random.default_rng(55)
    x = rng.normal(size=(3, 2, 6, 5))
    k_shape, padding = (3, 2), 1
    delta = rng.normal(size=(3, 4, 6, 6))
    exp_dw, exp_db = _grads(x, delta, k_shape, padding=padding)
    n = x.shape[0]
    got, why = ex.call_reader(func, x.copy(), delta.copy(), k_shape, padding)
    if why is None:
        try:
            dw, db = got
        except Exception:  # not a pair: the reader returned anything
            return ex.report(False, "", "Return a pair (dw, db).")
        mean = "this is the mean over the batch; the cost is the sum over it."
        ok_w, why_w = ex.judge_array(
            dw, exp_dw, (ex.Mistake(exp_dw / n, mean),
                         ex.Mistake(rot180(exp_dw), ex.CONVOLVING_LAYER)),
            hint="Pad x first, then sum delta[n, f, x, y] * x_pad[n, c, x + i, "
            "y + j] over n, x and y.")
        ok_b, why_b = ex.judge_array(
            db, exp_db, (ex.Mistake(exp_db / n, mean),),
            hint="The bias of filter f is added at every position of every image.")
        if ok_w and ok_b:
            return ex.report(True, "The sum over the batch is one more sum over "
                             "positions: every image used the same weights.", "")
        why = " ".join(f"{name}: {w}" for name, ok, w in
                       (("dw", ok_w, why_w), ("db", ok_b, why_b)) if not ok)
    return ex.report(False, "", why)
