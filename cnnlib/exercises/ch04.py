"""Checkers for the exercises of chapter 4 (backpropagating deltas).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :func:`cnnlib.conv2d_backward`, which the
test suite checks against finite differences.
"""

from __future__ import annotations

import functools

import numpy as np

from cnnlib.conv import conv2d_backward, conv2d_forward, conv2d_output_shape, rot180
from cnnlib.exercises import common as ex

__all__ = [
    "EXERCISE_DELTA",
    "EXERCISE_KERNEL",
    "answer_keys",
    "check_input_gradient_by_hand",
    "check_multichannel_delta",
    "check_rule_for_true_convolution",
    "check_mixup_is_hidden",
    "check_strided_delta",
]

#: Exercise 4.1: the kernel w^{l+1} and the deltas δ^{l+1} of a 3x3 layer.
EXERCISE_KERNEL = np.array([[1.0, 2.0], [3.0, 4.0]])
EXERCISE_DELTA = np.array([[1.0, 0.0], [-1.0, 2.0]])

_HERE = __name__ + "."

#: The sentences that name the wrong options of Exercise 4.2; the test suite
#: checks each claim with cnnlib (that (a) and (d) are the same numbers and the
#: rule of a cross-correlation layer, that (c) is smaller than layer l).
RULE_MISTAKES = {
    "a": "(a) is the rule for a cross-correlation layer: a full convolution "
         "with w gives the same numbers as a full cross-correlation with "
         "rot180(w), option (d). This layer is a true convolution.",
    "c": "(c) has the wrong mode: a valid result is smaller than layer l, and "
         "the backward pass needs one number for every position of layer l.",
    "d": "(d) is the rule for a cross-correlation layer: it gives the same "
         "numbers as (a), a full convolution with w. This layer is a true "
         "convolution.",
}


def _input_gradient(delta, w, in_shape, stride=1, padding=0):
    """dC/da for one cross-correlation layer, from conv2d_backward."""
    x = np.zeros(in_shape)
    _, cache = conv2d_forward(x, w, stride=stride, padding=padding)
    return conv2d_backward(delta, cache)[0]


@functools.cache
def answer_keys() -> tuple[ex.AnswerKey, ...]:
    """The answer keys of chapter 4's exercises whose answer can be typed."""
    d, w = EXERCISE_DELTA[None, None], EXERCISE_KERNEL[None, None]
    expected = _input_gradient(d, w, (1, 1, 3, 3))[0, 0]
    other = _input_gradient(d, rot180(EXERCISE_KERNEL)[None, None], (1, 1, 3, 3))
    return (
        ex.AnswerKey(
            "4.1", _HERE + "check_input_gradient_by_hand", "values", "array",
            expected,
            "Each corner got one product, each edge two and the centre four.",
            "Position (p, q) feeds output (p - i, q - j) through w[i, j]; add "
            "delta[p - i, q - j] * w[i, j] over the (i, j) for which that output "
            "exists.",
            (ex.Mistake(other[0, 0], "these are the numbers of the other "
                        "convention (the kernel rotated once more): the forward pass "
                        "here is a cross-correlation, so the backward pass is a full "
                        "cross-correlation with rot180(w)."),
             ex.Mistake(expected.T, ex.TRANSPOSED)),
            atol=1e-9),
        ex.AnswerKey(
            "4.2", _HERE + "check_rule_for_true_convolution", "choice", "option",
            "b",
            "(b), conv_full(delta, rot180(w)), which equals corr_full(delta, w): "
            "passing the deltas back applies the forward operation again, in full "
            "mode, with the kernel rotated by 180 degrees.",
            "Which operation does the forward pass use, and which mode makes the "
            "result as large as layer l?",
            tuple(ex.Mistake(letter, says) for letter, says in RULE_MISTAKES.items()),
            options=("a", "b", "c", "d")),
    )


def check_input_gradient_by_hand(values) -> bool:
    """Exercise 4.1: ∂C/∂a^l (shape (3, 3)) for the cross-correlation layer
    z^{l+1} = corr_valid(a^l, w^{l+1}) + b^{l+1} with ``EXERCISE_KERNEL`` (w^{l+1})
    and ``EXERCISE_DELTA`` (δ^{l+1}): ∂C/∂a^l = corr_full(δ^{l+1}, rot180(w^{l+1}))."""
    return ex.check_keys(answer_keys(), "check_input_gradient_by_hand", [values])


def check_rule_for_true_convolution(choice: str) -> bool:
    """Exercise 4.2: which expression is δ^l for the true-convolution layer
    z^{l+1} = conv_valid(a^l, w^{l+1}) + b^{l+1}?

    (a) conv_full(δ^{l+1}, w^{l+1}) ⊙ σ′(z^l)
    (b) conv_full(δ^{l+1}, rot180(w^{l+1})) ⊙ σ′(z^l)
    (c) corr_valid(δ^{l+1}, rot180(w^{l+1})) ⊙ σ′(z^l)
    (d) corr_full(δ^{l+1}, rot180(w^{l+1})) ⊙ σ′(z^l)
    """
    return ex.check_keys(answer_keys(), "check_rule_for_true_convolution", [choice])


def check_mixup_is_hidden(w) -> bool:
    """Exercise 4.3: a 3x3 kernel, not all of whose entries are equal, for which
    the two conventions give the same delta (so a mix-up cannot be seen)."""
    got, why = ex.read_array(w, (3, 3))
    if why is not None:
        return ex.report(False, "", why + " Give a 3x3 kernel.")
    if np.all(got == got.flat[0]):
        return ex.report(False, "", "Make at least two entries different.")
    ok = np.array_equal(rot180(got), got)
    return ex.report(
        ok, "rot180(w) = w, so turning the kernel changes nothing. Such kernels "
        "(and kernels of all ones) are why a test needs a random kernel.",
        "The two rules differ by one rotation of the kernel. When is rot180(w) = w?")


def check_strided_delta(func) -> bool:
    """Exercise 4.4: ``func(delta, w, in_shape)`` returns ∂C/∂a^l (shape
    ``in_shape``) for one channel and the cross-correlation layer
    z^{l+1}[x, y] = Σ_i Σ_j a^l[2x + i, 2y + j] w^{l+1}[i, j] (stride 2, no padding);
    ``delta`` (δ^{l+1}) has shape (OH, OW), ``w`` (KH, KW)."""

    def cases():
        rng = np.random.default_rng(4)
        for in_shape, k_shape in ex.STRIDE2_SHAPES:
            w = rng.normal(size=k_shape)
            delta = rng.normal(size=conv2d_output_shape(in_shape, k_shape, stride=2))
            shape = (1, 1) + in_shape
            yield ex.Case(
                f"For a {in_shape} layer and a {k_shape} kernel",
                (delta.copy(), w.copy(), in_shape),
                _input_gradient(delta[None, None], w[None, None], shape,
                                stride=2)[0, 0],
                (ex.Mistake(_input_gradient(delta[None, None], rot180(w)[None, None],
                                            shape, stride=2)[0, 0],
                            ex.OTHER_CONVENTION),))

    return ex.check_cases(
        func, cases(), "Stride s in the forward pass becomes s - 1 zeros between "
        "the deltas in the backward pass.",
        hint="Put s - 1 = 1 zero between neighbouring deltas, then apply the "
        "stride-1 rule; the last rows or columns of the layer may receive nothing.",
        shape_hint="dC/da has the shape of the layer's input, in_shape; rows or "
        "columns no window reads get 0.")


def check_multichannel_delta(func) -> bool:
    """Exercise 4.5: ``func(delta, w)`` with ``delta`` (δ^{l+1}) of shape
    (F, OH, OW) and ``w`` (w^{l+1}) of shape (F, C, KH, KW) returns ∂C/∂a^l of
    shape (C, OH+KH-1, OW+KW-1): ∂C/∂a^l[c] = Σ_f corr_full(δ^{l+1}[f],
    rot180(w^{l+1}[f, c]))."""
    rng = np.random.default_rng(5)
    f, c, kh, kw = 3, 2, 3, 2
    w = rng.normal(size=(f, c, kh, kw))
    delta = rng.normal(size=(f, 4, 5))
    in_shape = (1, c, 4 + kh - 1, 5 + kw - 1)
    expected = _input_gradient(delta[None], w, in_shape)[0]
    case = ex.Case(
        f"For {f} filters and {c} channels", (delta.copy(), w.copy()), expected,
        (ex.Mistake(_input_gradient(delta[None], w[:, :, ::-1, ::-1], in_shape)[0],
                    ex.OTHER_CONVENTION),
         ex.Mistake(expected / f, "this is the mean over the filters; channel c "
                    "collects the sum.")))
    return ex.check_cases(
        func, [case], "Channel c collects from every filter f through the slice "
        "w[f, c].",
        hint="Each input channel c feeds every filter f through w[f, c]: sum the "
        "single-channel rule over f.",
        shape_hint="One map per input channel, each as large as the input.")
