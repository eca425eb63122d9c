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
  on ``viz``; only a notebook imports a driver; ``lab``, the kernel
  connection of the JupyterLab server the chapters run in.

``import cnnlib`` loads the numerics only: no matplotlib, no SciPy, no
Jupyter, no side effects. Import the rest explicitly.

Every name of the numerical contract is importable from here, e.g.
``from cnnlib import conv2d_forward``.
"""

__version__ = "0.1.0"

# Each module's __all__ is its public API, listed once; the top level is their union.
from cnnlib import activations, conv, gradcheck, losses, mlp, pool
from cnnlib.activations import *
from cnnlib.conv import *
from cnnlib.gradcheck import *
from cnnlib.losses import *
from cnnlib.mlp import *
from cnnlib.pool import *

__all__ = ["__version__", *activations.__all__, *conv.__all__, *gradcheck.__all__,
           *losses.__all__, *mlp.__all__, *pool.__all__]
