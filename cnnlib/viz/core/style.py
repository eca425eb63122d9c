"""Colours and the book's plotting style.

Nothing here runs at import time: :func:`book_style` is an explicit context
manager, and the palette is plain data. The palette is Okabe and Ito's
colour-blind safe set; colour maps are ``cividis`` (sequential) and ``PuOr``
(diverging), both readable with the common colour-vision deficiencies.
"""

from __future__ import annotations

import contextlib

import matplotlib as mpl
from matplotlib.figure import Figure

from cnnlib.validation import as_real

# Okabe, M. and Ito, K. (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
#: Roles used across chapters, so a colour means the same thing everywhere.
ROLE = {
    "activation": OKABE_ITO["sky"],
    "delta": OKABE_ITO["orange"],
    "weight": OKABE_ITO["green"],
    "highlight": OKABE_ITO["vermillion"],
    "secondary": OKABE_ITO["blue"],
    "muted": "#BBBBBB",
}
SEQUENTIAL_CMAP = "cividis"
DIVERGING_CMAP = "PuOr"
#: Face colour of cells that hold zeros by construction (padding, inserted
#: zeros, holes): a shade that dark and light text both read on.
PAD_GREY = "#E4E4E4"


def luminance(rgba) -> float:
    """Perceived brightness of a colour, 0 (black) to 1 (white):
    Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601 weights)."""
    return 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]


def text_colour_on(rgba) -> str:
    """Black text on a light face, white text on a dark one."""
    return "black" if luminance(rgba) > 0.5 else "white"

_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO.values())[1:]),
}


@contextlib.contextmanager
def book_style():
    """Apply the book's rc settings inside a ``with`` block only."""
    with mpl.rc_context(_RC):
        yield


def new_figure(width: float, height: float, dpi: int = 100) -> Figure:
    """A figure detached from pyplot, drawn with the Agg canvas.

    Detached figures are not shown twice in notebooks and hold no global state,
    so a drawing can be rendered by a widget and by an animation alike.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    width = as_real(width, "width", low=0.0, high=100.0, low_open=True)
    height = as_real(height, "height", low=0.0, high=100.0, low_open=True)
    dpi = as_real(dpi, "dpi", low=1.0, high=1200.0)
    with book_style():
        fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig
