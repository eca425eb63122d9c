"""Gradient checking by central differences.

A backward pass is trusted only after it agrees with the slope that the
forward pass itself shows when one input is nudged::

    ∂f/∂x[k] ≈ (f(x + h e_k) - f(x - h e_k)) / (2h)

whose error is O(h²) (plus rounding of order ``eps·|f|/h``).
"""

from __future__ import annotations

import numpy as np

from cnnlib.validation import as_float_array, as_real

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f, x, h=1e-6):
    """Central-difference gradient of a scalar function ``f`` at ``x``.

    For every index k of ``x`` (any shape, including 0-d)::

        g[k] = (f(x + h e_k) - f(x - h e_k)) / (2h)

    ``f`` is called as ``f(x)`` with ``x`` itself, nudged in place one entry at
    a time; so ``f`` may also ignore its argument and read an array it closes
    over, as long as that array *is* ``x``. Each entry is put back to its
    original value (bit for bit) before the next one is nudged, so ``x`` is
    unchanged afterwards, also when ``f`` raises.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` (a scalar or an array of size 1).
    x : numpy.ndarray of float64
        The point. Must be a writeable float64 array, since it is nudged in
        place (an integer array could not hold ``x + h``).
    h : float
        Step, > 0.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``, float64.
    """
    if not callable(f):
        raise TypeError(f"f: expected a callable f(x) -> float, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        kind = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(
            f"x: expected a float64 numpy array (it is nudged in place), got {kind}"
        )
    if not x.flags.writeable:
        raise ValueError("x: expected a writeable array (it is nudged in place)")
    h = as_real(h, "h", low=0.0, low_open=True)
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        try:
            x[idx] = old + h
            f_plus = _scalar(f(x))
            x[idx] = old - h
            f_minus = _scalar(f(x))
        finally:
            x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _scalar(value):
    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"f: expected a scalar result, got shape {arr.shape}")
    return float(arr.reshape(()))


def relative_error(a, b):
    """Relative difference of two arrays, scaled by their size::

        relative_error(a, b) = max_k |a[k] - b[k]| / max( max_k (|a[k]| + |b[k]|), tiny )

    where ``tiny`` is the smallest positive normal float64 (so two all-zero
    arrays give 0, not 0/0). One scale for the whole array, not one per entry:
    an entry whose true gradient is nearly 0 is not judged by its own tiny
    size. The denominator adds the two sizes, so when ``a`` is close to ``b``
    the result is about half of ``max|a - b| / max|b|``, the largest mistake as
    a fraction of the largest true entry (chapter 4 states both).
    A correct float64 backward checked against :func:`numerical_gradient`
    with ``h=1e-6`` typically gives below 1e-8; an indexing error gives
    values of order 0.1 to 1.

    Parameters
    ----------
    a, b : array_like
        Same shape (no broadcasting).

    Returns
    -------
    float
        In [0, 1]; 0 for empty arrays; NaN if either holds a NaN or an inf (so a
        tolerance test ``err < tol`` fails, as it should).
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(
            f"relative_error: a and b must have the same shape, got a shape "
            f"{a.shape} and b shape {b.shape}"
        )
    if a.size == 0:
        return 0.0
    num = np.max(np.abs(a - b))
    den = max(np.max(np.abs(a) + np.abs(b)), np.finfo(np.float64).tiny)
    return float(num / den)
