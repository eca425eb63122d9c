"""Checkers for the exercises of chapter 6 (the whole algorithm; training a CNN).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Layers written by the reader are checked against finite differences
with a random upstream gradient.
"""

from __future__ import annotations

import numpy as np

from cnnlib.exercises.common import report
from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.nn import Conv2D, Dense, Flatten, Layer, MaxPool2D, ReLU, Sequential
from cnnlib.pool import avg_pool2d_forward

__all__ = [
    "chapter_model",
    "check_avg_pool_layer",
    "check_layer_shapes",
    "check_leaky_relu",
    "check_parameter_count",
]


def chapter_model(seed: int = 0) -> Sequential:
    """The network trained in chapter 6: conv 3x3 (16 filters, padding 1), ReLU,
    max pooling 2x2, flatten, dense 256 -> 10."""
    return Sequential(Conv2D(1, 16, 3, padding=1, seed=seed), ReLU(), MaxPool2D(2),
                      Flatten(), Dense(16 * 4 * 4, 10, seed=seed + 1))


def check_parameter_count(n) -> bool:
    """Exercise 6.1: the number of trainable numbers (weights and biases) of
    :func:`chapter_model`."""
    expected = sum(p.size for p in chapter_model().params().values())
    ok = n == expected
    return report(
        ok, "The dense layer holds most of them; the convolution, thanks to sharing, "
        "very few.",
        "Count the kernel's weights (F x C x KH x KW), one bias per filter, then the "
        "dense layer's matrix and biases. Pooling, ReLU and Flatten have none.")


def check_layer_shapes(shapes) -> bool:
    """Exercise 6.2: the output shape of each of the five layers of
    :func:`chapter_model` for one 8x8 image, input shape (1, 1, 8, 8)."""
    model = chapter_model()
    a = np.zeros((1, 1, 8, 8))
    expected = []
    for layer in model.layers:
        a = layer.forward(a)
        expected.append(a.shape)
    try:
        got = [tuple(int(v) for v in s) for s in shapes]
    except (TypeError, ValueError):
        got = None
    ok = got == expected
    hint = "Give five shapes, one per layer, as tuples. "
    if got is not None and len(got) == 5 and got[0] == (1, 16, 6, 6):
        hint += "The convolution has padding 1. "
    return report(ok, "Each backward pass returns a delta of the same shape as its "
                  "layer's input: the list read backwards.",
                  hint + "Padding 1 keeps a 3x3 convolution's output 8x8; pooling "
                  "halves it; Flatten multiplies the three last sizes.")


def _gradcheck_layer(layer: Layer, x: np.ndarray, rng) -> float:
    y = layer.forward(x)
    g = rng.normal(size=np.shape(y))
    dx = layer.backward(g)
    num = numerical_gradient(lambda v: float(np.sum(layer.forward(v) * g)), x)
    return relative_error(dx, num)


def check_leaky_relu(cls) -> bool:
    """Exercise 6.3: ``cls(alpha)`` is a :class:`cnnlib.nn.Layer` computing
    a = z for z > 0 and a = alpha z otherwise, with a correct ``backward``."""
    rng = np.random.default_rng(63)
    x = rng.normal(size=(2, 3, 4, 4))
    x[np.abs(x) < 1e-3] = 0.5
    try:
        layer = cls(0.1)
        if not isinstance(layer, Layer):
            return report(False, "", "Subclass cnnlib.nn.Layer.")
        y = layer.forward(x.copy())
        ok_forward = np.allclose(y, np.where(x > 0, x, 0.1 * x))
        err = _gradcheck_layer(layer, x.copy(), rng)
    except Exception as error:  # the reader's code may raise anything
        return report(False, "", f"Your layer raised {type(error).__name__}: {error}")
    if not ok_forward:
        return report(False, "", "The forward pass is wrong: a = z where z > 0, "
                      "alpha * z elsewhere.")
    return report(err < 1e-7, f"Backward matches finite differences (relative "
                  f"error {err:.1e}).",
                  f"Backward is off (relative error {err:.2f}): it should return "
                  "delta times the slope, 1 or alpha, at the stored input.")


def check_avg_pool_layer(cls) -> bool:
    """Exercise 6.4: ``cls(kernel_size)`` is a :class:`cnnlib.nn.Layer` for
    average pooling, built on ``cnnlib.avg_pool2d_forward`` and
    ``cnnlib.avg_pool2d_backward``."""
    rng = np.random.default_rng(64)
    x = rng.normal(size=(2, 3, 6, 6))
    try:
        layer = cls(2)
        if not isinstance(layer, Layer):
            return report(False, "", "Subclass cnnlib.nn.Layer.")
        y = layer.forward(x.copy())
        ok_forward = np.allclose(y, avg_pool2d_forward(x, 2)[0])
        err = _gradcheck_layer(layer, x.copy(), rng)
    except Exception as error:  # the reader's code may raise anything
        return report(False, "", f"Your layer raised {type(error).__name__}: {error}")
    if not ok_forward:
        return report(False, "", "The forward pass differs from avg_pool2d_forward.")
    return report(err < 1e-7, "Each input of a window gets a quarter of the window's "
                  "delta.",
                  f"Backward is off (relative error {err:.2f}): keep the cache from "
                  "forward and pass it to avg_pool2d_backward.")
