"""Shared by the tests of the exercise checkers: the right answers to chapter 6's
layer exercises (a reader writes a Layer class) with the builder of them and
their wrong variants, and the one test of a grid typed by hand."""

import numpy as np

from cnnlib.nn import Layer
from cnnlib.pool import avg_pool2d_backward, avg_pool2d_forward


def layer_class(forward, backward):
    """A Layer class built from ``forward(x, arg) -> (y, cache)`` and
    ``backward(delta, cache, arg) -> dx``; ``cls(arg)`` makes a layer."""

    class Solution(Layer):
        def __init__(self, arg):
            super().__init__()
            self.arg = arg

        def forward(self, x):
            y, self._cache = forward(x, self.arg)
            return y

        def backward(self, delta):
            return backward(delta, self._need_cache(), self.arg)

    return Solution


def leaky_forward(x, alpha):
    """Leaky ReLU ``max(x, alpha x)``; the cache is ``x``."""
    return np.where(x > 0, x, alpha * x), x


#: Exercise 6.3: ``Leaky(alpha)``, backward ``delta * (1 if x > 0 else alpha)``.
Leaky = layer_class(leaky_forward, lambda d, x, alpha: d * np.where(x > 0, 1.0, alpha))
#: Exercise 6.4: ``AvgPool(kernel_size)``, average pooling (stride = kernel_size).
AvgPool = layer_class(avg_pool2d_forward,
                      lambda d, cache, k: avg_pool2d_backward(d, cache))


def assert_grid_checker(check, right, wrong, says: str, capsys) -> None:
    """A checker of a grid the reader works out by hand: ``right`` passes,
    ``wrong`` fails with a hint that contains ``says``, and text or a grid one
    row and one column short fail (without raising)."""
    right = np.asarray(right)
    assert check(right)
    capsys.readouterr()
    assert not check(wrong)
    assert says in capsys.readouterr().out
    assert not check("a few numbers")
    assert not check(np.zeros((right.shape[0] - 1, right.shape[1] - 1)))
