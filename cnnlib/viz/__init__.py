"""Drawings of the book: the chapters' figures, on the machinery of ``core``.

Importing ``cnnlib.viz`` needs matplotlib; ``import cnnlib`` alone does not
load it. :mod:`cnnlib.viz.core` holds what every figure shares (the
:class:`Drawing` interface, style, grids, text, frame helpers); each module
beside it draws one family of figures, in the order of the chapters:

- :mod:`~cnnlib.viz.mlp` (chapter 1), :mod:`~cnnlib.viz.sharing` (2),
  :mod:`~cnnlib.viz.sliding` (3), :mod:`~cnnlib.viz.deltas` and
  :mod:`~cnnlib.viz.rotation` (4), :mod:`~cnnlib.viz.wgrad` (5),
  :mod:`~cnnlib.viz.training` (6), :mod:`~cnnlib.viz.beyond` and
  :mod:`~cnnlib.viz.explorer` (7).

The numbers the figures show come from :mod:`cnnlib.rules` and the numerics;
nothing here computes a gradient of its own.
"""

from cnnlib.viz.beyond import StrideBackward, dilation_figure, pooling_figure
from cnnlib.viz.core import (
    DIVERGING_CMAP,
    OKABE_ITO,
    ROLE,
    SEQUENTIAL_CMAP,
    Drawing,
    GridArtist,
    Param,
    PathText,
    TextGrid,
    book_style,
    image,
    new_figure,
    png,
)
from cnnlib.viz.deltas import DeltaPropagation, plot_dense_transpose
from cnnlib.viz.explorer import LayerExplorer
from cnnlib.viz.mlp import MLPDeltaDrawing, network_figure
from cnnlib.viz.rotation import KernelRotation
from cnnlib.viz.sharing import WeightSharingDrawing, sharing_networks_figure
from cnnlib.viz.sliding import SlidingWindowDrawing, modes_figure
from cnnlib.viz.training import (
    plot_digits,
    plot_kernels,
    plot_learning_curve,
    plot_misclassified,
)
from cnnlib.viz.wgrad import WeightGradient

__all__ = [
    "DIVERGING_CMAP",
    "OKABE_ITO",
    "ROLE",
    "SEQUENTIAL_CMAP",
    "DeltaPropagation",
    "Drawing",
    "GridArtist",
    "KernelRotation",
    "LayerExplorer",
    "MLPDeltaDrawing",
    "Param",
    "PathText",
    "SlidingWindowDrawing",
    "StrideBackward",
    "TextGrid",
    "WeightGradient",
    "WeightSharingDrawing",
    "book_style",
    "dilation_figure",
    "image",
    "modes_figure",
    "network_figure",
    "new_figure",
    "plot_dense_transpose",
    "plot_digits",
    "plot_kernels",
    "plot_learning_curve",
    "plot_misclassified",
    "png",
    "pooling_figure",
    "sharing_networks_figure",
    "all_drawings",
]


def all_drawings() -> list[type[Drawing]]:
    """Every :class:`Drawing` subclass that a module of ``cnnlib.viz`` defines,
    sorted by name; each builds with its chapter's data as ``cls.example()``."""
    found, todo = set(), list(Drawing.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("cnnlib.viz.") and cls not in found:
            found.add(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: (c.__module__, c.__name__))
