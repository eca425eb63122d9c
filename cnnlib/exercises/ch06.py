"""Checkers for the exercises of chapter 6 (the whole algorithm; training a CNN).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Layers written by the reader are checked against finite differences
with a random upstream gradient.
"""

from __future__ import annotations

import functools

import numpy as np

from cnnlib.exercises import common as ex
from cnnlib.gradcheck import numerical_gradient
from cnnlib.nn import Layer, Sequential, digits_cnn
from cnnlib.pool import avg_pool2d_backward, avg_pool2d_forward

__all__ = [
    "answer_keys",
    "chapter_model",
    "check_avg_pool_layer",
    "check_layer_shapes",
    "check_leaky_relu",
    "check_parameter_count",
]

_HERE = __name__ + "."


def chapter_model(seed: int = 0, padding: int = 1) -> Sequential:
    """The network trained in chapter 6, :func:`cnnlib.nn.digits_cnn`
    (``padding=0`` builds the model of a reader who forgets the padding)."""
    return digits_cnn(seed, padding)


def _shapes(model: Sequential) -> tuple[tuple[int, ...], ...]:
    a = np.zeros((1, 1, 8, 8))
    shapes = []
    for layer in model.layers:
        a = layer.forward(a)
        shapes.append(a.shape)
    return tuple(shapes)


@functools.cache
def answer_keys() -> tuple[ex.AnswerKey, ...]:
    """The answer keys of chapter 6's exercises whose answer can be typed."""
    model = chapter_model()
    params = model.params()
    total = sum(p.size for p in params.values())
    weights = sum(p.size for p in params.values() if p.ndim > 1)
    dense = sum(p.size for p in model.layers[-1].params.values())
    no_padding = chapter_model(padding=0)
    shapes = _shapes(model)
    return (
        ex.AnswerKey(
            "6.1", _HERE + "check_parameter_count", "n", "count", total,
            "The dense layer holds most of them; the convolution, thanks to "
            "sharing, very few.",
            "Count the kernel's weights (F x C x KH x KW), one bias per filter, "
            "then the dense layer's matrix and biases. Pooling, ReLU and Flatten "
            "have none.",
            (ex.Mistake(weights, "these are the weights only; add one bias per filter "
                        "and per dense output."),
             ex.Mistake(dense, "that is the dense layer alone; add the convolution's "
                        "kernel and biases."),
             ex.Mistake(sum(p.size for p in no_padding.params().values()),
                        "that is the count without the convolution's padding; "
                        "padding 1 keeps the map 8x8, so the dense layer reads "
                        "16 x 4 x 4 values."))),
        ex.AnswerKey(
            "6.2", _HERE + "check_layer_shapes", "shapes", "shapes", shapes,
            "Each backward pass returns a delta of the same shape as its layer's "
            "input: the list read backwards.",
            "Padding 1 keeps a 3x3 convolution's output 8x8; pooling halves it; "
            "Flatten multiplies the three last sizes.",
            (ex.Mistake(_shapes(no_padding), "the convolution has padding 1: its "
                        "output stays 8x8."),
             ex.Mistake(tuple(s[1:] for s in shapes), "each shape keeps the batch "
                        "axis first, of size 1."))),
    )


def check_parameter_count(n) -> bool:
    """Exercise 6.1: the number of trainable numbers (weights and biases) of
    :func:`chapter_model`."""
    return ex.check_keys(answer_keys(), "check_parameter_count", [n])


def check_layer_shapes(shapes) -> bool:
    """Exercise 6.2: the output shape of each of the five layers of
    :func:`chapter_model` for one 8x8 image, input shape (1, 1, 8, 8)."""
    return ex.check_keys(answer_keys(), "check_layer_shapes", [shapes])


def _check_layer(cls, arg, x, forward, mistakes, hint):
    """``(ok, message)`` for a reader's layer class: build ``cls(arg)``, compare
    its forward pass with ``forward`` and its backward pass, for a random
    upstream gradient, with central differences (``mistakes`` maps the delta g
    to known wrong backward results)."""
    layer, why = ex.call_reader(cls, arg, name="Your class")
    if why is not None:
        return False, why
    if not isinstance(layer, Layer):
        return False, "Subclass cnnlib.nn.Layer."
    y, why = ex.call_reader(layer.forward, x.copy(), name="forward")
    if why is not None:
        return False, why
    ok, why = ex.judge_array(y, forward, hint="The forward pass is wrong.")
    if not ok:
        return False, "The forward pass: " + why
    g = np.random.default_rng(6).normal(size=forward.shape)
    dx, why = ex.call_reader(layer.backward, g.copy(), name="backward")
    if why is not None:
        return False, why
    num, why = ex.call_reader(
        numerical_gradient, lambda v: float(np.sum(layer.forward(v) * g)), x.copy(),
        name="forward (on a nudged input)")
    if why is not None:
        return False, why
    ok, why = ex.judge_array(dx, num, [ex.Mistake(f(g), s) for f, s in mistakes],
                             atol=1e-6, rtol=1e-5, hint=hint,
                             shape_hint="backward returns a delta of the input's "
                             "shape.")
    return ok, ("Backward matches finite differences." if ok
                else "The backward pass: " + why)


def check_leaky_relu(cls) -> bool:
    """Exercise 6.3: ``cls(alpha)`` is a :class:`cnnlib.nn.Layer` computing
    a = z for z > 0 and a = alpha z otherwise, with a correct ``backward``."""
    rng = np.random.default_rng(63)
    x = rng.normal(size=(2, 3, 4, 4))
    x[np.abs(x) < 1e-3] = 0.5
    ok, why = _check_layer(
        cls, 0.1, x, np.where(x > 0, x, 0.1 * x),
        ((lambda g: np.where(x > 0, g, 0.0), "the slope for z <= 0 is alpha, "
          "not 0."),
         (lambda g: g, "backward must multiply delta by the slope, 1 or alpha, "
          "at the stored input.")),
        "It should return delta times the slope, 1 or alpha, at the stored input.")
    return ex.report(ok, why, why)


def check_avg_pool_layer(cls) -> bool:
    """Exercise 6.4: ``cls(kernel_size)`` is a :class:`cnnlib.nn.Layer` for
    average pooling, built on ``cnnlib.avg_pool2d_forward`` and
    ``cnnlib.avg_pool2d_backward``."""
    rng = np.random.default_rng(64)
    x = rng.normal(size=(2, 3, 6, 6))
    y, cache = avg_pool2d_forward(x, 2)
    ok, why = _check_layer(
        cls, 2, x, y,
        ((lambda g: 4 * avg_pool2d_backward(g, cache),
          "each input of a window gets the window's delta divided by the "
          "window's size, 2 x 2 = 4."),),
        "Keep the cache from forward and pass it to avg_pool2d_backward.")
    if ok:
        why = "Each input of a window gets a quarter of the window's delta."
    return ex.report(ok, why, why)
