"""Checkers of the exercises of chapters 4-6: right answers pass, typical wrong
answers fail, and nothing the reader passes in can crash a checker."""

import numpy as np
import pytest

from cnnlib import convolve2d, correlate2d, rot180
from cnnlib.exercises import ch04 as ex4


def _strided_delta(delta, w, in_shape):
    oh, ow = delta.shape
    dilated = np.zeros((2 * oh - 1, 2 * ow - 1))
    dilated[::2, ::2] = delta
    full = convolve2d(dilated, w, mode="full")
    out = np.zeros(in_shape)
    out[:full.shape[0], :full.shape[1]] = full
    return out


def test_ch04_input_gradient_by_hand(capsys):
    right = convolve2d(ex4.EXERCISE_DELTA, ex4.EXERCISE_KERNEL, mode="full")
    assert ex4.check_input_gradient_by_hand(right)
    other_convention = convolve2d(ex4.EXERCISE_DELTA, rot180(ex4.EXERCISE_KERNEL),
                                  mode="full")
    capsys.readouterr()
    assert not ex4.check_input_gradient_by_hand(other_convention)
    assert "other convention" in capsys.readouterr().out
    assert not ex4.check_input_gradient_by_hand("nine numbers")
    assert not ex4.check_input_gradient_by_hand(np.zeros((2, 2)))


def test_ch04_rule_choice():
    assert ex4.check_rule_for_true_convolution(" (B) ")
    assert not any(ex4.check_rule_for_true_convolution(c) for c in "acd")


def test_ch04_mixup_kernel():
    assert ex4.check_mixup_is_hidden([[1, 2, 3], [4, 5, 4], [3, 2, 1]])
    assert not ex4.check_mixup_is_hidden(np.ones((3, 3)))
    assert not ex4.check_mixup_is_hidden(np.arange(9).reshape(3, 3))
    assert not ex4.check_mixup_is_hidden([1, 2])


def test_ch04_strided_delta():
    assert ex4.check_strided_delta(_strided_delta)

    def stride_one_rule(delta, w, in_shape):
        full = convolve2d(delta, w, mode="full")
        out = np.zeros(in_shape)
        out[:full.shape[0], :full.shape[1]] = full
        return out

    assert not ex4.check_strided_delta(stride_one_rule)

    def crashes(delta, w, in_shape):
        raise IndexError("oops")

    assert not ex4.check_strided_delta(crashes)


def test_ch04_multichannel_delta():
    def right(delta, w):
        f_count, c_count = w.shape[:2]
        return np.stack([sum(correlate2d(delta[f], rot180(w[f, c]), mode="full")
                             for f in range(f_count)) for c in range(c_count)])

    def unrotated(delta, w):
        f_count, c_count = w.shape[:2]
        return np.stack([sum(correlate2d(delta[f], w[f, c], mode="full")
                             for f in range(f_count)) for c in range(c_count)])

    assert ex4.check_multichannel_delta(right)
    assert not ex4.check_multichannel_delta(unrotated)
    assert not ex4.check_multichannel_delta(lambda d, w: None)


@pytest.mark.parametrize("name", ex4.__all__)
def test_ch04_exports_exist(name):
    assert hasattr(ex4, name)


# ---------------------------------------------------------------- chapter 5
from cnnlib.exercises import ch05 as ex5  # noqa: E402


def test_ch05_weight_gradient_by_hand():
    dw = correlate2d(ex5.EXERCISE_ACTIVATIONS, ex5.EXERCISE_DELTA)
    assert ex5.check_weight_gradient_by_hand(dw, ex5.EXERCISE_DELTA.sum())
    assert not ex5.check_weight_gradient_by_hand(rot180(dw), ex5.EXERCISE_DELTA.sum())
    assert not ex5.check_weight_gradient_by_hand(dw, 0.0)
    assert not ex5.check_weight_gradient_by_hand("dw", None)


def test_ch05_tied_counts():
    assert ex5.check_tied_counts(36, 49)
    assert not ex5.check_tied_counts(36, 64)


def test_ch05_strided_weight_gradient():
    def right(a, delta, k_shape):
        oh, ow = delta.shape
        return np.array([[np.sum(delta * a[i:i + 2 * oh:2, j:j + 2 * ow:2])
                          for j in range(k_shape[1])] for i in range(k_shape[0])])

    def stride_one(a, delta, k_shape):
        oh, ow = delta.shape
        return np.array([[np.sum(delta * a[i:i + oh, j:j + ow])
                          for j in range(k_shape[1])] for i in range(k_shape[0])])

    assert ex5.check_strided_weight_gradient(right)
    assert not ex5.check_strided_weight_gradient(stride_one)
    assert not ex5.check_strided_weight_gradient(lambda a, d, k: 1 / 0)


def test_ch05_slip_shape():
    assert ex5.check_slip_shape((1, 1))
    assert not ex5.check_slip_shape((3, 3))
    assert not ex5.check_slip_shape("1x1")


def test_ch05_batch_weight_gradient():
    def right(x, delta, k_shape, padding):
        p = padding
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        oh, ow = delta.shape[2:]
        dw = np.array([[np.einsum("nfxy,ncxy->fc", delta, xp[:, :, i:i + oh, j:j + ow])
                        for j in range(k_shape[1])] for i in range(k_shape[0])])
        return dw.transpose(2, 3, 0, 1), delta.sum(axis=(0, 2, 3))

    def first_image_only(x, delta, k_shape, padding):
        dw, db = right(x[:1], delta[:1], k_shape, padding)
        return dw, db

    assert ex5.check_batch_weight_gradient(right)
    assert not ex5.check_batch_weight_gradient(first_image_only)
    assert not ex5.check_batch_weight_gradient(lambda *args: None)


# ---------------------------------------------------------------- chapter 6
from cnnlib import avg_pool2d_backward, avg_pool2d_forward  # noqa: E402
from cnnlib.exercises import ch06 as ex6  # noqa: E402
from cnnlib.nn import Layer  # noqa: E402


def test_ch06_parameter_count_and_shapes():
    assert ex6.check_parameter_count(2730)
    assert not ex6.check_parameter_count(2720)
    right = [(1, 16, 8, 8), (1, 16, 8, 8), (1, 16, 4, 4), (1, 256), (1, 10)]
    assert ex6.check_layer_shapes(right)
    assert not ex6.check_layer_shapes(right[:4])
    assert not ex6.check_layer_shapes([(1, 16, 6, 6)] + right[1:])
    assert not ex6.check_layer_shapes(None)


class _Leaky(Layer):
    def __init__(self, alpha, slope_bug=False):
        super().__init__()
        self.alpha, self.slope_bug = alpha, slope_bug

    def forward(self, x):
        self._cache = x
        return np.where(x > 0, x, self.alpha * x)

    def backward(self, delta):
        slope = np.where(self._need_cache() > 0, 1.0, self.alpha)
        return delta if self.slope_bug else delta * slope


def test_ch06_leaky_relu():
    assert ex6.check_leaky_relu(_Leaky)
    assert not ex6.check_leaky_relu(lambda alpha: _Leaky(alpha, slope_bug=True))
    assert not ex6.check_leaky_relu(lambda alpha: object())


class _AvgPool(Layer):
    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        y, self._cache = avg_pool2d_forward(x, self.k)
        return y

    def backward(self, delta):
        return avg_pool2d_backward(delta, self._need_cache())


class _AvgPoolWrongBackward(_AvgPool):
    def backward(self, delta):
        return 4 * avg_pool2d_backward(delta, self._need_cache())


def test_ch06_avg_pool_layer():
    assert ex6.check_avg_pool_layer(_AvgPool)
    assert not ex6.check_avg_pool_layer(_AvgPoolWrongBackward)
    assert not ex6.check_avg_pool_layer(lambda k: 1 / 0)
