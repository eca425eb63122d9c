"""The exercise checkers of chapter 6 (the whole algorithm; training a CNN): right
answers pass, the typical wrong ones fail with a hint, and nothing a reader
passes in crashes a checker."""

import numpy as np

from cnnlib import avg_pool2d_backward, avg_pool2d_forward
from cnnlib.exercises import ch06 as ex6
from cnnlib.nn import Layer


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


def test_ch06_parameter_count_and_shapes():
    assert ex6.check_parameter_count(2730)
    assert not ex6.check_parameter_count(2720)
    right = [(1, 16, 8, 8), (1, 16, 8, 8), (1, 16, 4, 4), (1, 256), (1, 10)]
    assert ex6.check_layer_shapes(right)
    assert not ex6.check_layer_shapes(right[:4])
    assert not ex6.check_layer_shapes([(1, 16, 6, 6)] + right[1:])
    assert not ex6.check_layer_shapes(None)


def test_ch06_leaky_relu():
    assert ex6.check_leaky_relu(_Leaky)
    assert not ex6.check_leaky_relu(lambda alpha: _Leaky(alpha, slope_bug=True))
    assert not ex6.check_leaky_relu(lambda alpha: object())


def test_ch06_avg_pool_layer():
    assert ex6.check_avg_pool_layer(_AvgPool)
    assert not ex6.check_avg_pool_layer(_AvgPoolWrongBackward)
    assert not ex6.check_avg_pool_layer(lambda k: 1 / 0)
