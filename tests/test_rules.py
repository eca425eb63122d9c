"""The chapter 7 rules (cnnlib.rules) give conv2d_backward's numbers
for every stride, padding and dilation, and their building blocks do what the
book says."""

import itertools

import numpy as np
import pytest

from cnnlib import conv2d_as_dense, conv2d_backward, conv2d_forward, conv_transpose2d
from cnnlib.rules import (
    dilate_kernel,
    input_gradient_by_rule,
    insert_zeros,
    leftover,
    unread,
    weight_gradient_by_rule,
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
