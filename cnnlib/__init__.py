"""cnnlib: the numerics, drawings and widgets of the book on backpropagation in CNNs.

The folder list is the architecture, and the arrows run one way:

- numerics, NumPy only (this level): ``conv``, ``pool``, ``activations``,
  ``losses``, ``gradcheck``, ``validation``, ``mlp``, ``nn``, ``data``;
- ``rules``: the book's index counting and backward rules, one function a
  statement, on the numerics;
- ``exercises``: one checker module a chapter, on the numerics and rules;
- ``viz``: the drawings (``viz.core`` the machinery, one module a figure
  family), on the numerics and rules;
- the drivers ``widgets`` (live sliders) and ``animate`` (the static player),
  on ``viz``; only a notebook imports a driver.

``import cnnlib`` loads the numerics only: no matplotlib, no SciPy, no
Jupyter, no side effects. Import the rest explicitly.

Every name of the numerical contract is importable from here, e.g.
``from cnnlib import conv2d_forward``.
"""

__version__ = "0.1.0"

from cnnlib.activations import (
    ACTIVATIONS,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    tanh,
    tanh_prime,
)
from cnnlib.conv import (
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
    rot180,
)
from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.losses import (
    quadratic_cost,
    quadratic_cost_grad,
    softmax,
    softmax_cross_entropy,
)
from cnnlib.mlp import MLP, Backprop, Forward, tiny_example
from cnnlib.pool import (
    PoolCache,
    avg_pool2d_backward,
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
)

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "Backprop",
    "Forward",
    "Conv2dCache",
    "PoolCache",
    "__version__",
    "avg_pool2d_backward",
    "avg_pool2d_forward",
    "conv2d_as_dense",
    "conv2d_backward",
    "conv2d_backward_naive",
    "conv2d_forward",
    "conv2d_forward_naive",
    "conv2d_output_shape",
    "conv_transpose2d",
    "convolve2d",
    "correlate2d",
    "max_pool2d_backward",
    "max_pool2d_forward",
    "numerical_gradient",
    "quadratic_cost",
    "quadratic_cost_grad",
    "relative_error",
    "relu",
    "relu_prime",
    "rot180",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "softmax_cross_entropy",
    "tanh",
    "tanh_prime",
    "tiny_example",
]
