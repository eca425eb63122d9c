"""Activation functions σ and their derivatives σ′, elementwise.

Each derivative takes the weighted input ``z`` (not the activation), matching
the book's ``a = σ(z)`` and ``δ^l = (...) ⊙ σ′(z^l)``.
"""

from __future__ import annotations

import numpy as np

from cnnlib.validation import as_float_array

__all__ = [
    "ACTIVATIONS",
    "relu",
    "relu_prime",
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
]


def sigmoid(z):
    """Logistic function σ(z) = 1 / (1 + e^{-z}), computed without overflow.

    For z < 0 it uses the equal form e^{z} / (1 + e^{z}), so ``exp`` only ever
    sees ``-|z|``.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray, same shape, values in [0, 1]
    """
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    """σ′(z) = σ(z) (1 - σ(z)).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray, same shape
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent, tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z}).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray, same shape, values in [-1, 1]
    """
    return np.tanh(as_float_array(z, "z"))


def tanh_prime(z):
    """tanh′(z) = 1 - tanh(z)².

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray, same shape
    """
    t = tanh(z)
    return 1.0 - t * t


def relu(z):
    """Rectified linear unit, relu(z) = max(z, 0).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray, same shape
    """
    return np.maximum(as_float_array(z, "z"), 0.0)


def relu_prime(z):
    """relu′(z) = 1 where z > 0, else 0 (at z = 0: 0, as in PyTorch).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    numpy.ndarray, same shape, values in {0, 1}
    """
    return (as_float_array(z, "z") > 0).astype(np.float64)


#: Name -> (σ, σ′), e.g. ``f, f_prime = ACTIVATIONS["sigmoid"]``.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
}
