"""Max and average pooling, forward and backward (PyTorch semantics).

For an input ``x`` of shape (N, C, H, W), a window ``(KH, KW)`` and a stride
``(s1, s2)`` (default: the window size, so windows tile without overlap), output
position (x, y) pools the window::

    x[n, c, x*s1 + i, y*s2 + j]   for i = 0..KH-1, j = 0..KW-1,

for x = 0..OH-1 with ``OH = floor((H - KH) / s1) + 1`` (rows and columns that no
window reaches are dropped, as in PyTorch with ``ceil_mode=False``). There is no
padding.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from cnnlib.validation import (
    as_float_array,
    as_pair,
    check_batch,
    check_ndim,
    check_shape,
)

__all__ = [
    "PoolCache",
    "avg_pool2d_backward",
    "avg_pool2d_forward",
    "max_pool2d_backward",
    "max_pool2d_forward",
]


class PoolCache(NamedTuple):
    """What a pooling layer's backward pass needs.

    Attributes
    ----------
    x_shape : tuple of int
        ``(N, C, H, W)`` of the input.
    kernel_size, stride : tuple of int
        ``(h, w)`` pairs.
    argmax : numpy.ndarray or None, shape (N, C, OH, OW)
        Max pooling only: the flat index ``i*KW + j`` of the winning entry in
        each window (the first maximum in row-major order).
    """

    x_shape: tuple[int, int, int, int]
    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    argmax: np.ndarray | None = None


def _out_hw(in_hw, k, s):
    """``(OH, OW)``: ``OH = floor((H - KH) / s1) + 1``, likewise OW."""
    return ((in_hw[0] - k[0]) // s[0] + 1, (in_hw[1] - k[1]) // s[1] + 1)


def _check_pool_inputs(x, kernel_size, stride):
    x = as_float_array(x, "x")
    check_ndim(x, 4, "x", "(N, C, H, W)")
    check_batch(x, "x")
    if x.shape[1] == 0:
        raise ValueError(f"x: expected at least one channel C, got shape {x.shape}")
    k = as_pair(kernel_size, "kernel_size", 1)
    s = k if stride is None else as_pair(stride, "stride", 1)
    if k[0] > x.shape[2] or k[1] > x.shape[3]:
        raise ValueError(
            f"kernel_size: window {k} is larger than the input (H, W) = "
            f"{x.shape[2:]} (x shape {x.shape})"
        )
    return x, k, s, _out_hw(x.shape[2:], k, s)


def _windows(x, k, s, out_hw):
    """Read-only view of shape (N, C, OH, OW, KH, KW) onto the pooling windows."""
    sn, sc, sh, sw = x.strides
    return as_strided(
        x,
        shape=(*x.shape[:2], *out_hw, *k),
        strides=(sn, sc, sh * s[0], sw * s[1], sh, sw),
        writeable=False,
    )


def _check_dy(dy, cache, kind):
    if not isinstance(cache, PoolCache):
        raise TypeError(
            f"cache: expected the PoolCache returned by {kind}_pool2d_forward, got "
            f"{type(cache).__name__}"
        )
    if (cache.argmax is None) != (kind == "avg"):
        other = "max" if kind == "avg" else "avg"
        raise TypeError(
            f"cache: expected a cache from {kind}_pool2d_forward, got one from "
            f"{other}_pool2d_forward"
        )
    dy = as_float_array(dy, "dy")
    check_batch(dy, "dy")
    out_hw = _out_hw(cache.x_shape[2:], cache.kernel_size, cache.stride)
    check_shape(dy, (*cache.x_shape[:2], *out_hw), "dy", "(N, C, OH, OW)")
    return dy


def _scatter(per_offset, cache):
    """Add ``per_offset(i, j)`` (shape (N, C, OH, OW)) to the pixel each window
    position reads at offset (i, j); one strided slice per offset, so
    overlapping windows accumulate."""
    n, c, h, w = cache.x_shape
    (kh, kw), (s1, s2) = cache.kernel_size, cache.stride
    dx = np.zeros(cache.x_shape)
    for i in range(kh):
        for j in range(kw):
            part = per_offset(i, j)
            oh, ow = part.shape[2:]
            rows = slice(i, i + s1 * (oh - 1) + 1, s1)
            cols = slice(j, j + s2 * (ow - 1) + 1, s2)
            dx[:, :, rows, cols] += part
    return dx


def max_pool2d_forward(x, kernel_size, stride=None):
    """Max pooling: ``y[n, c, x, y] = max_{i, j} x[n, c, x*s1 + i, y*s2 + j]``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int)
        Window ``(KH, KW)``.
    stride : int or (int, int), optional
        Default: ``kernel_size`` (as in PyTorch).

    Returns
    -------
    y : numpy.ndarray, shape (N, C, OH, OW)
    cache : PoolCache
        Holds the position of each window's (first) maximum.
    """
    x, k, s, out_hw = _check_pool_inputs(x, kernel_size, stride)
    win = _windows(x, k, s, out_hw).reshape(*x.shape[:2], *out_hw, k[0] * k[1])
    argmax = win.argmax(axis=-1)  # first maximum in row-major window order
    y = np.take_along_axis(win, argmax[..., None], axis=-1)[..., 0]
    return y, PoolCache(x.shape, k, s, argmax)


def max_pool2d_backward(dy, cache):
    """Backward of max pooling: each ``dy[n, c, x, y]`` goes to its window's maximum.

    ``dx[n, c, x*s1 + i, y*s2 + j] += dy[n, c, x, y]`` for the one (i, j) that
    won the window (ties: the first in row-major order, as in PyTorch); every
    other entry of the window gets nothing. Overlapping windows add up.

    Parameters
    ----------
    dy : array_like, shape (N, C, OH, OW)
    cache : PoolCache
        From :func:`max_pool2d_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)
    """
    dy = _check_dy(dy, cache, "max")
    kw = cache.kernel_size[1]
    return _scatter(lambda i, j: np.where(cache.argmax == i * kw + j, dy, 0.0), cache)


def avg_pool2d_forward(x, kernel_size, stride=None):
    """Average pooling: ``y[n, c, x, y] = mean_{i, j} x[n, c, x*s1 + i, y*s2 + j]``.

    The mean is ``(1/(KH KW)) sum_{i=0..KH-1} sum_{j=0..KW-1}``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Default: ``kernel_size``.

    Returns
    -------
    y : numpy.ndarray, shape (N, C, OH, OW)
    cache : PoolCache
    """
    x, k, s, out_hw = _check_pool_inputs(x, kernel_size, stride)
    y = _windows(x, k, s, out_hw).mean(axis=(-2, -1))
    return y, PoolCache(x.shape, k, s, None)


def avg_pool2d_backward(dy, cache):
    """Backward of average pooling: every window entry gets ``dy / (KH KW)``.

    ``dx[n, c, x*s1 + i, y*s2 + j] += dy[n, c, x, y] / (KH KW)`` for all
    i = 0..KH-1, j = 0..KW-1; overlapping windows add up.

    Parameters
    ----------
    dy : array_like, shape (N, C, OH, OW)
    cache : PoolCache
        From :func:`avg_pool2d_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)
    """
    dy = _check_dy(dy, cache, "avg")
    share = dy / (cache.kernel_size[0] * cache.kernel_size[1])
    return _scatter(lambda i, j: share, cache)
