"""Chapter 7: the backward rules of a general conv layer, as the book derives them.

:func:`cnnlib.conv2d_backward` computes the gradients fast (im2col and
col2im). The functions here compute the same numbers the way chapter 7 states
them, one rule at a time, with the single-channel operations of
:mod:`cnnlib.conv`, so that a reader can lay the code beside the equations:

- stride ``s``: put ``s - 1`` zeros between neighbouring deltas
  (:func:`insert_zeros`, "input dilation"), then apply the stride-1 rule;
- dilation ``d``: the kernel with ``d - 1`` holes between its taps
  (:func:`dilate_kernel`);
- padding ``p``: the rule gives the gradient of the padded input; drop its
  outer ``p`` rows and columns;
- channels: sum over the filters ``f`` the full convolutions with ``w[f, c]``.

For a forward pass (eq. ch7-forward)

    z[n, f, x, y] = sum_c sum_i sum_j a_p[n, c, s1 x + d1 i, s2 y + d2 j] w[f, c, i, j]

the input gradient is (eq. ch7-general)

    dC/da_p[n, c] = sum_f  D[n, f]  (full convolution)  w_d[f, c],

with D the zero-inserted delta map and w_d the dilated kernel, padded with
``rho = (H + 2p - d (K - 1) - 1) mod s`` zero rows at the bottom (rows no window
read), and the weight gradient is

    dC/dw[f, c, i, j] = sum_n (a_p[n, c]  (valid correlation)  D[n, f])[d1 i, d2 j].

Only NumPy is needed.
"""

from __future__ import annotations

import numpy as np

from cnnlib._validate import as_float_array, as_pair, check_ndim
from cnnlib.conv import conv2d_output_shape, convolve2d, correlate2d

__all__ = [
    "dilate_kernel",
    "input_gradient_by_rule",
    "insert_zeros",
    "leftover",
    "weight_gradient_by_rule",
]


def insert_zeros(delta, stride):
    """Put ``s - 1`` zeros between neighbouring entries of the last two axes.

    ``D[..., s1 x, s2 y] = delta[..., x, y]`` for x = 0..OH-1, y = 0..OW-1, and
    ``D`` is zero elsewhere; ``D`` has shape ``(..., s1 (OH-1) + 1, s2 (OW-1) + 1)``.
    With ``stride=1`` it returns a copy of ``delta``.

    Parameters
    ----------
    delta : array_like, shape (..., OH, OW)
    stride : int or (int, int)

    Returns
    -------
    numpy.ndarray, shape (..., s1 (OH-1) + 1, s2 (OW-1) + 1)
    """
    delta = as_float_array(delta, "delta")
    if delta.ndim < 2:
        raise ValueError(f"delta: expected at least 2 dims (OH, OW), got shape "
                         f"{delta.shape}")
    s1, s2 = as_pair(stride, "stride", 1)
    oh, ow = delta.shape[-2:]
    out = np.zeros((*delta.shape[:-2], s1 * (oh - 1) + 1, s2 * (ow - 1) + 1))
    out[..., ::s1, ::s2] = delta
    return out


def dilate_kernel(w, dilation):
    """The kernel with holes: ``w_d[..., d1 i, d2 j] = w[..., i, j]``, zero elsewhere.

    Parameters
    ----------
    w : array_like, shape (..., KH, KW)
    dilation : int or (int, int)

    Returns
    -------
    numpy.ndarray, shape (..., d1 (KH-1) + 1, d2 (KW-1) + 1)
        A layer with kernel ``w`` and dilation ``d`` computes the same numbers
        as a layer with kernel ``w_d`` and dilation 1.
    """
    w = as_float_array(w, "w")
    return insert_zeros(w, as_pair(dilation, "dilation", 1))


def leftover(size, kernel, stride=1, padding=0, dilation=1):
    """Rows of the padded input that no window reads: ``(H + 2p - d (K-1) - 1) mod s``.

    They lie at the bottom (or right) of the padded input; their gradient is 0.
    """
    return (size + 2 * padding - dilation * (kernel - 1) - 1) % stride


def _check(delta, w, x_shape, stride, padding, dilation):
    delta = as_float_array(delta, "delta")
    w = as_float_array(w, "w")
    check_ndim(delta, 4, "delta", "(N, F, OH, OW)")
    check_ndim(w, 4, "w", "(F, C, KH, KW)")
    if len(x_shape) != 4:
        raise ValueError(f"x_shape: expected (N, C, H, W), got {tuple(x_shape)}")
    if delta.shape[1] != w.shape[0] or x_shape[1] != w.shape[1]:
        raise ValueError(
            f"delta, w, x_shape: channels do not match (delta shape {delta.shape}, "
            f"w shape {w.shape}, x_shape {tuple(x_shape)})")
    s, p, d = (as_pair(stride, "stride", 1), as_pair(padding, "padding", 0),
               as_pair(dilation, "dilation", 1))
    out_hw = conv2d_output_shape(x_shape[2:], w.shape[2:], s, p, d)
    if delta.shape[2:] != out_hw:
        raise ValueError(
            f"delta: expected spatial shape {out_hw} for x_shape {tuple(x_shape)} "
            f"and w shape {w.shape}, got delta shape {delta.shape}")
    return delta, w, s, p, d


def input_gradient_by_rule(delta, w, x_shape, stride=1, padding=0,
                           dilation=1):
    """dC/da of a conv layer by the rule of chapter 7, eq. (ch7-general).

    Insert zeros into the deltas (stride), fully convolve each with the
    dilated kernel ``w[f, c]`` and add over the filters ``f`` (channels),
    append the ``rho`` rows that no window read, and drop the ``p`` rows
    and columns of padding on every side.

    Parameters
    ----------
    delta : array_like, shape (N, F, OH, OW)
        dC/dz of the layer's output.
    w : array_like, shape (F, C, KH, KW)
    x_shape : tuple (N, C, H, W)
        Shape of the layer's input.
    stride, padding, dilation : int or (int, int)

    Returns
    -------
    numpy.ndarray, shape (N, C, H, W)
        The same numbers as ``conv2d_backward(delta, cache)[0]``.
    """
    delta, w, s, p, d = _check(delta, w, x_shape, stride, padding, dilation)
    n, c, h, wd = x_shape
    f, _, kh, kw = w.shape
    big_d = insert_zeros(delta, s)                        # stride
    w_d = dilate_kernel(w, d)                             # dilation
    rho = (leftover(h, kh, s[0], p[0], d[0]),
           leftover(wd, kw, s[1], p[1], d[1]))
    out = np.zeros(x_shape)
    for i_n in range(n):
        for i_c in range(c):
            full = sum(convolve2d(big_d[i_n, i_f], w_d[i_f, i_c], "full")
                       for i_f in range(f))               # channels
            padded = np.pad(full, ((0, rho[0]), (0, rho[1])))  # never read
            out[i_n, i_c] = padded[p[0]:p[0] + h, p[1]:p[1] + wd]  # crop p
    return out


def weight_gradient_by_rule(x, delta, kernel_shape, stride=1, padding=0,
                            dilation=1):
    """dC/dw of a conv layer by the rule of chapter 7, eq. (ch7-general).

    ``dw[f, c] = sum_n (a_p[n, c] valid-correlated with D[n, f])`` sampled
    at rows ``0, d1, ..., d1 (KH-1)`` and columns ``0, d2, ..., d2 (KW-1)``:
    the zero-inserted delta map slides over the padded input, and the
    kernel's holes pick every ``d``-th result.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
        The layer's input a.
    delta : array_like, shape (N, F, OH, OW)
    kernel_shape : (KH, KW)
    stride, padding, dilation : int or (int, int)

    Returns
    -------
    numpy.ndarray, shape (F, C, KH, KW)
        The same numbers as ``conv2d_backward(delta, cache)[1]``.
    """
    x = as_float_array(x, "x")
    check_ndim(x, 4, "x", "(N, C, H, W)")
    kh, kw = kernel_shape
    f, c = np.shape(delta)[1], x.shape[1]
    delta, _, s, p, d = _check(delta, np.zeros((f, c, kh, kw)), x.shape,
                               stride, padding, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))  # a_p
    big_d = insert_zeros(delta, s)                        # stride
    dw = np.zeros((f, c, kh, kw))
    for i_f in range(f):
        for i_c in range(c):
            valid = sum(correlate2d(xp[i_n, i_c], big_d[i_n, i_f], "valid")
                        for i_n in range(x.shape[0]))   # add over n
            dw[i_f, i_c] = valid[::d[0], ::d[1]][:kh, :kw]  # the holes
    return dw
