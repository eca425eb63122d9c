"""Max and average pooling: finite differences, PyTorch's tie rule, overlap."""

import numpy as np
import pytest

from cnnlib import (
    avg_pool2d_backward,
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
    numerical_gradient,
    relative_error,
)

POOL_CONFIGS = [
    # x shape, kernel_size, stride
    ((2, 3, 6, 8), 2, None),
    ((1, 2, 7, 5), (3, 2), None),  # leftover rows/columns are dropped
    ((2, 2, 7, 8), 3, 2),  # overlapping windows
    ((1, 3, 6, 9), (2, 3), (1, 2)),
    ((1, 1, 5, 4), (5, 4), None),  # one window covers everything
]


@pytest.mark.parametrize("xshape, k, s", POOL_CONFIGS)
def test_max_pool_backward_matches_finite_differences(xshape, k, s):
    rng = np.random.default_rng(0)
    x = rng.normal(size=xshape)  # continuous values: no ties, so f is smooth at x
    y, cache = max_pool2d_forward(x, k, s)
    dy = rng.normal(size=y.shape)
    num = numerical_gradient(lambda v: np.sum(max_pool2d_forward(v, k, s)[0] * dy), x)
    assert relative_error(max_pool2d_backward(dy, cache), num) < 1e-8


@pytest.mark.parametrize("xshape, k, s", POOL_CONFIGS)
def test_avg_pool_backward_matches_finite_differences(xshape, k, s):
    rng = np.random.default_rng(1)
    x = rng.normal(size=xshape)
    y, cache = avg_pool2d_forward(x, k, s)
    dy = rng.normal(size=y.shape)
    num = numerical_gradient(lambda v: np.sum(avg_pool2d_forward(v, k, s)[0] * dy), x)
    assert relative_error(avg_pool2d_backward(dy, cache), num) < 1e-8


def _loop_pool(x, k, s, reduce):
    kh, kw = k
    n, c, h, w = x.shape
    oh, ow = (h - kh) // s[0] + 1, (w - kw) // s[1] + 1
    out = np.zeros((n, c, oh, ow))
    for xo in range(oh):
        for yo in range(ow):
            win = x[:, :, xo * s[0] : xo * s[0] + kh, yo * s[1] : yo * s[1] + kw]
            out[:, :, xo, yo] = reduce(win, axis=(2, 3))
    return out


@pytest.mark.parametrize("xshape, k, s", POOL_CONFIGS)
def test_pool_forward_equals_loop_over_windows(xshape, k, s):
    rng = np.random.default_rng(2)
    x = rng.normal(size=xshape)
    kk = (k, k) if isinstance(k, int) else k
    ss = kk if s is None else ((s, s) if isinstance(s, int) else s)
    np.testing.assert_array_equal(max_pool2d_forward(x, k, s)[0],
                                  _loop_pool(x, kk, ss, np.max))
    np.testing.assert_allclose(avg_pool2d_forward(x, k, s)[0],
                               _loop_pool(x, kk, ss, np.mean), rtol=1e-14)


def test_max_pool_tie_sends_gradient_to_first_max_in_row_major_order():
    x = np.array([[[[1.0, 3.0], [3.0, 3.0]]]])
    y, cache = max_pool2d_forward(x, 2)
    assert y[0, 0, 0, 0] == 3.0
    dx = max_pool2d_backward(np.array([[[[2.5]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[0.0, 2.5], [0.0, 0.0]]]])


def test_max_pool_overlapping_windows_accumulate_at_a_shared_maximum():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 9.0  # the maximum of all four 2x2 windows with stride 1
    y, cache = max_pool2d_forward(x, 2, stride=1)
    dy = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dx = max_pool2d_backward(dy, cache)
    assert dx[0, 0, 1, 1] == 10.0
    assert np.count_nonzero(dx) == 1


def test_avg_pool_gradient_spreads_evenly_over_the_window():
    y, cache = avg_pool2d_forward(np.zeros((1, 1, 4, 6)), (2, 3))
    dy = np.array([[[[6.0, 12.0], [18.0, 24.0]]]])
    dx = avg_pool2d_backward(dy, cache)
    np.testing.assert_array_equal(dx[0, 0, :2, :3], np.full((2, 3), 1.0))
    np.testing.assert_array_equal(dx[0, 0, 2:, 3:], np.full((2, 3), 4.0))


def test_rows_no_window_reaches_get_zero_gradient():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(1, 1, 5, 5))
    for fwd, bwd in [(max_pool2d_forward, max_pool2d_backward),
                     (avg_pool2d_forward, avg_pool2d_backward)]:
        y, cache = fwd(x, 2)
        dx = bwd(rng.normal(size=y.shape), cache)
        assert y.shape == (1, 1, 2, 2)
        np.testing.assert_array_equal(dx[0, 0, 4, :], 0.0)
        np.testing.assert_array_equal(dx[0, 0, :, 4], 0.0)


def test_pool_functions_do_not_mutate_inputs():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 2, 6, 6))
    x0 = x.copy()
    for fwd, bwd in [(max_pool2d_forward, max_pool2d_backward),
                     (avg_pool2d_forward, avg_pool2d_backward)]:
        y, cache = fwd(x, 3, 1)
        dy = rng.normal(size=y.shape)
        dy0 = dy.copy()
        bwd(dy, cache)
        np.testing.assert_array_equal(dy, dy0)
    np.testing.assert_array_equal(x, x0)


def test_max_pool_backward_refuses_an_avg_pool_cache():
    y, cache = avg_pool2d_forward(np.zeros((1, 1, 4, 4)), 2)
    with pytest.raises(TypeError, match="max_pool2d_forward"):
        max_pool2d_backward(np.zeros(y.shape), cache)
