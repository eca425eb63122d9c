"""Checkers for the exercises of chapter 1 (delta errors in an MLP).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. The expected values are computed with :mod:`cnnlib`, from the
chapter's network :func:`cnnlib.mlp.tiny_example`.
"""

from __future__ import annotations

import numpy as np

from cnnlib.activations import sigmoid, tanh
from cnnlib.exercises.common import as_array, is_int, report
from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.mlp import tiny_example

__all__ = [
    "check_input_gradient",
    "check_output_deltas",
    "check_gradient_count",
    "check_cross_entropy_delta",
    "check_bp2_tanh",
]


def check_input_gradient(values) -> bool:
    """Exercise 1.1: the gradient of the cost with respect to the input,
    (dC/dx_0, dC/dx_1), of the chapter's network, to 3 decimal places."""
    net, x, y = tiny_example()
    expected = net.weights[1].T @ net.backprop(x, y).deltas[1]
    got = as_array(values, (2,))
    ok = got is not None and np.allclose(got, expected, atol=5e-4)
    return report(
        ok, f"dC/dx = ({expected[0]:.4f}, {expected[1]:.4f}).",
        "Give two numbers. The input x_k feeds all three hidden neurons, through "
        "column k of w^1; add the three hidden deltas, each scaled by its weight. "
        "The input is not passed through sigma, so there is no sigma' factor.")


def check_output_deltas(values) -> bool:
    """Exercise 1.2: both output deltas (delta^2_0, delta^2_1) of the chapter's
    network when the target is y = (0, 1) instead of (1, 0)."""
    net, x, _ = tiny_example()
    expected = net.backprop(x, np.array([0.0, 1.0])).deltas[2]
    got = as_array(values, (2,))
    ok = got is not None and np.allclose(got, expected, atol=5e-4)
    return report(
        ok, f"delta^2 = ({expected[0]:.4f}, {expected[1]:.4f}).",
        "Give two numbers. The forward pass does not change with the target: "
        "a^2 and z^2 are as in the chapter; only a^2 - y does (BP1).")


def check_gradient_count(n) -> bool:
    """Exercise 1.3: how many numbers the gradient of a network with layer
    sizes (784, 30, 10) has (all dC/dw^l and dC/db^l entries together)."""
    sizes = (784, 30, 10)
    expected = sum(sizes[l] * sizes[l - 1] + sizes[l] for l in range(1, len(sizes)))
    ok = is_int(n) and int(n) == expected
    return report(
        ok, f"{expected} numbers: one for each weight and each bias.",
        "By BP4, dC/dw^l has the shape of w^l, (n_l, n_{l-1}); by BP3, dC/db^l "
        "has n_l entries. Add them up for l = 1 and l = 2.")


def _cross_entropy(z, y):
    a = sigmoid(z)
    return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))


def check_cross_entropy_delta(output_delta) -> bool:
    """Exercise 1.4: ``output_delta(z, y)`` returns delta^L for sigmoid output
    neurons and the cross-entropy cost
    C = -sum_j [y_j ln a^L_j + (1 - y_j) ln(1 - a^L_j)], for z^L of shape (n_L,).

    Checked against central differences of C on random z and y."""
    rng = np.random.default_rng(2016)
    for n in (1, 3, 5):
        z = rng.standard_normal(n)
        y = rng.uniform(0.0, 1.0, n)
        expected = numerical_gradient(lambda zz, y=y: _cross_entropy(zz, y), z.copy())
        try:
            got = np.asarray(output_delta(z.copy(), y.copy()), dtype=np.float64)
        except Exception as err:  # the reader's code: report, do not crash
            return report(False, "", f"output_delta raised {type(err).__name__}: {err}")
        if got.shape != (n,) or relative_error(got, expected) > 1e-6:
            return report(
                False, "",
                f"for n_L = {n} the result differs from the finite-difference "
                "slope of C. Start from BP1, dC/da_j = -(y_j/a_j) + (1-y_j)/(1-a_j),"
                " and use sigma'(z) = a (1 - a).")
    return report(True, "The sigma' factor cancels: delta^L = a^L - y.", "")


def check_bp2_tanh(delta_previous) -> bool:
    """Exercise 1.5: ``delta_previous(w_next, delta_next, z)`` returns delta^l
    by (BP2) for tanh neurons, given w^{l+1} of shape (n_{l+1}, n_l),
    delta^{l+1} of shape (n_{l+1},) and z^l of shape (n_l,).

    Checked on random layers (not square, so a missing transpose shows)
    against central differences of the cost through one more tanh layer."""
    rng = np.random.default_rng(7)
    for n_l, n_next in ((3, 2), (4, 5), (1, 3)):
        w = rng.standard_normal((n_next, n_l))
        b = rng.standard_normal(n_next)
        z = rng.standard_normal(n_l)
        g = rng.standard_normal(n_next)  # dC/dz^{l+1}: a random upstream gradient

        def cost(zz, w=w, b=b, g=g):
            # a cost whose delta^{l+1} is exactly g: C = g . z^{l+1}
            return float(g @ (w @ tanh(zz) + b))

        expected = numerical_gradient(cost, z.copy())
        try:
            got = np.asarray(delta_previous(w.copy(), g.copy(), z.copy()),
                             dtype=np.float64)
        except Exception as err:  # the reader's code: report, do not crash
            return report(False, "",
                          f"delta_previous raised {type(err).__name__}: {err}")
        if got.shape != (n_l,):
            return report(False, "",
                          f"for w_next of shape {w.shape} the result should have "
                          f"shape ({n_l},), got {got.shape}. Which index of w "
                          "does BP2 sum over?")
        if relative_error(got, expected) > 1e-6:
            return report(False, "",
                          "the shape is right but the numbers are not. tanh'(z) "
                          "= 1 - tanh(z)^2; and is it w or its transpose?")
    return report(True, "BP2 is the same for any activation; only sigma' changes.",
                  "")
