"""Convolution and cross-correlation, forward and backward.

Conventions (see the book's notation page): arrays are float64, batched tensors
NCHW, kernels ``(F, C, KH, KW)``; indices are 0-based. A conv layer computes a
cross-correlation, as PyTorch does::

    z[n, f, x, y] = b[f] + sum_{c, i, j} xpad[n, c, x*s + i*d, y*s + j*d] w[f, c, i, j]

for c = 0..C-1, i = 0..KH-1, j = 0..KW-1, x = 0..OH-1, y = 0..OW-1, where
``xpad`` is the input with ``p`` zeros on every side, ``s`` the stride and ``d``
the dilation (each may differ between the row and column axes). Its output size
is ``OH = floor((H + 2p - d(KH-1) - 1) / s) + 1`` (:func:`conv2d_output_shape`).

Two implementations share one contract and one cache type:

* :func:`conv2d_forward_naive` / :func:`conv2d_backward_naive`: plain loops over
  the book's indices, to be read beside the equations;
* :func:`conv2d_forward` / :func:`conv2d_backward`: im2col + one matrix product
  per result, to be run.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from cnnlib.validation import (
    as_float_array,
    as_pair,
    as_shape,
    check_batch,
    check_conv_tensors,
    check_mode,
    check_ndim,
    check_shape,
    conv_geometry,
)

__all__ = [
    "Conv2dCache",
    "conv2d_as_dense",
    "conv2d_backward",
    "conv2d_backward_naive",
    "conv2d_forward",
    "conv2d_forward_naive",
    "conv2d_output_shape",
    "conv_transpose2d",
    "convolve2d",
    "correlate2d",
    "rot180",
]


# --------------------------------------------------------------------------------------
# Single-channel correlation and convolution (scipy.signal's outputs; "valid" refuses
# a kernel larger than the input, where SciPy swaps the two: see correlate2d)
# --------------------------------------------------------------------------------------


def rot180(w):
    """Rotate a kernel by 180 degrees in its last two axes.

    ``rot180(w)[..., i, j] = w[..., KH-1-i, KW-1-j]`` for i = 0..KH-1,
    j = 0..KW-1: the kernel flipped upside down and left to right.

    Parameters
    ----------
    w : array_like, shape (..., KH, KW)
        Any array with at least two dimensions, e.g. one kernel ``(KH, KW)`` or
        a bank of kernels ``(F, C, KH, KW)``.

    Returns
    -------
    numpy.ndarray, shape (..., KH, KW)
        A new float64 array (the input is not changed).
    """
    w = as_float_array(w, "w")
    if w.ndim < 2:
        raise ValueError(
            f"w: expected at least 2 dims (..., KH, KW), got shape {w.shape}"
        )
    return w[..., ::-1, ::-1].copy()


def _check_2d_pair(a, w):
    a = as_float_array(a, "a")
    w = as_float_array(w, "w")
    check_ndim(a, 2, "a", "(H, W)")
    check_ndim(w, 2, "w", "(KH, KW)")
    if 0 in a.shape or 0 in w.shape:
        raise ValueError(
            f"a and w must be non-empty, got a shape {a.shape}, w shape {w.shape}"
        )
    return a, w


def _full_correlate(a, w):
    """corr_full(a, w): shape (H + KH - 1, W + KW - 1)."""
    kh, kw = w.shape
    apad = np.pad(a, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    windows = np.lib.stride_tricks.sliding_window_view(apad, (kh, kw))
    return np.tensordot(windows, w, axes=([2, 3], [0, 1]))


def _crop(full, a_shape, k_shape, mode, same_start):
    (h, w), (kh, kw) = a_shape, k_shape
    if mode == "full":
        return full
    if mode == "valid":
        return full[kh - 1 : h, kw - 1 : w].copy()
    r, c = same_start
    return full[r : r + h, c : c + w].copy()


def _check_valid_fits(a, w, mode):
    if mode == "valid" and (w.shape[0] > a.shape[0] or w.shape[1] > a.shape[1]):
        raise ValueError(
            f"w: kernel shape {w.shape} is larger than the input a shape {a.shape} "
            "in mode 'valid' (needs KH <= H and KW <= W; unlike scipy.signal, "
            "cnnlib does not swap a and w: were they passed the wrong way round?)"
        )


def correlate2d(a, w, mode="valid"):
    """Cross-correlation of one 2-D array with one 2-D kernel, corr(a, w).

    Slide the kernel, not rotated, over ``a`` and add up the products.

    In "full" mode, with ``a`` taken as zero outside its bounds::

        corr_full(a, w)[x, y] = sum_{i=0..KH-1} sum_{j=0..KW-1}
                                a[x+i-(KH-1), y+j-(KW-1)] w[i, j]

    for x = 0..H+KH-2, y = 0..W+KW-2. "valid" keeps the positions where the
    kernel lies inside ``a``: x = KH-1..H-1 of the full output, i.e.
    ``corr_valid(a, w)[x, y] = sum_{i,j} a[x+i, y+j] w[i, j]`` for x = 0..H-KH,
    y = 0..W-KW. "same" keeps H x W full-mode positions starting at
    ``(KH // 2, KW // 2)``. All three agree with :func:`scipy.signal.correlate2d`
    wherever cnnlib accepts the input. One case it refuses: in "valid" mode a
    kernel larger than ``a`` (KH > H or KW > W) raises ``ValueError``, where
    SciPy, if ``w`` is at least as large in every dimension, swaps the two
    inputs (scipy gh-5897) and returns ``rot180(correlate2d(w, a))``, the input
    sliding over the kernel. In the book the kernel slides over the input, so a
    kernel that does not fit is a mistake to report, not to reinterpret.

    Parameters
    ----------
    a : array_like, shape (H, W)
        The input.
    w : array_like, shape (KH, KW)
        The kernel; in "valid" mode it must fit inside ``a``.
    mode : {"valid", "same", "full"}

    Returns
    -------
    numpy.ndarray
        Shape (H-KH+1, W-KW+1) for "valid", (H, W) for "same",
        (H+KH-1, W+KW-1) for "full".
    """
    return _correlate_or_convolve(a, w, mode, flip=False)


def convolve2d(a, w, mode="valid"):
    """True convolution of one 2-D array with one 2-D kernel, conv(a, w).

    Slide the kernel, rotated by 180 degrees, over ``a`` and add up the products.

    In "full" mode, with ``a`` taken as zero outside its bounds::

        conv_full(a, w)[x, y] = sum_{i=0..KH-1} sum_{j=0..KW-1} a[x-i, y-j] w[i, j]

    for x = 0..H+KH-2, y = 0..W+KW-2. This is the cross-correlation with the
    rotated kernel, ``conv(a, w) = corr(a, rot180(w))`` (exactly so in "full" and
    "valid" modes). "valid" keeps full-mode rows KH-1..H-1 and columns
    KW-1..W-1; "same" keeps H x W positions starting at
    ``((KH-1) // 2, (KW-1) // 2)``. All three agree with
    :func:`scipy.signal.convolve2d` wherever cnnlib accepts the input; for an
    even kernel size, "same" starts one position earlier than in
    :func:`correlate2d`, as in SciPy. As in :func:`correlate2d`, "valid" mode
    refuses a kernel larger than ``a`` (SciPy would swap the inputs; for a
    convolution that gives ``convolve2d(w, a)``). The arguments and the output
    shape in each mode are those of :func:`correlate2d`.
    """
    return _correlate_or_convolve(a, w, mode, flip=True)


def _correlate_or_convolve(a, w, mode, flip):
    """corr(a, w), or with ``flip`` conv(a, w) = corr(a, rot180(w)), in ``mode``.

    Both are one full cross-correlation, cropped. Only "same" tells them
    apart beyond the flip: it starts at ``K // 2`` for the cross-correlation
    and at ``(K-1) // 2`` for the convolution (as SciPy does).
    """
    check_mode(mode)
    a, w = _check_2d_pair(a, w)
    _check_valid_fits(a, w, mode)
    if flip:
        w = w[::-1, ::-1]
    lead = 1 if flip else 0
    same_start = ((w.shape[0] - lead) // 2, (w.shape[1] - lead) // 2)
    return _crop(_full_correlate(a, w), a.shape, w.shape, mode, same_start)


# --------------------------------------------------------------------------------------
# Batched conv layer: shared checks and cache
# --------------------------------------------------------------------------------------


class Conv2dCache(NamedTuple):
    """What a conv layer's backward pass needs from its forward pass.

    Both :func:`conv2d_forward` and :func:`conv2d_forward_naive` return this
    type, and either backward accepts a cache from either forward.

    Attributes
    ----------
    x : numpy.ndarray, shape (N, C, H, W)
        The layer's input (float64; not padded).
    w : numpy.ndarray, shape (F, C, KH, KW)
        The kernels.
    has_bias : bool
        Whether a bias was given (if not, backward returns ``db=None``).
    stride, padding, dilation : tuple of int
        ``(h, w)`` pairs.
    cols : numpy.ndarray or None, shape (C*KH*KW, N*OH*OW)
        The im2col matrix of the padded input (vectorised forward only; the
        naive forward stores None).
    """

    x: np.ndarray
    w: np.ndarray
    has_bias: bool
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    cols: np.ndarray | None = None


def conv2d_output_shape(in_hw, kernel_hw, stride=1, padding=0, dilation=1):
    """Output height and width of a 2-D convolution layer.

    ``OH = floor((H + 2 p_h - d_h (KH - 1) - 1) / s_h) + 1`` and the same for
    the width, as in PyTorch.

    Parameters
    ----------
    in_hw : int or tuple of int
        ``(H, W)`` of the input.
    kernel_hw : int or tuple of int
        ``(KH, KW)`` of the kernel.
    stride, padding, dilation : int or tuple of int

    Returns
    -------
    tuple of int
        ``(OH, OW)``.

    Raises
    ------
    ValueError
        If the dilated kernel is larger than the padded input (``OH < 1``).
    """
    in_hw = as_pair(in_hw, "in_hw", 1)
    kernel_hw = as_pair(kernel_hw, "kernel_hw", 1)
    return conv_geometry(in_hw, kernel_hw, stride, padding, dilation)[3]


def _check_conv_inputs(x, w, b, stride, padding, dilation):
    """Validate and convert the arguments of a conv2d forward; with them, the
    output size ``(OH, OW)`` that :func:`conv_geometry` found on the way."""
    x, w = check_conv_tensors(x, w)
    if b is not None:
        b = as_float_array(b, "b")
        check_shape(b, (w.shape[0],), "b", "(F,)")
    stride, padding, dilation, out_hw = conv_geometry(
        x.shape[2:], w.shape[2:], stride, padding, dilation, kernel_name="w",
        where=f"; x shape {x.shape}")
    return x, w, b, stride, padding, dilation, out_hw


def _check_cache(cache):
    if not isinstance(cache, Conv2dCache):
        raise TypeError(
            f"cache: expected the Conv2dCache returned by conv2d_forward, got "
            f"{type(cache).__name__}"
        )


def _check_dy(dy, cache):
    dy = as_float_array(dy, "dy")
    check_batch(dy, "dy")
    n, _, h, w_ = cache.x.shape
    oh, ow = conv2d_output_shape(
        (h, w_), cache.w.shape[2:], cache.stride, cache.padding, cache.dilation
    )
    check_shape(dy, (n, cache.w.shape[0], oh, ow), "dy", "(N, F, OH, OW)")
    return dy


def _pad(x, padding):
    """``x`` (N, C, H, W) with ``p`` zeros added on each side of H and W."""
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    n, c, h, w = x.shape
    xpad = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    xpad[:, :, ph : ph + h, pw : pw + w] = x
    return xpad


# --------------------------------------------------------------------------------------
# Naive loops: the equations of the book, index by index
# --------------------------------------------------------------------------------------


def conv2d_forward_naive(x, w, b=None, stride=1, padding=0, dilation=1):
    """Forward pass of a conv layer, as plain loops over the book's indices.

    Implements, for every n, f and output position (x, y)::

        z[n, f, x, y] = b[f] + sum_{c=0..C-1} sum_{i=0..KH-1} sum_{j=0..KW-1}
                        xpad[n, c, x*s + i*d, y*s + j*d] w[f, c, i, j]

    i.e. z^{l+1} = corr(a^l, w^{l+1}) + b^{l+1} with a^l = x (a cross-correlation).
    Slow; see :func:`conv2d_forward` for the same numbers, fast. Its arguments,
    results and errors are those of :func:`conv2d_forward`, one contract for
    both; only the cache holds no im2col matrix (``cols`` is None).
    """
    x, w, b, stride, padding, dilation, (oh, ow) = _check_conv_inputs(
        x, w, b, stride, padding, dilation
    )
    n_batch, n_chan = x.shape[:2]
    n_filt, _, kh, kw = w.shape
    s1, s2 = stride
    d1, d2 = dilation
    cache = Conv2dCache(x, w, b is not None, stride, padding, dilation, None)
    xpad = _pad(x, padding)
    z = np.zeros((n_batch, n_filt, oh, ow))
    # From here on x and y are output positions, as in the equation; the input
    # lives on in xpad.
    for n in range(n_batch):
        for f in range(n_filt):
            for x in range(oh):
                for y in range(ow):
                    total = 0.0 if b is None else b[f]
                    for c in range(n_chan):
                        for i in range(kh):
                            for j in range(kw):
                                total += xpad[n, c, x * s1 + i * d1, y * s2 + j * d2] * (
                                    w[f, c, i, j]
                                )
                    z[n, f, x, y] = total
    return z, cache


def _unpad(xpad, padding):
    """Undo :func:`_pad`: the unpadded part of ``xpad`` (a view)."""
    ph, pw = padding
    return xpad[:, :, ph : xpad.shape[2] - ph, pw : xpad.shape[3] - pw]


def conv2d_backward_naive(dy, cache):
    """Backward pass of a conv layer, as plain loops over the book's indices.

    Each forward term ``xpad[n, c, x*s + i*d, y*s + j*d] w[f, c, i, j]`` sends
    ``dy[n, f, x, y]`` back to both of its factors and ``dy`` to ``b[f]``::

        dw[f, c, i, j]                 += dy[n, f, x, y] xpad[n, c, x*s+i*d, y*s+j*d]
        dxpad[n, c, x*s+i*d, y*s+j*d]  += dy[n, f, x, y] w[f, c, i, j]
        db[f]                          += dy[n, f, x, y]

    summed over all indices; ``dx`` is ``dxpad`` without its padding. With
    stride and dilation 1 these sums are the book's results
    ∂C/∂w^{l+1} = corr_valid(a^l, δ^{l+1}) and
    δ^l = corr_full(δ^{l+1}, rot180(w^{l+1})) before the σ′ factor.
    Its arguments, results and errors are those of :func:`conv2d_backward`;
    the cache may come from either forward pass.
    """
    _check_cache(cache)
    dy = _check_dy(dy, cache)
    x, w = cache.x, cache.w
    n_batch, n_chan, _, _ = x.shape
    n_filt, _, kh, kw = w.shape
    _, _, oh, ow = dy.shape
    s1, s2 = cache.stride
    d1, d2 = cache.dilation
    xpad = _pad(x, cache.padding)
    dxpad = np.zeros_like(xpad)
    dw = np.zeros_like(w)
    db = np.zeros(n_filt)
    for n in range(n_batch):
        for f in range(n_filt):
            for x in range(oh):  # output position, as in the equation
                for y in range(ow):
                    g = dy[n, f, x, y]
                    db[f] += g
                    for c in range(n_chan):
                        for i in range(kh):
                            for j in range(kw):
                                p, q = x * s1 + i * d1, y * s2 + j * d2
                                dw[f, c, i, j] += g * xpad[n, c, p, q]
                                dxpad[n, c, p, q] += g * w[f, c, i, j]
    dx = _unpad(dxpad, cache.padding).copy()
    return dx, dw, (db if cache.has_bias else None)


# --------------------------------------------------------------------------------------
# Vectorised: im2col, one matrix product, col2im
# --------------------------------------------------------------------------------------


def _im2col(xpad, kernel_hw, out_hw, stride, dilation):
    """Gather every kernel-sized window of ``xpad`` into one matrix.

    ``cols[(c, i, j), (n, x, y)] = xpad[n, c, x*s + i*d, y*s + j*d]``, stored as
    a contiguous array of shape (C*KH*KW, N*OH*OW), so that the forward pass
    is the single product ``w.reshape(F, C*KH*KW) @ cols``.
    """
    n, c, _, _ = xpad.shape
    kh, kw = kernel_hw
    oh, ow = out_hw
    sn, sc, sh, sw = xpad.strides
    view = as_strided(
        xpad,
        shape=(c, kh, kw, n, oh, ow),
        strides=(
            sc,
            sh * dilation[0],
            sw * dilation[1],
            sn,
            sh * stride[0],
            sw * stride[1],
        ),
        writeable=False,
    )
    return np.ascontiguousarray(view).reshape(c * kh * kw, n * oh * ow)


def _col2im_add(acc, dcols, kernel_hw, out_hw, stride, dilation):
    """Adjoint of :func:`_im2col`: add each column entry back to its pixel.

    ``acc[c, n, x*s + i*d, y*s + j*d] += dcols[(c, i, j), (n, x, y)]``, where
    ``acc`` (C, N, H+2p, W+2p) is the gradient of the padded input, channel-major
    so that its layout matches ``dcols`` (C*KH*KW, N*OH*OW). Loops over the
    KH*KW kernel offsets only: for a fixed offset (i, j) the pixels
    ``x*s + i*d`` for x = 0..OH-1 are distinct, so one strided slice adds all
    of them at once, with no double counting.
    """
    c, n = acc.shape[:2]
    kh, kw = kernel_hw
    oh, ow = out_hw
    (s1, s2), (d1, d2) = stride, dilation
    d6 = dcols.reshape(c, kh, kw, n, oh, ow)
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * d1, i * d1 + s1 * (oh - 1) + 1, s1)
            cols = slice(j * d2, j * d2 + s2 * (ow - 1) + 1, s2)
            acc[:, :, rows, cols] += d6[:, i, j]


def _as_matrix(dy):
    """``dy`` (N, F, OH, OW) as the matrix dy_mat (F, N*OH*OW) matching ``cols``."""
    n, f, oh, ow = dy.shape
    return dy.transpose(1, 0, 2, 3).reshape(f, n * oh * ow)


#: Size of the buffer that holds one group of rows of dcols in _input_gradient.
_GROUP_BYTES = 8 * 2**20


def _input_gradient(dy_mat, w, x_shape, out_hw, stride, padding, dilation):
    """∂C/∂x of a conv layer: ``dcols = w_mat.T @ dy_mat``, then col2im.

    ``dcols`` (C*KH*KW, N*OH*OW) is the gradient of every entry of the im2col
    matrix; :func:`_col2im_add` adds each entry back to the pixel it was
    copied from. The product is taken for a group of channels at a time, into
    one reused buffer of at most ``_GROUP_BYTES`` (at least one channel), so
    that the whole ``dcols``, as large as ``cols``, never exists: this halves
    the extra memory of the backward pass, and the group is still in cache
    when col2im reads it. This is also the whole of :func:`conv_transpose2d`.
    """
    f, c, kh, kw = w.shape
    n, _, h, w_in = x_shape
    p1, p2 = padding
    acc = np.zeros((c, n, h + 2 * p1, w_in + 2 * p2))
    w_cols = w.reshape(f, c * kh * kw).T  # (C*KH*KW, F): row (c, i, j)
    per_channel = kh * kw
    group = max(1, _GROUP_BYTES // (per_channel * dy_mat.shape[1] * 8))
    group = min(group, c)
    buf = np.empty((group * per_channel, dy_mat.shape[1]))
    for c0 in range(0, c, group):
        k = min(group, c - c0)
        dcols = np.matmul(w_cols[c0 * per_channel : (c0 + k) * per_channel], dy_mat,
                          out=buf[: k * per_channel])
        _col2im_add(acc[c0 : c0 + k], dcols, (kh, kw), out_hw, stride, dilation)
    dx = np.empty(x_shape)
    dx[...] = acc[:, :, p1 : p1 + h, p2 : p2 + w_in].transpose(1, 0, 2, 3)
    return dx


def conv2d_forward(x, w, b=None, stride=1, padding=0, dilation=1):
    """Forward pass of a conv layer, z^{l+1} = corr(a^l, w^{l+1}) + b^{l+1}, vectorised.

    Computes the same numbers as :func:`conv2d_forward_naive` and
    ``torch.nn.functional.conv2d``::

        z[n, f, x, y] = b[f]
                        + sum_{c, i, j} xpad[n, c, x*s + i*d, y*s + j*d] w[f, c, i, j]

    for x = 0..OH-1, y = 0..OW-1, by gathering the windows into the im2col
    matrix ``cols`` (C*KH*KW, N*OH*OW) and multiplying once:
    ``z_mat = w.reshape(F, C*KH*KW) @ cols``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
        Input (the book's a^l).
    w : array_like, shape (F, C, KH, KW)
        Kernels (the book's w^{l+1}).
    b : array_like, shape (F,), optional
        Biases; None means no bias.
    stride, padding, dilation : int or (int, int)
        ``s >= 1``, ``p >= 0`` zeros on each side, ``d >= 1`` (1 = no dilation).

    Returns
    -------
    z : numpy.ndarray, shape (N, F, OH, OW)
        ``OH = floor((H + 2p - d(KH-1) - 1) / s) + 1``, likewise OW.
    cache : Conv2dCache
        For :func:`conv2d_backward` (keeps ``cols``).
    """
    x, w, b, stride, padding, dilation, (oh, ow) = _check_conv_inputs(
        x, w, b, stride, padding, dilation
    )
    n = x.shape[0]
    f, _, kh, kw = w.shape
    cols = _im2col(_pad(x, padding), (kh, kw), (oh, ow), stride, dilation)
    z_mat = w.reshape(f, -1) @ cols  # (F, N*OH*OW)
    z = np.empty((n, f, oh, ow))
    z_t = z_mat.reshape(f, n, oh, ow).transpose(1, 0, 2, 3)
    if b is None:
        z[...] = z_t
    else:  # the bias rides along with the copy to NCHW
        np.add(z_t, b[None, :, None, None], out=z)
    return z, Conv2dCache(x, w, b is not None, stride, padding, dilation, cols)


def conv2d_backward(dy, cache):
    """Backward pass of a conv layer, vectorised.

    Given δ^{l+1} = dy = ∂C/∂z^{l+1}, returns

    * ``dw = dy_mat @ cols.T`` reshaped to (F, C, KH, KW): with stride and
      dilation 1 this is ∂C/∂w[f, c] = sum_n corr_valid(a[n, c], δ[n, f]);
    * ``dx``: ``dcols = w_mat.T @ dy_mat`` added back to the pixels (col2im),
      a group of channels at a time; with stride and dilation 1 this is
      ∂C/∂a[n, c] = sum_f corr_full(δ[n, f], rot180(w[f, c]))
      = sum_f conv_full(δ[n, f], w[f, c]), with ``p`` rows and columns
      cropped from each side when the forward pass padded;
    * ``db[f] = sum_{n, x, y} dy[n, f, x, y]``.

    Parameters
    ----------
    dy : array_like, shape (N, F, OH, OW)
        Upstream gradient ∂C/∂z.
    cache : Conv2dCache
        From :func:`conv2d_forward` (or :func:`conv2d_forward_naive`).

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)
    dw : numpy.ndarray, shape (F, C, KH, KW)
    db : numpy.ndarray, shape (F,), or None if the forward had no bias
    """
    _check_cache(cache)
    dy = _check_dy(dy, cache)
    x, w = cache.x, cache.w
    f, _, kh, kw = w.shape
    _, _, oh, ow = dy.shape
    cols = cache.cols
    if cols is None:  # cache from the naive forward
        cols = _im2col(_pad(x, cache.padding), (kh, kw), (oh, ow), cache.stride,
                       cache.dilation)
    dy_mat = _as_matrix(dy)
    # (cols @ dy_mat.T).T == dy_mat @ cols.T; this order runs faster in OpenBLAS.
    dw = (cols @ dy_mat.T).T.reshape(w.shape)
    db = dy_mat.sum(axis=1) if cache.has_bias else None
    del cols
    dx = _input_gradient(dy_mat, w, x.shape, (oh, ow), cache.stride, cache.padding,
                         cache.dilation)
    return dx, dw, db


# --------------------------------------------------------------------------------------
# The transposed convolution and the dense matrix of a convolution
# --------------------------------------------------------------------------------------


def conv_transpose2d(x, w, stride=1, padding=0, dilation=1, output_padding=0):
    """Transposed convolution: the input gradient of a conv layer, as a layer.

    ``conv_transpose2d(dy, w, s, p, d)`` is exactly the ``dx`` that
    :func:`conv2d_backward` computes for a conv layer with kernels ``w`` and the
    same stride, padding and dilation: the map z -> a of the forward pass
    transposed. The same numbers as ``torch.nn.functional.conv_transpose2d``.
    Its output size is::

        H_out = (H - 1) s - 2p + d (KH - 1) + output_padding + 1

    (``output_padding`` adds rows/columns at the bottom/right, choosing among
    the input sizes that a strided forward maps to the same output size).

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
    w : array_like, shape (C_in, C_out, KH, KW)
        As in PyTorch: the kernel of the conv layer (F=C_in, C=C_out, KH, KW)
        that this transposes.
    stride, padding, dilation, output_padding : int or (int, int)
        ``output_padding`` must be smaller than the stride or the dilation.

    Returns
    -------
    numpy.ndarray, shape (N, C_out, H_out, W_out)
    """
    x, w = check_conv_tensors(x, w, x_dims="(N, C_in, H, W)",
                              w_dims="(C_in, C_out, KH, KW)", channel_axis=0)
    # The same parsing as every convolution; the size check is the output's below.
    stride, padding, dilation, _ = conv_geometry((1, 1), (1, 1), stride, padding,
                                                 dilation)
    output_padding = as_pair(output_padding, "output_padding", 0)
    for ax in range(2):
        if output_padding[ax] >= max(stride[ax], dilation[ax]):
            raise ValueError(
                f"output_padding: expected values smaller than the stride {stride} "
                f"or the dilation {dilation}, got {output_padding}"
            )
    out_hw = tuple(
        (x.shape[2 + ax] - 1) * stride[ax]
        - 2 * padding[ax]
        + dilation[ax] * (w.shape[2 + ax] - 1)
        + output_padding[ax]
        + 1
        for ax in range(2)
    )
    if min(out_hw) < 1:
        raise ValueError(
            f"padding: {padding} crops the whole output (output size {out_hw} "
            f"for x shape {x.shape}, w shape {w.shape})"
        )
    out_shape = (x.shape[0], w.shape[1], *out_hw)
    # The input gradient of conv2d_forward(out, w) for an upstream gradient x.
    return _input_gradient(_as_matrix(x), w, out_shape, x.shape[2:], stride, padding,
                           dilation)


def conv2d_as_dense(w, in_shape, stride=1, padding=0, dilation=1):
    """The matrix of a conv layer: an MLP layer with cut connections and shared weights.

    Returns ``M`` of shape (F*OH*OW, C*H*W) with
    ``conv2d_forward(x[None], w)[0][0].ravel() == M @ x.ravel()`` for any ``x``
    of shape ``in_shape``: row ``(f, x, y)`` holds ``w[f, c, i, j]`` in column
    ``(c, x*s + i*d - p, y*s + j*d - p)`` and zeros elsewhere (including the
    taps that fall on padding). Its transpose maps δ to the input gradient.

    Parameters
    ----------
    w : array_like, shape (F, C, KH, KW)
    in_shape : tuple of int
        ``(C, H, W)``.
    stride, padding, dilation : int or (int, int)

    Returns
    -------
    numpy.ndarray, shape (F*OH*OW, C*H*W)
    """
    w = as_float_array(w, "w")
    check_ndim(w, 4, "w", "(F, C, KH, KW)")
    c, h, w_in = as_shape(in_shape, "in_shape", 3, "(C, H, W)")
    if c != w.shape[1]:
        raise ValueError(
            f"in_shape has C={c} channels but w expects C={w.shape[1]} "
            f"(in_shape {(c, h, w_in)}, w shape {w.shape})"
        )
    if 0 in w.shape:
        raise ValueError(f"w: expected non-empty axes (F, C, KH, KW), got shape "
                         f"{w.shape}")
    s, p, d, (oh, ow) = conv_geometry((h, w_in), w.shape[2:], stride, padding,
                                      dilation, kernel_name="w",
                                      where=f"; in_shape {(c, h, w_in)}")
    n_filt, _, kh, kw = w.shape
    m = np.zeros((n_filt, oh, ow, c, h, w_in))
    xs, ys = np.arange(oh), np.arange(ow)
    for i in range(kh):
        for j in range(kw):
            rows = xs * s[0] + i * d[0] - p[0]  # input row read by each output row
            cols = ys * s[1] + j * d[1] - p[1]
            rx, ry = xs[(rows >= 0) & (rows < h)], ys[(cols >= 0) & (cols < w_in)]
            ix, iy = np.ix_(rx, ry)
            # Each (x, y, i, j) names one input pixel, so assignment is enough.
            for f in range(n_filt):
                for ch in range(c):
                    m[f, ix, iy, ch, ix * s[0] + i * d[0] - p[0],
                      iy * s[1] + j * d[1] - p[1]] = w[f, ch, i, j]
    return m.reshape(n_filt * oh * ow, c * h * w_in)
