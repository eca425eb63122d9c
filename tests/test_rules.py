"""cnnlib.rules, the book's index counting: each rule gives the numbers of
cnnlib's verified numerics (conv2d_backward, conv2d_as_dense, MLP.backprop) for
every stride, padding and dilation, and its building blocks do what the book says."""

import itertools

import numpy as np
import pytest

from cnnlib import (
    conv2d_as_dense,
    conv2d_backward,
    conv2d_forward,
    conv_transpose2d,
    correlate2d,
    sigmoid_prime,
    tiny_example,
)
from cnnlib.rules import (
    backprop_sum,
    delta_sources,
    delta_terms,
    dilate_kernel,
    full_correlate_rot180,
    input_gradient_by_rule,
    insert_zeros,
    kernel_index_matrix,
    leftover,
    mode_padding,
    scatter_partial_sums,
    stage_matrix,
    unread,
    weight_gradient,
    weight_gradient_by_rule,
    weight_gradient_pairs,
    window_origin,
)

CASES = [c for c in itertools.product((5, 8), (2, 3), (0, 1, 2), (1, 2, 3), (1, 2))
         if c[4] * c[1] + 1 <= c[0] + 2 * c[2]]  # both kernel axes fit


@pytest.mark.parametrize(("h", "k", "p", "s", "d"), CASES)
def test_rules_equal_conv2d_backward_for_random_upstream_gradients(h, k, p, s, d):
    rng = np.random.default_rng(h * 1000 + k * 100 + p * 10 + s + d)
    x = rng.normal(size=(2, 3, h, h + 1))
    w = rng.normal(size=(4, 3, k, k + 1))
    y, cache = conv2d_forward(x, w, stride=s, padding=p, dilation=d)
    g = rng.normal(size=y.shape)
    dx, dw, _ = conv2d_backward(g, cache)
    assert np.allclose(input_gradient_by_rule(g, w, x.shape, s, p, d), dx)
    assert np.allclose(weight_gradient_by_rule(x, g, w.shape[2:], s, p, d), dw)
    rho = (leftover(h, k, s, p, d), leftover(h + 1, k + 1, s, p, d))
    assert np.allclose(conv_transpose2d(g, w, s, p, d, output_padding=rho), dx)


def test_insert_zeros_places_each_delta_at_stride_multiples():
    delta = np.arange(1.0, 7.0).reshape(2, 3)
    big = insert_zeros(delta, (2, 3))
    assert big.shape == (3, 7)
    assert np.array_equal(big[::2, ::3], delta)
    assert big.sum() == delta.sum() and np.count_nonzero(big) == 6
    assert np.array_equal(insert_zeros(delta, 1), delta)


def test_dilated_kernel_layer_equals_dilation_parameter():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(1, 2, 9, 9))
    w = rng.normal(size=(3, 2, 3, 2))
    assert dilate_kernel(w, 2).shape == (3, 2, 5, 3)
    assert np.allclose(conv2d_forward(x, w, dilation=2)[0],
                       conv2d_forward(x, dilate_kernel(w, 2))[0])


def test_rules_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="delta"):
        input_gradient_by_rule(np.zeros((1, 2, 3, 3)), np.zeros((2, 1, 3, 3)),
                               (1, 1, 6, 6))
    with pytest.raises(ValueError, match="channels"):
        input_gradient_by_rule(np.zeros((1, 2, 3, 3)), np.zeros((3, 1, 3, 3)),
                               (1, 1, 5, 5))
    with pytest.raises(ValueError, match="delta"):
        insert_zeros(np.zeros(3), 2)


@pytest.mark.parametrize(("size", "k", "s", "p", "d"),
                         [(9, 2, 3, 0, 1), (10, 3, 2, 1, 2), (11, 2, 3, 2, 1),
                          (8, 3, 2, 0, 1), (7, 1, 3, 1, 1), (12, 2, 2, 0, 3)])
def test_unread_rows_are_the_zero_columns_of_the_dense_matrix(size, k, s, p, d):
    # a column of M that is all zero belongs to an input no output reads
    m = conv2d_as_dense(np.ones((1, 1, k, 1)), (1, size, 1), (s, 1), (p, 0), (d, 1))
    zero_cols = [r for r in range(size) if not m[:, r].any()]
    assert unread(size, k, s, p, d) == zero_cols


def test_unread_includes_rows_between_windows_not_only_the_leftover():
    # kernel 2, stride 3 on 9 columns: windows {0,1}, {3,4}, {6,7}
    assert unread(9, 2, 3) == [2, 5, 8] and leftover(9, 2, 3) == 1
    # dilation 2, stride 2, padding 1 on 10 rows: taps on even padded rows only
    assert unread(10, 3, 2, 1, 2) == [0, 2, 4, 6, 8]
    assert unread(11, 2, 3, 2, 1) == [0, 3, 6, 9]


def _conv_grads(a, w, delta):
    _, cache = conv2d_forward(a[None, None], w[None, None])
    dx, dw, _ = conv2d_backward(delta[None, None], cache)
    return dx[0, 0], dw[0, 0]


def test_delta_terms_rebuild_the_delta_by_bp2_and_bp1():
    net, x, y = tiny_example()
    bp = net.backprop(x, y)
    for j in range(3):
        t = delta_terms(net, x, y, 1, j)
        assert t["rule"] == "BP2"
        np.testing.assert_allclose(t["weights"], net.weights[2][:, j])
        assert np.isclose(np.sum(t["products"]) * t["sigma_prime"], bp.deltas[1][j])
    for j in range(2):
        t = delta_terms(net, x, y, 2, j)
        assert t["rule"] == "BP1"
        assert np.isclose((t["a"] - t["y"]) * t["sigma_prime"], bp.deltas[2][j])
        assert np.isclose(t["sigma_prime"], sigmoid_prime(bp.zs[2][j]))


@pytest.mark.parametrize("l, j", [(0, 0), (3, 0), (1, 3)])
def test_delta_terms_reject_neurons_that_do_not_exist(l, j):
    net, x, y = tiny_example()
    with pytest.raises(ValueError, match="^(l|j):"):
        delta_terms(net, x, y, l, j)


def test_shared_stage_matrix_is_the_convolution_matrix():
    k = np.array([[1.0, -1.0], [2.0, 0.5]])
    a = np.random.default_rng(0).standard_normal((4, 4))
    m = stage_matrix("shared", k)
    np.testing.assert_array_equal(m, conv2d_as_dense(k[None, None], (1, 4, 4)))
    np.testing.assert_allclose((m @ a.ravel()).reshape(3, 3), correlate2d(a, k))


def test_local_stage_keeps_exactly_the_windows_and_dense_has_no_zeros():
    k = np.ones((2, 3))
    idx = kernel_index_matrix((4, 5), (2, 3))
    assert idx.shape == (3 * 3, 20)
    assert (np.count_nonzero(idx >= 0, axis=1) == 6).all()
    dense, local = stage_matrix("dense", k, (4, 5)), stage_matrix("local", k, (4, 5))
    assert np.count_nonzero(dense) == dense.size
    np.testing.assert_array_equal(local != 0, idx >= 0)
    np.testing.assert_array_equal(local[idx >= 0], dense[idx >= 0])


def test_kernel_index_matrix_names_the_tap_of_every_connection():
    k = np.arange(1.0, 7.0).reshape(2, 3)  # distinct values name the taps
    m = conv2d_as_dense(k[None, None], (1, 4, 5))
    idx = kernel_index_matrix((4, 5), (2, 3))
    np.testing.assert_array_equal(np.where(idx >= 0, k.ravel()[idx], 0.0), m)


@pytest.mark.parametrize("bad", [dict(stage="conv"), dict(kernel=np.ones(3)),
                                 dict(in_hw=(1, 1))])
def test_stage_matrix_rejects_bad_arguments(bad):
    args = dict(stage="shared", kernel=np.ones((2, 2)), in_hw=(4, 4)) | bad
    with pytest.raises(ValueError, match="stage|kernel|k_hw"):
        stage_matrix(**args)


@pytest.mark.parametrize("k_len", [1, 2, 3, 4])
def test_mode_padding_gives_the_output_sizes_of_each_mode(k_len):
    h = 6
    for op in ("correlate", "convolve"):
        sizes = {m: h + sum(mode_padding(k_len, m, op)) - k_len + 1
                 for m in ("valid", "same", "full")}
        assert sizes == {"valid": h - k_len + 1, "same": h, "full": h + k_len - 1}
    assert window_origin(0, 0, (k_len, k_len), "full") == (1 - k_len, 1 - k_len)


def test_delta_sources_are_the_nonzero_entries_of_the_input_gradient():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(3, 2))
    delta = np.zeros((4, 3))
    for x, y in np.ndindex(delta.shape):
        delta[:] = 0
        delta[x, y] = 1.0
        dx, _ = _conv_grads(np.zeros((6, 4)), w, delta)
        for p, q in np.ndindex(dx.shape):
            found = [(i, j) for xx, yy, i, j in delta_sources(p, q, w.shape, delta.shape)
                     if (xx, yy) == (x, y)]
            assert ([dx[p, q]] if found else []) == [w[i, j] for i, j in found]


def test_delta_is_full_correlation_with_rotated_kernel():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(3, 3))
    delta = rng.normal(size=(4, 5))
    dx, _ = _conv_grads(np.zeros((6, 7)), w, delta)
    assert np.allclose(full_correlate_rot180(delta, w), dx)
    assert np.allclose([[backprop_sum(delta, w, p, q) for q in range(7)]
                        for p in range(6)], dx)


def test_delta_sources_rejects_positions_outside_the_layer():
    with pytest.raises(ValueError, match=r"\(p, q\)"):
        delta_sources(5, 0, (3, 3), (3, 3))


def test_weight_gradient_is_valid_correlation_of_activations_with_deltas():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(6, 5))
    delta = rng.normal(size=(4, 3))
    _, dw = _conv_grads(a, np.zeros((3, 3)), delta)
    assert np.allclose(weight_gradient(a, delta), dw)
    pairs = weight_gradient_pairs(1, 2, a.shape, delta.shape)
    assert len(pairs) == 12 and pairs[0] == ((1, 2), (0, 0))


def test_weight_gradient_pairs_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"\(i, j\)"):
        weight_gradient_pairs(3, 0, (5, 5), (3, 3))
    with pytest.raises(ValueError, match="delta_shape"):
        weight_gradient_pairs(0, 0, (2, 2), (3, 3))


def test_all_scattered_deltas_give_the_input_gradient_of_the_strided_layer():
    rng = np.random.default_rng(7)
    for (h, wd), s, (kh, kw) in [((8, 8), 2, (3, 3)), ((9, 7), 3, (2, 3))]:
        w = rng.normal(size=(kh, kw))
        y, cache = conv2d_forward(np.zeros((1, 1, h, wd)), w[None, None], stride=s)
        delta = rng.normal(size=y.shape[2:])
        dx = conv2d_backward(delta[None, None], cache)[0][0, 0]
        n = delta.size
        sums, touched = scatter_partial_sums(delta, w, (h, wd), s, n)
        assert np.allclose(sums, dx)
        assert np.all(dx[~touched] == 0)
        none, nothing = scatter_partial_sums(delta, w, (h, wd), s, 0)
        assert not none.any() and not nothing.any()


def test_scatter_partial_sums_rejects_bad_arguments():
    with pytest.raises(ValueError, match="delta"):
        scatter_partial_sums(np.zeros((2, 2)), np.zeros((3, 3)), (8, 8), 2, 1)
    with pytest.raises(ValueError, match="upto"):
        scatter_partial_sums(np.zeros((3, 3)), np.zeros((3, 3)), (8, 8), 2, 10)
