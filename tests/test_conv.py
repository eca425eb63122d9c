"""Properties of cnnlib.conv: gradients, naive == vectorised, SciPy, adjoints."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from cnnlib import (
    Conv2dCache,
    conv2d_as_dense,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    conv2d_output_shape,
    conv_transpose2d,
    convolve2d,
    correlate2d,
    numerical_gradient,
    relative_error,
    rot180,
)

# Non-square everything: H != W, KH != KW, and asymmetric stride/padding/dilation,
# so that a transposed index, a missing flip or a padding offset cannot cancel out.
LAYER_CONFIGS = [
    # (N, C, H, W), (F, KH, KW), stride, padding, dilation
    ((2, 3, 7, 6), (4, 3, 2), 1, 0, 1),
    ((1, 2, 8, 9), (3, 2, 3), 2, 1, 1),
    ((2, 2, 9, 7), (2, 3, 2), (2, 1), (1, 2), 1),
    ((1, 3, 9, 10), (2, 2, 3), 1, 0, (2, 3)),
    ((2, 1, 11, 8), (3, 3, 3), (3, 2), (2, 0), (2, 1)),
    ((1, 2, 5, 4), (2, 5, 4), 1, 0, 1),  # kernel as large as the input
]
TOL = 1e-7


def _layer(rng, xshape, fk, bias=True):
    n, c, h, w = xshape
    f, kh, kw = fk
    x = rng.normal(size=(n, c, h, w))
    wt = rng.normal(size=(f, c, kh, kw))
    b = rng.normal(size=f) if bias else None
    return x, wt, b


# --------------------------------------------------------------------------------------
# Finite differences with a random upstream gradient
# --------------------------------------------------------------------------------------


NAIVE_CONFIGS = [
    ((1, 2, 5, 4), (2, 3, 2), 1, 0, 1),
    ((1, 2, 6, 5), (2, 2, 3), (2, 1), (1, 2), (1, 2)),
]
#: (forward, backward, seed, config): the vectorised pair on every layer
#: configuration, the (slow) naive loops on two.
BACKWARD_CASES = (
    [(conv2d_forward, conv2d_backward, 0, c) for c in LAYER_CONFIGS]
    + [(conv2d_forward_naive, conv2d_backward_naive, 1, c) for c in NAIVE_CONFIGS])


@pytest.mark.parametrize("forward, backward, seed, config", BACKWARD_CASES)
def test_conv2d_backward_matches_finite_differences(forward, backward, seed, config):
    xshape, fk, stride, padding, dilation = config
    rng = np.random.default_rng(seed)
    x, w, b = _layer(rng, xshape, fk)
    y, cache = forward(x, w, b, stride, padding, dilation)
    dy = rng.normal(size=y.shape)  # random, never ones: ones hide transpositions
    dx, dw, db = backward(dy, cache)

    def loss(x_, w_, b_):
        return np.sum(forward(x_, w_, b_, stride, padding, dilation)[0] * dy)

    assert relative_error(dx, numerical_gradient(lambda v: loss(v, w, b), x)) < TOL
    assert relative_error(dw, numerical_gradient(lambda v: loss(x, v, b), w)) < TOL
    assert relative_error(db, numerical_gradient(lambda v: loss(x, w, v), b)) < TOL


def test_conv2d_without_bias_returns_db_none_and_matches_zero_bias():
    rng = np.random.default_rng(2)
    x, w, b = _layer(rng, (2, 2, 6, 5), (3, 2, 3))
    y0, cache0 = conv2d_forward(x, w)
    y1, cache1 = conv2d_forward(x, w, np.zeros(3))
    np.testing.assert_array_equal(y0, y1)
    dy = rng.normal(size=y0.shape)
    dx0, dw0, db0 = conv2d_backward(dy, cache0)
    dx1, dw1, _ = conv2d_backward(dy, cache1)
    assert db0 is None
    assert conv2d_backward_naive(dy, conv2d_forward_naive(x, w)[1])[2] is None
    np.testing.assert_allclose(dx0, dx1)
    np.testing.assert_allclose(dw0, dw1)


def test_conv2d_bias_gradient_is_sum_of_deltas_over_batch_and_positions():
    rng = np.random.default_rng(3)
    x, w, b = _layer(rng, (3, 2, 6, 7), (4, 2, 3))
    y, cache = conv2d_forward(x, w, b, stride=2, padding=1)
    dy = rng.normal(size=y.shape)
    np.testing.assert_allclose(conv2d_backward(dy, cache)[2], dy.sum(axis=(0, 2, 3)))


# --------------------------------------------------------------------------------------
# Naive == vectorised
# --------------------------------------------------------------------------------------


@st.composite
def conv_problems(draw):
    n = draw(st.integers(1, 2))
    c = draw(st.integers(1, 3))
    f = draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    d = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    span = (d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1)
    h = draw(st.integers(max(1, span[0] - 2 * p[0]), 9))
    w = draw(st.integers(max(1, span[1] - 2 * p[1]), 9))
    bias = draw(st.booleans())
    seed = draw(st.integers(0, 2**16))
    return (n, c, h, w), (f, kh, kw), s, p, d, bias, seed


@settings(max_examples=40, deadline=None)
@given(conv_problems())
def test_conv2d_naive_and_vectorised_agree_forward_and_backward(problem):
    xshape, fk, s, p, d, bias, seed = problem
    rng = np.random.default_rng(seed)
    x, w, b = _layer(rng, xshape, fk, bias)
    y, cache = conv2d_forward(x, w, b, s, p, d)
    yn, cache_n = conv2d_forward_naive(x, w, b, s, p, d)
    np.testing.assert_allclose(y, yn, rtol=1e-12, atol=1e-12)
    assert y.shape[2:] == conv2d_output_shape(xshape[2:], fk[1:], s, p, d)
    dy = rng.normal(size=y.shape)
    fast = conv2d_backward(dy, cache)
    slow = conv2d_backward_naive(dy, cache_n)
    for g_fast, g_slow in zip(fast, slow, strict=True):
        if g_slow is None:
            assert g_fast is None
        else:
            np.testing.assert_allclose(g_fast, g_slow, rtol=1e-12, atol=1e-12)


def test_backward_accepts_a_cache_from_either_forward():
    rng = np.random.default_rng(4)
    x, w, b = _layer(rng, (2, 2, 7, 5), (3, 3, 2))
    y, cache_fast = conv2d_forward(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2))
    _, cache_naive = conv2d_forward_naive(x, w, b, stride=(2, 1), padding=1,
                                          dilation=(1, 2))
    assert isinstance(cache_fast, Conv2dCache) and isinstance(cache_naive, Conv2dCache)
    dy = rng.normal(size=y.shape)
    for g1, g2 in zip(conv2d_backward(dy, cache_naive),
                      conv2d_backward_naive(dy, cache_fast), strict=True):
        np.testing.assert_allclose(g1, g2, rtol=1e-12, atol=1e-12)


def test_naive_forward_is_the_equation_at_one_position():
    rng = np.random.default_rng(5)
    x, w, b = _layer(rng, (1, 2, 9, 8), (2, 2, 3))
    s, p, d = (2, 1), (1, 2), (2, 1)
    z, _ = conv2d_forward_naive(x, w, b, s, p, d)
    xpad = np.pad(x, ((0, 0), (0, 0), (1, 1), (2, 2)))
    n, f, xo, yo = 0, 1, 2, 3
    expected = b[f] + sum(
        xpad[n, c, xo * s[0] + i * d[0], yo * s[1] + j * d[1]] * w[f, c, i, j]
        for c in range(2)
        for i in range(2)
        for j in range(3)
    )
    assert z[n, f, xo, yo] == pytest.approx(expected, rel=1e-14)


# --------------------------------------------------------------------------------------
# Output shape
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hw, khw, s, p, d, expected",
    [
        ((5, 5), (3, 3), 1, 0, 1, (3, 3)),
        ((28, 28), (3, 3), 1, 1, 1, (28, 28)),
        ((7, 6), (3, 2), 2, 1, 1, (4, 4)),  # (7+2-3)//2+1, (6+2-2)//2+1
        ((9, 10), (2, 3), 1, 0, (2, 3), (7, 4)),  # spans 3 and 7: 9-3+1, 10-7+1
        ((11, 8), (3, 3), (3, 2), (2, 0), (2, 1), (4, 3)),
    ],
)
def test_output_shape_formula(hw, khw, s, p, d, expected):
    assert conv2d_output_shape(hw, khw, s, p, d) == expected
    y, _ = conv2d_forward(np.zeros((1, 1, *hw)), np.zeros((1, 1, *khw)),
                          stride=s, padding=p, dilation=d)
    assert y.shape == (1, 1, *expected)


# --------------------------------------------------------------------------------------
# Single channel: SciPy, rotation, and the book's two conventions
# --------------------------------------------------------------------------------------

SHAPES_2D = [((5, 7), (2, 3)), ((6, 4), (3, 3)), ((4, 4), (4, 1)), ((7, 5), (1, 2)),
             ((3, 8), (2, 4)), ((6, 6), (4, 4))]


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("a_shape, k_shape", SHAPES_2D)
def test_correlate2d_and_convolve2d_equal_scipy(mode, a_shape, k_shape):
    rng = np.random.default_rng(6)
    a, k = rng.normal(size=a_shape), rng.normal(size=k_shape)
    np.testing.assert_allclose(correlate2d(a, k, mode), signal.correlate2d(a, k, mode),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(convolve2d(a, k, mode), signal.convolve2d(a, k, mode),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", ["same", "full"])
def test_same_and_full_modes_accept_kernels_larger_than_input_like_scipy(mode):
    rng = np.random.default_rng(7)
    a, k = rng.normal(size=(3, 2)), rng.normal(size=(4, 5))
    np.testing.assert_allclose(correlate2d(a, k, mode), signal.correlate2d(a, k, mode))
    np.testing.assert_allclose(convolve2d(a, k, mode), signal.convolve2d(a, k, mode))


@pytest.mark.parametrize("mode", ["valid", "full"])
@pytest.mark.parametrize("a_shape, k_shape", SHAPES_2D)
def test_convolution_is_correlation_with_rotated_kernel(mode, a_shape, k_shape):
    rng = np.random.default_rng(8)
    a, k = rng.normal(size=a_shape), rng.normal(size=k_shape)
    np.testing.assert_allclose(convolve2d(a, k, mode), correlate2d(a, rot180(k), mode),
                               rtol=1e-12, atol=1e-12)


def test_same_mode_rotation_identity_holds_for_odd_kernels_only():
    rng = np.random.default_rng(9)
    a = rng.normal(size=(6, 7))
    odd, even = rng.normal(size=(3, 5)), rng.normal(size=(2, 4))
    np.testing.assert_allclose(convolve2d(a, odd, "same"),
                               correlate2d(a, rot180(odd), "same"), atol=1e-12)
    # SciPy centres "same" differently for the two operations when a size is even.
    assert not np.allclose(convolve2d(a, even, "same"),
                           correlate2d(a, rot180(even), "same"))


def test_correlate2d_valid_is_the_books_sum():
    a = np.arange(20.0).reshape(4, 5)
    k = np.array([[1.0, 2.0], [3.0, 5.0], [7.0, 11.0]])
    out = correlate2d(a, k)
    assert out.shape == (2, 4)
    for x in range(2):
        for y in range(4):
            assert out[x, y] == sum(a[x + i, y + j] * k[i, j]
                                    for i in range(3) for j in range(2))


def test_rot180_flips_last_two_axes_of_any_ndim():
    k = np.arange(24.0).reshape(2, 3, 4)
    r = rot180(k)
    assert r.shape == k.shape
    for i in range(3):
        for j in range(4):
            np.testing.assert_array_equal(r[:, i, j], k[:, 2 - i, 3 - j])
    np.testing.assert_array_equal(rot180(rot180(k)), k)
    np.testing.assert_array_equal(rot180(np.eye(2)[None, None]),
                                  np.eye(2)[::-1, ::-1][None, None])


def test_delta_is_full_correlation_with_rotated_kernel():
    """With a cross-correlation forward,
    δ^{l-1} = full_correlate(δ, rot180 w) = full_convolve(δ, w) (before σ′)."""
    rng = np.random.default_rng(10)
    x, w, _ = _layer(rng, (1, 2, 6, 7), (3, 3, 2))
    y, cache = conv2d_forward(x, w)
    delta = rng.normal(size=y.shape)
    dx, dw, _ = conv2d_backward(delta, cache)
    for c in range(2):
        by_rotation = sum(correlate2d(delta[0, f], rot180(w[f, c]), "full")
                          for f in range(3))
        by_convolution = sum(convolve2d(delta[0, f], w[f, c], "full") for f in range(3))
        np.testing.assert_allclose(dx[0, c], by_rotation, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(dx[0, c], by_convolution, rtol=1e-12, atol=1e-12)
        # Plain full correlation without the rotation is wrong for a random kernel.
        unrotated = sum(correlate2d(delta[0, f], w[f, c], "full") for f in range(3))
        assert not np.allclose(dx[0, c], unrotated)


def test_weight_gradient_is_valid_correlation_of_input_with_delta():
    """∂C/∂w[f, c] = sum_n a[n, c] ⋆ δ[n, f] (valid)."""
    rng = np.random.default_rng(11)
    x, w, b = _layer(rng, (2, 2, 7, 6), (3, 3, 2))
    y, cache = conv2d_forward(x, w, b)
    delta = rng.normal(size=y.shape)
    _, dw, _ = conv2d_backward(delta, cache)
    for f in range(3):
        for c in range(2):
            expected = sum(correlate2d(x[n, c], delta[n, f]) for n in range(2))
            np.testing.assert_allclose(dw[f, c], expected, rtol=1e-12, atol=1e-12)


def test_seed_convention_true_convolution_forward_gives_rotated_kernel_backward():
    """If z = a ∗ w (true convolution), then δ^{l-1} = full_correlate(δ, w)
    = full_convolve(δ, rot180 w): the seed article's formula."""
    rng = np.random.default_rng(12)
    a, w = rng.normal(size=(6, 5)), rng.normal(size=(3, 2))
    z = convolve2d(a, w)
    delta = rng.normal(size=z.shape)
    grad = numerical_gradient(lambda v: np.sum(convolve2d(v, w) * delta), a.copy())
    assert relative_error(grad, convolve2d(delta, rot180(w), "full")) < TOL
    assert relative_error(grad, correlate2d(delta, w, "full")) < TOL


# --------------------------------------------------------------------------------------
# Transposed convolution and adjoints
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("xshape, fk, stride, padding, dilation", LAYER_CONFIGS)
def test_adjoint_identity_conv_and_conv_transpose(xshape, fk, stride, padding,
                                                  dilation):
    """<conv(x), y> == <x, conv^T(y)> with conv^T from conv_transpose2d and backward."""
    rng = np.random.default_rng(13)
    x, w, _ = _layer(rng, xshape, fk, bias=False)
    z, cache = conv2d_forward(x, w, None, stride, padding, dilation)
    y = rng.normal(size=z.shape)
    lhs = np.vdot(z, y)
    dx, _, _ = conv2d_backward(y, cache)
    assert np.vdot(x, dx) == pytest.approx(lhs, rel=1e-12)
    # The same kernel tensor, read as (C_in=F, C_out=C, KH, KW).
    h_extra = [(xshape[2 + ax] + 2 * np.broadcast_to(padding, 2)[ax]
                - np.broadcast_to(dilation, 2)[ax] * (fk[1 + ax] - 1) - 1)
               % np.broadcast_to(stride, 2)[ax] for ax in range(2)]
    ct = conv_transpose2d(y, w, stride, padding, dilation, output_padding=tuple(h_extra))
    assert ct.shape == x.shape
    np.testing.assert_allclose(ct, dx, rtol=1e-12, atol=1e-12)
    assert np.vdot(x, ct) == pytest.approx(lhs, rel=1e-12)


def test_conv_transpose2d_matches_finite_differences():
    rng = np.random.default_rng(14)
    x = rng.normal(size=(2, 3, 4, 5))
    w = rng.normal(size=(3, 2, 3, 2))
    kw = dict(stride=(2, 3), padding=(1, 0), dilation=(1, 2), output_padding=(1, 2))
    out = conv_transpose2d(x, w, **kw)
    g = rng.normal(size=out.shape)
    # conv_transpose2d is linear in x and w: the gradient wrt x is conv2d(g, w).
    num_x = numerical_gradient(lambda v: np.sum(conv_transpose2d(v, w, **kw) * g), x)
    fwd, _ = conv2d_forward(g, w, stride=(2, 3), padding=(1, 0), dilation=(1, 2))
    assert relative_error(fwd, num_x) < TOL
    num_w = numerical_gradient(lambda v: np.sum(conv_transpose2d(x, v, **kw) * g), w)
    _, dw, _ = conv2d_backward(x, conv2d_forward(g, w, stride=(2, 3), padding=(1, 0),
                                                 dilation=(1, 2))[1])
    assert relative_error(dw, num_w) < TOL


def test_conv_transpose2d_output_size_formula():
    x = np.zeros((1, 2, 4, 5))
    w = np.zeros((2, 3, 3, 2))
    out = conv_transpose2d(x, w, stride=(2, 3), padding=(1, 0), dilation=(2, 1),
                           output_padding=(1, 0))
    # (H-1)s - 2p + d(K-1) + op + 1
    assert out.shape == (1, 3, 3 * 2 - 2 + 2 * 2 + 1 + 1, 4 * 3 - 0 + 1 * 1 + 0 + 1)


# --------------------------------------------------------------------------------------
# The dense matrix of a convolution
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("xshape, fk, stride, padding, dilation", LAYER_CONFIGS)
def test_conv2d_as_dense_multiplies_like_the_convolution(xshape, fk, stride, padding,
                                                         dilation):
    rng = np.random.default_rng(15)
    _, c, h, w_in = xshape
    x = rng.normal(size=(c, h, w_in))
    w = rng.normal(size=(fk[0], c, *fk[1:]))
    m = conv2d_as_dense(w, (c, h, w_in), stride, padding, dilation)
    z, cache = conv2d_forward(x[None], w, None, stride, padding, dilation)
    assert m.shape == (z[0].size, x.size)
    np.testing.assert_allclose(m @ x.ravel(), z[0].ravel(), rtol=1e-12, atol=1e-12)
    # Its transpose carries δ back to the input: M.T δ == dx.
    delta = rng.normal(size=z.shape)
    dx, _, _ = conv2d_backward(delta, cache)
    np.testing.assert_allclose(m.T @ delta.ravel(), dx.ravel(), rtol=1e-12, atol=1e-12)


def test_conv2d_as_dense_is_sparse_with_shared_weights():
    w = np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    m = conv2d_as_dense(w, (1, 3, 3))
    assert m.shape == (4, 9)
    assert np.count_nonzero(m) == 4 * 4  # each output sees KH*KW inputs
    for row in m:
        np.testing.assert_array_equal(np.sort(row[row != 0]), [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(m[0], [1, 2, 0, 3, 4, 0, 0, 0, 0])


# --------------------------------------------------------------------------------------
# Purity
# --------------------------------------------------------------------------------------


def test_conv_functions_do_not_mutate_inputs():
    rng = np.random.default_rng(16)
    x, w, b = _layer(rng, (2, 2, 6, 5), (3, 3, 2))
    copies = [x.copy(), w.copy(), b.copy()]
    for fwd, bwd in [(conv2d_forward, conv2d_backward),
                     (conv2d_forward_naive, conv2d_backward_naive)]:
        y, cache = fwd(x, w, b, stride=2, padding=1, dilation=1)
        dy = rng.normal(size=y.shape)
        dy_copy = dy.copy()
        bwd(dy, cache)
        np.testing.assert_array_equal(dy, dy_copy)
    conv_transpose2d(x, w.transpose(1, 0, 2, 3), stride=2)
    conv2d_as_dense(w, x.shape[1:])
    a, k = x[0, 0], w[0, 0]
    a0, k0 = a.copy(), k.copy()
    for mode in ("valid", "same", "full"):
        correlate2d(a, k, mode)
        convolve2d(a, k, mode)
    rot180(k)
    for arr, orig in zip([x, w, b], copies, strict=True):
        np.testing.assert_array_equal(arr, orig)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(k, k0)


def test_integer_inputs_are_converted_to_float64():
    x = np.arange(2 * 1 * 4 * 4).reshape(2, 1, 4, 4)
    w = np.ones((1, 1, 2, 2), dtype=int)
    y, _ = conv2d_forward(x, w)
    assert y.dtype == np.float64
    assert correlate2d([[1, 2], [3, 4]], [[1]]).dtype == np.float64


@pytest.mark.parametrize("group_bytes", [1, 3 * 6 * 36 * 8])
def test_input_gradient_is_the_same_when_taken_a_group_of_channels_at_a_time(
        monkeypatch, group_bytes):
    """The backward pass forms dcols a group of channels at a time. A budget of
    1 byte forces groups of one channel; 3 * (KH*KW=6) * (N*OH*OW=36) * 8 bytes
    forces groups of 3 channels out of 4, the last group short."""
    import cnnlib.conv

    rng = np.random.default_rng(17)
    x, w, b = _layer(rng, (2, 4, 6, 7), (3, 2, 3), bias=True)
    kw = dict(stride=(1, 2), padding=(1, 0), dilation=(2, 1))
    y, cache = conv2d_forward(x, w, b, **kw)
    assert y.shape == (2, 3, 6, 3)
    dy = rng.normal(size=y.shape)
    expected = conv2d_backward_naive(dy, cache)
    monkeypatch.setattr(cnnlib.conv, "_GROUP_BYTES", group_bytes)
    for got, want in zip(conv2d_backward(dy, cache), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv_transpose2d(dy, w, **kw), expected[0],
                               rtol=1e-12, atol=1e-12)


def test_padded_layer_delta_is_the_cropped_full_correlation():
    rng = np.random.default_rng(18)
    x, w, _ = _layer(rng, (1, 2, 6, 7), (3, 3, 2))
    y, cache = conv2d_forward(x, w, padding=(1, 2))
    delta = rng.normal(size=y.shape)
    dx, _, _ = conv2d_backward(delta, cache)
    for c in range(2):
        full = sum(correlate2d(delta[0, f], rot180(w[f, c]), "full") for f in range(3))
        np.testing.assert_allclose(dx[0, c], full[1:-1, 2:-2], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("k_shape", [(4, 5), (3, 3), (4, 1), (2, 5)])
def test_valid_mode_refuses_a_kernel_larger_than_the_input_where_scipy_swaps(k_shape):
    """cnnlib refuses what SciPy swaps (a kernel at least as large in every
    dimension: scipy gh-5897) and what SciPy refuses too (larger in one only)."""
    rng = np.random.default_rng(9)
    a, k = rng.normal(size=(3, 2)), rng.normal(size=k_shape)
    scipy_swaps = k_shape[0] >= 3 and k_shape[1] >= 2
    for ours, theirs in ((correlate2d, signal.correlate2d),
                         (convolve2d, signal.convolve2d)):
        with pytest.raises(ValueError, match="does not swap a and w"):
            ours(a, k, "valid")
        if scipy_swaps:  # what SciPy returns instead: the input slid over the kernel
            swapped = theirs(k, a, "valid")
            expected = rot180(swapped) if ours is correlate2d else swapped
            np.testing.assert_allclose(theirs(a, k, "valid"), expected)
        else:
            with pytest.raises(ValueError):
                theirs(a, k, "valid")


def test_valid_mode_with_kernel_and_input_of_one_shape_agrees_with_scipy():
    rng = np.random.default_rng(10)
    a, k = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    np.testing.assert_allclose(correlate2d(a, k), signal.correlate2d(a, k, "valid"))
    np.testing.assert_allclose(convolve2d(a, k), signal.convolve2d(a, k, "valid"))
