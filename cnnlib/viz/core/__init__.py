"""The drawing machinery that every figure of the book shares.

- :mod:`~cnnlib.viz.core.base`: :class:`Drawing` and :class:`Param` (the
  interface the live and static drivers read), :func:`png` and
  :func:`image` (a static figure stored at 2x);
- :mod:`~cnnlib.viz.core.style`: the colour-blind-safe palette and figure style;
- :mod:`~cnnlib.viz.core.grid`: grids of numbers, cell outlines and covers;
- :mod:`~cnnlib.viz.core.text`: text drawn as path outlines (fast redraws);
- :mod:`~cnnlib.viz.core.frozen`: static artists rendered once, as one image.

No chapter's figure lives here; those are the modules of :mod:`cnnlib.viz`.
"""

from cnnlib.viz.core.base import Drawing, Param, image, png
from cnnlib.viz.core.frozen import FrozenBackground
from cnnlib.viz.core.grid import CellCover, GridArtist, Outlines
from cnnlib.viz.core.style import (
    DIVERGING_CMAP,
    OKABE_ITO,
    ROLE,
    SEQUENTIAL_CMAP,
    book_style,
    new_figure,
)
from cnnlib.viz.core.text import PathText, TextGrid

__all__ = [
    "DIVERGING_CMAP",
    "OKABE_ITO",
    "ROLE",
    "SEQUENTIAL_CMAP",
    "CellCover",
    "Drawing",
    "FrozenBackground",
    "GridArtist",
    "Outlines",
    "Param",
    "PathText",
    "TextGrid",
    "book_style",
    "image",
    "new_figure",
    "png",
]
