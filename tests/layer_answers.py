"""Right answers to chapter 6's layer exercises (a reader writes a Layer class),
shared by test_checkers_honest.py and test_exercises_ch06.py, and the tool that
builds them and their wrong variants."""

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
