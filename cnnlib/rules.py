"""The book's index counting and backward rules, one function a statement.

The fast numerics (:mod:`cnnlib.conv`, :mod:`cnnlib.pool`) compute gradients
with im2col and col2im. The functions here compute the same numbers the way the
chapters state them, with plain loops and the single-channel operations, so a
reader can lay the code beside the equation; each one is tested equal to
:func:`cnnlib.conv2d_backward` (or to the MLP's ``backprop``). NumPy only.

Chapter 1, :func:`delta_terms`: the numbers in BP1 and BP2 for one neuron.
Chapter 2, :func:`kernel_index_matrix` and :func:`stage_matrix`: the weight
matrix of a dense, a locally connected and a shared layer.
Chapter 3, :func:`mode_padding` and :func:`window_origin`: where an output's
window sits in "valid", "same" and "full" mode.
Chapter 4, :func:`delta_sources`, :func:`backprop_sum`,
:func:`full_correlate_rot180` and :func:`dense_weight_labels`: which deltas an
input position feeds, through which weight, and the rotated kernel that results.
Chapter 5, :func:`weight_gradient_pairs` and :func:`weight_gradient`: which
products add up to the gradient of one shared weight.
Chapters 7 and 8, the general layer, one rule at a time
(:func:`input_gradient_by_rule`, :func:`weight_gradient_by_rule`):

- stride ``s``: put ``s - 1`` zeros between neighbouring deltas
  (:func:`insert_zeros`, "input dilation"), then apply the stride-1 rule;
- dilation ``d``: the kernel with ``d - 1`` holes between its taps
  (:func:`dilate_kernel`);
- padding ``P``: the rule gives the gradient of the padded input; drop its
  outer ``P`` rows and columns;
- channels: sum over the filters ``f`` the full convolutions with ``w[f, c]``.

For a forward pass (eq. ch7-forward)::

    z[n, f, x, y] = sum_c sum_i sum_j a_P[n, c, s1 x + d1 i, s2 y + d2 j] w[f, c, i, j]

the input gradient is (eq. ch7-general)::

    dC/da_P[n, c] = sum_f  D[n, f]  (full convolution)  w_d[f, c],

with D the zero-inserted delta map and w_d the dilated kernel, padded with
``rho = (H + 2P - d (K - 1) - 1) mod s`` zero rows at the bottom (the rows past
the last window; :func:`unread` lists every row no window reads), and the
weight gradient is::

    dC/dw[f, c, i, j] = sum_n (a_P[n, c]  (valid correlation)  D[n, f])[d1 i, d2 j].

:func:`scatter_partial_sums` builds a strided input gradient one delta at a time.
"""

from __future__ import annotations

import numpy as np

from cnnlib.activations import sigmoid_prime
from cnnlib.conv import (
    conv2d_as_dense,
    convolve2d,
    correlate2d,
)
from cnnlib.mlp import MLP
from cnnlib.validation import (
    MODES,
    as_float_array,
    as_int,
    as_pair,
    as_shape,
    check_batch,
    check_choice,
    check_ndim,
    conv_geometry,
)

__all__ = [
    "STAGES",
    "backprop_sum",
    "check_op_mode",
    "delta_sources",
    "delta_terms",
    "dense_weight_labels",
    "dilate_kernel",
    "full_correlate_rot180",
    "input_gradient_by_rule",
    "insert_zeros",
    "kernel_index_matrix",
    "leftover",
    "mode_padding",
    "scatter_partial_sums",
    "stage_matrix",
    "unread",
    "valid_output_shape",
    "weight_gradient",
    "weight_gradient_by_rule",
    "weight_gradient_pairs",
    "window_origin",
]


def _two_maps(a, b, a_name="delta", b_name="w"):
    """Two non-empty 2-D float64 maps (a delta map and a kernel, say)."""
    a, b = as_float_array(a, a_name), as_float_array(b, b_name)
    for arr, name in ((a, a_name), (b, b_name)):
        check_ndim(arr, 2, name, "(rows, columns)")
        if 0 in arr.shape:
            raise ValueError(f"{name}: expected a non-empty 2-D map, got shape "
                             f"{arr.shape}")
    return a, b


# ---- Chapter 1: the numbers behind one delta of an MLP -------------------------------


def delta_terms(net: MLP, x, y, l: int, j: int) -> dict:
    """The numbers behind ``delta^l_j``, as the book writes them.

    Parameters
    ----------
    net : MLP
    x : array_like, shape (n_0,)
    y : array_like, shape (n_L,)
    l : int
        A layer, 1..L.
    j : int
        A neuron of layer ``l``, 0..n_l-1.

    Returns
    -------
    dict
        ``rule`` ("BP1" or "BP2"); ``sigma_prime`` = sigma'(z^l_j); ``delta``;
        for BP2 ``weights`` (w^{l+1}_{kj} for k = 0..n_{l+1}-1), ``next_deltas``
        (delta^{l+1}_k) and ``products`` (their products); for BP1 ``a`` and
        ``y`` (a^L_j and y_j, so grad_a C = a - y for the quadratic cost).
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected a cnnlib.MLP, got {type(net).__name__}")
    L = net.L
    l = as_int(l, "l", 1, L)
    j = as_int(j, "j", 0, net.sizes[l] - 1)
    bp = net.backprop(x, y)
    sp = float(sigmoid_prime(bp.zs[l][j]))
    out = {"l": l, "j": j, "sigma_prime": sp, "delta": float(bp.deltas[l][j])}
    if l == L:
        out.update(rule="BP1", a=float(bp.activations[L][j]), y=float(np.asarray(y)[j]))
    else:
        w = net.weights[l + 1][:, j]
        d = bp.deltas[l + 1]
        out.update(rule="BP2", weights=w.copy(), next_deltas=d.copy(), products=w * d)
    return out


# ---- Chapter 2: from a dense layer to a shared kernel --------------------------------


#: The three stages of the chapter, in order.
STAGES = ("dense", "local", "shared")


def valid_output_shape(in_hw, k_hw):
    """(OH, OW) = (H - KH + 1, W - KW + 1): the valid output of a stride-1
    layer; ``ValueError`` naming ``k_hw`` when the kernel does not fit."""
    (h, w), (kh, kw) = as_pair(in_hw, "in_hw", 1), as_pair(k_hw, "k_hw", 1)
    if not (kh <= h and kw <= w):
        raise ValueError(f"k_hw: kernel {tuple(k_hw)} must fit in the image "
                         f"in_hw {tuple(in_hw)}")
    return h - kh + 1, w - kw + 1


def kernel_index_matrix(in_hw=(4, 4), k_hw=(2, 2)) -> np.ndarray:
    """Which kernel entry each weight of the shared layer is.

    Returns an int array of shape (OH*OW, H*W), with OH = H-KH+1, OW = W-KW+1
    (valid mode, stride 1): entry ``[r, c]`` is ``i * KW + j`` when row
    ``r = x OW + y`` (output z[x, y]) reads column ``c = (x+i) W + (y+j)``
    (input a[x+i, y+j]) through kernel entry w[i, j], for i = 0..KH-1,
    j = 0..KW-1; and -1 where the connection is cut.
    """
    oh, ow = valid_output_shape(in_hw, k_hw)
    (h, w), (kh, kw) = as_pair(in_hw, "in_hw", 1), as_pair(k_hw, "k_hw", 1)
    idx = -np.ones((oh * ow, h * w), dtype=int)
    for x in range(oh):
        for y in range(ow):
            for i in range(kh):
                for j in range(kw):
                    idx[x * ow + y, (x + i) * w + (y + j)] = i * kw + j
    return idx


def stage_matrix(stage: str, kernel, in_hw=(4, 4), seed: int = 0) -> np.ndarray:
    """The weight matrix of one stage, shape (OH*OW, H*W).

    ``"dense"``: every entry a weight of its own (standard normal, rounded to
    one decimal, from ``np.random.default_rng(seed)``); ``"local"``: the same
    random weights, but only where :func:`kernel_index_matrix` is not -1;
    ``"shared"``: the kernel itself, ``conv2d_as_dense(kernel[None, None],
    (1, H, W))``, so ``M @ a.ravel()`` is the valid cross-correlation
    corr_valid(a, w) of the image with the kernel w = ``kernel``.
    """
    check_choice(stage, "stage", STAGES)
    kernel = as_float_array(kernel, "kernel")
    check_ndim(kernel, 2, "kernel", "(KH, KW)")
    in_hw = as_pair(in_hw, "in_hw", 1)
    as_int(seed, "seed", 0)
    idx = kernel_index_matrix(in_hw, kernel.shape)
    if stage == "shared":
        return conv2d_as_dense(kernel[None, None], (1, *in_hw))
    rng = np.random.default_rng(seed)
    dense = np.round(rng.standard_normal(idx.shape), 1)
    dense[dense == 0] = 0.1  # a dense weight is never zero
    return dense if stage == "dense" else np.where(idx >= 0, dense, 0.0)


# ---- Chapter 3: where the window of an output sits -----------------------------------


_OPS = ("correlate", "convolve")




def check_op_mode(op, mode):
    """``ValueError`` unless ``op`` is "correlate" or "convolve" and ``mode`` one
    of "valid", "same", "full"."""
    check_choice(op, "op", _OPS)
    check_choice(mode, "mode", MODES)


def mode_padding(k_len: int, mode: str, op: str = "correlate") -> tuple[int, int]:
    """Zeros added (before, after) along one axis of length-``k_len`` kernel.

    "valid" adds none and "full" adds ``k_len - 1`` on each side. "same" adds
    ``k_len - 1`` in all, split as in :mod:`scipy.signal`: ``(k_len - 1) // 2``
    before for a cross-correlation and ``k_len // 2`` before for a convolution
    (the two differ for an even kernel).
    """
    check_op_mode(op, mode)
    k_len = as_int(k_len, "k_len", 1)
    if mode == "valid":
        return 0, 0
    if mode == "full":
        return k_len - 1, k_len - 1
    before = (k_len - 1) // 2 if op == "correlate" else k_len // 2
    return before, k_len - 1 - before


def window_origin(x: int, y: int, k_shape, mode: str, op: str = "correlate"):
    """Row and column of the input (may be negative: padding) where the window
    of output ``(x, y)`` starts: output (x, y) reads input rows
    ``r0 .. r0 + KH - 1`` and columns ``c0 .. c0 + KW - 1``."""
    x, y = as_int(x, "x"), as_int(y, "y")
    (kh, kw) = as_pair(k_shape, "k_shape", 1)
    return x - mode_padding(kh, mode, op)[0], y - mode_padding(kw, mode, op)[0]


# ---- Chapter 4: which deltas an input position feeds, through which weight -----------


def delta_sources(p: int, q: int, kernel_shape, delta_shape):
    """Who receives what from position (p, q) of layer l.

    In the forward pass z^{l+1}[x, y] = Σ_i Σ_j a^l[x+i, y+j] w[i, j], so the
    activation a^l[p, q] reaches the output (x, y) = (p − i, q − j) through
    weight w[i, j], for every (i, j) with 0 <= p − i <= OH − 1 and
    0 <= q − j <= OW − 1.

    Parameters
    ----------
    p, q : int
        Row and column in layer l, 0 <= p <= OH + KH − 2, 0 <= q <= OW + KW − 2.
    kernel_shape : (KH, KW)
    delta_shape : (OH, OW)
        Shape of the delta map of layer l+1.

    Returns
    -------
    list of (x, y, i, j)
        In the order of the kernel index (i, j), row by row.
    """
    p, q = as_int(p, "p"), as_int(q, "q")
    kh, kw = as_pair(kernel_shape, "kernel_shape", 1)
    oh, ow = as_pair(delta_shape, "delta_shape", 1)
    h, w = oh + kh - 1, ow + kw - 1
    if not (0 <= p < h and 0 <= q < w):
        raise ValueError(
            f"(p, q): expected 0 <= p < {h} and 0 <= q < {w} for a layer of shape "
            f"({h}, {w}), got ({p}, {q})"
        )
    return [(p - i, q - j, i, j) for i in range(kh) for j in range(kw)
            if 0 <= p - i < oh and 0 <= q - j < ow]


def backprop_sum(delta, w, p: int, q: int) -> float:
    """Σ over :func:`delta_sources` of δ^{l+1}[x, y] · w[i, j]: the delta of
    layer l at (p, q) before the factor σ′(z^l[p, q])."""
    delta, w = _two_maps(delta, w)
    return float(sum(delta[x, y] * w[i, j]
                     for x, y, i, j in delta_sources(p, q, w.shape, delta.shape)))


def full_correlate_rot180(delta, w) -> np.ndarray:
    """Slide rot180(w) over δ padded with KH−1 and KW−1 zeros, as in (ch4-bp-corr).

    ``out[p, q] = Σ_{u=0}^{KH-1} Σ_{v=0}^{KW-1} D[p+u, q+v] · w[KH-1-u, KW-1-v]``
    where D is the padded delta map; p runs over 0..OH+KH−2, q over 0..OW+KW−2.
    """
    delta, w = _two_maps(delta, w)
    kh, kw = w.shape
    padded = np.pad(delta, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    r = w[::-1, ::-1]
    out = np.zeros((delta.shape[0] + kh - 1, delta.shape[1] + kw - 1))
    for p in range(out.shape[0]):
        for q in range(out.shape[1]):
            out[p, q] = np.sum(padded[p:p + kh, q:q + kw] * r)
    return out


def dense_weight_labels(kernel_shape=(2, 2), in_shape=(3, 3)) -> np.ndarray:
    """Which weight sits in each entry of the layer's dense matrix M.

    Returns an array of str of shape (OH·OW, H·W): ``"w{i}{j}"`` where
    ``M[r, s]`` holds w[i, j] (row r = output x·OW + y, column s = input
    p·W + q), and ``""`` where M is zero. Built from
    :func:`cnnlib.conv2d_as_dense` with one unit kernel per weight.
    """
    kh, kw = as_pair(kernel_shape, "kernel_shape", 1)
    h, w = as_pair(in_shape, "in_shape", 1)
    valid_output_shape((h, w), (kh, kw))
    labels = None
    for i in range(kh):
        for j in range(kw):
            unit = np.zeros((1, 1, kh, kw))
            unit[0, 0, i, j] = 1.0
            m = conv2d_as_dense(unit, (1, h, w))
            if labels is None:
                labels = np.full(m.shape, "", dtype=object)
            labels[m == 1.0] = f"w{i}{j}"
    return labels


# ---- Chapter 5: which products add up to one weight's gradient -----------------------


def weight_gradient_pairs(i: int, j: int, act_shape, delta_shape):
    """The (activation, delta) index pairs whose products add up to dC/dw[i, j].

    Returns
    -------
    list of ((x + i, y + j), (x, y))
        One pair per output position (x, y), x = 0..OH−1, y = 0..OW−1, row by row.
    """
    i, j = as_int(i, "i"), as_int(j, "j")
    h, w = as_pair(act_shape, "act_shape", 1)
    oh, ow = as_pair(delta_shape, "delta_shape", 1)
    kh, kw = h - oh + 1, w - ow + 1
    if kh < 1 or kw < 1:
        raise ValueError(
            f"delta_shape: expected at most act_shape = {tuple(act_shape)}, got "
            f"{tuple(delta_shape)}"
        )
    if not (0 <= i < kh and 0 <= j < kw):
        raise ValueError(
            f"(i, j): expected 0 <= i < {kh} and 0 <= j < {kw} for a kernel of "
            f"shape ({kh}, {kw}), got ({i}, {j})"
        )
    return [((x + i, y + j), (x, y)) for x in range(oh) for y in range(ow)]


def weight_gradient(act, delta) -> np.ndarray:
    """dC/dw for one channel, by the loops of (ch5-dw): shape (H−OH+1, W−OW+1)."""
    act, delta = _two_maps(act, delta, "act", "delta")
    kh, kw = act.shape[0] - delta.shape[0] + 1, act.shape[1] - delta.shape[1] + 1
    out = np.zeros((kh, kw))
    for i in range(kh):
        for j in range(kw):
            out[i, j] = sum(act[p] * delta[d] for p, d in
                            weight_gradient_pairs(i, j, act.shape, delta.shape))
    return out


# ---- Chapters 7 and 8: stride, padding, dilation and channels, rule by rule --------


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
    if 0 in delta.shape[-2:]:
        raise ValueError(f"delta: expected non-empty (OH, OW), got shape {delta.shape}")
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
    if w.ndim < 2 or 0 in w.shape[-2:]:
        raise ValueError(f"w: expected at least 2 dims (..., KH, KW), non-empty, got "
                         f"shape {w.shape}")
    return insert_zeros(w, as_pair(dilation, "dilation", 1))


def _one_axis(size, kernel, stride, padding, dilation):
    """The five integers of one axis of a layer, checked; the kernel must fit."""
    size, kernel = as_int(size, "size", 1), as_int(kernel, "kernel", 1)
    s, p, d = (as_int(stride, "stride", 1), as_int(padding, "padding", 0),
               as_int(dilation, "dilation", 1))
    conv_geometry((size, 1), (kernel, 1), (s, 1), (p, 0), (d, 1), kernel_name="kernel")
    return size, kernel, s, p, d


def leftover(size, kernel, stride=1, padding=0, dilation=1):
    """Rows of the padded input past the last window: ``(H + 2P - d (K-1) - 1) mod s``.

    This is rho of (ch7-one-channel) (the ``(H - K) mod s`` of (ch7-stride)
    when P = 0 and d = 1): the full convolution of the zero-inserted
    deltas ends ``rho`` rows short of the padded input, and ``rho`` zero rows
    are appended. With padding, these rows may be padding rows (then cropped).
    They are not the only rows no window reads: when the taps are sparser
    than the stride (``K < s``, or a dilation ``d > 1`` together with a stride
    ``s > 1``), rows between windows are unread as well, and the full
    convolution already gives them 0. :func:`unread` lists them all.
    All five are integers along one axis; the kernel must fit the padded input.
    """
    size, kernel, stride, padding, dilation = _one_axis(size, kernel, stride,
                                                        padding, dilation)
    return (size + 2 * padding - dilation * (kernel - 1) - 1) % stride


def unread(size, kernel, stride=1, padding=0, dilation=1):
    """The input rows (0-based, padding excluded) that no window reads.

    Along one axis the layer reads padded row ``s x + d i`` for outputs
    ``x = 0, ..., O - 1`` and taps ``i = 0, ..., K - 1``; input row ``r`` is
    padded row ``r + p``. A row that no pair ``(x, i)`` reaches gets gradient 0.

    Returns
    -------
    list of int
        Increasing, in ``0, ..., size - 1``.
    """
    size, kernel, stride, padding, dilation = _one_axis(size, kernel, stride,
                                                        padding, dilation)
    out = (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    read = {stride * x + dilation * i - padding
            for x in range(out) for i in range(kernel)}
    return [r for r in range(size) if r not in read]


def _check_rule_args(delta, w, x_shape, stride, padding, dilation):
    delta = as_float_array(delta, "delta")
    w = as_float_array(w, "w")
    check_ndim(delta, 4, "delta", "(N, F, OH, OW)")
    check_ndim(w, 4, "w", "(F, C, KH, KW)")
    x_shape = as_shape(x_shape, "x_shape", 4, "(N, C, H, W)")
    check_batch(delta, "delta")
    if delta.shape[0] != x_shape[0]:
        raise ValueError(
            f"delta: expected the batch size N = {x_shape[0]} of the input "
            f"(x_shape {x_shape}), got delta shape {delta.shape}")
    if delta.shape[1] != w.shape[0] or x_shape[1] != w.shape[1]:
        raise ValueError(
            f"delta, w, x_shape: channels do not match (delta shape {delta.shape}, "
            f"w shape {w.shape}, x_shape {tuple(x_shape)})")
    if 0 in w.shape:
        raise ValueError(f"w: expected non-empty axes, got shape {w.shape}")
    s, p, d, out_hw = conv_geometry(x_shape[2:], w.shape[2:], stride, padding,
                                    dilation, kernel_name="w",
                                    where=f"; x_shape {x_shape}")
    if delta.shape[2:] != out_hw:
        raise ValueError(
            f"delta: expected spatial shape {out_hw} for x_shape {tuple(x_shape)} "
            f"and w shape {w.shape}, got delta shape {delta.shape}")
    return delta, w, s, p, d


def input_gradient_by_rule(delta, w, x_shape, stride=1, padding=0,
                           dilation=1):
    """dC/da of a conv layer by the rule of chapter 8, eq. (ch7-general).

    Insert zeros into the deltas (stride), fully convolve each with the
    dilated kernel ``w[f, c]`` and add over the filters ``f`` (channels),
    append the ``rho`` rows that no window read, and drop the ``P`` rows
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
    delta, w, s, p, d = _check_rule_args(delta, w, x_shape, stride, padding, dilation)
    x_shape = as_shape(x_shape, "x_shape", 4, "(N, C, H, W)")
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
    """dC/dw of a conv layer by the rule of chapter 8, eq. (ch7-general).

    ``dw[f, c] = sum_n (a_P[n, c] valid-correlated with D[n, f])`` sampled
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
    check_batch(x, "x")
    kh, kw = as_pair(kernel_shape, "kernel_shape", 1)
    delta = as_float_array(delta, "delta")
    check_ndim(delta, 4, "delta", "(N, F, OH, OW)")
    f, c = delta.shape[1], x.shape[1]
    delta, _, s, p, d = _check_rule_args(delta, np.zeros((f, c, kh, kw)), x.shape,
                               stride, padding, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))  # a_P
    big_d = insert_zeros(delta, s)                        # stride
    dw = np.zeros((f, c, kh, kw))
    for i_f in range(f):
        for i_c in range(c):
            valid = sum(correlate2d(xp[i_n, i_c], big_d[i_n, i_f], "valid")
                        for i_n in range(x.shape[0]))   # add over n
            dw[i_f, i_c] = valid[::d[0], ::d[1]][:kh, :kw]  # the holes
    return dw


# ---- Chapter 7: the strided input gradient, one delta at a time --------------------


def scatter_partial_sums(delta, w, in_shape, stride, upto):
    """dC/da of a strided valid layer from the first ``upto`` deltas only.

    The deltas are taken in reading order, delta[0, 0], delta[0, 1], ...; each
    one adds ``delta[x, y] * w[i, j]`` to position ``(s x + i, s y + j)`` for
    i = 0..KH-1, j = 0..KW-1. With ``upto = OH * OW`` the result is the whole
    input gradient, ``conv2d_backward``'s ``dx``.

    Parameters
    ----------
    delta : array_like, shape (OH, OW)
    w : array_like, shape (KH, KW)
    in_shape : (H, W)
        With OH = (H - KH) // s + 1 and OW = (W - KW) // s + 1.
    stride : int
    upto : int
        0..OH*OW.

    Returns
    -------
    sums : numpy.ndarray, shape (H, W)
    touched : numpy.ndarray of bool, shape (H, W)
        Positions some of the first ``upto`` windows read.
    """
    delta, w = _two_maps(delta, w)
    oh, ow = delta.shape
    kh, kw = w.shape
    h, wd = as_pair(in_shape, "in_shape", 1)
    s = as_int(stride, "stride", 1)
    upto = as_int(upto, "upto")
    if (h - kh) // s + 1 != oh or (wd - kw) // s + 1 != ow:
        raise ValueError(
            f"delta: expected shape {((h - kh) // s + 1, (wd - kw) // s + 1)} for "
            f"in_shape {tuple(in_shape)}, kernel {w.shape}, stride {s}; got "
            f"{delta.shape}")
    if not 0 <= upto <= oh * ow:
        raise ValueError(f"upto: expected 0..{oh * ow}, got {upto}")
    sums = np.zeros((h, wd))
    touched = np.zeros((h, wd), dtype=bool)
    for k in range(upto):
        x, y = divmod(k, ow)
        sums[s * x:s * x + kh, s * y:s * y + kw] += delta[x, y] * w
        touched[s * x:s * x + kh, s * y:s * y + kw] = True
    return sums, touched


# ---- Chapter 7: the explorer, one output's window and one input's routes -----------

__all__ += [  # extended here, so that this section merges on its own
    "input_routes",
    "read_mask",
    "rotated_kernel_view",
    "window_taps",
]


def _explorer_geometry(in_shape, kernel_shape, stride, padding, dilation):
    """Checked ``(H, W), (KH, KW), (OH, OW), s, p, d`` of a one-channel layer."""
    hw = as_pair(in_shape, "in_shape", 1)
    k = as_pair(kernel_shape, "kernel_shape", 1)
    s, p, d, out = conv_geometry(hw, k, stride, padding, dilation,
                                 kernel_name="kernel_shape")  # raises when none fits
    return hw, k, out, s, p, d


def _check_cell(names, cell, shape, what):
    """Each index of ``cell`` an integer in range; an error names its argument."""
    for name, index in zip(names, cell, strict=True):
        as_int(index, name)
    for name, index, size in zip(names, cell, shape, strict=True):
        if not 0 <= index < size:
            raise ValueError(
                f"{name}: expected a cell ({', '.join(names)}) of the "
                f"{shape[0]}x{shape[1]} {what}, 0..{shape[0] - 1} and "
                f"0..{shape[1] - 1}; got ({cell[0]}, {cell[1]})")


def window_taps(x: int, y: int, in_shape, kernel_shape, stride=1, padding=0,
                dilation=1):
    """The cells that output (x, y) reads, and the weight each one meets.

    One channel of eq. (ch7-forward)::

        z[x, y] = sum_{i=0}^{KH-1} sum_{j=0}^{KW-1} a_P[s1 x + d1 i, s2 y + d2 j] w[i, j]

    where ``a_P[R, T] = a[R - P1, T - P2]`` inside the input and 0 in the padding
    (padding (P1, P2), stride (s1, s2), dilation (d1, d2)); (x, y) is a position
    of the output, layer l+1, and (p, q) one of the input, layer l.

    Parameters
    ----------
    x, y : int
        The output cell, 0 <= x < OH and 0 <= y < OW.
    in_shape : (H, W)
    kernel_shape : (KH, KW)
    stride, padding, dilation : int or (int, int)
        As in PyTorch.

    Returns
    -------
    list of (i, j, p, q)
        In the kernel's reading order: weight w[i, j] meets a[p, q] with
        ``p = s1 x + d1 i - P1`` and ``q = s2 y + d2 j - P2``. When p is outside
        0..H-1 or q outside 0..W-1 the tap reads the padding, a zero.
    """
    _, (kh, kw), out, s, p, d = _explorer_geometry(in_shape, kernel_shape, stride,
                                                   padding, dilation)
    _check_cell(("x", "y"), (x, y), out, "output")
    return [(i, j, s[0] * x + d[0] * i - p[0], s[1] * y + d[1] * j - p[1])
            for i in range(kh) for j in range(kw)]


def input_routes(p: int, q: int, in_shape, kernel_shape, stride=1, padding=0,
                 dilation=1):
    """Every output that a[p, q] feeds, and the weight on the way.

    By eq. (ch7-connection), w[i, j] carries a[p, q] (layer l) to z[x, y]
    (layer l+1) exactly when ``p + P1 = s1 x + d1 i`` and ``q + P2 = s2 y + d2 j``
    with 0 <= x < OH, 0 <= y < OW, 0 <= i < KH and 0 <= j < KW, so that::

        dC/da[p, q] = sum over the routes (x, y, i, j) of delta[x, y] w[i, j].

    Parameters
    ----------
    p, q : int
        The input cell, 0 <= p < H and 0 <= q < W.
    in_shape, kernel_shape, stride, padding, dilation
        As in :func:`window_taps`.

    Returns
    -------
    list of (x, y, i, j)
        In the kernel's reading order. Empty when no window reads a[p, q]: its
        gradient is then 0.
    """
    hw, (kh, kw), (oh, ow), s, pad, d = _explorer_geometry(
        in_shape, kernel_shape, stride, padding, dilation)
    _check_cell(("p", "q"), (p, q), hw, "input")
    routes = []
    for i in range(kh):
        x, rest = divmod(p + pad[0] - d[0] * i, s[0])
        if rest or not 0 <= x < oh:
            continue
        for j in range(kw):
            y, rest = divmod(q + pad[1] - d[1] * j, s[1])
            if not rest and 0 <= y < ow:
                routes.append((x, y, i, j))
    return routes


def read_mask(in_shape, kernel_shape, stride=1, padding=0, dilation=1):
    """Which input cells some window reads: ``mask[p, q]`` is True when
    :func:`input_routes` of (p, q) is not empty.

    Returns
    -------
    numpy.ndarray of bool, shape (H, W)
        False at the cells that no window reads: the ``rho`` rows past the last
        window (eq. ch7-one-channel), and, with a stride ``s > 1``, rows in the
        gaps between the taps, which can occur when ``K < s`` or the kernel is
        dilated (``d > 1``). Their gradient is 0.
    """
    hw, _, _, _, _, _ = _explorer_geometry(in_shape, kernel_shape, stride, padding,
                                           dilation)
    return np.array([[bool(input_routes(p, q, in_shape, kernel_shape, stride,
                                        padding, dilation))
                      for q in range(hw[1])] for p in range(hw[0])], dtype=bool)


def rotated_kernel_view(delta, in_shape, kernel_shape, stride=1, padding=0,
                        dilation=1):
    """The grid G that rot180 of the dilated kernel slides over to give dC/da.

    Eq. (ch7-general) for one channel, written as one valid correlation::

        dC/da[p, q] = sum_{u=0}^{d1 (KH-1)} sum_{v=0}^{d2 (KW-1)}
                      G[p + u, q + v] rot180(w_d)[u, v],

    for p = 0..H-1, q = 0..W-1, with ``G[o1 + s1 x, o2 + s2 y] = delta[x, y]``
    (offset ``o = d (K - 1) - P`` for padding P) and G zero elsewhere: the deltas
    with ``s - 1`` zeros between them, padded for the full correlation, and the
    ``P`` rows of padding already cropped. A delta that would fall outside G (an
    output whose window holds padding only) reaches no input.

    Parameters
    ----------
    delta : array_like, shape (OH, OW)
    in_shape, kernel_shape, stride, padding, dilation
        As in :func:`window_taps`.

    Returns
    -------
    G : numpy.ndarray, shape (H + d1 (KH-1), W + d2 (KW-1))
    where : numpy.ndarray of int, same shape
        ``x * OW + y`` in the cell that holds delta[x, y], -1 in the zeros.
    """
    delta = as_float_array(delta, "delta")
    hw, k, out, s, p, d = _explorer_geometry(in_shape, kernel_shape, stride,
                                             padding, dilation)
    if delta.shape != out:
        raise ValueError(f"delta: expected shape {out} for in_shape {hw}, kernel "
                         f"{k}, stride {s}, padding {p}, dilation {d}; got "
                         f"{delta.shape}")
    span = (d[0] * (k[0] - 1), d[1] * (k[1] - 1))
    shape = (hw[0] + span[0], hw[1] + span[1])
    grid = np.zeros(shape)
    where = np.full(shape, -1, dtype=int)
    for x in range(out[0]):
        for y in range(out[1]):
            u = span[0] - p[0] + s[0] * x
            v = span[1] - p[1] + s[1] * y
            if 0 <= u < shape[0] and 0 <= v < shape[1]:
                grid[u, v] = delta[x, y]
                where[u, v] = x * out[1] + y
    return grid, where
