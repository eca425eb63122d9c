"""Cost functions and their gradients with respect to the network's output.

Axis 0 is always the batch axis, and every cost is the **mean over the batch**
of a per-example cost, so its size does not grow with N and a learning rate
does not need retuning when the batch size changes. A single example is a
batch of one: pass ``a[None]``.
"""

from __future__ import annotations

import numpy as np

from cnnlib.validation import (
    as_float_array,
    as_int,
    as_labels,
    check_batch,
    check_ndim,
)

__all__ = [
    "quadratic_cost",
    "quadratic_cost_grad",
    "softmax",
    "softmax_cross_entropy",
]


def _check_pair(a, y):
    a = as_float_array(a, "a")
    y = as_float_array(y, "y")
    if a.ndim < 1:
        raise ValueError(f"a: expected at least 1 dim (N, ...), got shape {a.shape}")
    check_batch(a, "a")
    if a.shape != y.shape:
        raise ValueError(
            f"y: expected the shape of a, {a.shape}, got shape {y.shape}"
        )
    return a, y


def quadratic_cost(a, y):
    """Quadratic cost, mean over the batch::

        C = (1/N) sum_{n=0..N-1} (1/2) ||a[n] - y[n]||²

    where ``||.||²`` sums the squares over all remaining axes of an example.

    Parameters
    ----------
    a : array_like, shape (N, ...)
        Output activations a^L.
    y : array_like, shape (N, ...)
        Targets, same shape.

    Returns
    -------
    float
    """
    a, y = _check_pair(a, y)
    return float(0.5 * np.sum((a - y) ** 2) / a.shape[0])


def quadratic_cost_grad(a, y):
    """Gradient of :func:`quadratic_cost` with respect to ``a``: ``(a - y) / N``.

    With N = 1 this is the book's ∇_a C = a^L - y, which (BP1) turns into
    δ^L = (a^L - y) ⊙ σ′(z^L).

    Parameters
    ----------
    a, y : array_like, shape (N, ...)

    Returns
    -------
    numpy.ndarray, shape (N, ...)
    """
    a, y = _check_pair(a, y)
    return (a - y) / a.shape[0]


def softmax(z, axis=-1):
    """Softmax along ``axis``: ``e^{z_k} / sum_m e^{z_m}``, without overflow.

    Subtracts the maximum along ``axis`` first (which does not change the
    result), so ``exp`` never sees a positive number.

    Parameters
    ----------
    z : array_like, any shape
    axis : int

    Returns
    -------
    numpy.ndarray, same shape; sums to 1 along ``axis``
    """
    z = as_float_array(z, "z")
    if z.ndim == 0:
        raise ValueError("z: expected at least 1 dim, got a 0-d array")
    as_int(axis, "axis", -z.ndim, z.ndim - 1)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_cross_entropy(logits, labels):
    """Softmax followed by cross-entropy, mean over the batch, and its gradient::

        p[n] = softmax(logits[n]),   C = -(1/N) sum_n log p[n, labels[n]]
        ∂C/∂logits[n, k] = (p[n, k] - [k == labels[n]]) / N

    The log-probability is computed as ``z - logsumexp(z)``, which stays finite
    for large logits.

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Scores z^L, one row per example.
    labels : array_like of int, shape (N,)
        Class indices in 0..K-1.

    Returns
    -------
    loss : float
    dlogits : numpy.ndarray, shape (N, K)
    """
    z = as_float_array(logits, "logits")
    check_ndim(z, 2, "logits", "(N, K)")
    check_batch(z, "logits")
    n, k = z.shape
    if k == 0:
        raise ValueError(f"logits: expected at least one class K, got shape {z.shape}")
    labels = as_labels(labels, "labels", n, k)
    shifted = z - np.max(z, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    rows = np.arange(n)
    loss = float(-np.mean(log_p[rows, labels]))
    dlogits = np.exp(log_p)
    dlogits[rows, labels] -= 1.0
    dlogits /= n
    return loss, dlogits
