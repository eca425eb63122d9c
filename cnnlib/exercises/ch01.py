"""Checkers for the exercises of chapter 1 (delta errors in an MLP).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. The expected values are computed with :mod:`cnnlib`, from the
chapter's network :func:`cnnlib.mlp.tiny_example`.
"""

from __future__ import annotations

import functools

import numpy as np

from cnnlib.activations import sigmoid, sigmoid_prime, tanh
from cnnlib.exercises import common as ex
from cnnlib.gradcheck import numerical_gradient
from cnnlib.mlp import tiny_example

__all__ = [
    "answer_keys",
    "check_input_gradient",
    "check_output_deltas",
    "check_gradient_count",
    "check_cross_entropy_delta",
    "check_bp2_tanh",
]

_HERE = __name__ + "."


@functools.cache
def answer_keys() -> tuple[ex.AnswerKey, ...]:
    """The answer keys of chapter 1's exercises whose answer can be typed."""
    net, x, y = tiny_example()
    bp = net.backprop(x, y)
    y_other = np.array([0.0, 1.0])
    other = net.backprop(x, y_other).deltas[2]
    w1, w2 = net.weights[1], net.weights[2]
    dx = w1.T @ bp.deltas[1]
    # the hidden deltas without their sigma'(z^1) factor
    no_hidden_slope = w1.T @ (w2.T @ bp.deltas[2])
    a2 = net.feedforward(x).activations[2]
    z2 = net.feedforward(x).zs[2]
    sizes = (784, 30, 10)
    weights = sum(sizes[l] * sizes[l - 1] for l in range(1, len(sizes)))
    biases = sum(sizes[1:])
    return (
        ex.AnswerKey(
            "1.1", _HERE + "check_input_gradient", "values", "array", dx,
            f"dC/dx = ({dx[0]:.4f}, {dx[1]:.4f}).",
            "The input x_k feeds all three hidden neurons, through column k of "
            "w^1; add the three hidden deltas, each scaled by its weight.",
            (ex.Mistake(dx * sigmoid_prime(x),
                        "this has a sigma'(x) factor, but the input is not passed "
                        "through sigma: drop it."),
             ex.Mistake(no_hidden_slope,
                        "the hidden deltas are missing their sigma'(z^1) factor "
                        "(BP2): delta^1 = ((w^2)^T delta^2) * sigma'(z^1).")),
            atol=5e-4),
        ex.AnswerKey(
            "1.2", _HERE + "check_output_deltas", "values", "array",
            other, f"delta^2 = ({other[0]:.4f}, {other[1]:.4f}).",
            "The forward pass does not change with the target: a^2 and z^2 are "
            "as in the chapter; only a^2 - y does (BP1).",
            (ex.Mistake(bp.deltas[2], "these are the deltas for the chapter's "
                        "target y = (1, 0); the exercise's target is (0, 1)."),
             ex.Mistake(a2 - y_other, "this is a^2 - y without the factor "
                        "sigma'(z^2) of BP1."),
             ex.Mistake((y_other - a2) * sigmoid_prime(z2),
                        "the sign is reversed: BP1 has a^2 - y, not y - a^2.")),
            atol=5e-4),
        ex.AnswerKey(
            "1.3", _HERE + "check_gradient_count", "n", "count", weights + biases,
            f"{weights + biases} numbers: one for each weight and each bias.",
            "By BP4, dC/dw^{l+1} has the shape of w^{l+1}, (n_{l+1}, n_l); by "
            "BP3, dC/db^{l+1} has n_{l+1} entries. Add them up for l = 0 and l = 1.",
            (ex.Mistake(weights, "these are the weights only; the biases have "
                        "gradients too (BP3)."),
             ex.Mistake(weights + sum(sizes), "the input layer has no biases: its "
                        "784 values are the input, not neurons."),
             ex.Mistake(biases, "these are the biases only; add the weights "
                        "(BP4)."))),
    )


def check_input_gradient(values) -> bool:
    """Exercise 1.1: the gradient of the cost with respect to the input,
    (dC/dx_0, dC/dx_1), of the chapter's network, to 3 decimal places."""
    return ex.check_keys(answer_keys(), "check_input_gradient", [values])


def check_output_deltas(values) -> bool:
    """Exercise 1.2: both output deltas (delta^2_0, delta^2_1) of the chapter's
    network when the target is y = (0, 1) instead of (1, 0)."""
    return ex.check_keys(answer_keys(), "check_output_deltas", [values])


def check_gradient_count(n) -> bool:
    """Exercise 1.3: how many numbers the gradient of a network with layer
    sizes (784, 30, 10) has (all dC/dw^l and dC/db^l entries together)."""
    return ex.check_keys(answer_keys(), "check_gradient_count", [n])


def _cross_entropy(z, y):
    a = sigmoid(z)
    return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))


def check_cross_entropy_delta(output_delta) -> bool:
    """Exercise 1.4: ``output_delta(z, y)`` returns delta^L for sigmoid output
    neurons and the cross-entropy cost
    C = -sum_j [y_j ln a^L_j + (1 - y_j) ln(1 - a^L_j)], for z^L of shape (n_L,).

    Checked against central differences of C on random z and y."""

    def cases():
        rng = np.random.default_rng(2016)
        for n in (1, 3, 5):
            z = rng.standard_normal(n)
            y = rng.uniform(0.0, 1.0, n)
            a = sigmoid(z)
            yield ex.Case(
                f"For n_L = {n}", (z.copy(), y.copy()),
                numerical_gradient(lambda zz, y=y: _cross_entropy(zz, y), z.copy()),
                (ex.Mistake((a - y) * sigmoid_prime(z),
                            "this is (a - y) sigma'(z), the quadratic cost's "
                            "delta; start from the cross-entropy's dC/da instead."),
                 ex.Mistake(-y / a + (1 - y) / (1 - a),
                            "this is dC/da; BP1 multiplies it by sigma'(z^L)."),
                 ex.Mistake(y - a, "the sign is reversed: delta^L = dC/dz^L.")))

    return ex.check_cases(
        output_delta, cases(), "The sigma' factor cancels: delta^L = a^L - y.",
        hint="Start from BP1, dC/da_j = -(y_j/a_j) + (1-y_j)/(1-a_j), and use "
        "sigma'(z) = a (1 - a).",
        shape_hint="delta^L has one entry per output neuron.",
        name="output_delta", atol=1e-7, rtol=1e-6)


def check_bp2_tanh(delta_previous) -> bool:
    """Exercise 1.5: ``delta_previous(w_next, delta_next, z)`` returns delta^l
    by (BP2) for tanh neurons, given w^{l+1} of shape (n_{l+1}, n_l),
    delta^{l+1} of shape (n_{l+1},) and z^l of shape (n_l,).

    Checked on random layers (not square, so a missing transpose shows)
    against central differences of the cost through one more tanh layer."""

    def cases():
        rng = np.random.default_rng(7)
        for n_l, n_next in ((3, 2), (4, 5), (1, 3)):
            w = rng.standard_normal((n_next, n_l))
            b = rng.standard_normal(n_next)
            z = rng.standard_normal(n_l)
            g = rng.standard_normal(n_next)  # dC/dz^{l+1}: a random upstream gradient

            def cost(zz, w=w, b=b, g=g):
                # a cost whose delta^{l+1} is exactly g: C = g . z^{l+1}
                return float(g @ (w @ tanh(zz) + b))

            back = w.T @ g
            yield ex.Case(
                f"For w_next of shape {w.shape}", (w.copy(), g.copy(), z.copy()),
                numerical_gradient(cost, z.copy()),
                (ex.Mistake(back * sigmoid_prime(z), "this uses the sigmoid's "
                            "sigma'; these neurons are tanh: tanh'(z) = 1 - "
                            "tanh(z)^2."),
                 ex.Mistake(back, "the factor tanh'(z^l) of BP2 is missing."),
                 ex.Mistake(back * tanh(z), "this multiplies by tanh(z), not by "
                            "its slope tanh'(z) = 1 - tanh(z)^2.")))

    return ex.check_cases(
        delta_previous, cases(),
        "BP2 is the same for any activation; only sigma' changes.",
        hint="tanh'(z) = 1 - tanh(z)^2, at z^l.",
        shape_hint="Which index of w does BP2 sum over?",
        name="delta_previous", atol=1e-7, rtol=1e-6)
