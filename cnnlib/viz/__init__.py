"""Drawings of the book: pure functions and :class:`Drawing` classes.

Importing ``cnnlib.viz`` needs matplotlib; ``import cnnlib`` alone does not
load it. Each chapter's drawings live in a module of their own.
"""

from cnnlib.viz.base import Drawing, Param
from cnnlib.viz.grid import GridArtist
from cnnlib.viz.style import (
    DIVERGING_CMAP,
    OKABE_ITO,
    ROLE,
    SEQUENTIAL_CMAP,
    book_style,
    new_figure,
)

__all__ = [
    "DIVERGING_CMAP",
    "Drawing",
    "GridArtist",
    "OKABE_ITO",
    "Param",
    "ROLE",
    "SEQUENTIAL_CMAP",
    "book_style",
    "new_figure",
]
# Chapter modules append their exports below (one import line each).
from cnnlib.viz.mlp import MLPDeltaDrawing  # noqa: E402  (chapter 1)

__all__ += ["MLPDeltaDrawing"]
from cnnlib.viz.pathtext import PathText, TextGrid  # noqa: E402  (fast text)

__all__ += ["PathText", "TextGrid"]
from cnnlib.viz.sharing import WeightSharingDrawing  # noqa: E402  (chapter 2)

__all__ += ["WeightSharingDrawing"]
from cnnlib.viz.sliding import SlidingWindowDrawing  # noqa: E402  (chapter 3)

__all__ += ["SlidingWindowDrawing"]
from cnnlib.viz.deltas import (  # noqa: E402  (chapter 4)
    DeltaPropagation,
    plot_dense_transpose,
)
from cnnlib.viz.rotation import KernelRotation  # noqa: E402  (chapter 4)
from cnnlib.viz.training import (  # noqa: E402  (chapter 6)
    plot_digits,
    plot_kernels,
    plot_learning_curve,
    plot_misclassified,
)
from cnnlib.viz.wgrad import WeightGradient  # noqa: E402  (chapter 5)

__all__ += ["DeltaPropagation", "KernelRotation", "WeightGradient", "plot_digits",
            "plot_dense_transpose", "plot_kernels", "plot_learning_curve",
            "plot_misclassified"]
from cnnlib.viz.beyond import StrideBackward  # noqa: E402  (chapter 7)

__all__ += ["StrideBackward"]
